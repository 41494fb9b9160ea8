"""Follow and unfollow buttons, and the personal start page /me."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.following import services
from forum.following.models import KINDS
from forum.web import safe_next

bp = Blueprint("following", __name__)

# How the flash messages name what was followed.
KIND_NAMES = {
    "tag": "this tag",
    "microlearn": "this microlearn",
    "question": "this question",
    "playlist": "this playlist",
}


def _user():
    """Return the current user object, or None for anonymous visitors."""
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.app_context_processor
def follow_helpers() -> dict:
    """Give every template a check of whether the member follows something."""

    def is_following(kind: str, target_id: int) -> bool:
        """Tell whether the logged-in member follows the target."""
        return services.is_following(_user(), kind, target_id)

    return {"is_following": is_following}


def _back() -> str:
    """Return the page the button was on, or /me."""
    return safe_next(request.form.get("next"), url_for("following.me"))


@bp.route("/following/<kind>/<int:target_id>", methods=["POST"])
@login_required
def follow(kind: str, target_id: int):
    """Follow a tag, microlearn, question or playlist."""
    services.follow(_user(), kind, target_id, token=request.form.get("token") or None)
    flash(
        f"You follow {KIND_NAMES.get(kind, 'it')}: what is new shows on My learning.",
        "success",
    )
    return redirect(_back())


@bp.route("/following/<kind>/<int:target_id>/delete", methods=["POST"])
@login_required
def unfollow(kind: str, target_id: int):
    """Stop following something."""
    services.unfollow(_user(), kind, target_id)
    flash(f"You no longer follow {KIND_NAMES.get(kind, 'it')}.", "info")
    return redirect(_back())


@bp.route("/me")
@login_required
def me():
    """Show what is new in what I follow, my playlists, and questions I could answer."""
    page = services.visit_start_page(_user())
    return render_template("following/me.html", page=page, kinds=KINDS)


@bp.route("/me/seen", methods=["POST"])
@login_required
def mark_seen():
    """Count everything on the start page as seen."""
    services.mark_start_page_seen(_user())
    flash("All caught up: only what is new from now on shows here.", "info")
    return redirect(url_for("following.me"))

"""API, version 1: members, their reputation history, and votes.

Reads are public. Votes act as the logged-in member of the browser session, so
they need the CSRF token in an ``X-CSRFToken`` header, as the site's own forms do.
"""

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from forum.accounts import services as accounts
from forum.badges.services import badge_counts
from forum.extensions import csrf, db
from forum.posts import services as posts
from forum.reputation import services
from forum.web import isotime, whole_number

bp = Blueprint("reputation", __name__)

MAX_PAGE = 99999
LEDGER_PER_PAGE = 50


@bp.before_request
def check_csrf_token():
    """Refuse a vote whose CSRF token is missing or wrong."""
    # The parent API blueprint is exempt from CSRF for its reads; votes are not.
    if request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def _user():
    """Return the current user object, or None for anonymous visitors."""
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/users/<int:user_id>")
def user(user_id: int):
    """Return a member's public figures."""
    member = accounts.get_user(user_id)
    return {
        "id": member.id,
        "display_name": member.display_name,
        "reputation": member.reputation,
        "badge_counts": badge_counts(member),
        "created_at": isotime(member.created_at),
        "url": url_for("profiles.profile", user_id=member.id, _external=True),
    }


@bp.route("/users/<int:user_id>/reputation")
def reputation(user_id: int):
    """Return a member's reputation ledger, newest first: ?page=."""
    member = accounts.get_user(user_id)
    page = whole_number(request.args.get("page", "1"), 0, high=MAX_PAGE)
    if not page:
        return {
            "error": {
                "code": "bad_page",
                "message": f"page must be a whole number from 1 to {MAX_PAGE}.",
            }
        }, 400
    pagination = db.paginate(
        services.ledger_for(member),
        page=page,
        per_page=LEDGER_PER_PAGE,
        error_out=False,
    )
    return {
        "items": [
            {
                "id": event.id,
                "amount": event.amount,
                "reason": event.reason,
                "post_id": event.post_id,
                "reverses_id": event.reverses_id,
                "created_at": isotime(event.created_at),
            }
            for event in pagination.items
        ],
        "reputation": member.reputation,
        "page": pagination.page,
        "per_page": LEDGER_PER_PAGE,
        "total": pagination.total,
        "pages": pagination.pages,
    }


def _direction() -> str:
    """Return the direction a vote request asks for, from JSON or a form."""
    data = request.get_json(silent=True)
    if isinstance(data, dict):
        return str(data.get("direction", ""))
    return request.form.get("direction", "")


@bp.route("/posts/<int:post_id>/vote", methods=["POST"])
def vote_post(post_id: int):
    """Vote a post up or down; the same direction again undoes: {"direction": "up"}."""
    post = posts.get_post(post_id, _user())
    result = services.cast_vote(_user(), post, _direction())
    return {"post_id": result.post_id, "score": result.score, "vote": result.vote}


@bp.route("/comments/<int:comment_id>/vote", methods=["POST"])
def vote_comment(comment_id: int):
    """Vote a comment up, or take the vote back."""
    comment = posts.get_comment(comment_id)
    posts.get_post(comment.post_id, _user())
    result = services.vote_comment(_user(), comment)
    return {
        "comment_id": result.comment_id,
        "score": result.score,
        "vote": 1 if result.voted else 0,
    }

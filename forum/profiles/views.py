"""Profile pages: a member and their questions and answers.

Profiles sit above accounts and posts: they read from both, and neither imports them.
"""

from flask import Blueprint, render_template, request
from flask_login import current_user

from forum.accounts import services as accounts
from forum.badges import services as badges
from forum.extensions import db
from forum.posts import services as posts
from forum.web import page_number

bp = Blueprint("profiles", __name__)

TABS = ("questions", "answers")


@bp.route("/users/<int:user_id>")
@bp.route("/users/<int:user_id>/<slug>")
def profile(user_id: int, slug: str | None = None):
    """Show a member's profile with their questions and answers."""
    user = accounts.get_user(user_id)
    tab = request.args.get("tab", "questions")
    if tab not in TABS:
        tab = "questions"
    stmt = posts.answers_by(user) if tab == "answers" else posts.questions_by(user)
    pagination = db.paginate(stmt, page=page_number(), per_page=20, error_out=False)
    # Streaks and the week are for the member's own eyes only.
    own = current_user.is_authenticated and current_user.id == user.id
    return render_template(
        "profiles/profile.html",
        user=user,
        activity=posts.activity_of(user),
        tab=tab,
        pagination=pagination,
        badges=badges.badges_of(user),
        progress=badges.progress_of(user) if own else None,
    )

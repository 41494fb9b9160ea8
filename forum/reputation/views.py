"""Voting without JavaScript, the member list, reputation history and privileges."""

from datetime import UTC

from flask import Blueprint, flash, redirect, render_template, request
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import SelectPagination

from forum.accounts import services as accounts
from forum.errors import DomainError, wants_json
from forum.extensions import db
from forum.posts import services as posts
from forum.posts.models import QUESTION
from forum.posts.views import question_url
from forum.reputation import models as m
from forum.reputation import services
from forum.reputation.config import amount, setting
from forum.reputation.privileges import MissingPrivilege
from forum.reputation.thresholds import privileges_table
from forum.web import page_number

bp = Blueprint("reputation", __name__)

MEMBERS_PER_PAGE = 36
DAYS_PER_PAGE = 20
SORT_LABELS = {"reputation": "Reputation", "new": "New members", "name": "Name"}
PERIOD_LABELS = {"week": "Week", "month": "Month", "year": "Year", "all": "All time"}
PERIOD_PHRASES = {
    "week": "this week",
    "month": "this month",
    "year": "this year",
    "all": "since the start",
}
# What each ledger reason means to the member reading their history.
REASON_LABELS = {
    m.QUESTION_UPVOTED: "Question voted up",
    m.ANSWER_UPVOTED: "Answer voted up",
    m.DOWNVOTED: "Post voted down",
    m.DOWNVOTE_CAST: "You voted an answer down",
    m.ANSWER_ACCEPTED: "Answer accepted",
    m.ACCEPTED_ANSWER: "You accepted an answer",
    m.EDIT_APPROVED: "Suggested edit approved",
    m.SPAM_DELETED: "Post deleted as spam or abusive",
    m.BONUS: "Bonus",
    m.VOTE_UNDONE: "Vote undone",
    m.VOTE_CHANGED: "Vote changed",
    m.ACCEPTANCE_REMOVED: "Acceptance removed",
    m.ACCEPTANCE_MOVED: "Acceptance moved to another answer",
    m.POST_DELETED: "Post deleted",
    m.POST_UNDELETED: "Post undeleted",
    m.SERIAL_VOTING_REVERSED: "Serial voting reversed",
    m.AUDIT_CORRECTION: "Correction by the reputation audit",
}


class RowPagination(SelectPagination):
    """A page of result rows (several columns), not of single objects."""

    def _query_items(self) -> list:
        """Return the rows of the current page."""
        stmt = (
            self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        )
        return list(self._query_args["session"].execute(stmt).all())


def paginate_rows(stmt, per_page: int) -> RowPagination:
    """Paginate a statement that selects several columns."""
    return RowPagination(
        select=stmt,
        session=db.session(),
        page=page_number(),
        per_page=per_page,
        error_out=False,
    )


def _user():
    """Return the current user object, or None for anonymous visitors."""
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.app_errorhandler(MissingPrivilege)
def missing_privilege(error: MissingPrivilege):
    """Explain a missing privilege: in JSON with its threshold, or on a page."""
    if wants_json():
        body = {"code": error.code, "message": error.message, **error.details()}
        return {"error": body}, error.status
    return render_template(
        "reputation/missing_privilege.html", error=error
    ), error.status


# ---- voting without JavaScript ----


def _post_anchor(post) -> str:
    """Return the URL of a post's place on its question page."""
    if post.type == QUESTION:
        return question_url(post, anchor=f"question-{post.id}")
    question = posts.get_post(post.parent_id, _user())
    return question_url(question, anchor=f"answer-{post.id}")


@bp.route("/posts/<int:post_id>/vote", methods=["POST"])
@login_required
def vote(post_id: int):
    """Vote a post up or down, or undo the vote, then go back to the post."""
    post = posts.get_post(post_id, _user())
    direction = request.form.get("direction", "")
    try:
        result = services.cast_vote(_user(), post, direction)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        if result.vote:
            word = "up" if result.vote > 0 else "down"
            flash(
                f"You voted this {post.type} {word}. Score: {result.score}.", "success"
            )
        else:
            flash(f"Your vote is taken back. Score: {result.score}.", "info")
    return redirect(_post_anchor(post))


@bp.route("/comments/<int:comment_id>/vote", methods=["POST"])
@login_required
def vote_comment(comment_id: int):
    """Vote a comment up, or take the vote back, then go back to the comment."""
    comment = posts.get_comment(comment_id)
    post = posts.get_post(comment.post_id, _user())
    try:
        result = services.vote_comment(_user(), comment)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        verb = "voted this comment up" if result.voted else "took your vote back"
        flash(f"You {verb}.", "success" if result.voted else "info")
    question = post if post.type == QUESTION else posts.get_post(post.parent_id)
    return redirect(question_url(question, anchor=f"comment-{comment.id}"))


# ---- members and reputation ----


@bp.route("/users")
def users():
    """List members by reputation, newest or name, or a leaderboard of a period."""
    sort = request.args.get("sort", "reputation")
    sort = sort if sort in services.MEMBER_SORTS else "reputation"
    name = request.args.get("q", "")[:40]
    tag = request.args.get("tag", "").strip().lower()[: posts.TAG_MAX + 1]
    period = request.args.get("period", "")
    if tag and period not in services.PERIODS:
        period = "all"
    tag_problem = ""
    if tag:
        try:
            posts.get_tag(tag)
        except DomainError as error:
            tag_problem = error.message
    if period in services.PERIODS:
        stmt = services.leaderboard(period, tag or None)
        pagination = paginate_rows(stmt, MEMBERS_PER_PAGE)
        rows = [(user, gained) for user, gained in pagination.items]
    else:
        period = ""
        pagination = db.paginate(
            services.members(sort, name),
            page=page_number(),
            per_page=MEMBERS_PER_PAGE,
            error_out=False,
        )
        rows = [(user, None) for user in pagination.items]
    return render_template(
        "reputation/users.html",
        pagination=pagination,
        rows=rows,
        sort=sort,
        sorts=SORT_LABELS,
        period=period,
        periods=PERIOD_LABELS,
        phrases=PERIOD_PHRASES,
        tag=tag,
        tag_problem=tag_problem,
        name=name,
    )


@bp.route("/users/<int:user_id>/reputation")
def history(user_id: int):
    """Show a member's reputation history, grouped by UTC day."""
    user = accounts.get_user(user_id)
    pagination = paginate_rows(services.reputation_by_day(user), DAYS_PER_PAGE)
    days = [(day, change, []) for day, change in pagination.items]
    if days:
        by_day = {day: rows for day, _, rows in days}
        stmt = services.ledger_for(user, (days[-1][0], days[0][0]))
        for event in db.session.scalars(stmt).unique():
            by_day[event.created_at.astimezone(UTC).date()].append(event)
    return render_template(
        "reputation/history.html",
        user=user,
        pagination=pagination,
        days=days,
        reasons=REASON_LABELS,
        capped_reasons=m.CAPPED_REASONS,
        daily_cap=setting("REPUTATION_DAILY_CAP"),
    )


@bp.route("/help/privileges")
def privileges():
    """List the privileges, what each allows, and how far the member is from it."""
    earning = [
        ("Your question is voted up", amount(m.QUESTION_UPVOTED)),
        ("Your answer is voted up", amount(m.ANSWER_UPVOTED)),
        ("Your answer is accepted", amount(m.ANSWER_ACCEPTED)),
        ("You accept an answer to your question", amount(m.ACCEPTED_ANSWER)),
        ("Your suggested edit is approved", amount(m.EDIT_APPROVED)),
        ("Your question or answer is voted down", amount(m.DOWNVOTED)),
        ("You vote an answer down", amount(m.DOWNVOTE_CAST)),
        ("Your post is deleted as spam or abusive", amount(m.SPAM_DELETED)),
    ]
    return render_template(
        "help/privileges.html",
        table=privileges_table(),
        earning=earning,
        daily_cap=setting("REPUTATION_DAILY_CAP"),
        floor=setting("REPUTATION_FLOOR"),
        profile=setting("PRIVILEGE_PROFILE"),
    )

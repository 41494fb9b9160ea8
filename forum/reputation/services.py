"""Vote and reputation rules: votes, the ledger, its audit and serial voting.

The ledger
----------
Reputation is an append-only ledger (``ReputationEvent``); ``User.reputation`` is
``STARTING_REPUTATION`` (1, where every member starts, with no row for it) plus the
sum of the member's rows. Each row stores the amount actually applied, after two
limits:

- the daily cap: gains from up votes and approved edits (and the reversals of
  such gains) are summed per member and UTC day of the row; a new gain applies
  only what still fits under ``REPUTATION_DAILY_CAP``, possibly 0. Reversals lower
  the day's sum, so a vote undone today makes room for one cast today.
- the floor: a loss never takes a member below ``REPUTATION_FLOOR`` (1): it applies
  only ``max(amount, min(0, floor - reputation))``. A new member (at 1) loses
  nothing. A loss absorbed by the floor is not charged later.

So ``reputation == STARTING_REPUTATION + SUM(amount)`` always holds, and no loss
takes anybody below the floor. Undoing a vote, moving or removing an acceptance,
deleting or undeleting a post never edits a row: new rows take back
(``reverses_id``) or re-apply earlier ones.

Which vote and acceptance rows should be in effect follows from the state of
votes, acceptances and deletions (an answer counts as deleted while its question
is). ``_sync`` compares the rows in effect with that state and writes the rows
that close the gap; every write path and the audit use it, so they cannot drift
apart, and calling it twice changes nothing.

Transactions: ``cast_vote``, ``vote_comment``, ``import_votes``,
``audit_reputation`` and ``reverse_serial_voting`` are public services and commit.
The ``record_*``, ``reverse_post_events`` and ``restore_post_events`` helpers are
for the posts and moderation services to call inside their own transaction, after
changing the post; they never commit.

Locks: a write locks the post row first, then the member rows it touches in id
order (``SELECT ... FOR UPDATE`` on PostgreSQL), so concurrent votes serialise per
post and the cap and floor read a member's figures that cannot change under them.
"""

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from sqlalchemy import (
    Date,
    Select,
    exists,
    func,
    insert,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.functions import FunctionElement

from forum.accounts.models import STARTING_REPUTATION, User
from forum.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationError,
)
from forum.extensions import db, utcnow
from forum.posts.models import ANSWER, QUESTION, Comment, Post, Tag, post_tags
from forum.reputation import models as m
from forum.reputation.config import amount, setting
from forum.reputation.models import CommentVote, ReputationEvent, Vote
from forum.reputation.privileges import MissingPrivilege, can

DIRECTIONS = {"up": 1, "down": -1}
ATTEMPTS = 5
PERIODS = ("week", "month", "year", "all")


# ---- time ----


def _day_start(now: datetime) -> datetime:
    """Return the start of the UTC day that contains now."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _seconds_to_midnight(now: datetime) -> int:
    """Return how many seconds remain until the next UTC day."""
    return max(1, int((_day_start(now) + timedelta(days=1) - now).total_seconds()))


class utc_date(FunctionElement):
    """The UTC calendar date of a timestamp column, on SQLite and PostgreSQL."""

    type = Date()
    name = "utc_date"
    inherit_cache = True


@compiles(utc_date)
def _utc_date_default(element, compiler, **kw):
    """Take the date of a naive UTC timestamp (SQLite stores them so)."""
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_date, "postgresql")
def _utc_date_postgresql(element, compiler, **kw):
    """Take the date in UTC, whatever the session's time zone."""
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


# ---- cached figures, changed with SQL expressions so concurrent writes add up ----


def _in_session(model, pk):
    """Return the instance already loaded in the session, without a query."""
    return db.session.identity_map.get(identity_key(model, pk))


def _bump(model, column: str, pk: int, delta: int) -> int:
    """Add delta to a cached counter in the database and return the new value."""
    attribute = getattr(model, column)
    value = db.session.execute(
        update(model)
        .where(model.id == pk)
        .values({column: attribute + delta})
        .returning(attribute)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if (instance := _in_session(model, pk)) is not None:
        set_committed_value(instance, column, value)
    return value


def _lock_users(ids) -> None:
    """Lock member rows in id order so two writers never wait on each other."""
    ids = sorted(set(ids))
    if ids:
        db.session.execute(
            select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update()
        ).all()


def _lock_post(post_id: int) -> Post | None:
    """Lock a post row and return it freshly loaded."""
    return db.session.scalars(
        select(Post)
        .where(Post.id == post_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def _is_gone(post: Post) -> bool:
    """Tell whether a post is deleted or is an answer to a deleted question."""
    if post.is_deleted:
        return True
    if post.type != ANSWER:
        return False
    # Read the question's state afresh: a loaded copy may predate its deletion.
    parent_deleted_at = db.session.scalar(
        select(Post.deleted_at).where(Post.id == post.parent_id)
    )
    return parent_deleted_at is not None


# ---- the ledger ----


def _apply(
    user_id: int,
    wanted: int,
    reason: str,
    now: datetime,
    *,
    post_id: int | None = None,
    actor_id: int | None = None,
    capped: bool = False,
    reverses_id: int | None = None,
) -> ReputationEvent:
    """Add a ledger row for what fits under the daily cap and above the floor."""
    used = current = 0
    if capped and wanted > 0:
        start = _day_start(now)
        used = db.session.scalar(
            select(func.coalesce(func.sum(ReputationEvent.amount), 0)).where(
                ReputationEvent.user_id == user_id,
                ReputationEvent.capped.is_(True),
                ReputationEvent.created_at >= start,
                ReputationEvent.created_at < start + timedelta(days=1),
            )
        )
    if wanted < 0:
        current = db.session.scalar(select(User.reputation).where(User.id == user_id))
    applied = _applicable(wanted, capped=capped, used_today=used, current=current)
    event = ReputationEvent(
        user_id=user_id,
        amount=applied,
        reason=reason,
        post_id=post_id,
        actor_id=actor_id,
        capped=capped,
        reverses_id=reverses_id,
        created_at=now,
    )
    db.session.add(event)
    if applied:
        _bump(User, "reputation", user_id, applied)
    return event


def _applicable(wanted: int, *, capped: bool, used_today: int, current: int) -> int:
    """Return how much of a change fits under the daily cap and above the floor."""
    applied = wanted
    if capped and applied > 0:
        applied = max(0, min(applied, setting("REPUTATION_DAILY_CAP") - used_today))
    if applied < 0:
        applied = max(applied, min(0, setting("REPUTATION_FLOOR") - current))
    return applied


def _reverse(event: ReputationEvent, reason: str, now: datetime) -> ReputationEvent:
    """Add a row that takes back an earlier one."""
    return _apply(
        event.user_id,
        -event.amount,
        reason,
        now,
        post_id=event.post_id,
        actor_id=event.actor_id,
        capped=event.capped,
        reverses_id=event.id,
    )


@dataclass(frozen=True)
class _Key:
    """What identifies a ledger row that the votes and acceptances call for."""

    post_id: int | None
    reason: str
    user_id: int
    actor_id: int | None


@dataclass(frozen=True)
class _Scope:
    """Which ledger rows a sync looks at: some posts, one actor, some reasons."""

    reasons: tuple[str, ...]
    post_ids: tuple[int, ...] | None = None
    actor_id: int | None = None


@dataclass(frozen=True)
class LedgerChange:
    """A row added or taken back to bring the ledger in line with the state."""

    action: str  # "add" or "reverse"
    user_id: int
    reason: str
    post_id: int | None
    actor_id: int | None

    def __str__(self) -> str:
        verb = "missing" if self.action == "add" else "stale"
        return (
            f"{verb} ledger row: user {self.user_id} “{self.reason}” "
            f"on post {self.post_id} by user {self.actor_id}"
        )


def _sort_key(key: _Key) -> tuple:
    """Order keys so that rows are always written in the same order."""
    return (key.post_id or 0, key.reason, key.user_id, key.actor_id or 0)


def _vote_keys(user_id: int, value: int, post_id: int, post_type: str, author: int):
    """Return the ledger keys one vote calls for."""
    if value > 0:
        reason = m.QUESTION_UPVOTED if post_type == QUESTION else m.ANSWER_UPVOTED
        return [_Key(post_id, reason, author, user_id)]
    keys = [_Key(post_id, m.DOWNVOTED, author, user_id)]
    if post_type == ANSWER:
        keys.append(_Key(post_id, m.DOWNVOTE_CAST, user_id, user_id))
    return keys


def _expected(scope: _Scope) -> Counter:
    """Return the ledger keys the current votes and acceptances call for."""
    keys: Counter = Counter()
    question = aliased(Post)
    if set(scope.reasons) & set(m.VOTE_REASONS):
        stmt = (
            select(Vote.user_id, Vote.value, Post.id, Post.type, Post.author_id)
            .join(Post, Post.id == Vote.post_id)
            .outerjoin(question, question.id == Post.parent_id)
            .where(Post.deleted_at.is_(None), question.deleted_at.is_(None))
        )
        if scope.post_ids is not None:
            stmt = stmt.where(Post.id.in_(scope.post_ids))
        if scope.actor_id is not None:
            stmt = stmt.where(Vote.user_id == scope.actor_id)
        for row in db.session.execute(stmt):
            keys.update(_vote_keys(*row))
    if set(scope.reasons) & set(m.ACCEPT_REASONS):
        answer = aliased(Post)
        stmt = (
            select(question.author_id, answer.id, answer.author_id)
            .join(answer, answer.id == question.accepted_answer_id)
            .where(
                question.deleted_at.is_(None),
                answer.deleted_at.is_(None),
                answer.author_id != question.author_id,
            )
        )
        if scope.post_ids is not None:
            stmt = stmt.where(answer.id.in_(scope.post_ids))
        if scope.actor_id is not None:
            stmt = stmt.where(question.author_id == scope.actor_id)
        for asker, answer_id, answerer in db.session.execute(stmt):
            keys[_Key(answer_id, m.ANSWER_ACCEPTED, answerer, asker)] += 1
            keys[_Key(answer_id, m.ACCEPTED_ANSWER, asker, asker)] += 1
    return Counter({key: n for key, n in keys.items() if key.reason in scope.reasons})


def _open_events(scope: _Scope) -> list[ReputationEvent]:
    """Return the rows in scope that are in effect: not reversals, not taken back."""
    reversal = aliased(ReputationEvent)
    stmt = select(ReputationEvent).where(
        ReputationEvent.reverses_id.is_(None),
        ReputationEvent.reason.in_(scope.reasons),
        ~exists().where(reversal.reverses_id == ReputationEvent.id),
    )
    if scope.post_ids is not None:
        stmt = stmt.where(ReputationEvent.post_id.in_(scope.post_ids))
    if scope.actor_id is not None:
        stmt = stmt.where(ReputationEvent.actor_id == scope.actor_id)
    return list(db.session.scalars(stmt.order_by(ReputationEvent.id)))


def _gone_post_ids(post_ids) -> set[int]:
    """Return which of the posts are deleted or answers to deleted questions."""
    question = aliased(Post)
    return set(
        db.session.scalars(
            select(Post.id)
            .outerjoin(question, question.id == Post.parent_id)
            .where(
                Post.id.in_(set(post_ids)),
                Post.deleted_at.is_not(None) | question.deleted_at.is_not(None),
            )
        )
    )


def _sync(
    scope: _Scope, now: datetime, reversal_reason: str, *, fix: bool = True
) -> list[LedgerChange]:
    """Write the rows that make the ledger match the state; return what differed."""
    expected = _expected(scope)
    rows = _open_events(scope)
    # A spam penalty stays while its post stays deleted, and goes when it returns.
    spam = [row for row in rows if row.reason == m.SPAM_DELETED]
    gone = _gone_post_ids(row.post_id for row in spam if row.post_id is not None)
    for row in spam:
        if row.post_id in gone:
            expected[_Key(row.post_id, row.reason, row.user_id, row.actor_id)] += 1
    in_effect = defaultdict(list)
    for row in rows:
        in_effect[_Key(row.post_id, row.reason, row.user_id, row.actor_id)].append(row)
    stale = []
    for key, keyed_rows in in_effect.items():
        surplus = len(keyed_rows) - expected.get(key, 0)
        if surplus > 0:
            stale.extend(keyed_rows[-surplus:])
    missing = []
    for key in sorted(expected, key=_sort_key):
        missing.extend([key] * (expected[key] - len(in_effect.get(key, []))))
    changes = [
        LedgerChange("reverse", r.user_id, r.reason, r.post_id, r.actor_id)
        for r in stale
    ]
    changes += [
        LedgerChange("add", k.user_id, k.reason, k.post_id, k.actor_id) for k in missing
    ]
    if fix and changes:
        _lock_users([change.user_id for change in changes])
        # Gains before losses, so the floor only absorbs what is a net loss.
        writes = [
            (-row.amount, partial(_reverse, row, reversal_reason, now)) for row in stale
        ]
        writes += [
            (
                amount(key.reason),
                partial(
                    _apply,
                    key.user_id,
                    amount(key.reason),
                    key.reason,
                    now,
                    post_id=key.post_id,
                    actor_id=key.actor_id,
                    capped=key.reason in m.CAPPED_REASONS,
                ),
            )
            for key in missing
        ]
        for _, write in sorted(writes, key=lambda write: write[0] < 0):
            write()
    return changes


def _thread_ids(post: Post) -> tuple[int, ...]:
    """Return the post's id and, for a question, the ids of all its answers."""
    if post.type != QUESTION:
        return (post.id,)
    answers = db.session.scalars(select(Post.id).where(Post.parent_id == post.id))
    return (post.id, *answers)


def _retrying(work):
    """Run work and commit, retrying when concurrent writers collide."""
    for attempt in range(ATTEMPTS):
        try:
            result = work()
            db.session.commit()
            return result
        except DomainError:
            # Release the row locks taken before the refusal.
            db.session.rollback()
            raise
        except (IntegrityError, OperationalError) as error:
            # A unique vote inserted by a concurrent click, a deadlock, a busy file.
            db.session.rollback()
            if attempt == ATTEMPTS - 1:
                raise Conflict(
                    "Many people are voting on this at once and your vote was not "
                    "counted. Please try again."
                ) from error
            time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))


# ---- helpers for the posts and moderation services (no commit) ----


def record_acceptance(question: Post, now: datetime) -> None:
    """Credit the question's newly accepted answer, taking back an earlier one's."""
    _sync_acceptance(question, now, m.ACCEPTANCE_MOVED)


def record_unacceptance(question: Post, now: datetime) -> None:
    """Take back the credit of an acceptance the question no longer has."""
    _sync_acceptance(question, now, m.ACCEPTANCE_REMOVED)


def _sync_acceptance(question: Post, now: datetime, reason: str) -> None:
    """Bring the acceptance rows of a question's answers in line with it."""
    db.session.flush()
    _lock_post(question.id)
    answer_ids = tuple(
        db.session.scalars(select(Post.id).where(Post.parent_id == question.id))
    )
    _sync(_Scope(m.ACCEPT_REASONS, post_ids=answer_ids), now, reason)


def reverse_post_events(post: Post, now: datetime) -> None:
    """Take back what a just-deleted post earned (for a question, its answers too)."""
    db.session.flush()
    _lock_post(post.id)
    _sync(_Scope(m.DERIVED_REASONS, post_ids=_thread_ids(post)), now, m.POST_DELETED)


def restore_post_events(post: Post, now: datetime) -> None:
    """Re-apply what a just-undeleted post earns and lift a spam penalty."""
    db.session.flush()
    _lock_post(post.id)
    _sync(_Scope(m.DERIVED_REASONS, post_ids=_thread_ids(post)), now, m.POST_UNDELETED)


def record_spam_deletion(post: Post, moderator: User, now: datetime) -> None:
    """Charge the author of a post just deleted as spam or abusive, once."""
    db.session.flush()
    _lock_post(post.id)
    scope = _Scope((m.SPAM_DELETED,), post_ids=(post.id,))
    if not _open_events(scope):
        _lock_users([post.author_id])
        _apply(
            post.author_id,
            amount(m.SPAM_DELETED),
            m.SPAM_DELETED,
            now,
            post_id=post.id,
            actor_id=moderator.id,
        )


def record_edit_approved(editor: User, post: Post, reviewer: User, now) -> None:
    """Credit a member whose suggested edit was approved, within the daily cap."""
    _lock_users([editor.id])
    _apply(
        editor.id,
        amount(m.EDIT_APPROVED),
        m.EDIT_APPROVED,
        now,
        post_id=post.id,
        actor_id=reviewer.id,
        capped=True,
    )


def record_bonus(user: User, points: int, now: datetime, reason: str = m.BONUS):
    """Add reputation outside votes (an association bonus, a demo or test seed)."""
    _lock_users([user.id])
    return _apply(user.id, points, reason, now)


# ---- votes ----


@dataclass(frozen=True)
class VoteResult:
    """A post's score after a vote, and the voter's vote now (1, -1 or 0)."""

    post_id: int
    score: int
    vote: int


def cast_vote(user: User, post: Post, direction: str, *, now=None) -> VoteResult:
    """Vote a post up or down; the same arrow again undoes, the other switches."""
    if direction not in DIRECTIONS:
        raise ValidationError("Choose to vote up or down.")
    value = DIRECTIONS[direction]
    if user is None or not getattr(user, "is_authenticated", False):
        raise MissingPrivilege(None, "vote_up" if value > 0 else "vote_down")
    now = now or utcnow()
    user_id, post_id = user.id, post.id
    return _retrying(lambda: _cast_vote(user_id, post_id, value, now))


def _cast_vote(voter_id: int, post_id: int, value: int, now: datetime) -> VoteResult:
    """Apply one click on a vote arrow, without committing."""
    post = _lock_post(post_id)
    if post is None:
        raise NotFound("That post does not exist.")
    if post.author_id == voter_id:
        raise PermissionDenied("You can't vote on your own post.")
    if _is_gone(post):
        raise Conflict("This post was deleted; deleted posts can't be voted on.")
    _lock_users([voter_id, post.author_id])
    voter = db.session.get(User, voter_id, populate_existing=True)
    vote = db.session.scalars(
        select(Vote)
        .where(Vote.user_id == voter_id, Vote.post_id == post_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    old = vote.value if vote is not None else 0
    new = 0 if old == value else value
    if new:
        privilege = "vote_up" if new > 0 else "vote_down"
        if not can(voter, privilege):
            raise MissingPrivilege(voter, privilege)
    if vote is not None:
        _check_vote_unlocked(vote, post, now)
    if new:
        _check_daily_votes(voter_id, post_id, now)
    if vote is None:
        db.session.add(
            Vote(
                user_id=voter_id,
                post_id=post_id,
                value=new,
                created_at=now,
                updated_at=now,
            )
        )
    elif new == 0:
        db.session.delete(vote)
    else:
        vote.value = new
        vote.updated_at = now
    db.session.flush()
    score = _bump(Post, "score", post_id, new - old)
    reason = m.VOTE_UNDONE if new == 0 else m.VOTE_CHANGED
    _sync(_Scope(m.VOTE_REASONS, post_ids=(post_id,), actor_id=voter_id), now, reason)
    return VoteResult(post_id, score, new)


def _check_vote_unlocked(vote: Vote, post: Post, now: datetime) -> None:
    """Refuse to change a vote cast too long ago, unless the post changed since."""
    minutes = setting("VOTE_LOCK_MINUTES")
    if now - vote.updated_at <= timedelta(minutes=minutes):
        return
    if post.last_edited_at is not None and post.last_edited_at > vote.updated_at:
        return
    raise Conflict(
        f"You voted on this more than {minutes} minutes ago, so your vote is locked "
        "in. You can change it if the post is edited."
    )


def _check_daily_votes(voter_id: int, post_id: int, now: datetime) -> None:
    """Refuse a vote beyond the daily limit; a switched vote counts once."""
    limit = setting("VOTES_PER_DAY")
    start = _day_start(now)
    cast_today = db.session.scalar(
        select(func.count())
        .select_from(Vote)
        .where(
            Vote.user_id == voter_id,
            Vote.post_id != post_id,
            Vote.updated_at >= start,
            Vote.updated_at < start + timedelta(days=1),
        )
    )
    if cast_today >= limit:
        raise RateLimited(
            f"You have used all {limit} votes for today. "
            "You can vote again after midnight UTC.",
            retry_after=_seconds_to_midnight(now),
        )


@dataclass(frozen=True)
class CommentVoteResult:
    """A comment's score after a vote, and whether the voter's up vote stands."""

    comment_id: int
    score: int
    voted: bool


def vote_comment(user: User, comment: Comment, *, now=None) -> CommentVoteResult:
    """Up-vote a comment, or take the up vote back; it carries no reputation."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise MissingPrivilege(None, "vote_up")
    now = now or utcnow()
    user_id, comment_id = user.id, comment.id
    return _retrying(lambda: _vote_comment(user_id, comment_id, now))


def _vote_comment(voter_id: int, comment_id: int, now: datetime) -> CommentVoteResult:
    """Toggle one member's up vote on a comment, without committing."""
    comment = db.session.scalars(
        select(Comment)
        .where(Comment.id == comment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if comment is None or comment.deleted_at is not None:
        raise NotFound("That comment does not exist.")
    if comment.author_id == voter_id:
        raise PermissionDenied("You can't vote on your own comment.")
    if _is_gone(db.session.get(Post, comment.post_id)):
        raise Conflict("This post was deleted; its comments can't be voted on.")
    vote = db.session.scalars(
        select(CommentVote).where(
            CommentVote.user_id == voter_id, CommentVote.comment_id == comment_id
        )
    ).one_or_none()
    if vote is not None:
        db.session.delete(vote)
        db.session.flush()
        return CommentVoteResult(
            comment_id, _bump(Comment, "score", comment_id, -1), False
        )
    voter = db.session.get(User, voter_id, populate_existing=True)
    if not can(voter, "vote_up"):
        raise MissingPrivilege(voter, "vote_up")
    limit = setting("COMMENT_VOTES_PER_DAY")
    start = _day_start(now)
    today = db.session.scalar(
        select(func.count())
        .select_from(CommentVote)
        .where(CommentVote.user_id == voter_id, CommentVote.created_at >= start)
    )
    if today >= limit:
        raise RateLimited(
            f"You have used all {limit} comment votes for today. "
            "You can vote again after midnight UTC.",
            retry_after=_seconds_to_midnight(now),
        )
    db.session.add(CommentVote(user_id=voter_id, comment_id=comment_id, created_at=now))
    db.session.flush()
    return CommentVoteResult(comment_id, _bump(Comment, "score", comment_id, 1), True)


# ---- importing votes in bulk ----


@dataclass(frozen=True)
class PastVote:
    """A vote to import: who cast it on which post, which way, and when."""

    voter_id: int
    post_id: int
    value: int
    created_at: datetime


def _chunks(items: list, size: int = 500):
    """Yield slices of a list small enough for one IN clause."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_votes(votes) -> int:
    """Load many past votes at once with their scores and ledger rows; return how many.

    For seeding and data imports, not for members clicking: it writes, in bulk,
    the votes, scores and ledger rows that casting each vote in time order would
    write, with the daily cap counted on each vote's UTC day and the floor. It
    refuses self votes, votes on deleted posts and a second vote by a member on a
    post; it does not check privileges or the daily vote limit, which belong to
    the moment a member votes. Run it while nobody else votes.
    """
    votes = sorted(votes, key=lambda v: (v.created_at, v.voter_id, v.post_id))
    if not votes:
        return 0
    question = aliased(Post)
    posts = {}
    for ids in _chunks(sorted({v.post_id for v in votes})):
        for row in db.session.execute(
            select(
                Post.id,
                Post.type,
                Post.author_id,
                Post.score,
                (Post.deleted_at.is_not(None) | question.deleted_at.is_not(None)).label(
                    "gone"
                ),
            )
            .outerjoin(question, question.id == Post.parent_id)
            .where(Post.id.in_(ids))
        ):
            posts[row.id] = row
    members = sorted(
        {v.voter_id for v in votes} | {p.author_id for p in posts.values()}
    )
    reputation: dict[int, int] = {}
    used: Counter = Counter()
    first_day = _day_start(votes[0].created_at)
    last_day = _day_start(votes[-1].created_at) + timedelta(days=1)
    for ids in _chunks(members):
        reputation.update(
            db.session.execute(
                select(User.id, User.reputation).where(User.id.in_(ids))
            ).all()
        )
        day = utc_date(ReputationEvent.created_at)
        for user_id, when, total in db.session.execute(
            select(ReputationEvent.user_id, day, func.sum(ReputationEvent.amount))
            .where(
                ReputationEvent.user_id.in_(ids),
                ReputationEvent.capped.is_(True),
                ReputationEvent.created_at >= first_day,
                ReputationEvent.created_at < last_day,
            )
            .group_by(ReputationEvent.user_id, day)
        ):
            used[(user_id, _as_date(when))] = total
    vote_rows, event_rows, seen = [], [], set()
    scores: Counter = Counter()
    for vote in votes:
        post = posts.get(vote.post_id)
        if post is None or vote.voter_id not in reputation:
            raise NotFound(f"Vote on post {vote.post_id}: no such post or member.")
        if post.gone:
            raise Conflict(f"Post {post.id} is deleted; deleted posts take no votes.")
        if post.author_id == vote.voter_id:
            raise PermissionDenied(
                f"Member {vote.voter_id} can't vote on post {post.id}."
            )
        if vote.value not in (1, -1) or (vote.voter_id, post.id) in seen:
            raise ValidationError(f"Vote by {vote.voter_id} on {post.id} is invalid.")
        seen.add((vote.voter_id, post.id))
        for key in _vote_keys(
            vote.voter_id, vote.value, post.id, post.type, post.author_id
        ):
            capped = key.reason in m.CAPPED_REASONS
            day = (key.user_id, vote.created_at.astimezone(UTC).date())
            applied = _applicable(
                amount(key.reason),
                capped=capped,
                used_today=used[day],
                current=reputation[key.user_id],
            )
            if capped:
                used[day] += applied
            reputation[key.user_id] += applied
            event_rows.append(
                {
                    "user_id": key.user_id,
                    "amount": applied,
                    "reason": key.reason,
                    "post_id": post.id,
                    "actor_id": key.actor_id,
                    "capped": capped,
                    "created_at": vote.created_at,
                }
            )
        vote_rows.append(
            {
                "user_id": vote.voter_id,
                "post_id": post.id,
                "value": vote.value,
                "created_at": vote.created_at,
                "updated_at": vote.created_at,
            }
        )
        scores[post.id] += vote.value
    try:
        db.session.execute(insert(Vote), vote_rows)
        db.session.execute(insert(ReputationEvent), event_rows)
        db.session.execute(
            update(Post),
            [
                {"id": pid, "score": posts[pid].score + delta}
                for pid, delta in scores.items()
            ],
        )
        db.session.execute(
            update(User),
            [{"id": uid, "reputation": value} for uid, value in reputation.items()],
        )
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("Some of these votes were already cast.") from error
    return len(vote_rows)


def _as_date(value) -> date:
    """Return a date column's value as a date (SQLite returns a string)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class PastCommentVote:
    """A comment up vote to import: who cast it on which comment, and when."""

    voter_id: int
    comment_id: int
    created_at: datetime


def import_comment_votes(votes) -> int:
    """Load many past comment up votes at once with the comments' scores.

    The comment counterpart of ``import_votes``, for seeding and imports: it
    refuses votes on your own or deleted comments and second votes, and checks
    no privilege or daily limit. Return how many votes it loaded.
    """
    votes = sorted(votes, key=lambda v: (v.created_at, v.voter_id, v.comment_id))
    if not votes:
        return 0
    comments = {}
    for ids in _chunks(sorted({v.comment_id for v in votes})):
        comments.update(
            (row.id, row)
            for row in db.session.execute(
                select(
                    Comment.id, Comment.author_id, Comment.score, Comment.deleted_at
                ).where(Comment.id.in_(ids))
            )
        )
    rows, seen = [], set()
    scores: Counter = Counter()
    for vote in votes:
        comment = comments.get(vote.comment_id)
        if comment is None or comment.deleted_at is not None:
            raise NotFound(f"Vote on comment {vote.comment_id}: no such comment.")
        if comment.author_id == vote.voter_id or (vote.voter_id, comment.id) in seen:
            raise ValidationError(
                f"Vote by {vote.voter_id} on {comment.id} is invalid."
            )
        seen.add((vote.voter_id, comment.id))
        rows.append(
            {
                "user_id": vote.voter_id,
                "comment_id": comment.id,
                "created_at": vote.created_at,
            }
        )
        scores[comment.id] += 1
    try:
        db.session.execute(insert(CommentVote), rows)
        db.session.execute(
            update(Comment),
            [
                {"id": cid, "score": comments[cid].score + n}
                for cid, n in scores.items()
            ],
        )
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("Some of these comment votes were already cast.") from error
    return len(rows)


# ---- the audit ----


@dataclass(frozen=True)
class Mismatch:
    """A cached figure or ledger row that differs from the recomputation."""

    kind: str
    subject: str
    cached: int | None = None
    recomputed: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        if self.detail:
            return self.detail
        return (
            f"{self.subject}: {self.kind} is {self.cached}, "
            f"recomputed {self.recomputed}"
        )


def audit_reputation(*, fix: bool = False, now=None) -> list[Mismatch]:
    """Recompute ledger rows, reputations and scores; repair mismatches with fix."""
    now = now or utcnow()
    found = [
        Mismatch("ledger", f"user {change.user_id}", detail=str(change))
        for change in _sync(_Scope(m.DERIVED_REASONS), now, m.AUDIT_CORRECTION, fix=fix)
    ]
    db.session.flush()
    totals = (
        select(
            ReputationEvent.user_id,
            func.sum(ReputationEvent.amount).label("total"),
        )
        .group_by(ReputationEvent.user_id)
        .subquery()
    )
    recomputed = STARTING_REPUTATION + func.coalesce(totals.c.total, 0)
    for user_id, cached, total in db.session.execute(
        select(User.id, User.reputation, recomputed)
        .outerjoin(totals, totals.c.user_id == User.id)
        .where(User.reputation != recomputed)
        .order_by(User.id)
    ):
        found.append(Mismatch("reputation", f"user {user_id}", cached, total))
        if fix:
            _set(User, "reputation", user_id, total)
    sums = (
        select(Vote.post_id, func.sum(Vote.value).label("total"))
        .group_by(Vote.post_id)
        .subquery()
    )
    for post_id, cached, total in db.session.execute(
        select(Post.id, Post.score, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.post_id == Post.id)
        .where(Post.score != func.coalesce(sums.c.total, 0))
        .order_by(Post.id)
    ):
        found.append(Mismatch("score", f"post {post_id}", cached, total))
        if fix:
            _set(Post, "score", post_id, total)
    counts = (
        select(CommentVote.comment_id, func.count().label("total"))
        .group_by(CommentVote.comment_id)
        .subquery()
    )
    for comment_id, cached, total in db.session.execute(
        select(Comment.id, Comment.score, func.coalesce(counts.c.total, 0))
        .outerjoin(counts, counts.c.comment_id == Comment.id)
        .where(Comment.score != func.coalesce(counts.c.total, 0))
        .order_by(Comment.id)
    ):
        found.append(Mismatch("score", f"comment {comment_id}", cached, total))
        if fix:
            _set(Comment, "score", comment_id, total)
    if fix:
        db.session.commit()
    return found


def _set(model, column: str, pk: int, value: int) -> None:
    """Overwrite a cached figure with its recomputed value."""
    db.session.execute(
        update(model)
        .where(model.id == pk)
        .values({column: value})
        .execution_options(synchronize_session=False)
    )
    if (instance := _in_session(model, pk)) is not None:
        set_committed_value(instance, column, value)


def days_over_cap() -> list[tuple[int, date, int]]:
    """Return (user id, UTC day, capped total) wherever a day went over the cap."""
    day = utc_date(ReputationEvent.created_at)
    total = func.sum(ReputationEvent.amount)
    return [
        tuple(row)
        for row in db.session.execute(
            select(ReputationEvent.user_id, day, total)
            .where(ReputationEvent.capped.is_(True))
            .group_by(ReputationEvent.user_id, day)
            .having(total > setting("REPUTATION_DAILY_CAP"))
        )
    ]


# ---- serial voting ----


@dataclass(frozen=True)
class SerialVoting:
    """A run of votes by one member on another member's posts."""

    voter_id: int
    author_id: int
    vote_ids: tuple[int, ...]


def find_serial_voting() -> list[SerialVoting]:
    """Return runs of SERIAL_VOTES_MIN or more votes on one author's posts."""
    minimum = setting("SERIAL_VOTES_MIN")
    window = timedelta(hours=setting("SERIAL_VOTES_HOURS"))
    pairs = db.session.execute(
        select(Vote.user_id, Post.author_id)
        .join(Post, Post.id == Vote.post_id)
        .group_by(Vote.user_id, Post.author_id)
        .having(func.count() >= minimum)
        .order_by(Vote.user_id, Post.author_id)
    ).all()
    runs = []
    for voter_id, author_id in pairs:
        votes = db.session.execute(
            select(Vote.id, Vote.created_at)
            .join(Post, Post.id == Vote.post_id)
            .where(Vote.user_id == voter_id, Post.author_id == author_id)
            .order_by(Vote.created_at, Vote.id)
        ).all()
        flagged: set[int] = set()
        first = 0
        for last in range(len(votes)):
            while votes[last].created_at - votes[first].created_at >= window:
                first += 1
            if last - first + 1 >= minimum:
                flagged.update(v.id for v in votes[first : last + 1])
        if flagged:
            runs.append(SerialVoting(voter_id, author_id, tuple(sorted(flagged))))
    return runs


def reverse_serial_voting(*, now=None) -> list[SerialVoting]:
    """Delete the votes of every serial-voting run and take back their reputation."""
    now = now or utcnow()
    runs = find_serial_voting()
    for run in runs:
        for vote_id in run.vote_ids:
            vote = db.session.get(Vote, vote_id)
            post = _lock_post(vote.post_id)
            _lock_users([run.voter_id, post.author_id])
            db.session.delete(vote)
            db.session.flush()
            _bump(Post, "score", post.id, -vote.value)
            _sync(
                _Scope(m.VOTE_REASONS, post_ids=(post.id,), actor_id=run.voter_id),
                now,
                m.SERIAL_VOTING_REVERSED,
            )
    db.session.commit()
    return runs


# ---- reads ----


def ledger_for(user: User, days: tuple[date, date] | None = None) -> Select:
    """Return the statement for a member's ledger rows, newest first.

    ``days`` limits the rows to the UTC days from the first to the last, inclusive.
    """
    stmt = (
        select(ReputationEvent)
        .where(ReputationEvent.user_id == user.id)
        .options(
            joinedload(ReputationEvent.post).joinedload(Post.parent),
            joinedload(ReputationEvent.actor),
            joinedload(ReputationEvent.reverses),
        )
        .order_by(ReputationEvent.created_at.desc(), ReputationEvent.id.desc())
    )
    if days is not None:
        first, last = (datetime(d.year, d.month, d.day, tzinfo=UTC) for d in days)
        stmt = stmt.where(
            ReputationEvent.created_at >= first,
            ReputationEvent.created_at < last + timedelta(days=1),
        )
    return stmt


def reputation_by_day(user: User) -> Select:
    """Return the statement for a member's (UTC day, change) rows, newest first."""
    day = utc_date(ReputationEvent.created_at).label("day")
    return (
        select(day, func.sum(ReputationEvent.amount).label("change"))
        .where(ReputationEvent.user_id == user.id)
        .group_by(day)
        .order_by(day.desc())
    )


def period_start(period: str, now: datetime) -> datetime | None:
    """Return when the current UTC week, month or year began (None for all time)."""
    if period not in PERIODS:
        raise ValidationError(f"Choose one of {', '.join(PERIODS)}.")
    today = _day_start(now)
    if period == "week":
        return today - timedelta(days=today.weekday())
    if period == "month":
        return today.replace(day=1)
    if period == "year":
        return today.replace(month=1, day=1)
    return None


def leaderboard(period: str = "all", tag: str | None = None, *, now=None) -> Select:
    """Return the statement for (member, reputation gained) in a period, best first."""
    since = period_start(period, now or utcnow())
    gained = func.sum(ReputationEvent.amount).label("gained")
    stmt = select(User, gained).join(
        ReputationEvent, ReputationEvent.user_id == User.id
    )
    if since is not None:
        stmt = stmt.where(ReputationEvent.created_at >= since)
    if tag:
        stmt = stmt.join(Post, Post.id == ReputationEvent.post_id).where(
            exists()
            .where(post_tags.c.post_id == func.coalesce(Post.parent_id, Post.id))
            .where(post_tags.c.tag_id == Tag.id)
            .where(Tag.name == tag)
        )
    return stmt.group_by(User.id).having(gained > 0).order_by(gained.desc(), User.id)


MEMBER_SORTS = ("reputation", "new", "name")


def members(sort: str = "reputation", name: str = "") -> Select:
    """Return the statement for members by reputation, newest or name, by name part."""
    stmt = select(User)
    name = " ".join((name or "").split()).lower()
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            func.lower(User.display_name).like(f"%{escaped}%", escape="\\")
        )
    if sort == "new":
        return stmt.order_by(User.created_at.desc(), User.id.desc())
    if sort == "name":
        return stmt.order_by(func.lower(User.display_name), User.id)
    return stmt.order_by(User.reputation.desc(), User.id)


def votes_of(
    user: User | None, post_ids, comment_ids=()
) -> tuple[dict[int, int], set[int]]:
    """Return the member's votes on posts ({post id: 1 or -1}) and up-voted comments.

    One statement for a whole question page.
    """
    post_ids, comment_ids = list(post_ids), list(comment_ids)
    if user is None or not getattr(user, "is_authenticated", False):
        return {}, set()
    if not post_ids and not comment_ids:
        return {}, set()
    # Constants in the SQL, not parameters, so PostgreSQL knows their types.
    on_posts = select(
        Vote.post_id.label("id"), Vote.value.label("value"), literal_column("0")
    ).where(Vote.user_id == user.id, Vote.post_id.in_(post_ids))
    on_comments = select(
        CommentVote.comment_id, literal_column("1"), literal_column("1")
    ).where(CommentVote.user_id == user.id, CommentVote.comment_id.in_(comment_ids))
    posts, comments = {}, set()
    for item_id, value, is_comment in db.session.execute(
        union_all(on_posts, on_comments)
    ):
        if is_comment:
            comments.add(item_id)
        else:
            posts[item_id] = value
    return posts, comments

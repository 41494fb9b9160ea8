"""Award badges when the events that earn them happen, whichever service makes them.

Session events, as the search outbox uses them: during each flush, note the
members whose badges may have changed (authors of new posts, voters and the
authors of the posts they voted on, commenters, editors, askers who accepted an
answer and the answerer, members who filled in their About, questions whose view
was counted), and the voters and posts of votes inserted in bulk (the vote
import the demo seed uses). When the transaction commits and has released its
connection, the noted members are looked at in a fresh session
(``services.award_noted``); a rollback forgets the notes. The posts and votes
services need not know.
"""

import logging
from dataclasses import dataclass, field

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from forum.accounts.models import User
from forum.posts.models import Comment, Post, PostView, Revision
from forum.reputation.models import Vote

log = logging.getLogger(__name__)

_NOTES = "badges_noted"
_COMMITTED = "badges_committed"
_EVALUATING = "badges_evaluating"


@dataclass
class Noted:
    """What a transaction touched that may earn badges."""

    users: set[int] = field(default_factory=set)
    # Posts whose authors may have earned something (voted on, accepted).
    posts: set[int] = field(default_factory=set)
    # Questions whose view was counted: only their view badges are checked.
    viewed: set[int] = field(default_factory=set)
    # (user id, badge slug, subject) awarded by another domain's service.
    grants: set[tuple[int, str, int]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.users or self.posts or self.viewed or self.grants)


def _noted(session: Session) -> Noted:
    """Return the notes of the session's current transaction."""
    return session.info.setdefault(_NOTES, Noted())


def note_users(session: Session, user_ids) -> None:
    """Note members whose badges should be looked at after the commit."""
    _noted(session).users.update(i for i in user_ids if i is not None)


def note_grant(session: Session, user_id: int, slug: str, subject: int = 0) -> None:
    """Note a badge to award after the commit."""
    _noted(session).grants.add((user_id, slug, subject))


def mark_evaluating(session: Session) -> None:
    """Mark a session as the one that awards badges, so its flushes note nothing."""
    session.info[_EVALUATING] = True


def _changed(instance, *names: str) -> bool:
    """Tell whether a flushed instance changed any of the attributes."""
    attributes = inspect(instance).attrs
    return any(attributes[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, flush_context) -> None:
    """Note who and what this flush touched."""
    if session.info.get(_EVALUATING):
        return
    noted = Noted()
    for instance in session.new:
        if isinstance(instance, Post | Comment):
            noted.users.add(instance.author_id)
        elif isinstance(instance, Revision) and instance.number > 1:
            noted.users.add(instance.author_id)
        elif isinstance(instance, Vote):
            noted.users.add(instance.user_id)
            noted.posts.add(instance.post_id)
        elif isinstance(instance, PostView):
            noted.viewed.add(instance.post_id)
    for instance in session.dirty:
        if isinstance(instance, Vote) and _changed(instance, "value"):
            noted.users.add(instance.user_id)
            noted.posts.add(instance.post_id)
        elif isinstance(instance, Post):
            history = inspect(instance).attrs["accepted_answer_id"].history
            if history.has_changes():
                noted.users.add(instance.author_id)
                noted.posts.update(i for i in history.added if i is not None)
            if _changed(instance, "deleted_at"):
                noted.users.add(instance.author_id)
        elif isinstance(instance, User) and _changed(instance, "about_markdown"):
            noted.users.add(instance.id)
        elif isinstance(instance, PostView) and _changed(instance, "viewed_at"):
            noted.viewed.add(instance.post_id)
    if noted:
        notes = _noted(session)
        notes.users |= noted.users
        notes.posts |= noted.posts
        notes.viewed |= noted.viewed


def _parameter_rows(orm_execute_state) -> list[dict]:
    """Return the statement's parameter sets as a list of dicts."""
    parameters = orm_execute_state.parameters
    if isinstance(parameters, dict):
        return [parameters] if parameters else []
    if isinstance(parameters, list | tuple):
        return [row for row in parameters if isinstance(row, dict)]
    return []


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_votes(orm_execute_state) -> None:
    """Note the voters and posts of votes inserted in bulk (imports, the demo seed)."""
    session = orm_execute_state.session
    if not orm_execute_state.is_insert or session.info.get(_EVALUATING):
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if getattr(table, "name", None) != Vote.__tablename__:
        return
    noted = Noted()
    for row in _parameter_rows(orm_execute_state):
        noted.users.add(row.get("user_id"))
        noted.posts.add(row.get("post_id"))
    noted.users.discard(None)
    noted.posts.discard(None)
    if noted:
        notes = _noted(session)
        notes.users |= noted.users
        notes.posts |= noted.posts


@event.listens_for(Session, "after_commit")
def _remember_commit(session: Session) -> None:
    """Remember that the noted changes are committed."""
    if session.info.get(_NOTES):
        session.info[_COMMITTED] = True


@event.listens_for(Session, "after_rollback")
def _forget_notes(session: Session) -> None:
    """Forget the notes of a transaction that was rolled back."""
    session.info.pop(_NOTES, None)
    session.info.pop(_COMMITTED, None)


@event.listens_for(Session, "after_transaction_end")
def _award_after_commit(session: Session, transaction: SessionTransaction) -> None:
    """Award the noted members' badges once the committed transaction has ended."""
    if transaction.parent is not None:
        return
    noted = session.info.pop(_NOTES, None)
    committed = session.info.pop(_COMMITTED, False)
    # The transaction's connection is back in the pool by now, so the fresh
    # session does not hold a second one while this one waits.
    if committed and noted and has_app_context():
        from forum.badges.services import award_noted

        try:
            award_noted(session.get_bind(), noted)
        except Exception:  # the member's commit succeeded: never fail it now
            log.exception("Could not start awarding badges")

"""Queue changed posts for indexing in the same transaction as the change.

Session events see every post change, whichever service makes it: the ORM
flush (new, edited, deleted posts and answers, retagging, a new display name)
and ORM UPDATE or DELETE statements on posts (votes change scores that way).
Each writes an IndexOutbox row for the post and its question; after the commit
the in-process indexer is woken. Posts' own services need not know.
"""

from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from forum.accounts.models import User
from forum.extensions import utcnow
from forum.posts.models import Post
from forum.search.models import IndexOutbox

# What a post's search document is built from.
INDEXED_ATTRIBUTES = (
    "type",
    "parent_id",
    "author_id",
    "title",
    "body_html",
    "score",
    "answer_count",
    "accepted_answer_id",
    "created_at",
    "last_activity_at",
    "deleted_at",
    "tags",
)
INDEXED_COLUMNS = frozenset(INDEXED_ATTRIBUTES) - {"tags"}
# Post ids looked up per statement after a bulk UPDATE by primary key.
ID_CHUNK = 500
_QUEUED = "search_outbox_queued"


def queue_posts(session: Session, post_ids) -> None:
    """Write outbox rows for the posts in the session's current transaction."""
    post_ids = sorted({post_id for post_id in post_ids if post_id is not None})
    if not post_ids:
        return
    now = utcnow()
    session.connection().execute(
        insert(IndexOutbox),
        [{"post_id": post_id, "created_at": now} for post_id in post_ids],
    )
    session.info[_QUEUED] = True


def _changed(post: Post) -> bool:
    """Tell whether a flushed post changed anything its document shows."""
    attributes = inspect(post).attrs
    return any(attributes[name].history.has_changes() for name in INDEXED_ATTRIBUTES)


def _renamed(user: User) -> bool:
    """Tell whether a flushed member changed their display name."""
    return inspect(user).attrs["display_name"].history.has_changes()


@event.listens_for(Session, "after_flush")
def _queue_flushed_posts(session: Session, flush_context) -> None:
    """Queue the posts this flush created, changed or deleted."""
    # The session still lists what the flush did, and new posts have their ids.
    post_ids = set()
    for post in session.new | session.deleted:
        if isinstance(post, Post):
            post_ids |= {post.id, post.parent_id}
    renamed = []
    for instance in session.dirty:
        if isinstance(instance, Post) and _changed(instance):
            post_ids |= {instance.id, instance.parent_id}
        elif isinstance(instance, User) and _renamed(instance):
            renamed.append(instance.id)
    if renamed:
        post_ids.update(
            session.connection().scalars(
                select(Post.id).where(Post.author_id.in_(renamed))
            )
        )
    queue_posts(session, post_ids)


def _updated_columns(orm_execute_state) -> set[str] | None:
    """Return the columns an UPDATE sets, or None when that cannot be told."""
    # SQLAlchemy has no public accessor for an UPDATE's SET clause.
    values = getattr(orm_execute_state.statement, "_values", None)
    if values:
        return {getattr(column, "key", column) for column in values}
    rows = _parameter_rows(orm_execute_state)
    if rows:
        return set().union(*rows) - {"id"}
    return None


def _parameter_rows(orm_execute_state) -> list[dict]:
    """Return the statement's parameter sets as a list of dicts."""
    parameters = orm_execute_state.parameters
    if isinstance(parameters, dict):
        return [parameters] if parameters else []
    if isinstance(parameters, list | tuple):
        return [row for row in parameters if isinstance(row, dict)]
    return []


@event.listens_for(Session, "do_orm_execute")
def _queue_statement_changes(orm_execute_state) -> None:
    """Queue the posts an UPDATE or DELETE statement on posts is about to change."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    statement = orm_execute_state.statement
    if getattr(statement.table, "name", None) != Post.__tablename__:
        return
    if orm_execute_state.is_update:
        columns = _updated_columns(orm_execute_state)
        if columns is not None and not columns & INDEXED_COLUMNS:
            return
    affected = select(Post.id, Post.parent_id)
    rows = _parameter_rows(orm_execute_state)
    parameters = orm_execute_state.parameters
    bound = parameters if isinstance(parameters, dict) and parameters else None
    if statement.whereclause is not None:
        lookups = [(affected.where(statement.whereclause), bound)]
    elif rows and all("id" in row for row in rows):
        # A bulk UPDATE by primary key: one parameter set per post. Looked up a
        # chunk at a time: databases limit the parameters of one statement.
        ids = sorted({row["id"] for row in rows})
        lookups = [
            (affected.where(Post.id.in_(ids[start : start + ID_CHUNK])), None)
            for start in range(0, len(ids), ID_CHUNK)
        ]
    else:
        lookups = [(affected, bound)]
    session = orm_execute_state.session
    post_ids = set()
    for lookup, lookup_bound in lookups:
        for post_id, parent_id in session.connection().execute(lookup, lookup_bound):
            post_ids |= {post_id, parent_id}
    queue_posts(session, post_ids)


@event.listens_for(Session, "after_commit")
def _wake_indexer(session: Session) -> None:
    """Wake this process's indexer if the transaction queued posts."""
    if session.info.pop(_QUEUED, False) and has_app_context():
        state = current_app.extensions.get("search")
        if state is not None:
            state.indexer.wake()


@event.listens_for(Session, "after_rollback")
def _forget_queued(session: Session) -> None:
    """Forget queued posts when their transaction is rolled back."""
    session.info.pop(_QUEUED, None)

"""Notification rules: add entries, read the inbox, mark entries read.

``notify`` is the helper other services call inside their own transaction (it
never commits); ``mark_read`` and ``mark_all_read`` are public services that
commit.
"""

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from forum.accounts.models import User
from forum.errors import NotFound
from forum.extensions import db, utcnow
from forum.notifications.models import Notification

TEXT_MAX = 300
URL_MAX = 500


def notify(
    user: User | int,
    kind: str,
    text: str,
    url: str = "",
    *,
    now=None,
    session: Session | None = None,
) -> Notification:
    """Add a notification to the current transaction, without committing."""
    user_id = user if isinstance(user, int) else user.id
    if len(text) > TEXT_MAX:
        text = text[: TEXT_MAX - 1] + "…"
    notification = Notification(
        user_id=user_id,
        kind=kind,
        text=text,
        url=url if _is_site_path(url) else "",
        created_at=now or utcnow(),
    )
    (session or db.session).add(notification)
    return notification


def _is_site_path(url: str) -> bool:
    """Tell whether url is a path on this site that fits the column."""
    # A link that does not fit is dropped rather than cut into a broken one; an
    # address elsewhere (or a javascript: URL) never becomes a link in the inbox.
    return (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and len(url) <= URL_MAX
    )


def mark_read(user: User, notification_id: int, *, now=None) -> Notification:
    """Mark one of the member's notifications read."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("That notification does not exist.")
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: User, *, now=None) -> int:
    """Mark every unread notification of the member read; return how many."""
    marked = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return marked


# ---- reads ----


def inbox_for(user: User) -> Select:
    """Return the statement for a member's notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def unread_count(user: User) -> int:
    """Return how many of the member's notifications are unread."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )

"""A notification in a member's inbox."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import UTCDateTime, db, utcnow

# What a notification is about; the moderation and nudges work adds kinds.
BADGE = "badge"


class Notification(db.Model):
    """One entry in a member's inbox: unread while ``read_at`` is empty.

    ``url`` is a path on this site ("/badges/scholar"), not a full address, so
    entries keep working if the site moves.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @property
    def is_unread(self) -> bool:
        """Tell whether the member has not read the notification yet."""
        return self.read_at is None

    def __repr__(self) -> str:
        return f"<Notification {self.id} user {self.user_id} {self.kind}>"

"""Badge awards and the days members visited."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.extensions import UTCDateTime, db, utcnow
from forum.posts.models import Post, Tag


class BadgeAward(db.Model):
    """One badge a member earned; badges themselves are defined in rules.py.

    ``subject`` tells awards of the same badge apart: 0 for a badge a member earns
    once, the post's id for a badge earned once per post (Nice Answer), the tag's
    id for a tag badge. It is never NULL, so the unique constraint makes awarding
    idempotent (NULLs would never collide). ``post_id`` and ``tag_id`` repeat it as
    foreign keys for links and joins.
    """

    __tablename__ = "badge_awards"
    __table_args__ = (
        UniqueConstraint("user_id", "badge", "subject"),
        Index("ix_badge_awards_badge_created_at", "badge", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    badge: Mapped[str] = mapped_column(String(40))
    subject: Mapped[int] = mapped_column(default=0)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), default=None
    )
    tag_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    post: Mapped[Post | None] = relationship()
    tag: Mapped[Tag | None] = relationship()

    def __repr__(self) -> str:
        return f"<BadgeAward {self.badge} user {self.user_id} subject {self.subject}>"


class VisitDay(db.Model):
    """A UTC day on which a member visited, and the streak of days it ends.

    ``streak`` is the previous day's streak plus one (1 after a gap), written when
    the day is recorded, so the current and longest streaks are one-row reads.
    """

    __tablename__ = "visit_days"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    streak: Mapped[int] = mapped_column(default=1)

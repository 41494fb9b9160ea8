"""Microlearns (small learning items), their tags and their peer ratings."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.extensions import UTCDateTime, db, utcnow
from forum.posts.models import Tag

FORMATS = ("video", "pdf", "article", "podcast", "quiz", "interactive", "other")
FORMAT_LABELS = {
    name: "PDF" if name == "pdf" else name.capitalize() for name in FORMATS
}
ACCURATE = "accurate"
OUTDATED = "outdated"
ACCURACY_MARKS = (ACCURATE, OUTDATED)

microlearn_tags = Table(
    "microlearn_tags",
    db.metadata,
    Column(
        "microlearn_id",
        ForeignKey("microlearns.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_microlearn_tags_tag_id", "tag_id"),
)


class Microlearn(db.Model):
    """A small learning item with one objective, known to an LMS by its key."""

    __tablename__ = "microlearns"
    __table_args__ = (
        CheckConstraint(
            "format IN ('video', 'pdf', 'article', 'podcast', 'quiz', "
            "'interactive', 'other')",
            name="format",
        ),
        Index("ix_microlearns_retired_at_created_at", "retired_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(150))
    objective: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(16))
    content_url: Mapped[str] = mapped_column(String(2000))
    player_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    duration_minutes: Mapped[int | None] = mapped_column(default=None)
    audience: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    # When the content itself was last updated, as its publisher says.
    updated_on: Mapped[date | None] = mapped_column(Date, default=None)
    version: Mapped[str] = mapped_column(String(40), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Outdated marks made before this time have been dealt with by a curator.
    outdated_reviewed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, default=None
    )
    # Cached from microlearn_ratings (and from linked questions, once they exist).
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_sum: Mapped[int] = mapped_column(default=0)
    accurate_count: Mapped[int] = mapped_column(default=0)
    outdated_count: Mapped[int] = mapped_column(default=0)
    question_count: Mapped[int] = mapped_column(default=0)

    tags: Mapped[list[Tag]] = relationship(
        secondary=microlearn_tags, order_by="Tag.name"
    )
    created_by: Mapped[User | None] = relationship()

    @property
    def is_retired(self) -> bool:
        """Tell whether curators took the item out of the catalogue."""
        return self.retired_at is not None

    @property
    def average_rating(self) -> float | None:
        """Return the plain mean of the ratings, or None without ratings."""
        if not self.rating_count:
            return None
        return self.rating_sum / self.rating_count

    def __repr__(self) -> str:
        return f"<Microlearn {self.key}>"


class MicrolearnRating(db.Model):
    """A member's 1-5 rating of a microlearn, maybe with an accuracy mark and review."""

    __tablename__ = "microlearn_ratings"
    __table_args__ = (
        UniqueConstraint("microlearn_id", "user_id"),
        CheckConstraint("value BETWEEN 1 AND 5", name="value"),
        CheckConstraint(
            "accuracy IS NULL OR accuracy IN ('accurate', 'outdated')",
            name="accuracy",
        ),
        Index("ix_microlearn_ratings_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    microlearn_id: Mapped[int] = mapped_column(
        ForeignKey("microlearns.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    value: Mapped[int]
    accuracy: Mapped[str | None] = mapped_column(String(16), default=None)
    # When the accuracy mark last changed, so the outdated queue sees new marks only.
    accuracy_marked_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, default=None
    )
    review_markdown: Mapped[str] = mapped_column(Text, default="")
    review_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    microlearn: Mapped[Microlearn] = relationship()

    @property
    def is_hidden(self) -> bool:
        """Tell whether a curator or moderator hid the review text."""
        return self.hidden_at is not None

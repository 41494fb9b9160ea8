"""Microlearns (small learning items), their tags, peer ratings and playlists."""

import secrets
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
from forum.posts.models import Post, Tag

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


# ---- playlists ----

PRIVATE = "private"
LINK = "link"
PUBLIC = "public"
VISIBILITIES = (PRIVATE, LINK, PUBLIC)
VISIBILITY_LABELS = {
    PRIVATE: "Private",
    LINK: "Shared by link",
    PUBLIC: "Public",
}
# Exactly one of microlearn_id and post_id is set: an item is a microlearn or a
# post (a question now; an article is a post too, once articles exist).
ONE_TARGET = (
    "(microlearn_id IS NOT NULL AND post_id IS NULL) "
    "OR (microlearn_id IS NULL AND post_id IS NOT NULL)"
)


def new_share_token() -> str:
    """Return an unguessable token for a playlist's share link (144 random bits)."""
    return secrets.token_urlsafe(18)


class Playlist(db.Model):
    """A member's ordered list of microlearns and posts to learn from."""

    __tablename__ = "playlists"
    __table_args__ = (
        CheckConstraint(
            "visibility IN ('private', 'link', 'public')", name="visibility"
        ),
        Index("ix_playlists_owner_id", "owner_id"),
        Index("ix_playlists_visibility_featured_at", "visibility", "featured_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    visibility: Mapped[str] = mapped_column(String(16), default=PRIVATE)
    # Always set, so "shared by link" works at once; a new link replaces it.
    share_token: Mapped[str] = mapped_column(
        String(32), unique=True, default=new_share_token
    )
    featured_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    featured_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("playlists.id", ondelete="SET NULL"), default=None
    )
    # Cached from playlist_items.
    item_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])

    @property
    def is_featured(self) -> bool:
        """Tell whether a curator features the playlist on /learn."""
        return self.featured_at is not None and self.visibility == PUBLIC

    def __repr__(self) -> str:
        return f"<Playlist {self.id} {self.visibility}>"


class PlaylistItem(db.Model):
    """One entry of a playlist: a microlearn or a post, with the owner's note."""

    __tablename__ = "playlist_items"
    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="one_target"),
        UniqueConstraint("playlist_id", "microlearn_id"),
        UniqueConstraint("playlist_id", "post_id"),
        Index("ix_playlist_items_playlist_id_position", "playlist_id", "position"),
        Index("ix_playlist_items_microlearn_id", "microlearn_id"),
        Index("ix_playlist_items_post_id", "post_id"),
        Index("ix_playlist_items_added_at", "added_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(
        ForeignKey("playlists.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    microlearn_id: Mapped[int | None] = mapped_column(
        ForeignKey("microlearns.id", ondelete="CASCADE"), default=None
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), default=None
    )
    note: Mapped[str] = mapped_column(String(300), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    playlist: Mapped[Playlist] = relationship()
    microlearn: Mapped[Microlearn | None] = relationship()
    post: Mapped[Post | None] = relationship()

    @property
    def kind(self) -> str:
        """Return "microlearn", or the post's type ("question", later "article")."""
        if self.microlearn_id is not None:
            return "microlearn"
        return self.post.type


class ProgressMark(db.Model):
    """A learner's own mark that they are done with a microlearn or a post.

    Marks belong to the learner and the content, not to one playlist: an item
    done in one playlist shows done in every playlist (and copy) that has it.
    """

    __tablename__ = "progress_marks"
    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="one_target"),
        UniqueConstraint("user_id", "microlearn_id"),
        UniqueConstraint("user_id", "post_id"),
        Index("ix_progress_marks_microlearn_id", "microlearn_id"),
        Index("ix_progress_marks_post_id", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    microlearn_id: Mapped[int | None] = mapped_column(
        ForeignKey("microlearns.id", ondelete="CASCADE"), default=None
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), default=None
    )
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ---- content health ----

VERIFIED = "verified"
EDITED = "edited"
OBSOLETE = "obsolete"
RESOLUTIONS = (VERIFIED, EDITED, OBSOLETE)


class AnswerHealth(db.Model):
    """A mark that an answer may be out of date since its microlearn changed.

    Publishing a new version of a microlearn marks the accepted and top-scored
    answers of its questions. A mark is open until someone verifies the answer,
    edits it, or marks it obsolete; an obsolete answer keeps showing so until it
    is edited.
    """

    __tablename__ = "answer_health"
    __table_args__ = (
        CheckConstraint(
            "resolution IS NULL OR resolution IN ('verified', 'edited', 'obsolete')",
            name="resolution",
        ),
        Index("ix_answer_health_answer_id", "answer_id"),
        Index("ix_answer_health_microlearn_id", "microlearn_id"),
        Index("ix_answer_health_resolved_at", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    microlearn_id: Mapped[int] = mapped_column(
        ForeignKey("microlearns.id", ondelete="CASCADE")
    )
    from_version: Mapped[str] = mapped_column(String(40), default="")
    to_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    resolution: Mapped[str | None] = mapped_column(String(16), default=None)

    answer: Mapped[Post] = relationship()
    microlearn: Mapped[Microlearn] = relationship()
    resolved_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        """Tell whether nobody has dealt with the mark yet."""
        return self.resolved_at is None

    @property
    def is_obsolete(self) -> bool:
        """Tell whether someone marked the answer obsolete."""
        return self.resolution == OBSOLETE

"""Follows (what a member keeps an eye on) and visits to the start page."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import UTCDateTime, db, utcnow
from forum.microlearns.models import Microlearn, Playlist
from forum.posts.models import Post, Tag

TAG = "tag"
MICROLEARN = "microlearn"
QUESTION = "question"
PLAYLIST = "playlist"
KINDS = (TAG, MICROLEARN, QUESTION, PLAYLIST)
# The column that holds each kind's target. A question is a post; articles,
# once they exist, are posts too and follow through the same column.
TARGET_COLUMNS = {
    TAG: "tag_id",
    MICROLEARN: "microlearn_id",
    QUESTION: "post_id",
    PLAYLIST: "playlist_id",
}


class Follow(db.Model):
    """A member following one tag, microlearn, question or playlist.

    One nullable foreign key per kind of target rather than a (kind, id) pair:
    the database then knows every target, deletes a follow with its target
    (ON DELETE CASCADE), and one unique constraint per column keeps a member from
    following the same thing twice (NULLs never collide). A check constraint
    makes sure exactly one target is set.
    """

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN microlearn_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN post_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN playlist_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        UniqueConstraint("user_id", "tag_id"),
        UniqueConstraint("user_id", "microlearn_id"),
        UniqueConstraint("user_id", "post_id"),
        UniqueConstraint("user_id", "playlist_id"),
        # For the cascades and for "who follows this" (notifications, later).
        Index("ix_follows_tag_id", "tag_id"),
        Index("ix_follows_microlearn_id", "microlearn_id"),
        Index("ix_follows_post_id", "post_id"),
        Index("ix_follows_playlist_id", "playlist_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tag_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), default=None
    )
    microlearn_id: Mapped[int | None] = mapped_column(
        ForeignKey("microlearns.id", ondelete="CASCADE"), default=None
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), default=None
    )
    playlist_id: Mapped[int | None] = mapped_column(
        ForeignKey("playlists.id", ondelete="CASCADE"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tag: Mapped[Tag | None] = relationship()
    microlearn: Mapped[Microlearn | None] = relationship()
    post: Mapped[Post | None] = relationship()
    playlist: Mapped[Playlist | None] = relationship()

    @property
    def kind(self) -> str:
        """Return which kind of thing is followed."""
        for kind, column in TARGET_COLUMNS.items():
            if getattr(self, column) is not None:
                return kind
        raise ValueError("a follow without a target")


class StartPageVisit(db.Model):
    """When a member last opened /me, and since when /me calls things new."""

    __tablename__ = "start_page_visits"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # What happened after this time is "new" on the start page.
    new_since: Mapped[datetime] = mapped_column(UTCDateTime)
    last_visit_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

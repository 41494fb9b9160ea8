"""Posts (questions and answers share one table), comments, revisions, tags."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
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

QUESTION = "question"
ANSWER = "answer"
POST_TYPES = (QUESTION, ANSWER)

post_tags = Table(
    "post_tags",
    db.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_post_tags_tag_id", "tag_id"),
)


class Post(db.Model):
    """A question or an answer: one identity for votes, flags, comments and search."""

    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint("type IN ('question', 'answer')", name="type"),
        Index("ix_posts_type_created_at", "type", "created_at"),
        Index("ix_posts_type_last_activity_at", "type", "last_activity_at"),
        Index("ix_posts_type_score", "type", "score"),
        Index("ix_posts_parent_id", "parent_id"),
        Index("ix_posts_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), default=None
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str | None] = mapped_column(String(150), default=None)
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(default=0)
    view_count: Mapped[int] = mapped_column(default=0)
    answer_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    deleted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None
    )
    # The microlearn a question is about (forum/microlearns); answers leave it unset.
    microlearn_id: Mapped[int | None] = mapped_column(
        ForeignKey("microlearns.id", ondelete="SET NULL"), default=None, index=True
    )

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    last_editor: Mapped[User | None] = relationship(foreign_keys=[last_editor_id])
    parent: Mapped["Post | None"] = relationship(
        remote_side=[id], foreign_keys=[parent_id]
    )
    tags: Mapped[list["Tag"]] = relationship(secondary=post_tags, order_by="Tag.name")

    @property
    def is_question(self) -> bool:
        """Tell whether the post is a question."""
        return self.type == QUESTION

    @property
    def is_deleted(self) -> bool:
        """Tell whether the post was soft-deleted."""
        return self.deleted_at is not None

    @property
    def question_id(self) -> int:
        """Return the id of the question this post belongs to."""
        return self.id if self.type == QUESTION else self.parent_id

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.type}>"


class Comment(db.Model):
    """A short remark on a post, inline Markdown only."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_post_id_created_at", "post_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    author: Mapped[User] = relationship()


class Revision(db.Model):
    """One state of a post in its history: who changed it, when, why, and to what."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("post_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str | None] = mapped_column(String(150), default=None)
    tags_text: Mapped[str] = mapped_column(String(200), default="")
    body_markdown: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class Tag(db.Model):
    """A topic label on questions, with an optional excerpt and wiki."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(35), unique=True)
    question_count: Mapped[int] = mapped_column(default=0)
    excerpt: Mapped[str] = mapped_column(String(500), default="")
    wiki_markdown: Mapped[str] = mapped_column(Text, default="")
    wiki_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostView(db.Model):
    """When a viewer last counted as a view of a question."""

    __tablename__ = "post_views"
    __table_args__ = (UniqueConstraint("post_id", "viewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    viewer: Mapped[str] = mapped_column(String(64))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

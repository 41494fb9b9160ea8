"""Search state in the database: the index outbox and PostgreSQL's search documents."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import UTCDateTime, db, utcnow


class IndexOutbox(db.Model):
    """A post whose search entry must be brought up to date.

    Written in the same transaction as the change to the post, deleted only after
    the index holds the post's new state, so no update is lost to a crash or a
    held lock. No foreign key: the row must outlive a post that is removed.
    """

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchEntry(db.Model):
    """A post as the PostgreSQL search backend stores it (unused with Whoosh)."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_document", "document", postgresql_using="gin"),
        Index("ix_search_documents_created_at", "created_at"),
        Index("ix_search_documents_score", "score"),
    )

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    type: Mapped[str] = mapped_column(String(16))
    question_id: Mapped[int]
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Space-separated tag names with a space at each end, for facets.
    tags: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int]
    author_name: Mapped[str] = mapped_column(String(100), default="")
    score: Mapped[int] = mapped_column(default=0)
    answer_count: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[bool] = mapped_column(default=False)
    has_accepted: Mapped[bool] = mapped_column(default=False)
    closed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    microlearn: Mapped[str] = mapped_column(String(100), default="")
    digest: Mapped[str] = mapped_column(String(40))
    document: Mapped[str] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))

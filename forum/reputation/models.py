"""Votes on posts and comments, and the append-only reputation ledger."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.extensions import UTCDateTime, db, utcnow
from forum.posts.models import Post

# Why reputation changed: the stored ``reason`` of a ledger row, shown to members.
QUESTION_UPVOTED = "question upvoted"
ANSWER_UPVOTED = "answer upvoted"
DOWNVOTED = "post downvoted"
DOWNVOTE_CAST = "downvoted an answer"
ANSWER_ACCEPTED = "answer accepted"
ACCEPTED_ANSWER = "accepted an answer"
EDIT_APPROVED = "suggested edit approved"
SPAM_DELETED = "deleted as spam or abusive"
BONUS = "bonus"

# Reasons of rows that take back an earlier row (``reverses_id`` names it).
VOTE_UNDONE = "vote undone"
VOTE_CHANGED = "vote changed"
ACCEPTANCE_REMOVED = "acceptance removed"
ACCEPTANCE_MOVED = "acceptance moved"
POST_DELETED = "post deleted"
POST_UNDELETED = "post undeleted"
SERIAL_VOTING_REVERSED = "serial voting reversed"
AUDIT_CORRECTION = "audit correction"

VOTE_REASONS = (QUESTION_UPVOTED, ANSWER_UPVOTED, DOWNVOTED, DOWNVOTE_CAST)
ACCEPT_REASONS = (ANSWER_ACCEPTED, ACCEPTED_ANSWER)
# Reasons whose rows follow from the state of votes, acceptances and deletions,
# so the audit can tell which of them should be in effect.
DERIVED_REASONS = (*VOTE_REASONS, *ACCEPT_REASONS, SPAM_DELETED)
# Reasons whose gains count against the daily reputation cap.
CAPPED_REASONS = (QUESTION_UPVOTED, ANSWER_UPVOTED, EDIT_APPROVED)


class Vote(db.Model):
    """One member's current up (+1) or down (-1) vote on a question or answer."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("user_id", "post_id"),
        CheckConstraint("value IN (-1, 1)", name="value"),
        Index("ix_votes_post_id", "post_id"),
        Index("ix_votes_user_id_updated_at", "user_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    value: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the vote was last cast or switched: the lock and daily limit count this.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentVote(db.Model):
    """One member's up vote on a comment; it carries no reputation."""

    __tablename__ = "comment_votes"
    __table_args__ = (
        UniqueConstraint("user_id", "comment_id"),
        Index("ix_comment_votes_comment_id", "comment_id"),
        Index("ix_comment_votes_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReputationEvent(db.Model):
    """One change of a member's reputation; rows are only ever added.

    ``amount`` is what was actually applied after the daily cap and the floor, so a
    member's cached reputation always equals the sum of their rows. A row that
    takes back an earlier one names it in ``reverses_id``; each row is taken back
    at most once.
    """

    __tablename__ = "reputation_events"
    __table_args__ = (
        UniqueConstraint("reverses_id"),
        Index("ix_reputation_events_user_id_created_at", "user_id", "created_at"),
        Index("ix_reputation_events_post_id", "post_id"),
        Index("ix_reputation_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(40))
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), default=None
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Whether the row counts against the daily cap (capped gains and their reversals).
    capped: Mapped[bool] = mapped_column(default=False)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("reputation_events.id"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    post: Mapped[Post | None] = relationship()
    reverses: Mapped["ReputationEvent | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<ReputationEvent {self.id} user {self.user_id} {self.amount:+}>"

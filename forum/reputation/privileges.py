"""The one permission check: who may do what, to which post.

``can(user, action, post=None)`` answers every permission question of the site.
An action is either a reputation privilege from ``thresholds.CATALOGUE`` (``vote_up``,
``comment_everywhere``, ``edit_any_post``, ...), decided by the member's reputation
against the configured threshold, or a post action (``ask``, ``comment``, ``edit``,
``delete``, ...) whose rule combines authorship, the post's state and those
privileges. Moderators and admins hold every privilege.

``MissingPrivilege`` is the refusal a service raises when a privilege is missing: its
message names the privilege and the reputation it needs, and the JSON error carries
both (``forum/reputation/views.py`` renders it).
"""

from forum.accounts.models import User
from forum.errors import PermissionDenied
from forum.reputation.thresholds import (
    CATALOGUE,
    holds,
    missing_privilege_message,
    threshold,
)


class MissingPrivilege(PermissionDenied):
    """You need more reputation for that."""

    code = "missing_privilege"

    def __init__(
        self,
        user: User | None,
        privilege: str,
        message: str = "",
        field: str | None = None,
    ):
        message = message or missing_privilege_message(user, privilege)
        super().__init__(message, {field: message} if field else None)
        self.privilege = privilege
        self.label = CATALOGUE[privilege][0]
        self.needed = threshold(privilege)
        signed_in = user is not None and getattr(user, "is_authenticated", False)
        self.reputation = user.reputation if signed_in else None

    def details(self) -> dict:
        """Describe the missing privilege for a JSON error."""
        return {
            "privilege": self.privilege,
            "privilege_label": self.label,
            "reputation_needed": self.needed,
            "reputation": self.reputation,
        }


def _signed_in(user: User | None) -> bool:
    """Tell whether the user is a logged-in member."""
    return user is not None and getattr(user, "is_authenticated", False)


def is_live_accepted_answer(post) -> bool:
    """Tell whether a post is an undeleted answer that its question accepted."""
    # post.parent comes from the session's identity map when the question is loaded.
    return (
        not post.is_question
        and not post.is_deleted
        and post.parent is not None
        and post.parent.accepted_answer_id == post.id
    )


def _owns_thread_of(user: User, post) -> bool:
    """Tell whether the user wrote the post, or the question it answers."""
    if post.author_id == user.id:
        return True
    return (
        not post.is_question
        and post.parent is not None
        and post.parent.author_id == user.id
    )


def can(user: User | None, action: str, post=None) -> bool:
    """Tell whether the user may take the action, on the post where one is given."""
    if not _signed_in(user):
        return False
    if action in CATALOGUE and action != "see_deleted":
        return holds(user, action)
    is_author = post is not None and post.author_id == user.id
    if action in ("ask", "answer"):
        if post is not None and post.is_deleted and not user.is_moderator:
            return False
        return holds(user, "create_posts")
    if action == "comment":
        # As on Stack Overflow: your own posts and the answers to your question
        # always take your comments; elsewhere commenting is a privilege.
        if post is None:
            return holds(user, "comment_everywhere")
        if post.is_deleted and not user.is_moderator:
            return False
        return _owns_thread_of(user, post) or holds(user, "comment_everywhere")
    if action == "edit":
        if post.is_deleted and not user.is_moderator:
            return False
        return is_author or holds(user, "edit_any_post")
    if action == "delete":
        # As on Stack Overflow: the answer the asker relied on stays, unless a
        # moderator removes it.
        if is_live_accepted_answer(post) and not user.is_moderator:
            return False
        return is_author or user.is_moderator
    if action == "undelete":
        return is_author or user.is_moderator
    if action == "see_deleted":
        return is_author or holds(user, "see_deleted")
    if action == "accept":
        # post is the question whose answer gets accepted.
        return is_author and not post.is_deleted
    if action == "delete_comment":
        return is_author or user.is_moderator
    if action == "moderate":
        return user.is_moderator
    raise ValueError(f"unknown action {action!r}")

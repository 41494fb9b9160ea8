"""The one permission check: who may do what to which post."""

from forum.accounts.models import User

# Reputation needed for privileges that members earn; the reputation issue adds more.
THRESHOLDS = {
    "edit_others": 2000,
}


def has_privilege(user: User | None, privilege: str) -> bool:
    """Tell whether the user has earned a reputation privilege."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_moderator:
        return True
    return user.reputation >= THRESHOLDS[privilege]


def is_live_accepted_answer(post) -> bool:
    """Tell whether a post is an undeleted answer that its question accepted."""
    # post.parent comes from the session's identity map when the question is loaded.
    return (
        not post.is_question
        and not post.is_deleted
        and post.parent is not None
        and post.parent.accepted_answer_id == post.id
    )


def can(user: User | None, action: str, post=None) -> bool:
    """Tell whether the user may take the action, on the post where one is given."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    is_author = post is not None and post.author_id == user.id
    if action in ("ask", "answer", "comment"):
        return post is None or not post.is_deleted or user.is_moderator
    if action == "edit":
        if post.is_deleted and not user.is_moderator:
            return False
        return is_author or has_privilege(user, "edit_others")
    if action == "delete":
        # As on Stack Overflow: the answer the asker relied on stays, unless a
        # moderator removes it.
        if is_live_accepted_answer(post) and not user.is_moderator:
            return False
        return is_author or user.is_moderator
    if action == "undelete":
        return is_author or user.is_moderator
    if action == "see_deleted":
        return is_author or user.is_moderator
    if action == "accept":
        # post is the question whose answer gets accepted.
        return is_author and not post.is_deleted
    if action == "delete_comment":
        return is_author or user.is_moderator
    if action == "edit_tag_wiki":
        return user.is_moderator
    if action == "moderate":
        return user.is_moderator
    raise ValueError(f"unknown action {action!r}")

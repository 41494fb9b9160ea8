"""The posts services as the reputation ledger needs them, until the lead wires them.

The posts services do not yet call the reputation helpers. Each function here calls
the posts service and then the helper it will call, and commits. The helpers are
idempotent (they bring the ledger in line with the state), so once the posts
services call them these functions stay correct; then the helper calls here can be
dropped and each function becomes the bare service call.
"""

from forum.extensions import db
from forum.posts import services as posts
from forum.reputation import services as reputation


def accept(user, answer, now):
    """Accept an answer and record the acceptance in the ledger."""
    question = posts.accept_answer(user, answer, now=now)
    reputation.record_acceptance(question, now)
    db.session.commit()
    return question


def unaccept(user, question, now):
    """Remove an acceptance and take back its reputation."""
    posts.unaccept_answer(user, question)
    reputation.record_unacceptance(question, now)
    db.session.commit()
    return question


def delete(user, post, now):
    """Delete a post and take back what it earned."""
    posts.delete_post(user, post, now=now)
    reputation.reverse_post_events(post, now)
    db.session.commit()
    return post


def undelete(user, post, now):
    """Undelete a post and re-apply what it earns."""
    posts.undelete_post(user, post)
    reputation.restore_post_events(post, now)
    db.session.commit()
    return post

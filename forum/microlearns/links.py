"""What the post services do about microlearns inside their own transactions.

A question may be about one microlearn (Post.microlearn_id). The post services
check the key a member typed, keep each microlearn's cached question count right
when a question is linked, unlinked, deleted or undeleted, and resolve the
content-health marks of an answer that someone edits. These helpers never commit:
the calling service does, once. They import no services, so forum.posts.services
can import them without a cycle.
"""

import re

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db
from forum.microlearns.models import EDITED, AnswerHealth, Microlearn
from forum.posts.models import QUESTION, Post

_KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}[a-z0-9]")
# A pasted address of a microlearn page: …/learn/<key>, maybe with more after it.
_PAGE_RE = re.compile(r"/learn/([A-Za-z0-9-]+)")


def key_from_text(text: str | None) -> str:
    """Return the key a member typed or pasted (a key or a microlearn's address)."""
    text = (text or "").strip()
    match = _PAGE_RE.search(text)
    if match and ("://" in text or text.startswith("/")):
        text = match.group(1)
    return text.lower()


def check_link(text: str | None, current_id: int | None = None):
    """Return (microlearn id or None, problem) for the key typed in a question form.

    An empty field means no link. An unknown key is a problem; so is a retired
    microlearn, unless the question is already linked to it (editing the
    question keeps that link).
    """
    key = key_from_text(text)
    if not key:
        return None, ""
    microlearn = None
    if _KEY_RE.fullmatch(key):
        microlearn = db.session.scalar(select(Microlearn).where(Microlearn.key == key))
    if microlearn is None:
        return None, (
            f"There is no microlearn with the key “{key[:70]}”. Check the key in "
            "Learn, or leave the field empty."
        )
    if microlearn.is_retired and microlearn.id != current_id:
        return None, (
            f"“{microlearn.title}” is retired, so new questions cannot be about it. "
            "Choose another microlearn or leave the field empty."
        )
    return microlearn.id, ""


def recount_questions(*microlearn_ids: int | None) -> None:
    """Recompute the cached question count of each microlearn given."""
    ids = {id_ for id_ in microlearn_ids if id_ is not None}
    if not ids:
        return
    db.session.flush()
    counts = dict(
        db.session.execute(
            select(Post.microlearn_id, func.count())
            .where(
                Post.type == QUESTION,
                Post.deleted_at.is_(None),
                Post.microlearn_id.in_(ids),
            )
            .group_by(Post.microlearn_id)
        ).all()
    )
    for microlearn in db.session.scalars(
        select(Microlearn).where(Microlearn.id.in_(ids))
    ):
        microlearn.question_count = counts.get(microlearn.id, 0)


def resolve_on_edit(post: Post, editor: User, now) -> None:
    """Resolve the open content-health marks of an answer that was just edited."""
    if post.type == QUESTION:
        return
    for mark in db.session.scalars(
        select(AnswerHealth).where(
            AnswerHealth.answer_id == post.id, AnswerHealth.resolved_at.is_(None)
        )
    ):
        mark.resolved_at = now
        mark.resolved_by_id = editor.id
        mark.resolution = EDITED


def key_of(microlearn_id: int | None) -> str:
    """Return the key of a question's microlearn, or an empty string."""
    if microlearn_id is None:
        return ""
    return (
        db.session.scalar(select(Microlearn.key).where(Microlearn.id == microlearn_id))
        or ""
    )

"""What the index holds for each post, built from the database (the source of truth)."""

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from html import unescape

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from forum.markup import to_plain_text
from forum.posts.models import ANSWER, QUESTION, Post
from forum.search.analysis import code_tokens, strip_marks


@dataclass(frozen=True)
class Document:
    """One question or answer as the search index sees it."""

    post_id: int
    type: str
    question_id: int
    # The question's title; an answer carries it for display only.
    title: str
    body: str
    code: str
    # An answer carries its question's tags, so [tag] finds answers too.
    tags: tuple[str, ...]
    author_id: int
    author_name: str
    score: int
    answer_count: int
    accepted: bool
    has_accepted: bool
    closed: bool
    created_at: datetime
    last_activity_at: datetime
    microlearn: str

    @property
    def is_question(self) -> bool:
        """Tell whether the document is a question."""
        return self.type == QUESTION

    @property
    def digest(self) -> str:
        """Return a fingerprint of every field, to spot stale index entries."""
        fields = asdict(self)
        fields["created_at"] = self.created_at.isoformat()
        fields["last_activity_at"] = self.last_activity_at.isoformat()
        raw = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(raw.encode()).hexdigest()


def _is_searchable(post: Post, question: Post | None) -> bool:
    """Tell whether a post may be found by anyone searching.

    The one place that decides: deleted posts and answers of deleted questions
    are never indexed. Hidden posts (moderation) get their check here.
    """
    if post.is_deleted:
        return False
    if post.type == ANSWER:
        return question is not None and not question.is_deleted
    return post.type == QUESTION


# Sanitised HTML (forum.markup) never nests code elements.
_CODE_ELEMENT = re.compile(r"<code\b[^>]*>(.*?)</code>", re.S)
_TAG = re.compile(r"<[^>]*>")


def code_text(html: str, plain: str | None = None) -> str:
    """Return the text of the code spans and blocks in sanitised HTML.

    Names with + or # in prose (C++, C#, F#) join them: English analysis would
    cut them down to a letter. plain is the HTML's text, when already known.
    """
    html = html or ""
    code = [
        unescape(_TAG.sub("", inner)) + " " for inner in _CODE_ELEMENT.findall(html)
    ]
    if plain is None:
        plain = to_plain_text(html)
    symbols = [token for token in code_tokens(plain) if "+" in token or "#" in token]
    return " ".join(["".join(code), *symbols]).strip()


def _document(post: Post, question: Post, live_accepted: set[int]) -> Document:
    """Build the document of a searchable post.

    live_accepted holds the questions whose accepted answer is not deleted: a
    deleted accepted answer stays recorded but counts for nothing.
    """
    is_question = post.type == QUESTION
    plain = to_plain_text(post.body_html)
    return Document(
        post_id=post.id,
        type=post.type,
        question_id=question.id,
        title=strip_marks(question.title or ""),
        body=strip_marks(plain),
        code=strip_marks(code_text(post.body_html, plain)),
        tags=tuple(sorted(tag.name for tag in question.tags)),
        author_id=post.author_id,
        author_name=post.author.display_name,
        score=post.score,
        answer_count=post.answer_count if is_question else 0,
        accepted=not is_question and question.accepted_answer_id == post.id,
        has_accepted=is_question and post.id in live_accepted,
        # Moderation has no closing yet; the field is ready for it.
        closed=False,
        created_at=post.created_at,
        last_activity_at=post.last_activity_at,
        # Filled in when microlearns can be linked to questions.
        microlearn="",
    )


def _load(session: Session, condition) -> dict[int, Post]:
    """Load the posts matching a condition with their authors and tags."""
    return {
        post.id: post
        for post in session.scalars(
            select(Post)
            .where(condition)
            .options(joinedload(Post.author), selectinload(Post.tags))
        )
    }


def accepted_live(session: Session, posts) -> set[int]:
    """Return the ids of the questions among posts whose accepted answer is live."""
    accepted = {
        post.accepted_answer_id: post.id
        for post in posts
        if post.type == QUESTION and post.accepted_answer_id
    }
    if not accepted:
        return set()
    live = session.scalars(
        select(Post.id).where(Post.id.in_(accepted), Post.deleted_at.is_(None))
    )
    return {accepted[answer_id] for answer_id in live}


def build_documents(
    session: Session, post_ids, *, with_answers: bool = True
) -> tuple[list[Document], set[int]]:
    """Return the documents of the given posts and the ids that must not be indexed.

    With with_answers, a question brings its answers along: they show its title
    and carry its tags, and they stop being searchable when it is deleted.
    """
    wanted = set(post_ids)
    posts = _load(session, Post.id.in_(wanted)) if wanted else {}
    if with_answers:
        question_ids = [post.id for post in posts.values() if post.type == QUESTION]
        if question_ids:
            posts.update(_load(session, Post.parent_id.in_(question_ids)))
    missing_parents = {
        post.parent_id
        for post in posts.values()
        if post.type == ANSWER and post.parent_id not in posts
    }
    parents = _load(session, Post.id.in_(missing_parents)) if missing_parents else {}
    live_accepted = accepted_live(session, posts.values())
    documents = []
    for post in sorted(posts.values(), key=lambda post: post.id):
        question = (
            post if post.type == QUESTION else posts.get(post.parent_id)
        ) or parents.get(post.parent_id)
        if _is_searchable(post, question):
            documents.append(_document(post, question, live_accepted))
    kept = {document.post_id for document in documents}
    return documents, (wanted | set(posts)) - kept

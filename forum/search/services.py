"""Search rules: finding posts, and keeping the index equal to the database."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from forum.extensions import db
from forum.posts.models import QUESTION, Post
from forum.posts.services import TAGS_MAX, TITLE_MAX, parse_tags
from forum.search.backends import SORTS, Backend, IndexBusy
from forum.search.documents import _is_searchable, accepted_live, build_documents
from forum.search.models import IndexOutbox
from forum.search.query import Query, parse

PER_PAGE = 20
# Deeper pages cost the index more than anyone reads them.
MAX_PAGE = 500
# Fewer results than this and we look for a better spelling.
SUGGEST_BELOW = 3
PARTIAL_NOTE = "No post has all of your words; these have some of them."
BATCH = 200
WRITE_TIMEOUT = 1.0
REINDEX_TIMEOUT = 120.0
REPORT_IDS = 20
SIMILAR_LIMIT = 5
# Related questions change slowly: each question's list is kept this long.
RELATED_SECONDS = 300.0
RELATED_KEPT = 5000


def _backend() -> Backend:
    """Return the current app's search backend."""
    return current_app.extensions["search"].backend


# ---- searching ----


@dataclass
class Result:
    """A found post with its question (itself for a question) and snippet."""

    post: Post
    question: Post
    snippet: Markup
    # A question with a live accepted answer, or the accepted answer itself.
    accepted: bool = False

    @property
    def is_question(self) -> bool:
        """Tell whether the result is a question."""
        return self.post.type == QUESTION


@dataclass
class SearchPage:
    """One page of search results and what the page shows around them."""

    query: Query
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    total: int = 0
    results: list[Result] = field(default_factory=list)
    facets: list[tuple[str, int]] = field(default_factory=list)
    suggestion: str | None = None
    # No post had every word: the results have some of them.
    partial: bool = False

    @property
    def pages(self) -> int:
        """Return how many pages the results fill, at most MAX_PAGE."""
        return min(MAX_PAGE, -(-self.total // self.per_page))


def search_posts(
    text: str,
    viewer=None,
    *,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> SearchPage:
    """Find the posts matching search text, one page in a sort, for a viewer."""
    query = parse(text, now)
    sort = sort if sort in SORTS else "relevance"
    page = max(1, min(page, MAX_PAGE))
    found = SearchPage(query, sort, page, per_page)
    if query.user_me:
        if viewer is None or not getattr(viewer, "is_authenticated", False):
            query.notes.append("Log in to search your own posts with user:me.")
            return found
        query = found.query = replace(query, user_id=viewer.id)
    if query.is_empty:
        return found
    backend = _backend()
    results = backend.search(db.session, query, sort, page, per_page)
    if results.total < SUGGEST_BELOW and query.words:
        found.suggestion = _suggestion(backend, query)
    if not results.total and len(query.words) > 1:
        # People describe a problem in their own words: when no post has them
        # all, rank the posts by the words they do have.
        results = backend.search(
            db.session, replace(query, match_any=True), sort, page, per_page
        )
        if results.total:
            found.partial = True
            query.notes.append(PARTIAL_NOTE)
    found.total = results.total
    found.facets = results.facets
    found.results = _load_results(results.hits)
    return found


def _load_results(hits) -> list[Result]:
    """Load the posts of the hits in a fixed number of queries, in the hits' order."""
    if not hits:
        return []
    posts = {
        post.id: post
        for post in db.session.scalars(
            select(Post)
            .where(Post.id.in_([hit.post_id for hit in hits]))
            .options(joinedload(Post.author), selectinload(Post.tags))
        )
    }
    parent_ids = {post.parent_id for post in posts.values() if post.parent_id}
    parents = {}
    if parent_ids:
        parents = {
            post.id: post
            for post in db.session.scalars(
                select(Post)
                .where(Post.id.in_(parent_ids))
                .options(selectinload(Post.tags))
            )
        }
    questions = [*posts.values(), *parents.values()]
    accepted = accepted_live(db.session, questions)
    results = []
    for hit in hits:
        post = posts.get(hit.post_id)
        if post is None:
            continue
        question = post if post.type == QUESTION else parents.get(post.parent_id)
        # The index may lag the database by a moment: check again.
        if not _is_searchable(post, question):
            continue
        if post.type == QUESTION:
            is_accepted = post.id in accepted
        else:
            is_accepted = (
                question.id in accepted and question.accepted_answer_id == post.id
            )
        results.append(Result(post, question, hit.snippet, is_accepted))
    return results


def _suggestion(backend: Backend, query: Query) -> str | None:
    """Return the query text with likely misspellings corrected, or None."""
    corrections = backend.suggest(db.session, query.words)
    if not corrections:
        return None
    text = query.text
    for word, (start, end) in sorted(
        zip(query.words, query.word_spans, strict=True),
        key=lambda pair: pair[1],
        reverse=True,
    ):
        if word in corrections:
            text = text[:start] + corrections[word] + text[end:]
    return text if text != query.text else None


# ---- similar and related questions ----


def similar_questions(
    title: str, tags="", *, exclude: int | None = None, limit: int = SIMILAR_LIMIT
) -> list[Post]:
    """Return up to limit live questions whose titles and tags resemble these."""
    title = (title or "")[:TITLE_MAX]
    names = parse_tags(tags or "")[:TAGS_MAX]
    # One spare, in case the index still holds a question deleted a moment ago.
    ids = _backend().similar(db.session, title, names, limit + 1, exclude)
    return _live_questions(ids)[:limit]


def related_questions(question: Post, *, limit: int = SIMILAR_LIMIT) -> list[Post]:
    """Return up to limit live questions like this one by title and tags.

    The ids are kept a few minutes per question (and title and tags, so an
    edit asks again); the questions themselves are read each time, so a
    deleted one is never shown.
    """
    names = tuple(tag.name for tag in question.tags)
    key = (question.id, question.title or "", names)
    cache = current_app.extensions["search"].related
    ids = cache.get(key)
    if ids is None:
        ids = _backend().similar(
            db.session, question.title or "", list(names), limit + 2, question.id
        )
        cache.put(key, ids)
    return _live_questions(ids)[:limit]


def _live_questions(ids: list[int]) -> list[Post]:
    """Return the questions with these ids that are not deleted, in the same order."""
    if not ids:
        return []
    # By primary key only: with the type in the WHERE clause SQLite may walk an
    # index of every question instead.
    found = {
        post.id: post
        for post in db.session.scalars(select(Post).where(Post.id.in_(ids)))
    }
    return [
        found[post_id]
        for post_id in ids
        if post_id in found
        and found[post_id].type == QUESTION
        and not found[post_id].is_deleted
    ]


class RelatedCache:
    """Question ids by key for a while, the oldest forgotten first; thread-safe."""

    def __init__(self, seconds: float = RELATED_SECONDS, kept: int = RELATED_KEPT):
        self.seconds = seconds
        self.kept = kept
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key) -> list[int] | None:
        """Return the ids kept for key, or None if there are none or they expired."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            return entry[1]

    def put(self, key, ids: list[int]) -> None:
        """Keep ids for key."""
        with self._lock:
            self._entries[key] = (time.monotonic() + self.seconds, list(ids))
            self._entries.move_to_end(key)
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()


# ---- indexing ----


def drain_outbox(batch_size: int = BATCH, timeout: float = WRITE_TIMEOUT) -> int:
    """Bring the index up to date with the queued posts; return how many rows were done.

    Each batch takes the write lock, reads the outbox and then the posts'
    current state, writes the index, and only then deletes the outbox rows it
    read. A crash at any point leaves the rows for the next run, which writes
    the same state again; a held lock leaves them too.
    """
    backend = _backend()
    done = 0
    with Session(db.engine, expire_on_commit=False) as session:
        while session.scalar(select(exists().select_from(IndexOutbox))):
            # Read the posts in a new transaction, after the lock is held.
            session.rollback()
            try:
                with backend.writer(session, timeout) as writer:
                    rows = session.execute(
                        select(IndexOutbox.id, IndexOutbox.post_id)
                        .order_by(IndexOutbox.id)
                        .limit(batch_size)
                    ).all()
                    documents, gone = build_documents(
                        session, {post_id for _, post_id in rows}
                    )
                    writer.put(documents)
                    writer.remove(gone)
            except IndexBusy:
                return done
            session.execute(
                delete(IndexOutbox).where(IndexOutbox.id.in_([row.id for row in rows]))
            )
            session.commit()
            session.expunge_all()
            done += len(rows)
    return done


def reindex_all(on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database; return how many posts were read."""
    backend = _backend()
    read = 0
    with Session(db.engine, expire_on_commit=False) as session:
        with backend.writer(session, REINDEX_TIMEOUT, replace_all=True) as writer:
            # Posts changed after this point keep their outbox rows.
            high_water = session.scalar(select(func.max(IndexOutbox.id))) or 0
            for post_ids in _post_id_batches(session):
                documents, _ = build_documents(session, post_ids, with_answers=False)
                writer.put(documents)
                read += len(post_ids)
                session.expunge_all()
                if on_progress:
                    on_progress(len(post_ids))
        session.execute(delete(IndexOutbox).where(IndexOutbox.id <= high_water))
        session.commit()
    return read


def count_posts() -> int:
    """Return how many posts the database holds, deleted ones included."""
    return db.session.scalar(select(func.count()).select_from(Post))


def _post_id_batches(session: Session, size: int = 500):
    """Yield the ids of all posts in batches, in id order."""
    last = 0
    while True:
        post_ids = list(
            session.scalars(
                select(Post.id).where(Post.id > last).order_by(Post.id).limit(size)
            )
        )
        if not post_ids:
            return
        yield post_ids
        last = post_ids[-1]


@dataclass
class IndexReport:
    """How the index differs from the database, by post id."""

    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    checked: int = 0
    fixed: bool = False

    @property
    def clean(self) -> bool:
        """Tell whether the index matched the database."""
        return not (self.missing or self.extra or self.stale)


def check_index(fix: bool = False) -> IndexReport:
    """Compare every index entry with the database; with fix, repair each difference."""
    backend = _backend()
    report = IndexReport()
    with Session(db.engine, expire_on_commit=False) as session:
        indexed = backend.digests(session)
        expected = {}
        for post_ids in _post_id_batches(session):
            documents, _ = build_documents(session, post_ids, with_answers=False)
            expected.update((doc.post_id, doc.digest) for doc in documents)
            session.expunge_all()
        report.checked = len(expected)
        report.missing = sorted(expected.keys() - indexed.keys())
        report.extra = sorted(indexed.keys() - expected.keys())
        report.stale = sorted(
            post_id
            for post_id in expected.keys() & indexed.keys()
            if expected[post_id] != indexed[post_id]
        )
        if fix and not report.clean:
            session.rollback()
            with backend.writer(session, REINDEX_TIMEOUT) as writer:
                documents, gone = build_documents(
                    session, [*report.missing, *report.stale], with_answers=False
                )
                writer.put(documents)
                writer.remove({*report.extra, *gone})
            session.commit()
            report.fixed = True
    return report

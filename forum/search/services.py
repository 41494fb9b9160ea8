"""Search rules: finding posts, and keeping the index equal to the database."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from forum.extensions import db
from forum.posts.models import QUESTION, Post
from forum.search.backends import SORTS, Backend, IndexBusy
from forum.search.documents import _is_searchable, accepted_live, build_documents
from forum.search.models import IndexOutbox
from forum.search.query import Query, parse

PER_PAGE = 20
# Deeper pages cost the index more than anyone reads them.
MAX_PAGE = 500
# Fewer results than this and we look for a better spelling.
SUGGEST_BELOW = 3
BATCH = 200
WRITE_TIMEOUT = 1.0
REINDEX_TIMEOUT = 120.0
REPORT_IDS = 20


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
    found.total = results.total
    found.facets = results.facets
    found.results = _load_results(results.hits)
    if results.total < SUGGEST_BELOW and query.words:
        found.suggestion = _suggestion(backend, query)
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

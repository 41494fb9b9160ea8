"""The small interface both search backends implement, and what they share.

A backend stores documents and answers queries; it knows nothing of posts,
viewers or the outbox. Visibility is decided before anything reaches it (see
``documents._is_searchable``): whatever a backend holds, everyone may find.
"""

import re
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from forum.posts.services import TAG_MAX, TAG_RE
from forum.search.analysis import (
    MARK_END,
    MARK_START,
    code_tokens,
    english_words,
    searchable_code_tokens,
    strip_marks,
)
from forum.search.documents import Document
from forum.search.query import Query

SORTS = ("relevance", "newest", "votes")
SNIPPET_CHARS = 240
FACETS = 12
# Facets count the tags of this many top hits, not of every match: counting
# every match of a common word costs more than the whole search.
FACET_SAMPLE = 200
# Similar questions look at this many words of a title (and of its tags).
SIMILAR_TERMS = 8
# Words worth a spelling suggestion: letters only, three or more.
SPELLABLE = re.compile(r"[^\W\d_]{3,40}")


class IndexBusy(Exception):
    """Another indexer is writing; leave the work for later."""


@dataclass
class Hit:
    """A found post and the snippet that shows why."""

    post_id: int
    snippet: Markup


@dataclass
class Results:
    """One page of hits, how many there are in all, and their tags with counts."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: list[tuple[str, int]] = field(default_factory=list)


class Writer(ABC):
    """Changes to the index, made while holding the backend's write lock."""

    @abstractmethod
    def put(self, documents: list[Document]) -> None:
        """Add the documents, replacing any with the same post id."""

    @abstractmethod
    def remove(self, post_ids) -> None:
        """Remove the documents of these posts, if there are any."""


class Backend(ABC):
    """Stores documents and answers queries."""

    name = ""

    @abstractmethod
    def writer(
        self, session: Session, timeout: float, *, replace_all: bool = False
    ) -> AbstractContextManager[Writer]:
        """Return a context that holds the write lock and yields a Writer.

        Raises IndexBusy if the lock stays taken for timeout seconds. With
        replace_all the index ends up holding only what was put. The changes are
        kept once the context exits and the caller commits the session: the
        PostgreSQL backend writes in that same transaction.
        """

    @abstractmethod
    def search(
        self, session: Session, query: Query, sort: str, page: int, per_page: int
    ) -> Results:
        """Return one page of the documents matching the query in a sort."""

    @abstractmethod
    def similar(
        self, session: Session, text: str, tags, limit: int, exclude: int | None = None
    ) -> list[int]:
        """Return the ids of the questions most like a title and tags, best first.

        Any word or tag in common counts (not all are needed); exclude leaves a
        question out.
        """

    @abstractmethod
    def suggest(self, session: Session, words: list[str]) -> dict[str, str]:
        """Return a better-known spelling for each word that has one."""

    @abstractmethod
    def digests(self, session: Session) -> dict[int, str]:
        """Return the digest of every indexed document by post id."""


def marked_html(text: str) -> Markup:
    """Return text with the highlight sentinels as <mark> and all else escaped."""
    parts = []
    for index, piece in enumerate(text.split(MARK_START)):
        if index == 0:
            parts.append(escape(strip_marks(piece)))
            continue
        marked, _, rest = piece.partition(MARK_END)
        parts.append(Markup("<mark>%s</mark>") % strip_marks(marked))
        parts.append(escape(strip_marks(rest)))
    return Markup("").join(parts)


def leading_text(body: str, limit: int = SNIPPET_CHARS) -> Markup:
    """Return the start of a body as an escaped snippet, cut at a word."""
    body = strip_marks(body)
    if len(body) <= limit:
        return escape(body)
    cut = body[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return escape(cut.rstrip() + "…")


@dataclass(frozen=True)
class TextPart:
    """Some text a document must (or must not) contain, planned for any backend.

    english tells whether the text has English terms (each backend stems them
    itself); code holds its exact code tokens. A phrase needs its terms in order,
    otherwise they may appear anywhere. A title part matches question titles only.
    Optional parts (free words of a match-any query) are needed one at least.
    """

    text: str
    english: bool
    code: tuple[str, ...] = ()
    phrase: bool = False
    title: bool = False
    optional: bool = False


def text_parts(query: Query) -> list[TextPart]:
    """Return what a document must contain; words that are only stop words go."""
    parts = [
        TextPart(
            word,
            bool(english_words(word)),
            tuple(searchable_code_tokens(word)),
            optional=query.match_any,
        )
        for word in query.words
    ]
    parts += [
        TextPart(phrase, bool(english_words(phrase)), tuple(code_tokens(phrase)), True)
        for phrase in query.phrases
    ]
    parts += [
        TextPart(code, False, tuple(code_tokens(code)), True) for code in query.code
    ]
    parts += [
        TextPart(title, bool(english_words(title)), (), True, title=True)
        for title in query.title_words
    ]
    return [part for part in parts if part.english or part.code]


def excluded_parts(query: Query) -> list[TextPart]:
    """Return what a document must not contain."""
    parts = []
    for text in query.excluded:
        phrase = len(text.split()) > 1
        tokens = code_tokens(text) if phrase else searchable_code_tokens(text)
        parts.append(TextPart(text, bool(english_words(text)), tuple(tokens), phrase))
    return [part for part in parts if part.english or part.code]


def valid_tag(name: str) -> bool:
    """Tell whether a name could be a tag's: others match no document."""
    return len(name) <= TAG_MAX and TAG_RE.fullmatch(name) is not None


def create_backend(app) -> Backend:
    """Return the backend FORUM_SEARCH_BACKEND names, set up for this app."""
    name = app.config["SEARCH_BACKEND"]
    if name == "whoosh":
        from forum.search.backends.whoosh_backend import WhooshBackend

        return WhooshBackend(app.config["SEARCH_INDEX_DIR"])
    if name == "postgres":
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise RuntimeError(
                "FORUM_SEARCH_BACKEND=postgres needs FORUM_DATABASE_URL to point "
                "at PostgreSQL."
            )
        from forum.search.backends.postgres_backend import PostgresBackend

        return PostgresBackend()
    raise RuntimeError(
        f"FORUM_SEARCH_BACKEND must be whoosh or postgres, not {name!r}."
    )

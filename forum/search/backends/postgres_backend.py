"""The PostgreSQL backend, for several web nodes: a tsvector per post with a GIN index.

English text goes through PostgreSQL's ``english`` configuration (stemming and
stop words); code tokens and tag markers are written as exact lexemes, so that
``__init__`` or ``c++`` survive, which PostgreSQL's own parser would split.
Queries are built from the shared plan with plainto_tsquery, phraseto_tsquery
and lexeme literals (never from raw user text in tsquery syntax), ranked with
ts_rank_cd and highlighted with ts_headline.
"""

import difflib
import time
from contextlib import contextmanager
from functools import reduce

from sqlalchemy import (
    ColumnElement,
    and_,
    cast,
    delete,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR
from sqlalchemy.dialects.postgresql import insert as pg_insert

from forum.posts.models import Tag
from forum.search.analysis import (
    ANGLE_STANDINS,
    MARK_END,
    MARK_START,
    STOP_WORDS,
    code_tokens,
    english_words,
)
from forum.search.backends import (
    FACET_SAMPLE,
    FACETS,
    SIMILAR_TERMS,
    SPELLABLE,
    Backend,
    Hit,
    IndexBusy,
    Results,
    TextPart,
    Writer,
    excluded_parts,
    leading_text,
    marked_html,
    text_parts,
    valid_tag,
)
from forum.search.documents import Document
from forum.search.models import SearchEntry
from forum.search.query import ANSWER, QUESTION, Query

# Any constant that no other part of Knowhow uses as an advisory lock.
LOCK_KEY = 0x4B48_5345
# PostgreSQL clamps positions above this.
MAX_POSITION = 16383
VOCABULARY_SECONDS = 300
BATCH = 100
HEADLINE = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=30, "
    'MinWords=12, FragmentDelimiter=" … "'
)


def _english():
    """Return the text search configuration as a regconfig value."""
    return cast(literal("english"), REGCONFIG)


def _quoted(lexeme: str) -> str:
    """Return a lexeme quoted for tsvector or tsquery input."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _lexemes(tokens: list[str]) -> str:
    """Return tsvector input holding the tokens as exact lexemes, in order."""
    return " ".join(
        f"{_quoted(token)}:{min(position, MAX_POSITION)}"
        for position, token in enumerate(tokens, start=1)
    )


def _vector(document: Document) -> ColumnElement:
    """Return the SQL that computes a document's tsvector."""
    is_question = document.is_question

    def weighted(vector, weight: str):
        """Give every lexeme of the vector a weight (A is the highest)."""
        return func.setweight(vector, literal_column(f"'{weight}'"))

    exact = code_tokens(document.code) + [f"[{tag}]" for tag in document.tags]
    parts = [
        weighted(
            func.to_tsvector(_english(), document.title if is_question else ""), "A"
        ),
        weighted(
            func.to_tsvector(
                _english(), " ".join(document.tags) if is_question else ""
            ),
            "B",
        ),
        weighted(func.to_tsvector(_english(), document.body), "C"),
        weighted(cast(literal(_lexemes(exact)), TSVECTOR), "D"),
    ]
    return reduce(lambda left, right: left.op("||")(right), parts)


def _row(document: Document) -> dict:
    """Return the search_documents values of a document."""
    return {
        "post_id": document.post_id,
        "type": document.type,
        "question_id": document.question_id,
        "title": document.title,
        "body": document.body,
        "tags": f" {' '.join(document.tags)} " if document.tags else "",
        "author_id": document.author_id,
        "author_name": document.author_name,
        "score": document.score,
        "answer_count": document.answer_count,
        "accepted": document.accepted,
        "has_accepted": document.has_accepted,
        "closed": document.closed,
        "created_at": document.created_at,
        "last_activity_at": document.last_activity_at,
        "microlearn": document.microlearn,
        "digest": document.digest,
        "document": _vector(document),
    }


class _PostgresWriter(Writer):
    """Upserts and deletes rows of search_documents in the caller's transaction."""

    def __init__(self, session, backend):
        self._session = session
        self._backend = backend

    def put(self, documents: list[Document]) -> None:
        """Insert or replace the documents' rows."""
        for start in range(0, len(documents), BATCH):
            statement = pg_insert(SearchEntry).values(
                [_row(document) for document in documents[start : start + BATCH]]
            )
            columns = [
                c.name for c in SearchEntry.__table__.columns if c.name != "post_id"
            ]
            self._session.execute(
                statement.on_conflict_do_update(
                    index_elements=[SearchEntry.post_id],
                    set_={name: statement.excluded[name] for name in columns},
                )
            )
        self._backend.forget_vocabulary()

    def remove(self, post_ids) -> None:
        """Delete the rows of these posts."""
        post_ids = list(post_ids)
        if post_ids:
            self._session.execute(
                delete(SearchEntry).where(SearchEntry.post_id.in_(post_ids))
            )


class PostgresBackend(Backend):
    """Search documents in a PostgreSQL table."""

    name = "postgres"

    def __init__(self):
        self._vocabulary: list[str] = []
        self._vocabulary_at = 0.0

    @contextmanager
    def writer(self, session, timeout: float, *, replace_all: bool = False):
        """Take the advisory lock for this transaction and yield a writer."""
        deadline = time.monotonic() + timeout
        while not session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_KEY))):
            if time.monotonic() >= deadline:
                raise IndexBusy("Another process is writing the search documents.")
            time.sleep(0.05)
        if replace_all:
            session.execute(delete(SearchEntry))
        yield _PostgresWriter(session, self)

    def search(self, session, query: Query, sort: str, page: int, per_page: int):
        """Return one page of matches, the total and the tag facets."""
        plan = self._plan(query)
        if plan is None:
            return Results()
        conditions, tsquery = plan
        total = session.scalar(
            select(func.count()).select_from(SearchEntry).where(*conditions)
        )
        if not total:
            return Results()
        rows = session.execute(
            select(SearchEntry.post_id, SearchEntry.body)
            .where(*conditions)
            .order_by(*self._ordering(sort, tsquery))
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        return Results(
            [
                Hit(post_id, snippet)
                for post_id, snippet in self._snippets(session, rows, tsquery)
            ],
            total,
            self._facets(session, conditions, self._ordering(sort, tsquery)),
        )

    def similar(self, session, text: str, tags, limit: int, exclude=None) -> list[int]:
        """Return the ids of the questions sharing the most title words and tags."""
        words = list(dict.fromkeys(english_words(text)))[:SIMILAR_TERMS]
        tags = [tag for tag in dict.fromkeys(tags) if valid_tag(tag)][:SIMILAR_TERMS]
        # Weights A and B are the title and the tag names (see _vector).
        options = [func.to_tsquery(_english(), _quoted(word) + ":AB") for word in words]
        options += [cast(literal(_quoted(f"[{tag}]")), TSQUERY) for tag in tags]
        if not options:
            return []
        tsquery = reduce(lambda left, right: left.op("||")(right), options)
        statement = select(SearchEntry.post_id).where(
            SearchEntry.document.bool_op("@@")(tsquery),
            SearchEntry.type == QUESTION,
        )
        if exclude is not None:
            statement = statement.where(SearchEntry.post_id != exclude)
        rank = func.ts_rank(SearchEntry.document, tsquery)
        return list(
            session.scalars(
                statement.order_by(
                    rank.desc(), SearchEntry.created_at.desc(), SearchEntry.post_id
                ).limit(limit)
            )
        )

    def suggest(self, session, words: list[str]) -> dict[str, str]:
        """Return the closest title or tag word for each word no title or tag has."""
        vocabulary = self._words(session)
        known = set(vocabulary)
        suggestions = {}
        for word in words:
            lowered = word.lower()
            if not SPELLABLE.fullmatch(lowered) or lowered in known:
                continue
            candidates = [w for w in vocabulary if w[0] == lowered[0]]
            found = difflib.get_close_matches(lowered, candidates, n=1, cutoff=0.75)
            if found:
                suggestions[word] = found[0]
        return suggestions

    def digests(self, session) -> dict[int, str]:
        """Return the digest of every stored document by post id."""
        return dict(
            session.execute(select(SearchEntry.post_id, SearchEntry.digest)).all()
        )

    def forget_vocabulary(self) -> None:
        """Make the next suggestion read the words again."""
        self._vocabulary_at = 0.0

    # ---- helpers ----

    def _words(self, session) -> list[str]:
        """Return the words of question titles and tag names, cached for a while."""
        if time.monotonic() - self._vocabulary_at > VOCABULARY_SECONDS:
            statistics = func.ts_stat(
                "SELECT to_tsvector('simple', title) FROM search_documents "
                "WHERE type = 'question'"
            ).table_valued("word")
            words = set(session.scalars(select(statistics.c.word)))
            for name in session.scalars(select(Tag.name).where(Tag.question_count > 0)):
                words.update(name.replace(".", "-").split("-"))
            self._vocabulary = sorted(
                word
                for word in words
                if SPELLABLE.fullmatch(word) and word not in STOP_WORDS
            )
            self._vocabulary_at = time.monotonic()
        return self._vocabulary

    @staticmethod
    def _part(part: TextPart):
        """Return the tsquery of a planned piece of text."""
        options = []
        if part.english:
            if part.title:
                # Weight A is the title: the lexemes must come from there.
                options.append(func.to_tsquery(_english(), _quoted(part.text) + ":A"))
            elif part.phrase:
                options.append(func.phraseto_tsquery(_english(), part.text))
            else:
                # The words Whoosh would match too: no one-letter words.
                words = " ".join(english_words(part.text))
                options.append(func.plainto_tsquery(_english(), words))
        if part.code:
            joiner = " <-> " if part.phrase else " & "
            literal_query = joiner.join(_quoted(token) for token in part.code)
            options.append(cast(literal(literal_query), TSQUERY))
        return reduce(lambda left, right: left.op("||")(right), options)

    def _plan(self, query: Query):
        """Return the WHERE conditions and the ranking tsquery, or None for no match."""
        if not query.types or not all(valid_tag(tag) for tag in query.tags):
            return None
        document = SearchEntry.document
        parts = text_parts(query)
        positive = [self._part(part) for part in parts if not part.optional]
        optional = [self._part(part) for part in parts if part.optional]
        if optional:
            positive.append(reduce(lambda left, right: left.op("||")(right), optional))
        conditions = [document.bool_op("@@")(tsquery) for tsquery in positive]
        filters = self._filters(query)
        excluded = [self._part(part) for part in excluded_parts(query)]
        excluded += [
            cast(literal(_quoted(f"[{tag}]")), TSQUERY)
            for tag in query.excluded_tags
            if valid_tag(tag)
        ]
        if not (conditions or filters or excluded):
            return None
        conditions += filters
        conditions += [~document.bool_op("@@")(tsquery) for tsquery in excluded]
        tsquery = (
            reduce(lambda left, right: left.op("&&")(right), positive)
            if positive
            else None
        )
        return conditions, tsquery

    @staticmethod
    def _filters(query: Query) -> list:
        """Return the WHERE conditions of the query's operators."""
        entry = SearchEntry
        filters = []
        if len(query.types) == 1:
            filters.append(
                entry.type == (QUESTION if QUESTION in query.types else ANSWER)
            )
        filters += [
            entry.document.bool_op("@@")(cast(literal(_quoted(f"[{tag}]")), TSQUERY))
            for tag in query.tags
        ]
        if query.user_id is not None:
            filters.append(entry.author_id == query.user_id)
        for column, wanted in (
            (entry.score, query.score),
            (entry.answer_count, query.answers),
        ):
            if wanted is not None and wanted.low is not None:
                filters.append(column >= wanted.low)
            if wanted is not None and wanted.high is not None:
                filters.append(column <= wanted.high)
        for column, flag in (
            (entry.accepted, query.is_accepted),
            (entry.has_accepted, query.has_accepted),
            (entry.closed, query.closed),
        ):
            if flag is not None:
                filters.append(column.is_(flag))
        if query.created is not None:
            if query.created.start is not None:
                filters.append(entry.created_at >= query.created.start)
            if query.created.end is not None:
                filters.append(entry.created_at < query.created.end)
        if query.microlearn is not None:
            filters.append(entry.microlearn == query.microlearn)
        return filters

    @staticmethod
    def _ordering(sort: str, tsquery) -> list:
        """Return the ORDER BY clauses of a sort."""
        newest = [SearchEntry.created_at.desc(), SearchEntry.post_id.desc()]
        if sort == "votes":
            return [SearchEntry.score.desc(), *newest]
        if sort == "newest" or tsquery is None:
            return newest
        return [func.ts_rank_cd(SearchEntry.document, tsquery).desc(), *newest]

    @staticmethod
    def _snippets(session, rows, tsquery):
        """Yield each row's post id with its body, matched terms marked."""
        if tsquery is None:
            for post_id, body in rows:
                yield post_id, leading_text(body)
            return
        body = func.translate(SearchEntry.body, "<>", ANGLE_STANDINS)
        headlines = dict(
            session.execute(
                select(
                    SearchEntry.post_id,
                    func.ts_headline(_english(), body, tsquery, HEADLINE),
                ).where(SearchEntry.post_id.in_([post_id for post_id, _ in rows]))
            ).all()
        )
        angles = str.maketrans(ANGLE_STANDINS, "<>")
        for post_id, body in rows:
            headline = (headlines.get(post_id) or "").translate(angles)
            yield (
                post_id,
                marked_html(headline) if MARK_START in headline else leading_text(body),
            )

    @staticmethod
    def _facets(session, conditions, ordering) -> list[tuple[str, int]]:
        """Return the most common tags of the first FACET_SAMPLE hits, with counts."""
        top = (
            select(SearchEntry.tags)
            .where(and_(*conditions))
            .order_by(*ordering)
            .limit(FACET_SAMPLE)
            .subquery()
        )
        tags = select(
            func.unnest(func.string_to_array(func.btrim(top.c.tags), " ")).label("tag")
        ).subquery()
        count = func.count().label("count")
        return [
            (tag, number)
            for tag, number in session.execute(
                select(tags.c.tag, count)
                .where(tags.c.tag != "")
                .group_by(tags.c.tag)
                .order_by(count.desc(), tags.c.tag)
                .limit(FACETS)
            )
        ]

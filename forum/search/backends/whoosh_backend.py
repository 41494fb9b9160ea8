"""The embedded default: a Whoosh index in the instance folder.

Whoosh allows one writer per index at a time, across threads and processes:
``writer`` waits up to its timeout for the lock and otherwise raises IndexBusy,
so the outbox keeps the work for the next round. There is no AsyncWriter here:
its background thread can lose writes.
"""

import fcntl
import os
import threading
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from whoosh import columns, highlight, index, sorting
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.query import And, AndNot, Every, Not, NumericRange, Or, Phrase, Term
from whoosh.writing import CLEAR

from forum.search.analysis import (
    CODE_PATTERN,
    CODE_TOKEN_MAX,
    MARK_END,
    MARK_START,
    STOP_WORDS,
    WORD_PATTERN,
)
from forum.search.backends import (
    FACET_SAMPLE,
    FACETS,
    SNIPPET_CHARS,
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
)
from forum.search.documents import Document
from forum.search.query import ANSWER, QUESTION, Query

# A new name when the schema changes: the old index is left alone and
# `search check` reports everything missing until `search reindex` runs.
INDEX_NAME = "knowhow_v2"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ENGLISH = (
    RegexTokenizer(WORD_PATTERN)
    | LowercaseFilter()
    | StopFilter(stoplist=STOP_WORDS, minsize=2)
    | StemFilter(lang="en")
)
CODE = (
    RegexTokenizer(CODE_PATTERN)
    | LowercaseFilter()
    | StopFilter(stoplist=(), minsize=1, maxsize=CODE_TOKEN_MAX)
)
PLAIN = (
    RegexTokenizer(WORD_PATTERN)
    | LowercaseFilter()
    | StopFilter(stoplist=STOP_WORDS, minsize=2)
)


def _exact_number(bits: int = 32, **options) -> NUMERIC:
    """Return a number field indexed as one term per value.

    Whoosh's default indexes 8 to 16 terms per value to speed up wide ranges;
    these fields hold few distinct values (or are matched exactly), so one term
    keeps indexing fast and ranges still cheap.
    """
    return NUMERIC(int, bits=bits, shift_step=bits, **options)


SCHEMA = Schema(
    post_id=ID(stored=True, unique=True),
    # Only for sorting: a column, not indexed.
    pid=COLUMN(columns.NumericColumn("i")),
    type=ID(),
    title=TEXT(analyzer=ENGLISH),
    tagtext=TEXT(analyzer=ENGLISH),
    body=TEXT(analyzer=ENGLISH, stored=True),
    code=TEXT(analyzer=CODE),
    tags=KEYWORD(),
    # The tags again as a column, to count the facets of the top hits.
    tag_names=COLUMN(columns.VarBytesColumn()),
    author_id=_exact_number(),
    score=_exact_number(sortable=True),
    answer_count=_exact_number(),
    accepted=BOOLEAN(),
    has_accepted=BOOLEAN(),
    closed=BOOLEAN(),
    # Distinct per post: four terms per value keep created: ranges short.
    created=NUMERIC(int, bits=64, shift_step=16, sortable=True),
    microlearn=ID(),
    spell=TEXT(analyzer=PLAIN),
    digest=STORED(),
)
# How much a match in each field counts, relative to the body.
BOOSTS = {"title": 3.0, "tagtext": 2.0, "body": 1.0}
# Similar questions look up this many of a title's and tags' rarest words.
SIMILAR_RAREST = 4
# The writer's memory before it sorts postings on disk: a rebuild gets more.
UPDATE_MB, REBUILD_MB = 64, 512


def _micros(moment: datetime) -> int:
    """Return a time as whole microseconds since 1970, which Whoosh can sort."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def _fields(document: Document) -> dict:
    """Return the Whoosh fields of a document."""
    is_question = document.is_question
    fields = {
        "post_id": str(document.post_id),
        "pid": document.post_id,
        "type": document.type,
        # An answer does not match on its question's title.
        "title": document.title if is_question else "",
        "tagtext": " ".join(document.tags) if is_question else "",
        "body": document.body,
        "code": document.code,
        "tags": " ".join(document.tags),
        "tag_names": " ".join(document.tags).encode(),
        "author_id": document.author_id,
        "score": document.score,
        "answer_count": document.answer_count,
        "accepted": document.accepted,
        "has_accepted": document.has_accepted,
        "closed": document.closed,
        "created": _micros(document.created_at),
        "microlearn": document.microlearn,
        "spell": f"{document.title} {' '.join(document.tags)}" if is_question else "",
        "digest": document.digest,
    }
    # An empty ID would still be indexed, as the term "".
    return {name: value for name, value in fields.items() if value != ""}


class _Marks(highlight.Formatter):
    """Wrap matched terms in the sentinels that marked_html turns into <mark>."""

    between = " … "

    def format_token(self, text, token, replace=False):
        """Return a matched term between the sentinels."""
        return MARK_START + highlight.get_text(text, token, replace) + MARK_END


class _WhooshWriter(Writer):
    """Puts and removes documents through one Whoosh writer."""

    def __init__(self, writer, replace_all: bool):
        self._writer = writer
        self._replace_all = replace_all
        self.changed = replace_all

    def put(self, documents: list[Document]) -> None:
        """Add the documents, replacing any with the same post id."""
        for document in documents:
            self.changed = True
            if self._replace_all:
                self._writer.add_document(**_fields(document))
            else:
                self._writer.update_document(**_fields(document))

    def remove(self, post_ids) -> None:
        """Remove the documents of these posts."""
        for post_id in post_ids:
            self.changed = True
            self._writer.delete_by_term("post_id", str(post_id))


class WhooshBackend(Backend):
    """A Whoosh index in one folder."""

    name = "whoosh"

    def __init__(self, directory: str):
        self.directory = directory
        self._index = None
        self._opening = threading.Lock()
        # Each thread keeps its searcher between searches (opening one reads
        # every segment's metadata) and refreshes it when the index changed.
        self._local = threading.local()

    def _open(self):
        """Return the index, creating it on first use."""
        with self._opening:
            if self._index is None:
                os.makedirs(self.directory, exist_ok=True)
                # Only one process may create the index; the others open it.
                lock_path = os.path.join(self.directory, f"{INDEX_NAME}.create-lock")
                with open(lock_path, "a") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    if index.exists_in(self.directory, indexname=INDEX_NAME):
                        self._index = index.open_dir(
                            self.directory, indexname=INDEX_NAME
                        )
                    else:
                        self._index = index.create_in(
                            self.directory, SCHEMA, indexname=INDEX_NAME
                        )
            return self._index

    def _searcher(self):
        """Return this thread's searcher, reopened if the index changed since."""
        searcher = getattr(self._local, "searcher", None)
        # up_to_date() compares generations: a directory listing. Whoosh's own
        # refresh() is not used: in whoosh-reloaded 2.7.5 it keeps the old
        # segments, so replaced and cleared documents would be found again.
        if searcher is not None and searcher.up_to_date():
            return searcher
        if searcher is not None:
            searcher.close()
        searcher = self._local.searcher = self._open().searcher()
        return searcher

    @contextmanager
    def writer(self, session, timeout: float, *, replace_all: bool = False):
        """Hold the index's write lock and commit what was written on exit."""
        try:
            writer = self._open().writer(
                timeout=timeout, limitmb=REBUILD_MB if replace_all else UPDATE_MB
            )
        except LockError:
            raise IndexBusy("Another process is writing the search index.") from None
        wrapped = _WhooshWriter(writer, replace_all)
        try:
            yield wrapped
        except BaseException:
            writer.cancel()
            raise
        if not wrapped.changed:
            # An empty commit would still write a new generation of the index.
            writer.cancel()
        elif replace_all:
            writer.commit(mergetype=CLEAR)
        else:
            writer.commit()

    def search(self, session, query: Query, sort: str, page: int, per_page: int):
        """Return one page of matches, the total and the tag facets."""
        built, has_text = self._build(query)
        if built is None:
            return Results()
        searcher = self._searcher()
        # The facets count the tags of the first FACET_SAMPLE hits: grouping
        # every match would score every match. Without the block-skipping
        # optimisation the one pass that scores also counts every match (with
        # it, the total needs a second pass, which costs more than it saves).
        results = searcher.search(
            built,
            limit=max(page * per_page, FACET_SAMPLE),
            sortedby=self._sorting(sort, has_text),
            optimize=False,
        )
        results.formatter = _Marks()
        results.fragmenter = highlight.ContextFragmenter(
            maxchars=SNIPPET_CHARS, surround=60
        )
        hits = [
            Hit(int(hit["post_id"]), self._snippet(hit))
            for hit in results[(page - 1) * per_page : page * per_page]
        ]
        return Results(hits, len(results), self._facets(searcher, results))

    @staticmethod
    def _facets(searcher, results) -> list[tuple[str, int]]:
        """Return the most common tags of the first FACET_SAMPLE hits, with counts."""
        sample = min(results.scored_length(), FACET_SAMPLE)
        if not sample:
            return []
        names = searcher.reader().column_reader("tag_names")
        counts = Counter()
        for rank in range(sample):
            counts.update(names[results.docnum(rank)].decode().split())
        facets = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return facets[:FACETS]

    def similar(self, session, text: str, tags, limit: int, exclude=None) -> list[int]:
        """Return the ids of the questions sharing the most title words and tags."""
        searcher = self._searcher()
        words = {word: "title" for word in self._stems(text)}
        tag_words = {
            word: "tagtext" for word in self._stems(" ".join(tags)) if word not in words
        }
        # The rarest terms say most about a question, and the common ones cost
        # the most to look up: keep the few rarest of the title and tag words.
        terms = sorted(
            {**words, **tag_words}.items(),
            key=lambda item: searcher.doc_frequency(item[1], item[0]),
        )[:SIMILAR_RAREST]
        # Only questions have titles and tag words, so no type filter is needed.
        clauses = [
            Term(fieldname, word, boost=BOOSTS[fieldname])
            for word, field in terms
            for fieldname in (("title", "tagtext") if field == "title" else (field,))
        ]
        if not clauses:
            return []
        built = Or(clauses)
        if exclude is not None:
            built = AndNot(built, Term("post_id", str(exclude)))
        return [int(hit["post_id"]) for hit in searcher.search(built, limit=limit)]

    def suggest(self, session, words: list[str]) -> dict[str, str]:
        """Return the closest title or tag word for each word no title or tag has."""
        suggestions = {}
        searcher = self._searcher()
        corrector = searcher.corrector("spell")
        for word in words:
            lowered = word.lower()
            if not SPELLABLE.fullmatch(lowered):
                continue
            if searcher.doc_frequency("spell", lowered):
                continue
            found = corrector.suggest(lowered, limit=1, maxdist=2, prefix=1)
            if found and found[0] != lowered:
                suggestions[word] = found[0]
        return suggestions

    def digests(self, session) -> dict[int, str]:
        """Return the digest of every indexed document by post id."""
        with self._open().searcher() as searcher:
            return {
                int(fields["post_id"]): fields["digest"]
                for fields in searcher.all_stored_fields()
            }

    # ---- query building ----

    @staticmethod
    def _stems(text: str) -> list[str]:
        """Return the English terms of text as the index stores them."""
        return [token.text for token in ENGLISH(text)]

    @staticmethod
    def _sequence(fieldname: str, terms: list[str], boost: float = 1.0, *, phrase):
        """Match all terms in a field, next to each other if phrase."""
        if len(terms) == 1:
            return Term(fieldname, terms[0], boost=boost)
        if phrase:
            return Phrase(fieldname, terms, boost=boost)
        return And([Term(fieldname, term, boost=boost) for term in terms])

    def _part(self, part: TextPart):
        """Return the Whoosh clause for a planned piece of text, or None."""
        stems = self._stems(part.text) if part.english else []
        if part.title:
            fields = {"title": BOOSTS["title"]} if stems else {}
        else:
            fields = BOOSTS if stems else {}
        phrase = part.phrase or part.title
        options = [
            self._sequence(name, stems, boost, phrase=phrase)
            for name, boost in fields.items()
        ]
        if part.code and not part.title:
            options.append(self._sequence("code", list(part.code), phrase=phrase))
        if len(options) < 2:
            return options[0] if options else None
        return Or(options)

    def _build(self, query: Query):
        """Return the Whoosh query and whether it has words, or None for no match."""
        if not query.types:
            return None, False
        parts = text_parts(query)
        text = [
            clause
            for clause in map(self._part, [p for p in parts if not p.optional])
            if clause is not None
        ]
        optional = [
            clause
            for clause in map(self._part, [p for p in parts if p.optional])
            if clause is not None
        ]
        if optional:
            text.append(Or(optional))
        filters = self._filters(query)
        excluded = [
            clause
            for clause in map(self._part, excluded_parts(query))
            if clause is not None
        ]
        excluded += [Term("tags", tag) for tag in query.excluded_tags]
        if not (text or filters or excluded):
            return None, False
        parts = text + filters + [Not(part) for part in excluded]
        if not (text or filters):
            parts.insert(0, Every())
        return And(parts), bool(text)

    @staticmethod
    def _filters(query: Query) -> list:
        """Return the filter clauses of the query's operators."""
        filters = []
        if len(query.types) == 1:
            filters.append(
                Term("type", QUESTION if QUESTION in query.types else ANSWER)
            )
        filters += [Term("tags", tag) for tag in query.tags]
        if query.user_id is not None:
            filters.append(NumericRange("author_id", query.user_id, query.user_id))
        for fieldname, wanted in (
            ("score", query.score),
            ("answer_count", query.answers),
        ):
            if wanted is not None:
                filters.append(NumericRange(fieldname, wanted.low, wanted.high))
        for fieldname, flag in (
            ("accepted", query.is_accepted),
            ("has_accepted", query.has_accepted),
            ("closed", query.closed),
        ):
            if flag is not None:
                filters.append(Term(fieldname, flag))
        if query.created is not None:
            start, end = query.created.start, query.created.end
            filters.append(
                NumericRange(
                    "created",
                    _micros(start) if start else None,
                    _micros(end) - 1 if end else None,
                )
            )
        if query.microlearn is not None:
            filters.append(Term("microlearn", query.microlearn))
        return filters

    @staticmethod
    def _sorting(sort: str, has_text: bool):
        """Return the sort facets, or None to sort by relevance."""
        newest = [
            sorting.FieldFacet("created", reverse=True),
            sorting.FieldFacet("pid", reverse=True),
        ]
        if sort == "votes":
            return sorting.MultiFacet(
                [sorting.FieldFacet("score", reverse=True), *newest]
            )
        if sort == "newest" or not has_text:
            return sorting.MultiFacet(newest)
        return None

    @staticmethod
    def _snippet(hit):
        """Return the hit's body with the matched terms marked."""
        marked = hit.highlights("body", top=2)
        return marked_html(marked) if marked else leading_text(hit["body"])

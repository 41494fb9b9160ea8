"""The search query language: text in, a structured Query out, never an error.

Free words, "exact phrases", `code`, [tag], -[tag], -word, and the operators
user:, score:, answers:, isaccepted:, hasaccepted:, is:, closed:, created:,
intitle: and microlearn:. Anything that is not a known operator with a valid
value is searched as words; a known operator with a bad value also adds a note
that tells the user how to write it.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from forum.extensions import utcnow

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
INT_MAX = 2**31 - 1
QUESTION, ANSWER = "question", "answer"

_YES = {"yes", "true", "y", "1"}
_NO = {"no", "false", "n", "0"}
_TYPES = {
    "question": QUESTION,
    "questions": QUESTION,
    "q": QUESTION,
    "answer": ANSWER,
    "answers": ANSWER,
    "a": ANSWER,
}
_OPERATOR = re.compile(r"([A-Za-z]+):")
_TAG = re.compile(r"\[([^\]\s]*)\]")
_NUMBER = r"-?\d{1,12}"
_RANGE = re.compile(rf"({_NUMBER})?\.\.({_NUMBER})?")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_RELATIVE = re.compile(r"(\d{1,6})([dwmy])")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MAX_DAYS_BACK = 365 * 100

HINTS = {
    "user": "user:ID or user:me",
    "score": "score:3, score:1..10, score:5.. or score:..-1",
    "answers": "answers:2 or answers:0..1",
    "isaccepted": "isaccepted:yes or isaccepted:no",
    "hasaccepted": "hasaccepted:yes or hasaccepted:no",
    "is": "is:question or is:answer",
    "closed": "closed:yes or closed:no",
    "created": "created:7d, created:2024, created:2024-05 "
    "or created:2024-01-01..2024-03-31",
    "intitle": 'intitle:word or intitle:"some words"',
    "microlearn": "microlearn:KEY",
}
# title: is the Stack Overflow spelling of intitle:.
_ALIASES = {"title": "intitle"}


@dataclass(frozen=True)
class NumberRange:
    """Whole numbers from low to high, both included; None leaves a side open."""

    low: int | None = None
    high: int | None = None

    def contains(self, value: int) -> bool:
        """Tell whether value lies in the range."""
        return (self.low is None or value >= self.low) and (
            self.high is None or value <= self.high
        )


@dataclass(frozen=True)
class TimeRange:
    """Times from start (included) to end (excluded); None leaves a side open."""

    start: datetime | None = None
    end: datetime | None = None

    def contains(self, value: datetime) -> bool:
        """Tell whether value lies in the range."""
        return (self.start is None or value >= self.start) and (
            self.end is None or value < self.end
        )


@dataclass
class Query:
    """What a search asks for, as the parser understood it."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    title_words: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excluded_tags: list[str] = field(default_factory=list)
    user_id: int | None = None
    user_me: bool = False
    score: NumberRange | None = None
    answers: NumberRange | None = None
    is_accepted: bool | None = None
    has_accepted: bool | None = None
    post_type: str | None = None
    closed: bool | None = None
    created: TimeRange | None = None
    microlearn: str | None = None
    notes: list[str] = field(default_factory=list)
    # Set by the search service when no post has every free word: then any of
    # them will do (phrases, tags and operators still must match).
    match_any: bool = False
    # Where each free word sits in text, for "did you mean" replacements.
    word_spans: list[tuple[int, int]] = field(default_factory=list, compare=False)

    @property
    def types(self) -> frozenset[str]:
        """Return the post types that can match: some operators imply one."""
        types = {QUESTION, ANSWER}
        if self.post_type:
            types &= {self.post_type}
        question_only = (
            self.answers,
            self.has_accepted,
            self.closed,
            self.microlearn,
            self.title_words or None,
        )
        if any(value is not None for value in question_only):
            types &= {QUESTION}
        if self.is_accepted is not None:
            types &= {ANSWER}
        return frozenset(types)

    @property
    def has_text(self) -> bool:
        """Tell whether the query has words to look for."""
        return bool(self.words or self.phrases or self.code or self.title_words)

    @property
    def is_empty(self) -> bool:
        """Tell whether the query asks for nothing at all."""
        return self == Query(text=self.text, notes=self.notes)

    def plain_text(self) -> str:
        """Return the free words and phrases without any operator."""
        return " ".join([*self.words, *self.phrases, *self.code])


def parse(text: str, now: datetime | None = None) -> Query:
    """Turn search text into a Query; unknown or malformed parts become words."""
    text = _clean(text)
    query = Query(text=text)
    now = now or utcnow()
    position, terms = 0, 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        if terms == MAX_TERMS:
            query.notes.append(f"Only the first {MAX_TERMS} terms were used.")
            break
        terms += 1
        position = _parse_term(text, position, query, now)
    return query


def _clean(text) -> str:
    """Return text without NUL, lone surrogates or other unstorable characters."""
    text = text if isinstance(text, str) else ""
    text = text.encode("utf-8", "ignore").decode("utf-8").replace("\x00", "")
    return text[:MAX_QUERY_CHARS]


def _quoted(text: str, start: int, quote: str) -> tuple[str, int]:
    """Return the text up to the closing quote (or the end) and where it stops."""
    end = text.find(quote, start + 1)
    if end < 0:
        return text[start + 1 :], len(text)
    return text[start + 1 : end], end + 1


def _token_end(text: str, start: int) -> int:
    """Return where the white-space-delimited token starting at start ends."""
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def _parse_term(text: str, position: int, query: Query, now: datetime) -> int:
    """Add the term that starts at position to the query; return where it ends."""
    negated = (
        text[position] == "-"
        and position + 1 < len(text)
        and not text[position + 1].isspace()
        and text[position + 1] != "-"
    )
    start = position + 1 if negated else position
    char = text[start]
    if char in '"`':
        value, end = _quoted(text, start, char)
        value = " ".join(value.split())
        if value:
            if negated:
                query.excluded.append(value)
            elif char == '"':
                query.phrases.append(value)
            else:
                query.code.append(value)
        return end
    if char == "[":
        match = _TAG.match(text, start)
        if match and match.group(1):
            tag = match.group(1).lower()
            (query.excluded_tags if negated else query.tags).append(tag)
            return match.end()
    operator = None if negated else _OPERATOR.match(text, start)
    if operator:
        name = operator.group(1).lower()
        name = _ALIASES.get(name, name)
        if name in HINTS:
            value_start = operator.end()
            if text[value_start : value_start + 1] == '"':
                value, end = _quoted(text, value_start, '"')
                value = " ".join(value.split())
            else:
                end = _token_end(text, value_start)
                value = text[value_start:end]
            if _apply_operator(query, name, value, now):
                return end
            query.notes.append(
                f"“{text[start:end][:60]}” is not a filter we understand, so we "
                f"searched for it as words. Write it like {HINTS[name]}."
            )
            _add_word(query, text, start, end)
            return end
    end = _token_end(text, start)
    if negated:
        query.excluded.append(text[start:end])
    else:
        _add_word(query, text, start, end)
    return end


def _add_word(query: Query, text: str, start: int, end: int) -> None:
    """Add text[start:end] as a free word."""
    query.words.append(text[start:end])
    query.word_spans.append((start, end))


def _apply_operator(query: Query, name: str, value: str, now: datetime) -> bool:
    """Set the operator on the query; tell whether its value was valid."""
    lowered = value.lower()
    if name == "user":
        if lowered == "me":
            query.user_me, query.user_id = True, None
            return True
        if value.isascii() and value.isdigit() and len(value) <= 12:
            query.user_id, query.user_me = min(int(value), INT_MAX), False
            return True
        return False
    if name in ("score", "answers"):
        number_range = _number_range(value)
        if number_range is None:
            return False
        setattr(query, name, number_range)
        return True
    if name in ("isaccepted", "hasaccepted", "closed"):
        flag = True if lowered in _YES else False if lowered in _NO else None
        if flag is None:
            return False
        attribute = {"isaccepted": "is_accepted", "hasaccepted": "has_accepted"}
        setattr(query, attribute.get(name, name), flag)
        return True
    if name == "is":
        if lowered not in _TYPES:
            return False
        query.post_type = _TYPES[lowered]
        return True
    if name == "created":
        time_range = _time_range(lowered, now)
        if time_range is None:
            return False
        query.created = time_range
        return True
    if name == "intitle":
        if not value:
            return False
        query.title_words.append(value)
        return True
    if name == "microlearn":
        if not value:
            return False
        query.microlearn = lowered
        return True
    return False


def _clamp(number: str | None) -> int | None:
    """Return the number as an int that fits the database, or None."""
    if number is None:
        return None
    return max(-INT_MAX, min(INT_MAX, int(number)))


def _number_range(value: str) -> NumberRange | None:
    """Read N (at least N), N..M, N.. or ..M; None if it is none of those."""
    if not value.isascii():
        return None
    if re.fullmatch(_NUMBER, value):
        return NumberRange(_clamp(value), None)
    match = _RANGE.fullmatch(value)
    if not match or match.group(1) is None and match.group(2) is None:
        return None
    low, high = _clamp(match.group(1)), _clamp(match.group(2))
    if low is not None and high is not None and low > high:
        low, high = high, low
    return NumberRange(low, high)


def _time_range(value: str, now: datetime) -> TimeRange | None:
    """Read 7d, 2024, 2024-05, 2024-05-01 or a range of them with ".."."""
    if not value.isascii():
        return None
    if ".." not in value:
        single = _time_span(value, now)
        return TimeRange(*single) if single else None
    low, _, high = value.partition("..")
    if not low and not high:
        return None
    start = end = None
    if low:
        span = _time_span(low, now)
        if span is None:
            return None
        start = span[0]
    if high:
        span = _time_span(high, now)
        if span is None:
            return None
        # "..7d" means before seven days ago; "..2024" means up to the end of 2024.
        end = span[0] if _RELATIVE.fullmatch(high) else span[1]
    if start and end and start > end:
        start, end = end, start
    return TimeRange(start, end)


def _time_span(value: str, now: datetime) -> tuple[datetime, datetime | None] | None:
    """Return the start and end of one time spec, or None if it is not one."""
    relative = _RELATIVE.fullmatch(value)
    if relative:
        days = min(int(relative.group(1)) * _DAYS[relative.group(2)], _MAX_DAYS_BACK)
        return now - timedelta(days=days), None
    date = _DATE.fullmatch(value)
    if not date:
        return None
    year, month, day = date.groups()
    try:
        if day:
            start = datetime(int(year), int(month), int(day), tzinfo=UTC)
            return start, start + timedelta(days=1)
        if month:
            start = datetime(int(year), int(month), 1, tzinfo=UTC)
            following = (
                datetime(int(year) + 1, 1, 1, tzinfo=UTC)
                if int(month) == 12
                else datetime(int(year), int(month) + 1, 1, tzinfo=UTC)
            )
            return start, following
        return (
            datetime(int(year), 1, 1, tzinfo=UTC),
            datetime(int(year) + 1, 1, 1, tzinfo=UTC),
        )
    except (ValueError, OverflowError):
        # Month 13, 31 February, year 0 or the end of year 9999.
        return None

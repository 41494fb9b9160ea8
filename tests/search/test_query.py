"""The query parser: one test per operator, and it never raises on any text."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.search.query import (
    ANSWER,
    MAX_TERMS,
    QUESTION,
    NumberRange,
    TimeRange,
    parse,
)

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)


def test_free_words_are_kept_in_order():
    """Plain words become free words, in the order typed."""
    query = parse("reset  laptop password")
    assert query.words == ["reset", "laptop", "password"]
    assert not query.notes


def test_word_spans_point_into_the_text():
    """Each free word knows where it sits, for spelling suggestions."""
    query = parse('fix "exact one" printr')
    assert [query.text[a:b] for a, b in query.word_spans] == ["fix", "printr"]


def test_exact_phrase():
    """Text in double quotes is one phrase; an unclosed quote runs to the end."""
    assert parse('"expense report" travel').phrases == ["expense report"]
    assert parse('"expense report').phrases == ["expense report"]


def test_backticks_are_exact_code():
    """Text in backticks is an exact code phrase."""
    query = parse("`git rebase` conflict")
    assert query.code == ["git rebase"]
    assert query.words == ["conflict"]


def test_tag():
    """[name] asks for a tag, lower-cased."""
    assert parse("[Onboarding] laptop").tags == ["onboarding"]


def test_excluded_tag():
    """-[name] leaves a tag out."""
    query = parse("rota -[weekend]")
    assert query.excluded_tags == ["weekend"]
    assert query.tags == []


def test_excluded_word_and_phrase():
    """-word and -"phrase" leave text out."""
    query = parse('rota -weekend -"night shift"')
    assert query.excluded == ["weekend", "night shift"]
    assert query.words == ["rota"]


def test_double_dash_is_a_word_not_an_exclusion():
    """A command-line flag like --force is searched, not excluded."""
    assert parse("--force").words == ["--force"]


def test_user_id():
    """user:ID asks for posts by one member."""
    query = parse("user:42")
    assert query.user_id == 42 and not query.user_me


def test_user_me():
    """user:me asks for the viewer's own posts."""
    assert parse("user:me").user_me


@pytest.mark.parametrize(
    "text, expected",
    [
        ("score:3", NumberRange(3, None)),
        ("score:-2", NumberRange(-2, None)),
        ("score:1..10", NumberRange(1, 10)),
        ("score:5..", NumberRange(5, None)),
        ("score:..-1", NumberRange(None, -1)),
        ("score:10..1", NumberRange(1, 10)),
    ],
)
def test_score(text, expected):
    """score:N is at least N; N..M, N.. and ..M are ranges."""
    assert parse(text).score == expected


def test_huge_numbers_are_clamped():
    """A number too large for the database is clamped, not an error."""
    assert parse("score:99999999999").score == NumberRange(2**31 - 1, None)


def test_answers():
    """answers:N asks for questions with at least N answers."""
    query = parse("answers:2")
    assert query.answers == NumberRange(2, None)
    assert query.types == {QUESTION}


@pytest.mark.parametrize("value, expected", [("yes", True), ("no", False)])
def test_isaccepted(value, expected):
    """isaccepted:yes|no asks for (not) accepted answers."""
    query = parse(f"isaccepted:{value}")
    assert query.is_accepted is expected
    assert query.types == {ANSWER}


@pytest.mark.parametrize("value, expected", [("yes", True), ("NO", False)])
def test_hasaccepted(value, expected):
    """hasaccepted:yes|no asks for questions with(out) an accepted answer."""
    query = parse(f"hasaccepted:{value}")
    assert query.has_accepted is expected
    assert query.types == {QUESTION}


@pytest.mark.parametrize(
    "value, expected", [("question", QUESTION), ("answer", ANSWER)]
)
def test_is(value, expected):
    """is:question|answer limits the post type."""
    assert parse(f"is:{value}").types == {expected}


def test_closed():
    """closed:yes|no asks about closed questions."""
    query = parse("closed:no")
    assert query.closed is False
    assert query.types == {QUESTION}


def test_contradicting_types_match_nothing():
    """is:answer with a question-only operator leaves no type to match."""
    assert parse("is:answer hasaccepted:yes").types == frozenset()


@pytest.mark.parametrize(
    "value, start, end",
    [
        (
            "2024-01-01..2024-03-31",
            datetime(2024, 1, 1, tzinfo=UTC),
            datetime(2024, 4, 1, tzinfo=UTC),
        ),
        ("2024", datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)),
        ("2024-05", datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC)),
        (
            "2023-12",
            datetime(2023, 12, 1, tzinfo=UTC),
            datetime(2024, 1, 1, tzinfo=UTC),
        ),
        (
            "2024-05-02",
            datetime(2024, 5, 2, tzinfo=UTC),
            datetime(2024, 5, 3, tzinfo=UTC),
        ),
        ("7d", datetime(2024, 6, 8, 12, 0, tzinfo=UTC), None),
        ("2w", datetime(2024, 6, 1, 12, 0, tzinfo=UTC), None),
        ("2024-06..", datetime(2024, 6, 1, tzinfo=UTC), None),
        ("..2023", None, datetime(2024, 1, 1, tzinfo=UTC)),
        ("..7d", None, datetime(2024, 6, 8, 12, 0, tzinfo=UTC)),
    ],
)
def test_created(value, start, end):
    """created: takes days, months, years, ranges of them and recent periods."""
    assert parse(f"created:{value}", now=NOW).created == TimeRange(start, end)


def test_intitle():
    """intitle:word and intitle:"words" look in question titles."""
    query = parse('intitle:printer intitle:"paper jam"')
    assert query.title_words == ["printer", "paper jam"]
    assert query.types == {QUESTION}


def test_title_is_an_alias_of_intitle():
    """title: works like intitle:, as on Stack Overflow."""
    assert parse("title:printer").title_words == ["printer"]


def test_microlearn():
    """microlearn:KEY asks for questions linked to a microlearn."""
    query = parse("microlearn:Fire-Safety-101")
    assert query.microlearn == "fire-safety-101"
    assert query.types == {QUESTION}


def test_operators_ignore_case():
    """Operator names work in any case."""
    assert parse("IS:Question").types == {QUESTION}


def test_unknown_operator_is_a_word():
    """An operator we do not know is searched as a word, without complaint."""
    query = parse("version:2 laptop")
    assert query.words == ["version:2", "laptop"]
    assert not query.notes


@pytest.mark.parametrize(
    "text",
    [
        "score:lots",
        "isaccepted:maybe",
        "is:comment",
        "created:yesterday",
        "created:2024-13",
        "created:2024-02-30",
        "created:9999",
        "user:bob",
    ],
)
def test_a_bad_value_becomes_a_word_with_a_note(text):
    """A known operator with a bad value is searched as words and explained."""
    query = parse(text)
    assert query.words == [text]
    assert len(query.notes) == 1
    assert "searched for it as words" in query.notes[0]


def test_a_negated_operator_is_an_excluded_word():
    """-user:5 is not a filter; it leaves out the words, like any -word."""
    query = parse("-user:5")
    assert query.excluded == ["user:5"]
    assert query.user_id is None


def test_too_many_terms_are_cut_with_a_note():
    """Only the first terms are used, and the page says so."""
    query = parse(" ".join(f"w{n}" for n in range(MAX_TERMS + 5)))
    assert len(query.words) == MAX_TERMS
    assert query.notes


def test_nul_and_lone_surrogates_are_dropped():
    """Characters the database cannot store never reach it."""
    query = parse("lap\x00top \ud800x")
    assert query.words == ["laptop", "x"]


def test_plain_text_drops_operators():
    """The text offered as a new question's title has no operators."""
    query = parse('[it] user:3 printer "paper jam" is:question')
    assert query.plain_text() == "printer paper jam"


def test_empty_query():
    """Blank text asks for nothing."""
    assert parse("   ").is_empty
    assert not parse("[x]").is_empty


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_never_raises(text):
    """Any text at all parses to a Query."""
    query = parse(text, now=NOW)
    assert len(query.words) == len(query.word_spans)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "user:",
                    "score:",
                    "answers:",
                    "created:",
                    "intitle:",
                    "is:",
                    "-",
                    "[",
                    "]",
                    '"',
                    "`",
                    "..",
                    "-[",
                    "microlearn:",
                    " ",
                ]
            ),
            st.text(max_size=6),
            st.integers(-(10**15), 10**15).map(str),
        ),
        max_size=12,
    ).map("".join)
)
def test_parse_never_raises_on_operator_soup(text):
    """Operators glued to odd values, quotes and brackets still parse."""
    parse(text, now=NOW)

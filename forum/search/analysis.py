"""How text becomes search terms, the same for both backends.

English text is tokenized like Whoosh's default tokenizer, lower-cased, stripped
of the stop words PostgreSQL's ``english`` configuration also drops (the same
127 Snowball words) and stemmed by each backend (Snowball English in both).
Code keeps its exact tokens: ``__init__``, ``os.path.join``, ``c++`` and
``KeyError`` stay whole, unstemmed, with no stop words, so that ``with`` or
``is`` in a code span can still be found.
"""

import re

# PostgreSQL's english.stop, which is also Whoosh's English list.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by can did do does doing don down during
    each few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own s same
    she should so some such t than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when
    where which while who whom why will with you your yours yourself yourselves
    """.split()
)

# Whoosh's default tokenizer expression: words, with dotted names kept whole.
WORD_PATTERN = r"\w+(\.?\w+)*"
# A code token starts with a word character and does not end in "." or "-".
CODE_PATTERN = r"\w(?:[\w.+#\-]*[\w+#])?"
CODE_TOKEN_MAX = 100
# Marks a highlighted term in snippets; removed from indexed text so that no
# post can forge a highlight.
MARK_START, MARK_END = "\ue000", "\ue001"
# Stand-ins for < and > while PostgreSQL builds a headline: it would take
# "<b>" in plain text for a tag and drop it.
ANGLE_STANDINS = "\ue002\ue003"

_WORD = re.compile(WORD_PATTERN)
_CODE = re.compile(CODE_PATTERN)


def english_words(text: str) -> list[str]:
    """Return the lower-case words of text that a search matches (no stop words)."""
    return [
        match.group().lower()
        for match in _WORD.finditer(text or "")
        if len(match.group()) >= 2 and match.group().lower() not in STOP_WORDS
    ]


def code_tokens(text: str) -> list[str]:
    """Return the exact, lower-case code tokens of text."""
    return [
        token.lower()
        for token in _CODE.findall(text or "")
        if len(token) <= CODE_TOKEN_MAX
    ]


def searchable_code_tokens(text: str) -> list[str]:
    """Return the code tokens of a query word, or none if it is only stop words."""
    tokens = code_tokens(text)
    if all(token in STOP_WORDS or len(token) < 2 for token in tokens):
        return []
    return tokens


def strip_marks(text: str) -> str:
    """Remove the highlight sentinels and stand-ins from text."""
    return (text or "").translate(
        dict.fromkeys(map(ord, MARK_START + MARK_END + ANGLE_STANDINS))
    )

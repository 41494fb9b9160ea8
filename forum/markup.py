"""Turn user-written text into safe HTML: the app's only sanitiser.

Markdown is not a sanitiser (raw HTML, ``onerror`` and ``javascript:`` links pass
straight through python-markdown), so every renderer here sends its output
through bleach with an explicit safelist. HTML that is not on the safelist is
shown as the text the author typed, escaped, as on Stack Overflow: someone
writing about ``<div>`` keeps their words. bleach is in maintenance only: keep
every bleach import in this file so it can be replaced in one place.

Rendering cost is bounded: python-markdown and bleach have inputs that cost
quadratic time, so the text is first defused (see _prepare) and whatever lies
beyond a rendering budget is shown as plain text. bench/markup.py measures
the worst cases.
"""

import re
from bisect import bisect_right
from functools import partial
from html import escape, unescape
from html.parser import HTMLParser

import markdown
from bleach import html5lib_shim
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter, build_url_re
from bleach.sanitizer import Cleaner

# Tags a post may have and a comment may not.
_POST_ONLY_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "dl",
        "dt",
        "dd",
    }
)
COMMENT_TAGS = frozenset({"a", "em", "strong", "code"})
POST_TAGS = _POST_ONLY_TAGS | COMMENT_TAGS | frozenset({"del", "sup", "sub", "kbd"})

LINK_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_DOC_TAG = "knowhow-document"
# Alignment as an attribute, because style attributes are never allowed.
_MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}

# Comments get inline Markdown only: these would make blocks or images.
_BLOCK_PROCESSORS = [
    "indent",
    "code",
    "hashheader",
    "setextheader",
    "hr",
    "olist",
    "ulist",
    "quote",
    "reference",
]
# Two trailing spaces make <br>, which a comment may not have: without this
# it would show as escaped text.
_COMMENT_PATTERNS = ["image_link", "image_reference", "short_image_ref", "linebreak"]

# Keep \t and \n; \r becomes \n first so Windows line breaks survive.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates cannot be encoded as UTF-8, so they would break storage.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Browsers drop tabs and newlines inside URLs and trim controls and spaces
# around them; removing every such character (and all non-ASCII, which cannot
# be part of a scheme) can only reveal more schemes, never hide one.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s`]|[^\x00-\x7f]")
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*(?=:)")
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_#.+\-]{1,40}")
_ALIGN_VALUES = frozenset({"left", "center", "right"})
_PLAIN_TEXT_BREAKS = (_POST_ONLY_TAGS - {"img"}) | {"div", "section", "article"}

# These recurse once per nesting level. Real posts nest a few levels; each
# level re-reads the rest of its block, so deep nesting costs quadratic time.
_NESTING_PROCESSORS = ["olist", "ulist", "indent", "quote"]
_MAX_NESTING = 16
# A table's second line has only these (python-markdown checks its cells).
_SEPARATOR_CHARS = frozenset("|:- \t\\")

# Linkify only makes http(s) links; bleach's default list includes data:.
# Its pattern starts with \(* and so retries every position of a run of "(":
# starting only at the first one, and never giving any back, finds the same
# links in linear time.
_BARE_URL_PATTERN = build_url_re(protocols=["http", "https"]).pattern
_BARE_URL = re.compile(
    _BARE_URL_PATTERN.replace(r"\(*", r"(?<!\()\(*+", 1),
    re.IGNORECASE | re.VERBOSE | re.UNICODE,
)

# Characters that would send python-markdown scanning ahead in vain (a "["
# with no partner, a "<" whose tag never closes) are swapped for stand-ins
# before conversion and back after, so it sees the plain text it would have
# made of them anyway. Stand-ins are control characters that _scrub removes
# from user text, so each one in the text is one that _prepare put there.
_STAND_IN = {
    "[": "\x0e",
    "]": "\x0f",
    "`": "\x10",
    "<": "\x11",
    "(": "\x12",
    "~": "\x13",
}
_STAND_BACK = str.maketrans(
    {stand_in: escape(char) for char, stand_in in _STAND_IN.items()}
)

# Unmatched brackets and tags that never close are text either way, so they
# are always defused; the rest starts above these counts, which ordinary posts
# stay below, so that they render exactly as python-markdown renders them.
_BRACKETS_BEFORE_DEFUSING = 200
_MAX_BRACKET_DEPTH = 8
_BACKTICKS_BEFORE_DEFUSING = 100
_LINKS_BEFORE_DEFUSING = 20
# A tag longer than this is not a tag anyone typed on purpose.
_MAX_TAG_LENGTH = 1000

# The rendering budget, in units of roughly 10 microseconds of python-markdown
# and bleach: what each kind of character can cost by becoming an element or an
# entity (measured with bench/markup.py). The demo posts, all joined up to the
# longest a post may be (30,000 characters), cost about 8,500 units; the part
# of a post beyond the budget shows as plain text.
_BUDGET = 10000
_BLOCK_COST = 10
_FENCED_CODE_COST = 20
_LINE_COST = 6
_LINK_COST = 6
# Per character: emphasis, code, cells, headings, escapes and entities, then
# links, tags and autolinks. An email autolink becomes an entity per character
# of the address, twice.
_MARKER_COSTS = {"*": 4, "_": 2, "`": 3, "|": 6, "#": 2, "\\": 1, "&": 2}
_MARKER_COSTS |= {"[": 4, "]": 4, "<": 3, ">": 2}
# Code in a fenced block costs only its characters that become entities.
_CODE_COSTS = {"<": 1, ">": 1, "&": 1}
_BARE_LINK = re.compile(r"://|www\.")
_MAIL_LINK_COST = 20
_MAIL_LINK = re.compile(r"<[^<> !]+@[^@<> ]+>")  # python-markdown's AUTOMAIL_RE

_FENCES_BEFORE_DEFUSING = 20
# As in python-markdown's fenced_code: no indent, an optional language. A
# fence with {attributes} counts as text: python-markdown may refuse it.
_FENCE_OPENING = re.compile(r"(`{3,}|~{3,})[ \t]*(?:\.?[\w#.+-]*)?[ \t]*")
_FENCE_ALONE = re.compile(r"(`{3,}|~{3,})[ \t]*")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_BACKTICK_RUN = re.compile(r"`+")
_BRACKET_OR_ESCAPE = re.compile(r"\\.|[\[\]]", re.S)
_PAREN = re.compile(r"[()]")
_TAG_START = re.compile(r"<[A-Za-z/?!]")
# How html.parser finds the end of a comment.
_COMMENT_END = re.compile(r"--\s*>")


def render_markdown(text: str) -> str:
    """Render post Markdown to sanitised HTML."""
    md = markdown.Markdown(
        # The nesting limit goes last so it wraps sane_lists' processors.
        extensions=["fenced_code", "tables", "nl2br", "sane_lists", _BlockLimits()],
        extension_configs=_MARKDOWN_CONFIG,
    )
    # Raw HTML that is not allowed will show as text, so it must stay in the
    # paragraph it was written in instead of becoming a block of its own. The
    # document's root stays a block (or blocks lose their line breaks): it
    # gets a name of its own so that a <div> typed by the author is not one.
    md.doc_tag = _DOC_TAG
    md.block_level_elements = [
        tag for tag in md.block_level_elements if tag in POST_TAGS
    ] + [_DOC_TAG]
    source, rest = _prepare(_scrub(text))
    html = _clean(_convert(md, source), POST_TAGS)
    if rest:
        # A newline right after <pre> would be eaten by the next parse.
        pre = "<pre>" + _plain(rest.lstrip("\n")) + "</pre>"
        html = f"{html}\n{pre}" if html else pre
    return html


def render_inline(text: str) -> str:
    """Render comment Markdown (emphasis, code, links) to sanitised inline HTML."""
    md = markdown.Markdown()
    # Without block processors everything is one paragraph per blank-line
    # block, so "# x" or "1. x" stay literal text instead of losing their marks.
    for name in _BLOCK_PROCESSORS:
        md.parser.blockprocessors.deregister(name)
    for name in _COMMENT_PATTERNS:
        md.inlinePatterns.deregister(name)
    # Runs before raw HTML returns, so every <p> left is one Markdown made.
    md.postprocessors.register(_UnwrapParagraphs(md), "unwrap_paragraphs", 40)
    source, rest = _prepare(_scrub(text), fenced=False)
    html = _convert(md, source)
    if rest:
        # Comments are short: bleach may as well see the plain rest too.
        html = f"{html}\n\n{_plain(rest)}"
    return _clean(html, COMMENT_TAGS).strip()


def sanitize_html(html: str) -> str:
    """Clean HTML to the post safelist and linkify bare URLs."""
    return _clean(html, POST_TAGS)


def to_plain_text(html: str, limit: int | None = None) -> str:
    """Reduce sanitised HTML to one line of text, cut at a word if over limit."""
    # Entities come back decoded: this is text, so templates must escape it.
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    if limit is None or len(text) <= limit:
        return text
    if limit < 1:
        return ""
    # Leave room for the ellipsis and avoid ending on half a word.
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def _scrub(text: str) -> str:
    """Remove characters that no post should contain."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # python-markdown uses \x02 and \x03 as placeholder markers, so user
    # text must never contain them; the stand-ins are control characters too.
    text = _CONTROL_CHARS.sub("", text)
    return _SURROGATES.sub("\ufffd", text)


def _convert(md: markdown.Markdown, source: str) -> str:
    """Convert prepared Markdown to HTML, turning stand-ins back into text."""
    return md.convert(source).translate(_STAND_BACK)


def _plain(text: str) -> str:
    """Return text as HTML that shows it exactly as typed."""
    return escape(text, quote=False)


def _prepare(text: str, fenced: bool = True) -> tuple[str, str]:
    """Split text into defused Markdown within the budget and the rest.

    Fenced code (if fenced) passes unchanged; each other block (lines between
    blank lines) is defused. The rest starts at the first block that would
    take the cost past _BUDGET.
    """
    comment_ends = [end.start() for end in _COMMENT_END.finditer(text)]
    comments_end = comment_ends[-1] if comment_ends else -1
    deep_brackets = text.count("[") > _BRACKETS_BEFORE_DEFUSING
    defuse_backticks = text.count("`") > _BACKTICKS_BEFORE_DEFUSING
    defuse_links = text.count("](") > _LINKS_BEFORE_DEFUSING

    def defuse(block: str, offset: int) -> str:
        """Defuse one block of text lines that starts at offset."""
        if "[" in block:
            block = _defuse_brackets(block, deep_brackets)
        if defuse_backticks:
            block = _defuse_backticks(block)
        if "<" in block:
            block = _defuse_angles(block, text, offset, comments_end)
        if defuse_links:
            block = _defuse_links(block)
        return block

    out: list[str] = []
    cost = used = 0
    for kind, block in _blocks(text, fenced):
        cost += _cost(kind, block)
        if cost > _BUDGET:
            return "".join(out), text[used:]
        out.append(defuse(block, used) if kind == "text" else block)
        used += len(block)
    return "".join(out), ""


def _cost(kind: str, block: str) -> int:
    """Return what rendering one block of the given kind costs, in budget units."""
    if kind == "blank":
        return 0
    if kind == "code":
        costs = sum(block.count(char) * cost for char, cost in _CODE_COSTS.items())
        return _FENCED_CODE_COST + costs
    lines = block.count("\n") + 1
    links = _LINK_COST * len(_BARE_LINK.findall(block))
    if "@" in block:
        links += _MAIL_LINK_COST * len(_MAIL_LINK.findall(block))
    markers = sum(block.count(char) * cost for char, cost in _MARKER_COSTS.items())
    return _BLOCK_COST + _LINE_COST * lines + links + markers


def _blocks(text: str, fenced: bool = True):
    """Yield (kind, text) for the fenced code, blank and text blocks of text.

    Joined back together, the texts are the whole text (bar stand-ins). Code
    is what python-markdown's fenced_code takes: an opening fence at the start
    of a line and the next line that is the same fence. Fences that never
    close are text, and when there are many their marks become stand-ins,
    since python-markdown would search to the end of the text from each.
    Without fenced, there is no fenced code and fences are text.
    """
    # Only \n ends a line for python-markdown (str.splitlines knows others).
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]] + [parts[-1]] * bool(parts[-1])
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        if closing := _FENCE_ALONE.fullmatch(line.rstrip("\n")):
            closings.setdefault(closing.group(1), []).append(number)
    openings = [
        fenced and _FENCE_OPENING.fullmatch(line.rstrip("\n")) for line in lines
    ]
    defuse_fences = sum(map(bool, openings)) > _FENCES_BEFORE_DEFUSING
    kind, block, number = "", [], 0
    while number < len(lines):
        line = lines[number]
        if opening := openings[number]:
            later = closings[opening.group(1)] if opening.group(1) in closings else []
            closing = bisect_right(later, number)
            if closing < len(later):
                if block:
                    yield kind, "".join(block)
                kind, block = "", []
                yield "code", "".join(lines[number : later[closing] + 1])
                number = later[closing] + 1
                continue
            if defuse_fences:
                line = _stand_in(line, range(len(opening.group(1))))
        # A line of spaces and tabs is blank to python-markdown; "\xa0" is not.
        line_kind = "text" if line.strip(" \t\n") else "blank"
        if line_kind != kind and block:
            yield kind, "".join(block)
            block = []
        kind = line_kind
        block.append(line)
        number += 1
    if block:
        yield kind, "".join(block)


def _stand_in(block: str, positions) -> str:
    """Replace the characters at positions with their stand-ins."""
    chars = list(block)
    for position in positions:
        chars[position] = _STAND_IN[chars[position]]
    return "".join(chars)


def _defuse_brackets(block: str, deep: bool) -> str:
    """Neutralise unmatched brackets, and if deep those nested too deep.

    python-markdown scans ahead from every "[" for its partner, so a few
    hundred unmatched or deeply nested brackets in one paragraph cost seconds
    of CPU (upstream issue #798). An unmatched one is text either way.
    """
    code_spans = [span.span() for span in _CODE_SPAN.finditer(block)]
    next_span = 0
    stack: list[int] = []
    defused: set[int] = set()
    for mark in _BRACKET_OR_ESCAPE.finditer(block):
        index = mark.start()
        while next_span < len(code_spans) and code_spans[next_span][1] <= index:
            next_span += 1
        if next_span < len(code_spans) and code_spans[next_span][0] <= index:
            continue
        if mark.group() == "[":
            stack.append(index)
        elif mark.group() == "]" and stack:
            opening = stack.pop()
            if deep and len(stack) >= _MAX_BRACKET_DEPTH:
                defused.update((opening, index))
    defused.update(stack)
    return _stand_in(block, defused) if defused else block


def _defuse_backticks(block: str) -> str:
    """Neutralise backtick runs that no later run of the same length closes.

    python-markdown looks for the closing run from every opening one, trying
    each shorter length in turn, so unclosed runs cost quadratic time.
    """
    runs = [(run.start(), run.end()) for run in _BACKTICK_RUN.finditer(block)]
    following: dict[int, int] = {}
    next_same = [0] * len(runs)
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_same[index] = following.get(length, -1)
        following[length] = index
    defused: list[int] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        if start and block[start - 1] == "\\":
            index += 1
        elif next_same[index] >= 0:
            index = next_same[index] + 1  # a code span: its inside is code
        else:
            defused.extend(range(start, end))
            index += 1
    return _stand_in(block, defused) if defused else block


def _defuse_angles(block: str, text: str, offset: int, comments_end: int) -> str:
    """Neutralise "<" that starts a tag or comment which never ends.

    python-markdown feeds the whole text to html.parser, which rescans to the
    end of the text from every "<" whose tag does not close. The block starts
    at offset in text; the last comment in text ends at comments_end.
    """
    defused = []
    for tag in _TAG_START.finditer(block):
        start = offset + tag.start()
        if text.startswith("<!--", start):
            # A comment may hide several paragraphs, so look to the end.
            closed = comments_end >= start + 4
        else:
            closed = text.find(">", start, start + _MAX_TAG_LENGTH) >= 0
        if not closed:
            defused.append(tag.start())
    return _stand_in(block, defused) if defused else block


def _defuse_links(block: str) -> str:
    """Neutralise "](" whose parenthesis never closes.

    python-markdown reads a link's URL character by character up to the
    matching ")", to the end of the paragraph if there is none.
    """
    stack: list[int] = []
    for paren in _PAREN.finditer(block):
        if paren.group() == "(":
            stack.append(paren.start())
        elif stack:
            stack.pop()
    defused = [index for index in stack if index and block[index - 1] == "]"]
    return _stand_in(block, defused) if defused else block


def _clean(html: str, tags: frozenset[str]) -> str:
    """Sanitise and linkify html, keeping the given tags and escaping others."""
    # A Cleaner holds parser state and is not thread-safe: build one per call.
    cleaner = Cleaner(
        tags=tags,
        attributes=_allow_attribute,
        protocols=LINK_PROTOCOLS,
        strip=False,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter,
                # _PolicyFilter sets rel on every link, even those in code.
                callbacks=[],
                skip_tags={"pre", "code"},
                parse_email=False,
                url_re=_BARE_URL,
            ),
            _PolicyFilter,
        ],
    )
    cleaner.walker = _TreeWalker
    return cleaner.clean(_scrub(html))


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """Say whether bleach may keep attribute name=value on tag."""
    if tag == "a":
        return name == "title" or (name == "href" and _is_link_url(value))
    if tag == "img":
        return name in ("alt", "title") or (name == "src" and _is_image_url(value))
    if tag in ("th", "td"):
        return name == "align" and value in _ALIGN_VALUES
    if tag == "code":
        return name == "class" and _LANGUAGE_CLASS.fullmatch(value) is not None
    return False


def _normalise_url(value: str) -> str:
    """Return an attribute value as lower-case URL text with no hiding places."""
    # bleach hands over attribute values with their entities still encoded.
    return _URL_NOISE.sub("", unescape(value)).lower()


def _is_link_url(value: str) -> bool:
    """Say whether value is an http(s), mailto or relative URL."""
    scheme = _SCHEME.match(_normalise_url(value))
    return scheme is None or scheme.group() in LINK_PROTOCOLS


def _is_image_url(value: str) -> bool:
    """Say whether value is an absolute http(s) URL."""
    return _normalise_url(value).startswith(("http://", "https://"))


class _BlockLimits(markdown.Extension):
    """Bound the block parser's work: nesting depth and rescans of the rest.

    python-markdown splits a block at each heading or rule and puts the rest
    back, and several tests scan the whole rest each time, so thousands of
    such lines in one block cost quadratic time. A character test in C comes
    first where it can rule a processor out.
    """

    def extendMarkdown(self, md):
        """Wrap the nesting processors and the tests that scan whole blocks."""
        # A declined block falls through to the next processor, in the end
        # the paragraph one, and shows as text ("> > > x", "- - - x").
        self.depth = 0
        parsers = md.parser.blockprocessors
        for name in _NESTING_PROCESSORS:
            processor = parsers[name]
            processor.test = partial(self._test, processor.test)
            processor.run = partial(self._run, processor.run)
        parsers["hashheader"].test = partial(_test_if, "#", parsers["hashheader"].test)
        parsers["quote"].test = partial(_test_if, ">", parsers["quote"].test)
        parsers["table"].test = partial(_test_table, parsers["table"].test)
        parsers["reference"].run = partial(_run_reference, parsers["reference"].run)

    def _test(self, test, parent, block):
        """Run a block processor's test unless nesting is too deep."""
        return self.depth < _MAX_NESTING and test(parent, block)

    def _run(self, run, parent, blocks):
        """Run a block processor one level deeper."""
        self.depth += 1
        try:
            return run(parent, blocks)
        finally:
            self.depth -= 1


def _test_if(char, test, parent, block):
    """Run a block processor's test if block has char at all."""
    return char in block and test(parent, block)


def _test_table(test, parent, block):
    """Run the table test if the first two lines can be a header and separator."""
    rows = block.split("\n", 2)
    if len(rows) < 2 or "|" not in rows[0] or "|" not in rows[1]:
        return False
    return set(rows[1]) <= _SEPARATOR_CHARS and test(parent, block)


def _run_reference(run, parent, blocks):
    """Run the link reference processor if the block can hold a definition."""
    return "]:" in blocks[0] and run(parent, blocks)


class _UnwrapParagraphs(markdown.postprocessors.Postprocessor):
    """Drop the paragraphs Markdown wraps around comment text."""

    def run(self, text):
        """Return text without <p> tags, paragraphs kept apart by a blank line."""
        return text.replace("</p>\n<p>", "\n\n").replace("<p>", "").replace("</p>", "")


class _TreeWalker(html5lib_shim.getTreeWalker("etree")):
    """html5lib's etree walker, remembering each parent's position.

    The original finds a parent's position among its siblings with
    list.index, so an element with thousands of children (table rows, list
    items, paragraphs) costs quadratic time.
    """

    def getFirstChild(self, node):
        """Return the first child of node, or its text."""
        if isinstance(node, tuple):
            element, key, parents, flag = node
        else:
            element, key, parents, flag = node, None, [], None
        if flag in ("text", "tail"):
            return None
        if element.text:
            return element, key, parents, "text"
        if len(element):
            parents.append((element, key))
            return element[0], 0, parents, None
        return None

    def getNextSibling(self, node):
        """Return the node after node: its tail or next sibling."""
        if not isinstance(node, tuple):
            return None
        element, key, parents, flag = node
        if flag == "text":
            if len(element):
                parents.append((element, key))
                return element[0], 0, parents, None
            return None
        if element.tail and flag != "tail":
            return element, key, parents, "tail"
        siblings = parents[-1][0]
        if key < len(siblings) - 1:
            return siblings[key + 1], key + 1, parents, None
        return None

    def getParentNode(self, node):
        """Return the parent of node."""
        if not isinstance(node, tuple):
            return None
        element, key, parents, flag = node
        if flag == "text":
            if not parents:
                return element
            return element, key, parents, None
        parent, parent_key = parents.pop()
        if not parents:
            return parent
        return parent, parent_key, parents, None


class _PolicyFilter(Filter):
    """Apply the rules bleach's options cannot express to the token stream."""

    def __iter__(self):
        """Yield tokens with rel on links, unsafe images dropped, pre fixed."""
        after_pre = False
        for token in super().__iter__():
            kind = token["type"]
            # The parser eats one newline right after <pre>, so a leading
            # newline needs doubling or the next parse would lose it.
            if after_pre and kind in ("Characters", "SpaceCharacters"):
                if token["data"].startswith("\n"):
                    token["data"] = "\n" + token["data"]
            after_pre = kind == "StartTag" and token["name"] == "pre"

            if kind in ("StartTag", "EmptyTag"):
                attrs = token.get("data") or {}
                if token["name"] == "a":
                    # Linkify adds links after bleach's own URL check.
                    href = attrs.get((None, "href"))
                    if href is not None and not _is_link_url(href):
                        del attrs[(None, "href")]
                    attrs[(None, "rel")] = LINK_REL
                    token["data"] = attrs
                elif token["name"] == "img" and (None, "src") not in attrs:
                    continue
            yield token


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, spacing out block elements."""

    def __init__(self):
        """Start with no text and outside any script or style element."""
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        """Separate blocks and note when hidden content begins."""
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _PLAIN_TEXT_BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        """Separate blocks and note when hidden content ends."""
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _PLAIN_TEXT_BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        """Keep visible text."""
        if not self._hidden:
            self.parts.append(data)

"""Turn user-written text into safe HTML: the app's only sanitiser.

Markdown is not a sanitiser (raw HTML, ``onerror`` and ``javascript:`` links pass
straight through python-markdown), so every renderer here sends its output
through bleach with an explicit safelist. bleach is in maintenance only: keep
every bleach import in this file so it can be replaced in one place.
"""

import re
from functools import partial
from html import unescape
from html.parser import HTMLParser

import markdown
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
_IMAGE_PATTERNS = ["image_link", "image_reference", "short_image_ref"]

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
# These recurse once per nesting level; python-markdown guards only blockquotes.
_NESTING_PROCESSORS = ["olist", "ulist", "indent"]
# Linkify only makes http(s) links; bleach's default list includes data:.
_BRACKETS_BEFORE_DEFUSING = 200
_MAX_BRACKET_DEPTH = 8
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)

_BARE_URL = build_url_re(protocols=["http", "https"])

_PLAIN_TEXT_BREAKS = (_POST_ONLY_TAGS - {"img"}) | {"div", "section", "article"}


def render_markdown(text: str) -> str:
    """Render post Markdown to sanitised HTML."""
    md = markdown.Markdown(
        # The nesting limit goes last so it wraps sane_lists' processors.
        extensions=["fenced_code", "tables", "nl2br", "sane_lists", _NestingLimit()],
        extension_configs=_MARKDOWN_CONFIG,
    )
    return _clean(md.convert(_defuse_brackets(_scrub(text))), POST_TAGS)


def render_inline(text: str) -> str:
    """Render comment Markdown (emphasis, code, links) to sanitised inline HTML."""
    md = markdown.Markdown()
    # Without block processors everything is one paragraph per blank-line
    # block, so "# x" or "1. x" stay literal text instead of losing their marks.
    for name in _BLOCK_PROCESSORS:
        md.parser.blockprocessors.deregister(name)
    for name in _IMAGE_PATTERNS:
        md.inlinePatterns.deregister(name)
    return _clean(md.convert(_defuse_brackets(_scrub(text))), COMMENT_TAGS).strip()


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
    # text must never contain them.
    text = _CONTROL_CHARS.sub("", text)
    return _SURROGATES.sub("\ufffd", text)


def _defuse_brackets(text: str) -> str:
    """Escape the brackets that would make python-markdown take quadratic time.

    python-markdown scans ahead from every "[" for its partner, so thousands of
    unmatched or deeply nested brackets in one paragraph cost minutes of CPU
    (upstream issue #798). Ordinary posts have few brackets and pass unchanged.
    """
    if text.count("[") <= _BRACKETS_BEFORE_DEFUSING:
        return text
    out: list[str] = []
    paragraph: list[str] = []
    fence = ""

    def flush() -> None:
        if paragraph:
            out.append(_defuse_paragraph("\n".join(paragraph)))
            paragraph.clear()

    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if fence:
            out.append(line)
            if (
                marker
                and marker.group(1)[0] == fence[0]
                and len(marker.group(1)) >= len(fence)
            ):
                fence = ""
        elif marker:
            flush()
            fence = marker.group(1)
            out.append(line)
        elif not line.strip():
            flush()
            out.append(line)
        else:
            paragraph.append(line)
    flush()
    return "\n".join(out)


def _defuse_paragraph(block: str) -> str:
    """Escape unmatched brackets and those nested too deep in one paragraph."""
    in_code = bytearray(len(block))
    for span in _CODE_SPAN.finditer(block):
        in_code[span.start() : span.end()] = b"\x01" * (span.end() - span.start())
    stack: list[int] = []
    escape: set[int] = set()
    index = 0
    while index < len(block):
        char = block[index]
        if in_code[index]:
            pass
        elif char == "\\":
            index += 1  # an escaped character is already literal
        elif char == "[":
            stack.append(index)
        elif char == "]" and stack:
            opening = stack.pop()
            if len(stack) >= _MAX_BRACKET_DEPTH:
                escape.update((opening, index))
        index += 1
    escape.update(stack)
    if not escape:
        return block
    return "".join(
        "\\" + char if position in escape else char
        for position, char in enumerate(block)
    )


def _clean(html: str, tags: frozenset[str]) -> str:
    """Sanitise and linkify html, keeping only the given tags."""
    # A Cleaner holds parser state and is not thread-safe: build one per call.
    cleaner = Cleaner(
        tags=tags,
        attributes=_allow_attribute,
        protocols=LINK_PROTOCOLS,
        strip=True,
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


class _NestingLimit(markdown.Extension):
    """Stop nesting lists near the recursion limit, as blockquotes already do."""

    def extendMarkdown(self, md):
        """Make the list processors decline blocks when the stack is deep."""
        # Without this, "- - - - ... x" raises RecursionError; a declined
        # block falls through to the paragraph processor as plain text.
        for name in _NESTING_PROCESSORS:
            processor = md.parser.blockprocessors[name]
            processor.test = partial(_test_unless_deep, processor.test)


def _test_unless_deep(test, parent, block):
    """Run a block processor's test unless the stack is near its limit."""
    return not markdown.util.nearing_recursion_limit() and test(parent, block)


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

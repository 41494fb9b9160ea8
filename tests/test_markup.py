"""Tests for forum.markup: user text becomes HTML that cannot run or fetch anything."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.markup import render_inline, render_markdown, sanitize_html, to_plain_text

# Copies of the justhtml-xss-bench files; see the README there for origins.
VECTOR_DIR = Path(__file__).parent / "data" / "xss-vectors"
VECTOR_PREFIXES = {
    "bleach": "bleach",
    "httpleaks": "leak",
    "javascript-execution": "js",
    "owasp-xss-filter-evasion": "owasp",
}

# The rules, stated here independently of the implementation's own lists.
POST_TAGS = frozenset(
    "p br hr h1 h2 h3 h4 h5 h6 blockquote pre code em strong del ul ol li a img "
    "table thead tbody tr th td sup sub kbd dl dt dd".split()
)
COMMENT_TAGS = frozenset({"a", "em", "strong", "code"})
FORBIDDEN_TAGS = frozenset(
    "script style iframe object embed link meta base form svg math template".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
# Attributes that make a browser fetch or submit to a URL; only img src may stay.
FETCH_ATTRIBUTES = frozenset(
    "src srcset background poster action formaction xlink:href data ping lowsrc "
    "dynsrc longdesc codebase archive manifest icon imagesrcset attributionsrc".split()
)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
LINK_SCHEMES = ("http:", "https:", "mailto:")
REL = "nofollow ugc noopener"
# Browsers ignore whitespace and controls in URLs, so the check does too.
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:")


class SafetyChecker(HTMLParser):
    """Record everything in an HTML fragment that could run code or fetch URLs."""

    def __init__(self, allowed_tags):
        """Check against the given tag safelist."""
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems = []

    def handle_starttag(self, tag, attrs):
        """Check a tag and each of its attributes."""
        self._check_tag(tag)
        names = [name for name, _ in attrs]
        if tag == "a" and dict(attrs).get("rel") != REL:
            self.problems.append(f"<a> without rel={REL!r}: {attrs!r}")
        if tag == "img" and "src" not in names:
            self.problems.append("<img> without src")
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")

    def handle_endtag(self, tag):
        """Check a closing tag."""
        self._check_tag(tag)

    def handle_comment(self, data):
        """Reject comments, which old browsers read as conditional markup."""
        self.problems.append(f"comment: {data!r}")

    def handle_decl(self, decl):
        """Reject declarations."""
        self.problems.append(f"declaration: {decl!r}")

    def handle_pi(self, data):
        """Reject processing instructions."""
        self.problems.append(f"processing instruction: {data!r}")

    def unknown_decl(self, data):
        """Reject CDATA and other marked sections."""
        self.problems.append(f"marked section: {data!r}")

    def _check_tag(self, tag):
        """Reject forbidden and unlisted tags."""
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden tag <{tag}>")
        elif tag not in self.allowed_tags:
            self.problems.append(f"unlisted tag <{tag}>")

    def _check_attribute(self, tag, name, value):
        """Reject handlers, styles, fetches and unsafe URLs."""
        if name.startswith("on"):
            self.problems.append(f"event handler {name} on <{tag}>")
        if name == "style":
            self.problems.append(f"style attribute on <{tag}>")
        if name in FETCH_ATTRIBUTES and (tag, name) != ("img", "src"):
            self.problems.append(f"fetching attribute {name} on <{tag}>")
        if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
            self.problems.append(f"unlisted attribute {name} on <{tag}>")
        if (
            tag == "code"
            and name == "class"
            and not re.fullmatch(r"language-\S+", value)
        ):
            self.problems.append(f"code class {value!r}")
        if tag == "th" or tag == "td":
            if name == "align" and value not in ("left", "center", "right"):
                self.problems.append(f"align {value!r}")
        if name in ("href", "src"):
            url = URL_NOISE.sub("", value).lower()
            if url.startswith(BAD_SCHEMES):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            scheme = SCHEME.match(url)
            if tag == "a" and scheme and not url.startswith(LINK_SCHEMES):
                self.problems.append(f"link scheme {value!r}")
            if tag == "img" and not url.startswith(("http://", "https://")):
                self.problems.append(f"image not absolute http(s): {value!r}")


def unsafe_parts(output, allowed_tags=POST_TAGS):
    """Return what in the output HTML breaks the safety rules."""
    checker = SafetyChecker(allowed_tags)
    checker.feed(output)
    checker.close()
    return checker.problems


def load_vectors():
    """Return every shared XSS vector as a pytest param with a short id."""
    params = []
    for path in sorted(VECTOR_DIR.glob("*.json")):
        prefix = VECTOR_PREFIXES.get(path.stem, path.stem)
        vectors = json.loads(path.read_text(encoding="utf-8"))["vectors"]
        for index, vector in enumerate(vectors):
            params.append(
                pytest.param(vector["payload_html"], id=f"{prefix}-{index:03d}")
            )
    return params


VECTORS = load_vectors()


def assert_safe_post(output):
    """Assert post HTML is safe and already a fixed point of the sanitiser."""
    assert unsafe_parts(output) == []
    assert sanitize_html(output) == output


def assert_safe_comment(output):
    """Assert comment HTML is safe, inline only and a fixed point."""
    assert unsafe_parts(output, COMMENT_TAGS) == []
    assert sanitize_html(output) == output


def test_vectors_are_loaded():
    """Every shared vector file contributes vectors."""
    assert len(VECTORS) >= 400
    assert {p.id.split("-")[0] for p in VECTORS} >= set(VECTOR_PREFIXES.values())


def test_vector_files_ship_with_the_tests():
    """The vector files live in the repository, each with its licence beside it."""
    repository = Path(__file__).resolve().parent.parent
    assert VECTOR_DIR.resolve().is_relative_to(repository)
    files = sorted(VECTOR_DIR.glob("*.json"))
    assert [path.stem for path in files] == sorted(VECTOR_PREFIXES)
    for path in files:
        assert path.with_name(f"{path.stem}-LICENSE.txt").is_file()


@pytest.mark.parametrize("payload", VECTORS)
def test_vector_as_markdown_is_safe(payload):
    """A shared XSS vector written as Markdown renders to nothing executable."""
    assert_safe_post(render_markdown(payload))


@pytest.mark.parametrize("payload", VECTORS)
def test_vector_as_raw_html_block_is_safe(payload):
    """A shared XSS vector inside a raw HTML block renders to nothing executable."""
    assert_safe_post(render_markdown(f"<div>\n{payload}\n</div>\n"))


@pytest.mark.parametrize("payload", VECTORS)
def test_vector_through_sanitize_html_is_safe(payload):
    """A shared XSS vector given straight to the sanitiser leaves nothing executable."""
    assert_safe_post(sanitize_html(payload))


@pytest.mark.parametrize("payload", VECTORS)
def test_vector_in_comment_is_safe(payload):
    """A shared XSS vector in a comment renders to safe inline HTML."""
    assert_safe_comment(render_inline(payload))


MARKDOWN_VECTORS = [
    pytest.param(source, id=name)
    for name, source in [
        ("js-link", "[x](javascript:alert(1))"),
        ("js-link-mixed-case", "[x](JaVaScRiPt:alert(1))"),
        ("js-link-entity-inside", "[x](java&#115;cript:alert(1))"),
        ("js-link-entity-first", "[x](&#106;avascript:alert(1))"),
        ("js-link-hex-entity", "[x](&#x6A;avascript:alert(1))"),
        ("js-link-padded-entity", "[x](&#0000106;avascript:alert(1))"),
        ("js-link-colon-entity", "[x](javascript&colon;alert(1))"),
        ("js-link-colon-numeric", "[x](javascript&#58;alert(1))"),
        ("js-link-leading-space", "[x]( javascript:alert(1))"),
        ("js-link-leading-tab", "[x](\tjavascript:alert(1))"),
        ("js-link-leading-newline", "[x](\njavascript:alert(1))"),
        ("js-link-inner-tab", "[x](java\tscript:alert(1))"),
        ("js-link-inner-tab-entity", "[x](java&#9;script:alert(1))"),
        ("js-link-inner-newline-entity", "[x](java&#x0A;script:alert(1))"),
        ("js-link-nul", "[x](java\x00script:alert(1))"),
        ("js-link-leading-control", "[x](\x01javascript:alert(1))"),
        ("js-link-line-separator", "[x](java\u2028script:alert(1))"),
        ("js-link-zero-width", "[x](java\u200bscript:alert(1))"),
        ("js-link-angle-brackets", "[x](<javascript:alert(1)>)"),
        ("js-link-with-title", '[x](javascript:alert(1) "title")'),
        ("js-reference-link", "[x][1]\n\n[1]: javascript:alert(1)"),
        ("js-reference-link-entity", "[x][1]\n\n[1]: &#106;avascript:alert(1)"),
        ("js-reference-link-hex", "[x][a]\n\n[a]: jav&#x61;script:alert(1)"),
        ("js-short-reference", "[x]\n\n[x]: JAVASCRIPT:alert(1)"),
        ("vbscript-link", "[x](vbscript:msgbox(1))"),
        (
            "data-link",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        ),
        ("data-link-upper", "[x](DATA:text/html,<script>alert(1)</script>)"),
        ("js-image", "![x](javascript:alert(1))"),
        ("data-image", "![x](data:image/png;base64,iVBORw0KGgo=)"),
        (
            "data-svg-image",
            "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        ),
        ("js-reference-image", "![x][i]\n\n[i]: javascript:alert(1)"),
        ("image-src-breakout", '![x](http://ok/a.png" onerror="alert(1))'),
        ("image-alt-breakout", '![x" onerror="alert(1)](http://ok/a.png)'),
        ("image-title-breakout", '![x](http://ok/a.png "t\\" onerror=\\"alert(1)")'),
        ("link-text-breakout", '[x" onclick="alert(1)](http://ok/)'),
        ("js-autolink", "<javascript:alert(1)>"),
        ("autolink-breakout", '<http://x" onmouseover="alert(1)>'),
        ("bare-js-url", "javascript:alert(1)"),
        ("bare-url-breakout", 'http://x.com/"onmouseover="alert(1)'),
        ("raw-div-onclick", '<div onclick="alert(1)">click</div>'),
        ("raw-script-block", "<script>alert(1)</script>"),
        ("raw-script-inline", "text <script>alert(1)</script> text"),
        ("script-in-fenced-code", "```\n<script>alert(1)</script>\n```"),
        ("script-in-indented-code", "    <script>alert(1)</script>"),
        ("script-in-inline-code", "`<script>alert(1)</script>`"),
        ("fence-language-breakout", '```" onmouseover="alert(1)\nx\n```'),
        ("fence-language-scheme", "```javascript:alert(1)\nx\n```"),
        ("img-onerror", "<img src=x onerror=alert(1)>"),
        ("img-onerror-https", '<img src="https://ok/a.png" onerror="alert(1)">'),
        ("raw-a-js", '<a href="javascript:alert(1)">x</a>'),
        ("raw-a-hex-entities", '<a href="&#x6a;&#x61;vascript:alert(1)">x</a>'),
        ("raw-a-newline-in-scheme", '<a href="java\nscript:alert(1)">x</a>'),
        ("raw-a-onclick", '<a href="http://ok/" onclick="alert(1)">x</a>'),
        (
            "html-in-table",
            "| a | b |\n|---|---|\n"
            "| <img src=x onerror=alert(1)> | <a href=javascript:alert(1)>x</a> |",
        ),
        ("script-in-table", "| a |\n|---|\n| <script>alert(1)</script> |"),
        ("nested-emphasis-link", "***[x](javascript:alert(1))***"),
        ("emphasis-across-tag", "*<img src=x *onerror=alert(1)* >*"),
        ("emphasis-in-attribute", '<a href="http://x" title="*" onclick="a(1)*">x</a>'),
        ("link-in-heading", "# [x](javascript:alert(1))"),
        ("link-in-blockquote", "> [x](javascript:alert(1))"),
        ("link-in-list", "- [x](javascript:alert(1))"),
        ("svg-onload", "<svg onload=alert(1)>"),
        ("svg-script", "<svg><script>alert(1)</script></svg>"),
        ("math-href", '<math href="javascript:alert(1)">x</math>'),
        ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
        ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
        ("style-block", "<style>body{background:url(http://evil/)}</style>"),
        ("style-attribute", '<p style="background:url(http://evil/)">x</p>'),
        ("form-action", '<form action="http://evil/"><input type=submit></form>'),
        ("button-formaction", '<button formaction="javascript:alert(1)">x</button>'),
        ("object-data", '<object data="javascript:alert(1)"></object>'),
        ("embed-src", '<embed src="javascript:alert(1)">'),
        ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:1">'),
        ("base-href", '<base href="javascript:alert(1)//">'),
        ("link-stylesheet", '<link rel="stylesheet" href="http://evil/x.css">'),
        ("template", "<template><img src=x onerror=alert(1)></template>"),
        ("comment-breakout", "<!-- --><script>alert(1)</script> -->"),
        ("conditional-comment", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
        ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
        ("markdown-placeholder", "\x02wzxhzdk:0\x03<script>alert(1)</script>"),
        ("protocol-relative-link", '<a href="//evil.example/">x</a>'),
        ("protocol-relative-image", "![x](//evil.example/a.png)"),
        ("pre-leading-newlines", "<pre>\n\n<script>alert(1)</script></pre>"),
    ]
]


@pytest.mark.parametrize("source", MARKDOWN_VECTORS)
def test_markdown_vector_is_safe(source):
    """A Markdown-specific XSS vector renders to nothing executable."""
    assert_safe_post(render_markdown(source))


@pytest.mark.parametrize("source", MARKDOWN_VECTORS)
def test_markdown_vector_in_comment_is_safe(source):
    """A Markdown-specific XSS vector in a comment renders to safe inline HTML."""
    assert_safe_comment(render_inline(source))


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x][1]\n\n[1]: jav&#x61;script:alert(1)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_unsafe_link_keeps_text_without_href(source):
    """A link with an unsafe URL keeps its text but loses its href."""
    assert render_markdown(source) == '<p><a rel="nofollow ugc noopener">x</a></p>'


def test_script_in_fenced_code_is_escaped_text():
    """A script tag in fenced code shows as escaped text inside pre/code."""
    output = render_markdown("```html\n<script>alert(1)</script>\n```")
    assert output == (
        '<pre><code class="language-html">'
        "&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>"
    )


def test_raw_script_never_becomes_markup():
    """A raw script element never becomes markup; it stays in its paragraph."""
    output = render_markdown("hello <script>alert(1)</script>")
    assert "<script" not in output
    assert output.startswith("<p>hello ")


def test_script_in_post_shows_as_escaped_text():
    """A script element in a post shows as the literal text the author typed."""
    output = render_markdown("<script>alert(1)</script>")
    assert output == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert to_plain_text(output) == "<script>alert(1)</script>"


def test_script_in_comment_shows_as_escaped_text():
    """A script element in a comment shows as the literal text the author typed."""
    output = render_inline("<script>alert(1)</script>")
    assert output == "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize("render", [render_markdown, render_inline])
def test_disallowed_tags_keep_their_words(render):
    """Writing about HTML tags keeps every word, in posts and in comments."""
    output = render("I use <div> and <span> tags")
    assert to_plain_text(output) == "I use <div> and <span> tags"
    assert "<div" not in output and "<span" not in output


def test_disallowed_html_block_shows_as_text_in_a_paragraph():
    """A raw block of disallowed HTML shows as text inside a paragraph."""
    output = render_markdown(
        '<div class="x">\n<iframe src="https://e.example/">\n</div>'
    )
    assert output.startswith('<p>&lt;div class="x"&gt;')
    assert "&lt;iframe src=" in output
    assert "<iframe" not in output and "<div" not in output


def test_allowed_tags_still_render():
    """Tags on the post safelist still work; others around them show as text."""
    output = render_markdown("Press <kbd>Ctrl</kbd>, see x<sup>2</sup> and <b>b</b>")
    assert output == (
        "<p>Press <kbd>Ctrl</kbd>, see x<sup>2</sup> and &lt;b&gt;b&lt;/b&gt;</p>"
    )


def test_comment_allows_only_comment_tags():
    """A comment renders <code> and <em> but shows post-only tags as text."""
    output = render_inline("<code>x</code> <em>y</em> <kbd>z</kbd>")
    assert output == "<code>x</code> <em>y</em> &lt;kbd&gt;z&lt;/kbd&gt;"


def test_comment_line_break_never_shows_as_text():
    """Two trailing spaces in a comment do not leave a visible <br>."""
    assert render_inline("one  \ntwo") == "one  \ntwo"


@pytest.mark.parametrize(
    "source",
    [
        "a <!-- hidden --> b",
        "a\n\n<!-- hidden -->\n\nb",
        "a\n\n<!--\nhidden\n-->\n\nb",
        "<div>a<!-- hidden --></div>\n\nb",
        "a\n\n<!--\n\nhidden\n\nmore\n\n-->\n\nb",
    ],
    ids=["inline", "block", "multi-line", "inside-html", "paragraphs"],
)
def test_html_comments_vanish(source):
    """An HTML comment vanishes everywhere, as on Stack Overflow."""
    for output in (render_markdown(source), render_inline(source)):
        assert "hidden" not in output
        assert "a" in output and "b" in output


def test_unclosed_html_comment_shows_as_text():
    """An HTML comment that never closes shows as text and hides nothing after it."""
    output = render_markdown("a <!-- b\n\nc")
    assert to_plain_text(output) == "a <!-- b c"


def test_escaped_html_is_a_fixed_point():
    """Escaped tags stay escaped, once, when the output is sanitised again.

    The sanitiser reads &lt;script&gt; back as text and writes the same text,
    so a second pass neither drops it nor escapes it twice (&amp;lt;), and
    assert_safe_post can keep demanding sanitize_html(output) == output.
    """
    output = render_markdown("<script>alert(1)</script> and <div>\n\n<b>x</b>")
    assert sanitize_html(output) == output
    assert "&amp;lt;" not in sanitize_html(output)


def test_image_with_onerror_loses_handler():
    """An https image keeps its src and alt but loses event handlers."""
    output = render_markdown('<img src="https://ok.example/a.png" onerror="alert(1)">')
    assert output == '<p><img src="https://ok.example/a.png"></p>'


def test_image_with_relative_src_is_dropped():
    """An image whose src is not absolute http(s) is dropped entirely."""
    assert render_markdown("<img src=x onerror=alert(1)>") == "<p></p>"
    assert render_markdown("![x](/static/a.png)") == "<p></p>"


def test_protocol_relative_link_is_kept_with_rel():
    """A protocol-relative link is allowed and gets the rel attribute."""
    output = render_markdown('<a href="//evil.example/">x</a>')
    assert output == (
        '<p><a href="//evil.example/" rel="nofollow ugc noopener">x</a></p>'
    )


@pytest.mark.parametrize(
    "source",
    [
        '```python" onmouseover="alert(1)\nx\n```',
        '```{.python onmouseover="alert(1)"}\nx\n```',
        '```{.py\\"thon}\nx\n```',
    ],
)
def test_fence_language_cannot_add_attributes(source):
    """A fenced-code info string never adds attributes beyond language-xxx."""
    output = render_markdown(source)
    assert unsafe_parts(output) == []
    assert re.findall(r"<code[^>]*>", output) in (
        ["<code>"],
        ['<code class="language-python">'],
    )


def test_fenced_code_keeps_language_class():
    """Fenced code keeps a language-xxx class on its code element."""
    output = render_markdown("```python\nprint('hi')\n```")
    assert output.startswith('<pre><code class="language-python">print(')


def test_table_renders():
    """A Markdown table renders as a table with alignment attributes."""
    output = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in output
    assert '<th align="left">a</th>' in output
    assert '<td align="right">2</td>' in output
    assert "style" not in output


def test_newlines_become_line_breaks():
    """A single newline inside a paragraph becomes a br."""
    assert render_markdown("one\ntwo") == "<p>one<br>\ntwo</p>"


def test_windows_newlines_become_line_breaks():
    """A CRLF newline inside a paragraph also becomes a br."""
    assert render_markdown("one\r\ntwo") == "<p>one<br>\ntwo</p>"


def test_links_get_rel():
    """A Markdown link keeps its http URL and gets rel nofollow ugc noopener."""
    output = render_markdown("[docs](https://example.com/docs)")
    assert output == (
        '<p><a href="https://example.com/docs" rel="nofollow ugc noopener">docs</a></p>'
    )


def test_bare_url_is_linkified():
    """A bare URL in text becomes a link with rel."""
    output = render_markdown("see https://example.com/a?b=1 now")
    assert output == (
        '<p>see <a href="https://example.com/a?b=1" rel="nofollow ugc noopener">'
        "https://example.com/a?b=1</a> now</p>"
    )


def test_url_in_code_is_not_linkified():
    """A URL inside inline or fenced code stays plain text."""
    assert "<a" not in render_markdown("`https://example.com`")
    assert "<a" not in render_markdown("```\nhttps://example.com\n```")


def test_https_image_is_kept():
    """An https image keeps its src and alt."""
    output = render_markdown("![logo](https://example.com/logo.png)")
    assert output == '<p><img alt="logo" src="https://example.com/logo.png"></p>'


def test_http_image_is_kept():
    """An http image keeps its src and alt."""
    output = render_markdown("![logo](http://example.com/logo.png)")
    assert output == '<p><img alt="logo" src="http://example.com/logo.png"></p>'


def test_relative_image_is_dropped():
    """An image with a relative or protocol-relative src is dropped."""
    assert "<img" not in render_markdown("![logo](logo.png)")
    assert "<img" not in render_markdown("![logo](//example.com/logo.png)")


def test_mailto_link_is_kept():
    """A mailto link keeps its href."""
    output = render_markdown("[mail me](mailto:me@example.com)")
    assert 'href="mailto:me@example.com"' in output


def test_relative_link_is_kept():
    """A relative link keeps its href."""
    output = render_markdown("[tags](/tags/python)")
    assert (
        output == '<p><a href="/tags/python" rel="nofollow ugc noopener">tags</a></p>'
    )


def test_markdown_email_autolink_is_kept():
    """Markdown's entity-obfuscated email autolink survives as a mailto link."""
    output = render_markdown("<me@example.com>")
    assert unsafe_parts(output) == []
    assert "<a href=" in output


def test_control_characters_are_stripped():
    """NUL and other control characters are removed; tabs and newlines stay."""
    assert render_markdown("a\x00b\x07c\x1bd\x7fe\x85f") == "<p>abcdef</p>"
    assert sanitize_html("a\tb\x00c\nd") == "a\tbc\nd"


def test_deeply_nested_lists_do_not_raise():
    """Deeply nested lists render instead of exhausting the stack."""
    indented = "".join("    " * level + "- x\n" for level in range(250))
    # Each of these raises RecursionError in python-markdown without the guard.
    for source in ("- " * 1000 + "x", "1. " * 1000 + "x", indented):
        assert_safe_post(render_markdown(source))


def test_raw_pre_leading_newline_survives_reparse():
    """A raw pre starting with a blank line is a fixed point of the sanitiser."""
    output = render_markdown("<pre>\n\nx</pre>")
    assert output == "<pre>\n\nx</pre>"


def test_inline_shows_block_tags_as_text():
    """A comment keeps the text of raw block tags and shows the tags as text."""
    output = render_inline("<h1>Title</h1>\n\n<ul><li>one</li></ul> <p>para</p>")
    assert unsafe_parts(output, COMMENT_TAGS) == []
    assert to_plain_text(output) == "<h1>Title</h1> <ul><li>one</li></ul> <p>para</p>"


def test_inline_leaves_block_syntax_as_text():
    """Markdown block syntax in a comment stays literal text."""
    assert render_inline("# not a heading") == "# not a heading"
    assert render_inline("- not a list") == "- not a list"
    assert render_inline("> not a quote") == "&gt; not a quote"


def test_inline_renders_bold_and_code():
    """A comment renders bold and inline code."""
    output = render_inline("**bold** and `code` and *em*")
    assert output == "<strong>bold</strong> and <code>code</code> and <em>em</em>"


def test_inline_renders_links_with_rel():
    """A comment renders links and bare URLs with rel."""
    output = render_inline("[a](https://a.example) and https://b.example.com/x")
    assert output == (
        '<a href="https://a.example" rel="nofollow ugc noopener">a</a> and '
        '<a href="https://b.example.com/x" rel="nofollow ugc noopener">'
        "https://b.example.com/x</a>"
    )


def test_inline_has_no_images():
    """A comment never renders an image element."""
    output = render_inline(
        "![x](https://a.example/a.png) <img src=https://b.example/b.png>"
    )
    assert "<img" not in output


def test_plain_text_strips_tags_and_collapses_whitespace():
    """Plain text drops tags, decodes entities and collapses whitespace."""
    html = render_markdown("# Title\n\nSome *text* &amp; more\n\n- one\n- two")
    assert to_plain_text(html) == "Title Some text & more one two"


def test_plain_text_separates_blocks():
    """Adjacent block elements do not run their words together."""
    assert to_plain_text("<p>one</p><p>two</p><br>three") == "one two three"


@pytest.mark.parametrize(
    "source, text",
    [
        ("| a | b |\n|---|---|\n| c | d |", "a b c d"),
        ("- one\n- two", "one two"),
        ("1. one\n2. two", "one two"),
        ("one<br>two", "one two"),
        ("one  \ntwo", "one two"),
    ],
    ids=["table-cells", "list-items", "ordered-items", "br", "hard-break"],
)
def test_plain_text_keeps_cells_and_items_apart(source, text):
    """Excerpts never run the words of table cells, list items or lines together."""
    assert to_plain_text(render_markdown(source)) == text


def test_plain_text_keeps_compact_html_apart():
    """Cells, items and breaks with no whitespace between still separate words."""
    html = "<table><tr><td>a</td><td>b</td></tr></table>"
    html += "<ul><li>c</li><li>d</li></ul>e<br>f"
    assert to_plain_text(html) == "a b c d e f"


def test_plain_text_truncates_at_word_boundary():
    """Plain text over the limit is cut at a word boundary with an ellipsis."""
    assert to_plain_text("<p>alpha beta gamma delta</p>", 14) == "alpha beta…"
    assert to_plain_text("<p>alpha beta gamma delta</p>", 11) == "alpha beta…"
    assert to_plain_text("<p>alphabetagamma</p>", 6) == "alpha…"


def test_plain_text_within_limit_is_unchanged():
    """Plain text at or under the limit is returned whole."""
    assert to_plain_text("<p>alpha beta</p>", 10) == "alpha beta"
    assert to_plain_text("<p>alpha beta</p>") == "alpha beta"


FRAGMENTS = [
    "<",
    ">",
    "</",
    "[",
    "]",
    "](",
    ")",
    "![",
    "javascript:",
    "JaVaScRiPt:",
    "data:",
    "&#106;",
    "&#x6A;",
    "&colon;",
    "&",
    ";",
    "`",
    "```",
    "*",
    "**",
    "_",
    "<img",
    "<a href=",
    "<script>",
    "</script>",
    "<pre>",
    "</pre>",
    "<table>",
    "<tr><td>",
    "<svg",
    "<style>",
    " onerror=",
    " onclick=",
    " src=",
    "alert(1)",
    '"',
    "'",
    "=",
    "\n",
    "\n\n",
    "\t",
    " ",
    "    ",
    "> ",
    "- ",
    "1. ",
    "# ",
    "|",
    "|---|\n",
    "http://",
    "https://example.com",
    "www.example.com",
    "//evil",
    "mailto:",
    "<!--",
    "-->",
    "\x00",
    "\r",
    "\u2028",
]
markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40
).map("".join)
# Include surrogates and every other category that plain st.text() leaves out.
any_text = st.text(st.characters(exclude_categories=()), max_size=200)
user_text = st.one_of(any_text, markdownish)
fuzz = settings(max_examples=200, deadline=None)


@fuzz
@given(user_text)
def test_render_markdown_is_safe_for_any_text(text):
    """render_markdown never raises, and its output is safe and a fixed point."""
    assert_safe_post(render_markdown(text))


@fuzz
@given(user_text)
def test_render_inline_is_safe_for_any_text(text):
    """render_inline never raises, and its output is safe, inline and a fixed point."""
    assert_safe_comment(render_inline(text))


@fuzz
@given(user_text)
def test_sanitize_html_is_idempotent(text):
    """sanitize_html output is safe and unchanged by a second pass."""
    once = sanitize_html(text)
    assert unsafe_parts(once) == []
    assert sanitize_html(once) == once


@fuzz
@given(user_text, st.integers(min_value=0, max_value=80))
def test_plain_text_respects_limit(text, limit):
    """to_plain_text never exceeds its limit and keeps short text whole."""
    html = render_markdown(text)
    full = to_plain_text(html)
    cut = to_plain_text(html, limit)
    assert len(cut) <= limit
    if len(full) <= limit:
        assert cut == full
    else:
        assert cut.endswith("…") or cut == ""


@pytest.mark.parametrize(
    "text",
    [
        "[" * 30000,
        "[" * 15000 + "]" * 15000,
        "[a](b) " * 4285,
        "x [" * 10000,
    ],
    ids=["open", "nested", "links", "spaced"],
)
def test_bracket_floods_render_in_bounded_time(text):
    """Thousands of brackets render in seconds, not minutes (python-markdown #798)."""
    import time

    started = time.process_time()
    html = render_markdown(text[:30000])
    assert time.process_time() - started < 15
    # Over the rendering budget the text shows as typed, so none of it is lost.
    assert to_plain_text(html) == " ".join(text[:30000].split())


def test_post_over_the_budget_shows_the_rest_as_typed():
    """Past the rendering budget a post shows its text as typed, never as markup."""
    text = "Intro with **bold**.\n\n" + "*a* <b>x</b> &amp; [y] " * 1200
    output = render_markdown(text)
    assert output.startswith("<p>Intro with <strong>bold</strong>.</p>\n<pre>*a* ")
    assert to_plain_text(output) == " ".join(text.replace("**", "").split())
    assert_safe_post(output)


def test_comment_over_the_budget_shows_the_rest_as_typed():
    """Past the rendering budget a comment shows its text as typed, never as markup."""
    text = "Intro with **bold**.\n\n" + "*a* <b>x</b> &amp; [y] " * 1200
    output = render_inline(text)
    assert output.startswith("Intro with <strong>bold</strong>.\n\n*a* &lt;b&gt;")
    assert_safe_comment(output)


def test_ordinary_long_post_renders_fully():
    """Ordinary Markdown at the longest a post may be renders wholly as Markdown."""
    from forum.demo.data import QUESTIONS

    bodies = [q["body"] for q in QUESTIONS]
    bodies += [a["body"] for q in QUESTIONS for a in q["answers"]]
    parts, length = [], 0
    for body in sorted(bodies, key=len, reverse=True):
        if length + len(body) + 2 > 30000:
            break
        parts.append(body)
        length += len(body) + 2
    assert length > 25000
    output = render_markdown("\n\n".join(parts))
    # Only fenced code makes <pre>: no part of the post fell back to plain text.
    assert output.count("<pre>") == sum(
        render_markdown(part).count("<pre>") for part in parts
    )
    assert output.count("<p>") >= sum(render_markdown(p).count("<p>") for p in parts)


def test_quotes_nest_a_bounded_number_of_levels():
    """Blockquotes nest 16 levels deep at most; deeper markers stay text."""
    output = render_markdown("> " * 100 + "deep")
    assert output.count("<blockquote>") == 16
    assert "&gt; &gt; deep" in output


def test_defused_brackets_keep_links_and_code():
    """Escaping a bracket flood leaves real links and code spans working."""
    text = "[" * 300 + "\n\nSee [the guide](https://intranet.example.com/g) and `[x]`."
    html = render_markdown(text)
    assert '<a href="https://intranet.example.com/g"' in html
    assert "<code>[x]</code>" in html

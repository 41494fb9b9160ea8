"""Worst-case rendering cost of user text: pathological Markdown at the legal size.

Builds each pattern below at the largest body a post may have (BODY_MAX, 30,000
characters) and renders it with render_markdown, as one text ("post") and as
blocks of 1,000 characters between blank lines ("blocks"), then at the largest
comment (COMMENT_MAX, 600 characters) with render_inline. For each it prints
the worst CPU time of --runs renders (each after a garbage collection) in
milliseconds against the target, and PASS or FAIL. A render still running
after --timeout seconds is stopped and counted as a failure. It exits non-zero
when any pattern fails. A script, not a test: tests/test_markup_cost.py checks
the growth rate of the same patterns.

    .venv/bin/python bench/markup.py [--runs 3] [--only emphasis] [--size 30000]
"""

import argparse
import gc
import signal
import sys
import time
from collections.abc import Callable

from forum.markup import render_inline, render_markdown
from forum.posts.services import BODY_MAX, COMMENT_MAX

TARGET_MS = 200
BLOCK = 1000


def repeat(unit: str, head: str = "") -> Callable[[int], str]:
    """Return a builder that repeats unit after head up to the given size."""

    def build(size: int) -> str:
        """Build the text at exactly size characters."""
        body = unit * ((size - len(head)) // len(unit) + 1)
        return (head + body)[:size]

    return build


def numbered(template: str) -> Callable[[int], str]:
    """Return a builder that repeats template with a rising {i} up to the size."""

    def build(size: int) -> str:
        """Build the text at exactly size characters."""
        parts: list[str] = []
        length, i = 0, 0
        while length < size:
            part = template.format(i=i)
            parts.append(part)
            length += len(part)
            i += 1
        return "".join(parts)[:size]

    return build


def halves(left: str, middle: str, right: str) -> Callable[[int], str]:
    """Return a builder that puts middle between runs of left and right."""

    def build(size: int) -> str:
        """Build the text at exactly size characters."""
        side = (size - len(middle)) // 2
        return (left * side)[:side] + middle + (right * side)[:side]

    return build


# Ordinary words between sparse markers, so that a count-based guard misses them.
FILLER = "lorem ipsum dolor sit amet, consectetur adipiscing elit sed do " * 2

# Every kind of input that makes a Markdown renderer do more than linear work.
PATTERNS: dict[str, Callable[[int], str]] = {
    # Brackets: python-markdown scans ahead from every "[" (upstream #798).
    "brackets-open": repeat("["),
    "brackets-close": repeat("]"),
    "brackets-nested": halves("[", "a", "]"),
    "brackets-links": repeat("[a](b) "),
    "brackets-spaced": repeat("x ["),
    "brackets-images": repeat("!["),
    "brackets-empty-pairs": repeat("[]"),
    "brackets-open-paren": repeat("[a]("),
    "brackets-paren-flood": repeat("(", head="[a]"),
    "brackets-lines": repeat("[[[[ a\n"),
    "brackets-sparse": repeat("[ " + FILLER + "tempor incididunt ut labore "),
    "brackets-sparse-links": repeat("[a]( " + FILLER),
    # Emphasis: every unmatched marker may be retried at every later position.
    "emphasis-stars": repeat("*"),
    "emphasis-underscores": repeat("_"),
    "emphasis-star-a": repeat("*a"),
    "emphasis-strong-a": repeat("**a"),
    "emphasis-strong-a-space": repeat("**a "),
    "emphasis-triple-a": repeat("***a"),
    "emphasis-under-a": repeat("_a"),
    "emphasis-double-under-a": repeat("__a"),
    "emphasis-mixed": repeat("*_"),
    "emphasis-nested": halves("*", "a", "*"),
    "emphasis-word-stars": repeat("a*b "),
    "emphasis-lines": repeat("**a\n"),
    # Backticks: code spans search for a closing run of the same length.
    "backticks-run": repeat("`"),
    "backticks-a": repeat("`a"),
    "backticks-pairs": repeat("``a`"),
    "backticks-rising": numbered("{i:x}" + "`"),
    "backticks-growing": numbered("a" + "`" * 1 + "{i}"),
    "backticks-fences": repeat("```\n"),
    "backticks-sparse": repeat("`` " + FILLER),
    "backticks-unclosed-fences": repeat("```a\n"),
    "tildes-fences": repeat("~~~\n"),
    # Lists: each level is one more recursion of the block parser.
    "lists-dash": repeat("- "),
    "lists-star": repeat("* "),
    "lists-number": repeat("1. "),
    "lists-items": repeat("- x\n"),
    "lists-loose-items": repeat("- x\n\n"),
    "lists-indented": numbered("{i}- x\n"),
    "lists-staircase": lambda size: "".join(
        "    " * level + "- x\n" for level in range(200)
    )[:size],
    "code-indented-lines": repeat("    x\n"),
    # Blockquotes: each ">" is one more recursion of the block parser.
    "quotes-spaced": repeat("> "),
    "quotes-packed": repeat(">"),
    "quotes-lines": repeat("> x\n"),
    "quotes-staircase": lambda size: "".join(
        ">" * level + " x\n" for level in range(1, 400)
    )[:size],
    "quotes-lists": repeat("> - "),
    # Link references: definitions and uses are kept in one dictionary.
    "refs-definitions": repeat("[a]: http://x\n"),
    "refs-distinct-definitions": numbered("[a{i}]: http://x/{i}\n"),
    "refs-uses": repeat("[x][a] ", head="[a]: http://x\n\n"),
    "refs-short-uses": repeat("[a] ", head="[a]: http://x\n\n"),
    "refs-undefined": repeat("[x][a] "),
    # Long lines and things the linkifier looks at.
    "long-word": repeat("a"),
    "long-words": repeat("a "),
    "long-url": repeat("a", head="http://"),
    "urls": repeat("http://a.example/ "),
    "urls-www": repeat("www.a.com "),
    "urls-angle": repeat("<http://a.example> "),
    "emails": repeat("a@b.co "),
    "emails-angle": repeat("<a@b.co> "),
    "line-breaks": repeat("a\n"),
    "blank-lines": repeat("\n"),
    "backslashes": repeat("\\"),
    "headings": repeat("# a\n"),
    "hashes": repeat("#"),
    "rules": repeat("---\n"),
    "setext-headings": repeat("a\n=\n"),
    # Tables.
    "tables-tiny": repeat("|a|\n|-|\n|b|\n\n"),
    "tables-rows": repeat("|a|b|\n", head="|a|b|\n|-|-|\n"),
    "tables-columns": lambda size: "|a" * (size // 6) + "\n" + "|-" * (size // 6),
    "tables-pipes": repeat("|"),
    "tables-separators": repeat("|-|\n"),
    # HTML-ish text: raw HTML is matched by regexes that can backtrack.
    "html-lt": repeat("<"),
    "html-a-open": repeat("<a"),
    "html-a-attributes": repeat(' x="', head="<a"),
    "html-close": repeat("</"),
    "html-comment-open": repeat("<!--"),
    "html-comments": repeat("<!-- x -->"),
    "html-comment-lines": repeat("<!--\n"),
    "html-div-open": repeat("<div>"),
    "html-div-lines": repeat("<div>\n"),
    "html-div-blocks": repeat("<div>\n\n"),
    "html-inline-tags": repeat("<b>x</b>"),
    "html-spans-open": repeat("<span>"),
    "html-cdata": repeat("<![CDATA["),
    "html-processing": repeat("<?"),
    "html-declarations": repeat("<!"),
    "html-script-open": repeat("<script>"),
    "html-sparse-tags": repeat("<a " + FILLER),
    "html-sparse-quotes": repeat("<a x='> " + FILLER),
    # Entities.
    "entities-amp": repeat("&amp;"),
    "entities-numeric": repeat("&#1234;"),
    "entities-hex": repeat("&#x41;"),
    "entities-bare": repeat("&"),
    "entities-unterminated": repeat("&#"),
}


def build_whole(build: Callable[[int], str], size: int) -> str:
    """Return the pattern as one text of the size."""
    return build(size)


def build_in_blocks(build: Callable[[int], str], size: int) -> str:
    """Return the pattern in blocks of BLOCK characters between blank lines.

    One huge block goes over the rendering budget at once and shows as plain
    text; many smaller ones render as Markdown up to the budget, the costliest
    case for patterns that a blank line does not defuse.
    """
    blocks = [build(BLOCK)] * (size // (BLOCK + 2) + 1)
    return "\n\n".join(blocks)[:size]


class _Timeout(Exception):
    """A render took longer than the bench waits for."""


def _on_alarm(signum, frame):
    """Stop the render in progress."""
    raise _Timeout


def worst_ms(render: Callable[[str], str], text: str, runs: int, timeout: int):
    """Return the worst CPU milliseconds of runs renders, or None on timeout."""
    worst = 0.0
    for _ in range(runs):
        gc.collect()  # garbage from the last render is not this one's cost
        signal.alarm(timeout)
        started = time.process_time()
        try:
            render(text)
        except _Timeout:
            return None
        finally:
            signal.alarm(0)
        worst = max(worst, (time.process_time() - started) * 1000)
        if worst > 10 * TARGET_MS:
            break  # already far over: more runs only cost time
    return worst


def main() -> None:
    """Render every pattern and print its worst time against the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=BODY_MAX)
    parser.add_argument("--comment-size", type=int, default=COMMENT_MAX)
    parser.add_argument("--timeout", type=int, default=30, help="seconds a render")
    parser.add_argument("--only", default="", help="patterns whose name contains")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _on_alarm)

    renderers = [
        ("post", render_markdown, args.size, build_whole),
        ("blocks", render_markdown, args.size, build_in_blocks),
        ("comment", render_inline, args.comment_size, build_whole),
    ]
    for _, render, _, _ in renderers:
        render("Warm *up* the [regular](http://x) `expression` <b>caches</b>.")
    failures = 0
    print(f"{'pattern':<28} {'kind':<8} {'chars':>6} {'worst ms':>9}  target")
    for name, build in PATTERNS.items():
        if args.only not in name:
            continue
        for kind, render, size, arrange in renderers:
            text = arrange(build, size)
            ms = worst_ms(render, text, args.runs, args.timeout)
            passed = ms is not None and ms < TARGET_MS
            failures += not passed
            shown = f">{args.timeout * 1000}" if ms is None else f"{ms:.1f}"
            verdict = "PASS" if passed else "FAIL"
            print(
                f"{name:<28} {kind:<8} {len(text):>6} {shown:>9}  "
                f"<{TARGET_MS} {verdict}",
                flush=True,
            )
    print(f"{failures} failed" if failures else "all passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

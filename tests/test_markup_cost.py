"""Tests for forum.markup's cost: no kind of input costs more than linear time.

The patterns are bench/markup.py's, which times them at the full post size;
here each is rendered at two sizes and the larger may cost at most twice its
share (three times the text, under six times the time).
"""

import gc
import importlib.util
import time
from pathlib import Path

import pytest

from forum.markup import render_inline, render_markdown

BENCH = Path(__file__).resolve().parent.parent / "bench" / "markup.py"
SMALL, LARGE = 3000, 9000
COMMENT_SMALL, COMMENT_LARGE = 200, 600
# The small text's best of two sets the bound; the large one gets three tries.
SMALL_RUNS, LARGE_RUNS = 2, 3
# Timer noise on a busy machine; below this a ratio means nothing.
FLOOR_SECONDS = 0.002


def load_patterns():
    """Return bench/markup.py's patterns: name -> builder of text of a size."""
    spec = importlib.util.spec_from_file_location("bench_markup", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.PATTERNS


PATTERNS = load_patterns()


def best_time(render, text, runs, enough=0.0):
    """Return the least CPU time of runs renders of text, in seconds.

    Stop early once a render takes no more than enough seconds.
    """
    best = float("inf")
    for _ in range(runs):
        # A collection of earlier tests' garbage is no part of this render.
        gc.disable()
        try:
            started = time.process_time()
            render(text)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        if best <= enough:
            break
    return best


def assert_linear(render, build, small_size, large_size):
    """Assert three times the text renders in under six times the time."""
    small = best_time(render, build(small_size), SMALL_RUNS)
    bound = 6 * max(small, FLOOR_SECONDS)
    large = best_time(render, build(large_size), LARGE_RUNS, enough=bound * 0.99)
    assert large < bound, f"{small:.4f}s -> {large:.4f}s"


def test_patterns_are_loaded():
    """The bench's patterns cover every kind of pathological input."""
    kinds = {name.split("-")[0] for name in PATTERNS}
    assert kinds >= {
        "brackets",
        "emphasis",
        "backticks",
        "lists",
        "quotes",
        "refs",
        "long",
        "tables",
        "html",
        "entities",
    }


@pytest.mark.parametrize("name", PATTERNS)
def test_post_cost_grows_linearly(name):
    """Rendering three times the text as a post takes under six times as long."""
    assert_linear(render_markdown, PATTERNS[name], SMALL, LARGE)


@pytest.mark.parametrize("name", PATTERNS)
def test_comment_cost_grows_linearly(name):
    """Rendering three times the text as a comment takes under six times as long."""
    assert_linear(render_inline, PATTERNS[name], COMMENT_SMALL, COMMENT_LARGE)

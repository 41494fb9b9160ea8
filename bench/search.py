"""Time search on a seeded database: 200 queries, similar questions, a reindex.

In-process, through the search service (forum.search.services), as a page calls it:
parsing, the backend, loading the posts and the spelling suggestions, but no
template. Seed first with bench/bulk.py (or bench/seed.py), then from the root:

    .venv/bin/python bench/search.py --database-url sqlite:////tmp/knowhow-bench/knowhow-100k.db
    .venv/bin/python bench/search.py ... --reindex     # first rebuild the index, timed

The mix (fixed: seed 7, drawn from bench/seed.py's vocabulary and the database's
tags): 40 single words, 30 word pairs and triples, 25 "exact phrases", 25 tag
searches, 50 operator searches (is:, score:, answers:, hasaccepted:, isaccepted:,
user:, created:, intitle:, closed:, -word, -[tag], sorted by newest or votes)
and 30 misspelt words. It runs once to warm up (reported as "cold"), then
--rounds times; the figures are over all timed runs. Similar questions run for
100 generated titles; related questions for 100 questions with an empty cache.
Load averages before and after are printed: the machine may be shared.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import bulk  # noqa: E402  (bench/bulk.py: the app and index folder of a seed)
import seed as content  # noqa: E402  (bench/seed.py: the vocabulary)
from flask import current_app  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from forum.accounts.models import User  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.posts.models import QUESTION, Post, Tag  # noqa: E402
from forum.search import services  # noqa: E402
from forum.search.analysis import STOP_WORDS  # noqa: E402

MIX_SEED = 7


def misspell(rng: random.Random, word: str) -> str:
    """Return word with one typing slip: two letters swapped, one dropped or doubled."""
    at = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("swap", "drop", "double"))
    if slip == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if slip == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


def query_mix(tags: list[str], n_users: int) -> list[tuple[str, str, str]]:
    """Return the 200 (kind, query text, sort) of the benchmark, always the same."""
    rng = random.Random(MIX_SEED)
    words = sorted({w for w in content.WORDS if w not in STOP_WORDS and len(w) > 2})
    head, middle, tail = tags[:20], tags[20:200], tags[200:]

    def word() -> str:
        return rng.choice(words)

    def tag() -> str:
        return rng.choice(rng.choice((head, head, middle, tail or middle)))

    mix = [("word", w, "relevance") for w in (content.COMMON_WORD, content.RARE_WORD)]
    mix += [("word", word(), "relevance") for _ in range(38)]
    mix += [
        ("words", " ".join(word() for _ in range(rng.choice((2, 2, 3)))), "relevance")
        for _ in range(30)
    ]
    mix += [("phrase", f'"{word()} {word()}"', "relevance") for _ in range(25)]
    mix += [("tag", f"[{tag()}]", "relevance") for _ in range(15)]
    mix += [("tag", f"{word()} [{tag()}]", "relevance") for _ in range(10)]
    operators = [
        lambda: f"{word()} is:question",
        lambda: f"{word()} is:answer",
        lambda: f"[{tag()}] answers:0",
        lambda: f"{word()} score:0..",
        lambda: f"{word()} hasaccepted:yes",
        lambda: f"{word()} isaccepted:yes",
        lambda: f"{word()} -{word()}",
        lambda: f"{word()} -[{tag()}]",
        lambda: f"intitle:{word()}",
        lambda: f"user:{rng.randint(1, n_users)} {word()}",
        lambda: f"created:2025-03-01..2025-03-31 {word()}",
        lambda: f"{word()} closed:no",
        lambda: f"[{tag()}] hasaccepted:no",
        lambda: f'"{word()} {word()}" [{tag()}]',
        lambda: f"user:{rng.randint(1, n_users)}",
        lambda: f"created:2025-06 [{tag()}]",
    ]
    for number in range(50):
        sort = ("relevance", "relevance", "newest", "votes")[number % 4]
        mix.append(("operator", operators[number % len(operators)](), sort))
    mix += [("misspelt", misspell(rng, word()), "relevance") for _ in range(30)]
    assert len(mix) == 200
    return mix


def percentiles(seconds: list[float]) -> dict:
    """Return p50, p95, p99, mean and max of timings, in milliseconds."""
    ms = sorted(1000 * s for s in seconds)
    cuts = (
        statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    )
    return {
        "n": len(ms),
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
        "mean": round(statistics.fmean(ms), 1),
        "max": round(ms[-1], 1),
    }


def timed(call, *args, **kwargs) -> tuple[float, object]:
    """Return how long a call took, in seconds, and what it returned."""
    started = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - started, result


def run(args) -> dict:
    """Run the benchmark in the current app and return its figures."""
    tags = list(
        db.session.scalars(
            select(Tag.name)
            .where(Tag.question_count > 0)
            .order_by(Tag.question_count.desc(), Tag.name)
        )
    )
    question_ids = list(
        db.session.scalars(
            select(Post.id).where(Post.type == QUESTION).order_by(Post.id)
        )
    )
    n_users = db.session.scalar(select(func.count()).select_from(User))
    mix = query_mix(tags, n_users)
    report = {"load_before": os.getloadavg(), "cores": os.cpu_count()}
    if args.reindex:
        seconds, read = timed(services.reindex_all)
        report["reindex"] = {"posts": read, "seconds": round(seconds, 1)}
        report["load_after_reindex"] = os.getloadavg()

    cold = []
    for _kind, text, sort in mix:
        cold.append(timed(services.search_posts, text, sort=sort)[0])
        db.session.remove()
    report["cold"] = percentiles(cold)

    by_kind: dict[str, list[float]] = {}
    per_query: dict[str, list[float]] = {}
    totals = {}
    for _ in range(args.rounds):
        for kind, text, sort in mix:
            seconds, found = timed(services.search_posts, text, sort=sort)
            by_kind.setdefault(kind, []).append(seconds)
            per_query.setdefault(f"{text} ({sort})", []).append(seconds)
            totals[(text, sort)] = found.total
            db.session.remove()
    report["mix"] = percentiles([s for values in by_kind.values() for s in values])
    report["by_kind"] = {kind: percentiles(values) for kind, values in by_kind.items()}
    report["queries_with_results"] = sum(1 for total in totals.values() if total)
    slowest = sorted(
        ((statistics.fmean(values), text) for text, values in per_query.items()),
        reverse=True,
    )[:5]
    report["slowest"] = [(round(1000 * s, 1), text) for s, text in slowest]

    rng = random.Random(MIX_SEED)
    titles = [content.title(rng) for _ in range(100)]
    for title in titles[:10]:
        services.similar_questions(title)
    similar = []
    for title in titles:
        similar.append(timed(services.similar_questions, title)[0])
        db.session.remove()
    report["similar"] = percentiles(similar)

    related = []
    cache = current_app.extensions["search"].related
    for question_id in rng.sample(question_ids, min(100, len(question_ids))):
        cache.clear()
        question = db.session.get(Post, question_id)
        related.append(timed(services.related_questions, question)[0])
        db.session.remove()
    report["related_uncached"] = percentiles(related)

    report["load_after"] = os.getloadavg()
    return report


def main() -> None:
    """Parse the arguments, open the seeded database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--index-dir", help="default: beside the SQLite file")
    parser.add_argument("--backend", default="whoosh", choices=("whoosh", "postgres"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reindex", action="store_true", help="rebuild first, timed")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    app = bulk.make_app(
        args.database_url,
        args.index_dir or bulk.index_dir_for(args.database_url),
        SEARCH_BACKEND=args.backend,
    )
    with app.app_context():
        report = run(args)
    for name in ("cold", "mix", "similar", "related_uncached"):
        print(f"{name:18} {report[name]}")
    for kind, figures in report["by_kind"].items():
        print(f"  {kind:16} {figures}")
    print(f"queries with results: {report['queries_with_results']} of 200")
    print("slowest:", report["slowest"])
    if "reindex" in report:
        print("reindex:", report["reindex"], "load", report["load_after_reindex"])
    print("load average before", report["load_before"], "after", report["load_after"])
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Quick benchmark: render times of the question and list pages, statement counts.

Builds a temporary SQLite database, seeds a small dataset with bench/seed.py's
generator (200 questions by default), then times 200 GETs each of the question
page (rotating over 50 questions spread over the dataset), the list page
(rotating over its pages) and the API question, through the Flask test client,
after one warm-up pass that also records each question's first view. It prints
the median and p95 in milliseconds and the SQL statement counts from
bench/statements.py. No HTTP server, no network: a quick check for regressions
(`make bench`), not the figures in docs/performance.md, which come from
bench/run.sh. It prints figures and asserts nothing.

    .venv/bin/python bench/question_page.py [--questions 200] [--requests 200]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import statements  # noqa: E402  (bench/statements.py)

from forum.extensions import db  # noqa: E402


def timed_gets(client, paths: list[str], requests: int) -> list[float]:
    """GET the paths in rotation and return each request's time in milliseconds."""
    times = []
    for i in range(requests):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
    return times


def p95(values: list[float]) -> float:
    """Return the 95th percentile."""
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    """Seed, time the pages and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rotate", type=int, default=50, help="questions rotated")
    args = parser.parse_args()

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="knowhow-bench-") as tmp:
        app, meta = statements.seeded_temp_app(tmp, args.questions, args.users)
        seeded = time.perf_counter() - started
        print(
            f"seeded {meta['questions']} questions, {meta['answers']} answers, "
            f"{meta['comments']} comments in {seeded:.1f}s"
        )
        per_page = app.config["QUESTIONS_PER_PAGE"]
        pages = -(-args.questions // per_page)
        step = max(1, len(meta["paths"]) // args.rotate)
        ids = meta["question_ids"][::step][: args.rotate]
        scenarios = {
            "question page": meta["paths"][::step][: args.rotate],
            "list page": [f"/questions?page={n}" for n in range(1, pages + 1)],
            "api question": [f"/api/v1/questions/{i}" for i in ids],
        }
        client = app.test_client()
        for paths in scenarios.values():
            timed_gets(client, paths, len(paths))  # warm-up; counts first views
        print(f"\n{'anonymous, test client':<24} {'median ms':>10} {'p95 ms':>8}")
        for name, paths in scenarios.items():
            times = timed_gets(client, paths, args.requests)
            print(f"{name:<24} {statistics.median(times):>10.1f} {p95(times):>8.1f}")
        print()
        statements.print_rows(statements.measure(app))
        with app.app_context():
            db.engine.dispose()
    print(f"\ntotal {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()

"""Combine repeated bench/run.sh results into one table of medians.

Each argument is an OUT folder of bench/run.sh. For every page and viewer it
prints, in results.tsv's columns, the median of each figure over the runs in
which other programs took less than 10% of the CPU during the wrk run (from
load.tsv); when no run was that quiet, over all runs, and the scenario name gets
a "*". To stderr it prints each run's req/s and the other programs' CPU share.

    .venv/bin/python bench/summarize.py /tmp/knowhow-bench/results-1k-r{1,2,3} \\
        > /tmp/knowhow-bench/results-1k.tsv
"""

import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

COLUMNS = [
    "scenario",
    "auth",
    "curl_median_ms",
    "wrk_rps",
    "wrk_p50_ms",
    "wrk_p99_ms",
    "wrk_requests",
    "wrk_non2xx",
    "wrk_sock_err",
    "bytes",
]
INTEGERS = {"wrk_requests", "wrk_non2xx", "wrk_sock_err", "bytes"}
OTHER_MAX = 0.10


def read_tsv(path: Path) -> list[dict]:
    """Return the rows of a TSV file with a header line."""
    if not path.exists():
        return []
    with path.open() as f:
        return list(csv.DictReader(f, delimiter="\t"))


def other_shares(folder: Path) -> dict:
    """Return the other programs' CPU share during each page's last wrk run."""
    shares = {}
    for row in read_tsv(folder / "load.tsv"):  # a retried page's last row counts
        if row.get("cpu_other_s") and float(row["cpu_busy_s"]) > 0:
            share = float(row["cpu_other_s"]) / float(row["cpu_busy_s"])
            shares[row["scenario"], row["auth"]] = share
    return shares


def main() -> None:
    """Print the medians as TSV and each run's figures to stderr."""
    folders = [Path(arg) for arg in sys.argv[1:]]
    if not folders:
        sys.exit(__doc__)
    runs = defaultdict(list)  # (scenario, auth) -> [(row, other share)]
    for folder in folders:
        shares = other_shares(folder)
        for row in read_tsv(folder / "results.tsv"):
            key = row["scenario"], row["auth"]
            runs[key].append((row, shares.get(key, float("nan"))))

    print("\t".join(COLUMNS))
    print(f"{'page':<14} {'auth':<7} req/s (other CPU %) per run", file=sys.stderr)
    for (scenario, auth), measured in runs.items():
        quiet = [row for row, share in measured if share < OTHER_MAX]
        rows = quiet or [row for row, _ in measured]
        values = []
        for column in COLUMNS[2:]:
            median = statistics.median(float(row[column]) for row in rows)
            values.append(f"{median:.0f}" if column in INTEGERS else f"{median:.1f}")
        print("\t".join([scenario + ("" if quiet else "*"), auth, *values]))
        each = "  ".join(f"{row['wrk_rps']} ({100 * s:.0f}%)" for row, s in measured)
        print(f"{scenario:<14} {auth:<7} {each}", file=sys.stderr)


if __name__ == "__main__":
    main()

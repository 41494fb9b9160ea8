"""`flask search ...`: rebuild, check and run the search index."""

import time

import click
from flask.cli import AppGroup

from forum.search import services
from forum.search.backends import IndexBusy
from forum.search.indexer import POLL_SECONDS

search = AppGroup("search", help="Rebuild, check and run the search index.")


@search.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the database."""
    total = services.count_posts()
    started = time.monotonic()
    try:
        with click.progressbar(length=total, label="Indexing posts") as bar:
            read = services.reindex_all(on_progress=bar.update)
    except IndexBusy:
        raise click.ClickException(
            "Another process kept the index locked; try again in a moment."
        ) from None
    click.echo(f"Indexed {read:,} posts in {time.monotonic() - started:.1f} s.")


@search.command("check")
@click.option("--fix", is_flag=True, help="Repair every difference found.")
def check(fix: bool) -> None:
    """Compare the search index with the database and report every difference."""
    try:
        report = services.check_index(fix=fix)
    except IndexBusy:
        raise click.ClickException(
            "Another process kept the index locked; try again in a moment."
        ) from None
    click.echo(f"Checked {report.checked:,} searchable posts.")
    if report.clean:
        click.echo("The index matches the database.")
        return
    for label, post_ids in (
        ("missing from the index", report.missing),
        ("in the index but not searchable", report.extra),
        ("out of date in the index", report.stale),
    ):
        if post_ids:
            shown = ", ".join(map(str, post_ids[: services.REPORT_IDS]))
            more = len(post_ids) - services.REPORT_IDS
            tail = f" and {more} more" if more > 0 else ""
            click.echo(f"{len(post_ids)} {label}: posts {shown}{tail}")
    if report.fixed:
        click.echo("Fixed every difference.")
        return
    click.echo("Run `flask --app wsgi search check --fix` to repair them.")
    raise SystemExit(1)


@search.command("work")
def work() -> None:
    """Drain the index outbox until stopped, for servers without the indexer thread."""
    click.echo("Indexing queued posts; press Ctrl+C to stop.")
    try:
        while True:
            if not services.drain_outbox():
                time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        click.echo("Stopped.")

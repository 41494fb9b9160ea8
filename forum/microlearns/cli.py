"""Microlearn commands: ``flask microlearns import FILE``."""

from pathlib import Path

import click
from flask.cli import AppGroup

from forum.errors import ValidationError
from forum.microlearns import services

microlearns = AppGroup("microlearns", help="Manage the microlearn catalogue.")


@microlearns.command("import")
@click.argument(
    "path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def import_file(path: Path) -> None:
    """Import microlearns from a CSV or JSON file, matching them by key.

    New keys are added, changed rows update their microlearn, and importing the
    same file again changes nothing. Each bad row is reported with its line and
    reason while the good rows are imported; the exit status is 1 if any was bad.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{path} is not UTF-8 text; save it as CSV UTF-8 or JSON."
        ) from None
    try:
        rows = services.parse_import(text, path.name)
    except ValidationError as error:
        raise click.ClickException(f"{path}: {error.message}") from None
    report = services.import_microlearns(None, rows)
    for line, reason in report.problems:
        click.echo(f"{path}: line {line}: {reason}", err=True)
    click.echo(
        f"{len(report.created)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.problems)} refused."
    )
    if report.problems:
        raise SystemExit(1)

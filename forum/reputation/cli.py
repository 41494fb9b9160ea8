"""Reputation commands: ``flask reputation recalc`` and ``flask votes audit``."""

import click
from flask.cli import AppGroup

from forum.reputation import services

reputation = AppGroup("reputation", help="Audit the reputation ledger.")
votes = AppGroup("votes", help="Audit votes.")


@reputation.command("recalc")
@click.option("--fix", is_flag=True, help="Repair every mismatch found.")
def recalc(fix: bool) -> None:
    """Recompute reputations and scores and report (or fix) every mismatch."""
    mismatches = services.audit_reputation(fix=fix)
    for mismatch in mismatches:
        click.echo(str(mismatch))
    if not mismatches:
        click.echo("Reputation, ledger and scores all match the votes.")
    elif fix:
        click.echo(f"Repaired {len(mismatches)} mismatches.")
    else:
        raise click.ClickException(
            f"Found {len(mismatches)} mismatches; run with --fix to repair them."
        )


@votes.command("audit")
@click.option("--dry-run", is_flag=True, help="Report serial voting, change nothing.")
def audit(dry_run: bool) -> None:
    """Find serial voting and reverse those votes."""
    if dry_run:
        runs = services.find_serial_voting()
    else:
        runs = services.reverse_serial_voting()
    verb = "found" if dry_run else "reversed"
    for run in runs:
        click.echo(
            f"user {run.voter_id} -> user {run.author_id}: "
            f"{len(run.vote_ids)} votes {verb}"
        )
    total = sum(len(run.vote_ids) for run in runs)
    click.echo(f"Serial voting: {total} votes {verb}.")

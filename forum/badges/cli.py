"""Badge commands: ``flask badges award``."""

import click
from flask.cli import AppGroup

from forum.badges import services

badges = AppGroup("badges", help="Award badges.")


@badges.command("award")
def award() -> None:
    """Award every member every badge they have earned and do not hold yet."""
    awarded = services.award_badges()
    if awarded:
        click.echo(f"Awarded {awarded} badge{'s' if awarded != 1 else ''}.")
    else:
        click.echo("Every member already holds every badge they have earned.")

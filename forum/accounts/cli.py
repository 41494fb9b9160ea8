"""Account commands: ``flask users create-admin``, ``set-role``, ``reset-password``."""

import click
from flask import current_app
from flask.cli import AppGroup

from forum.accounts import services
from forum.accounts.models import ROLES
from forum.errors import DomainError

users = AppGroup("users", help="Manage member accounts.")


@users.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="Display name for a new account.")
@click.option("--password", default=None, help="Password for a new account.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an administrator account, or promote an existing one."""
    if password is None and services.find_user(email) is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_admin(email, password, name)
    except DomainError as error:
        details = "; ".join(f"{k}: {v}" for k, v in error.errors.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    click.echo(f"{user.email} is now an admin.")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role(email: str, role: str) -> None:
    """Give an existing account the role member, curator, moderator or admin."""
    try:
        user = services.set_role(email, role)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{user.email} is now a {user.role}.")


@users.command("reset-password")
@click.argument("email")
def reset_password(email: str) -> None:
    """Print a one-time link that lets the member choose a new password."""
    try:
        link = services.issue_reset_link(email)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]
    click.echo(
        f"Pass this link on to {services.normalize_email(email)}; it works once, "
        f"for {minutes} minutes:"
    )
    click.echo(link)

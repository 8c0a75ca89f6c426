"""`ordino users`: the people who sign in to the console (only a password's hash is
stored)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ordino.access.services.users import NewUser, add_user, disable_user, list_users, set_password
from ordino.cli.options import database_option, ready_database, terminal_user
from ordino.kernel.domain import AlreadyExists, InvalidInput, NotFound, Role


def _now() -> datetime:
    return datetime.now(UTC)


@click.group()
def users() -> None:
    """People who sign in to the console."""


@users.command("create")
@database_option
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "agent", "store"]))
@click.option("--location", default=None, help="A store user's store.")
@click.password_option(help="At least 10 characters; asked for when not given.")
def users_create(
    database_url: str, username: str, role: str, location: str | None, password: str
) -> None:
    """Create a console user; only the password's hash is stored."""
    with ready_database(database_url) as new_uow:
        try:
            new = NewUser(username, Role(role), location)
            add_user(new, password, new_uow(), _now(), terminal_user())
        except (InvalidInput, AlreadyExists) as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"user {username} ({role}) created")


@users.command("list")
@database_option
def users_list(database_url: str) -> None:
    """Every console user: name, role, store, whether disabled."""
    with ready_database(database_url) as new_uow:
        for user in list_users(new_uow()):
            store = f" @{user['location_id']}" if user["location_id"] else ""
            state = " (disabled)" if user["disabled"] else ""
            click.echo(f"{user['username']}\t{user['role']}{store}{state}")


@users.command("disable")
@database_option
@click.option("--username", required=True)
def users_disable(database_url: str, username: str) -> None:
    """The user can no longer sign in."""
    with ready_database(database_url) as new_uow:
        try:
            disable_user(username, new_uow(), _now(), terminal_user())
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"user {username} disabled")


@users.command("password")
@database_option
@click.option("--username", required=True)
@click.password_option(help="At least 10 characters; asked for when not given.")
def users_password(database_url: str, username: str, password: str) -> None:
    """Give the user a new password; the sessions they hold end."""
    with ready_database(database_url) as new_uow:
        try:
            set_password(username, password, new_uow(), _now(), terminal_user())
        except (InvalidInput, NotFound) as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"user {username} has a new password")

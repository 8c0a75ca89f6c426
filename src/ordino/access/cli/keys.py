"""`ordino keys`: create, list and revoke API keys (only a key's hash is stored)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ordino.access.services.keys import NewKey, issue_key, list_keys, revoke_key
from ordino.cli.options import database_option, ready_database, terminal_user
from ordino.kernel.domain import InvalidInput, NotFound, Role


def _now() -> datetime:
    return datetime.now(UTC)


@click.group()
def keys() -> None:
    """API keys."""


@keys.command("create")
@database_option
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default=None, help="Who or what the key is for.")
@click.option(
    "--channel",
    default=None,
    help="Scope a channel key to one channel: it sees that channel's orders only.",
)
@click.option(
    "--location",
    default=None,
    help="Scope a store key to its location: its stock and the orders allocated to it.",
)
def keys_create(
    database_url: str, role: str, name: str | None, channel: str | None, location: str | None
) -> None:
    """Create a key and print it once; only its hash is stored."""
    if channel is not None and role != Role.CHANNEL:
        raise click.BadParameter("only a channel key takes --channel", param_hint="--channel")
    if location is not None and role != Role.STORE:
        raise click.BadParameter("only a store key takes --location", param_hint="--location")
    with ready_database(database_url) as new_uow:
        try:
            new = NewKey(Role(role), name, channel, location)
            click.echo(issue_key(new, new_uow(), _now(), terminal_user())["key"])
        except InvalidInput as error:
            option = "--channel" if error.errors[0].field == "channel" else "--location"
            raise click.BadParameter(error.errors[0].message, param_hint=option) from None


@keys.command("list")
@database_option
def keys_list(database_url: str) -> None:
    """Every key (never the key itself): id, role, name, scope, created, revoked."""
    with ready_database(database_url) as new_uow:
        found = list_keys(new_uow())
    click.echo("\t".join(("id", "role", "name", "scope", "created", "revoked")))
    for key in found:
        scope = (
            f"channel {key['channel']}"
            if key["channel"]
            else f"location {key['location_id']}"
            if key["location_id"]
            else ""
        )
        row = (key["id"], key["role"], key["name"] or "", scope, key["created_at"])
        click.echo("\t".join((*row, key["revoked_at"] or "")))


@keys.command("revoke")
@database_option
@click.argument("key_id")
def keys_revoke(database_url: str, key_id: str) -> None:
    """Revoke a key: running servers refuse it as soon as they hear (docs/security.md)."""
    with ready_database(database_url) as new_uow:
        try:
            revoke_key(key_id, new_uow(), _now(), terminal_user())
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"key {key_id} revoked")

"""`ordino`: serve the API, migrate the database, manage keys, check invariants, bench."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import entry_points

import click
from sqlalchemy import Engine

from ordino.access.services.keys import NewKey, issue_key, list_keys, revoke_key
from ordino.access.services.users import NewUser, add_user, disable_user, list_users, set_password
from ordino.app import serving
from ordino.app.check import check_inventory, check_payments, shortages
from ordino.app.demo import seed_demo
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.cli.options import UNIT_OF_WORK, Commands, database_option, terminal_user
from ordino.config import Settings
from ordino.kernel.domain.configuration import DEMO_AUTHOR
from ordino.kernel.domain.errors import AlreadyExists, InvalidInput, NotFound
from ordino.kernel.domain.roles import Role
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.privacy.services.retention import Retention
from ordino.privacy.services.retention import prune as prune_kept
from ordino.promising.services.transit_models import UnreadableModel, load_model
from ordino.store import migrate
from ordino.store.engine import make_engine, normalise_url


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _database(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


COMMANDS = "ordino.commands"  # the entry point group of other packages' commands


@click.group(cls=Commands)
@click.version_option(package_name="ordino")
def main() -> None:
    """Ordino, the open-source order management system.

    A command whose database cannot be used says so in one line and exits with 3."""
    click.get_current_context().meta[UNIT_OF_WORK] = SqlUnitOfWork


@main.command()
@database_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Number of server processes.",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Load the demo network into an empty database and print an admin key.",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True)
def serve(
    database_url: str, host: str, port: int, workers: int, demo: bool, access_log: bool
) -> None:
    """Start the API (and upgrade an embedded SQLite database by itself)."""
    with _database(database_url) as engine:
        _ensure_schema(engine)
        _check_transit_model()
        if demo:
            _demo(engine, host, port)
    os.environ["ORDINO_DATABASE_URL"] = normalise_url(database_url)
    serving.serve(host, port, workers, access_log)


def _check_transit_model() -> None:
    """A model named by ORDINO_TRANSIT_MODEL must be readable before the server starts."""
    path = os.environ.get("ORDINO_TRANSIT_MODEL")
    if path:
        try:
            load_model(path)
        except UnreadableModel as error:
            raise click.ClickException(str(error)) from None


def _ensure_schema(engine: Engine) -> None:
    current, head = migrate.current(engine), migrate.head()
    if current == head:
        return
    if engine.dialect.name == "sqlite":
        click.echo(f"Upgrading the embedded database to {head} …", err=True)
        migrate.upgrade(engine)
        return
    raise click.ClickException(
        f"the database is at revision {current or 'none'}, not {head}: "
        "run `ordino db upgrade` first"
    )


def _demo(engine: Engine, host: str, port: int) -> None:
    uow = SqlUnitOfWork(engine)
    if seed_demo(uow, _now()):
        click.echo("Loaded the demo network (8 locations in DE and AT, 300 SKUs).", err=True)
    else:
        click.echo("The database holds a network already; no demo data loaded.", err=True)
    key = issue_key(NewKey(Role.ADMIN, "demo"), uow, _now(), DEMO_AUTHOR)["key"]
    base = f"http://{host}:{port}"
    click.echo(
        f"\n  Ordino is starting at {base}  (API docs: {base}/docs)\n"
        f"  Admin key: {key}\n"
        f"  Console: {base}/console (sign in with the admin key as the password)\n"
        f"  Try: curl -H 'Authorization: Bearer {key}' "
        f"'{base}/v1/availability?skus=SKU-0001,SKU-0002'\n",
        err=True,
    )


@main.group()
def db() -> None:
    """Database schema."""


@db.command()
@database_option
def upgrade(database_url: str) -> None:
    """Apply every pending migration."""
    with _database(database_url) as engine:
        migrate.upgrade(engine)
        click.echo(f"database at revision {migrate.current(engine)}")


@db.command()
@database_option
@click.option(
    "--events-days",
    type=click.FloatRange(min=0),
    default=None,
    help="Keep published events this long (0: for ever). Default: ORDINO_RETAIN_EVENTS_DAYS, 365.",
)
@click.option(
    "--webhook-log-days",
    type=click.FloatRange(min=0),
    default=None,
    help="Keep accepted webhook deliveries this long (0: for ever). "
    "Default: ORDINO_RETAIN_WEBHOOK_LOG_DAYS, 30.",
)
def prune(database_url: str, events_days: float | None, webhook_log_days: float | None) -> None:
    """Delete what is past its retention: published events (not an open order's) and
    accepted webhook deliveries. Servers and workers also do it every hour."""
    settings = Settings.from_env()
    retention = Retention.of_days(
        settings.retain_events_days if events_days is None else events_days,
        settings.retain_webhook_log_days if webhook_log_days is None else webhook_log_days,
    )
    with _database(database_url) as engine:
        _ensure_schema(engine)
        gone = prune_kept(SqlUnitOfWork(engine), retention, _now())
    click.echo(f"pruned {gone.events} event(s), {gone.webhook_deliveries} webhook deliveries")


@main.group()
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
    with _database(database_url) as engine:
        _ensure_schema(engine)
        uow = SqlUnitOfWork(engine)
        try:
            new = NewKey(Role(role), name, channel, location)
            click.echo(issue_key(new, uow, _now(), terminal_user())["key"])
        except InvalidInput as error:
            option = "--channel" if error.errors[0].field == "channel" else "--location"
            raise click.BadParameter(error.errors[0].message, param_hint=option) from None


@keys.command("list")
@database_option
def keys_list(database_url: str) -> None:
    """Every key (never the key itself): id, role, name, scope, created, revoked."""
    with _database(database_url) as engine:
        _ensure_schema(engine)
        found = list_keys(SqlUnitOfWork(engine))
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
    with _database(database_url) as engine:
        _ensure_schema(engine)
        try:
            revoke_key(key_id, SqlUnitOfWork(engine), _now(), terminal_user())
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"key {key_id} revoked")


@main.group()
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
    with _database(database_url) as engine:
        _ensure_schema(engine)
        try:
            new = NewUser(username, Role(role), location)
            add_user(new, password, SqlUnitOfWork(engine), _now(), terminal_user())
        except (InvalidInput, AlreadyExists) as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"user {username} ({role}) created")


@users.command("list")
@database_option
def users_list(database_url: str) -> None:
    """Every console user: name, role, store, whether disabled."""
    with _database(database_url) as engine:
        _ensure_schema(engine)
        for user in list_users(SqlUnitOfWork(engine)):
            store = f" @{user['location_id']}" if user["location_id"] else ""
            state = " (disabled)" if user["disabled"] else ""
            click.echo(f"{user['username']}\t{user['role']}{store}{state}")


@users.command("disable")
@database_option
@click.option("--username", required=True)
def users_disable(database_url: str, username: str) -> None:
    """The user can no longer sign in."""
    with _database(database_url) as engine:
        _ensure_schema(engine)
        try:
            disable_user(username, SqlUnitOfWork(engine), _now(), terminal_user())
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"user {username} disabled")


@users.command("password")
@database_option
@click.option("--username", required=True)
@click.password_option(help="At least 10 characters; asked for when not given.")
def users_password(database_url: str, username: str, password: str) -> None:
    """Give the user a new password; the sessions they hold end."""
    with _database(database_url) as engine:
        _ensure_schema(engine)
        try:
            set_password(username, password, SqlUnitOfWork(engine), _now(), terminal_user())
        except (InvalidInput, NotFound) as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"user {username} has a new password")


@main.command()
@database_option
def check(database_url: str) -> None:
    """Verify inventory and payment invariants; exit 1 with a report when any is broken.

    Reserved must equal the reservation ledger, and on hand the sum of the
    movements. Every card payment must agree with the gateway's record of its
    authorisations (authorised, captured, refunded, voided), with no authorisation
    held for nothing and no call left an hour without its answer. Positions short
    after a count (reserved above on hand) are listed, but are not a failure: their
    orders are to be served elsewhere."""
    with _database(database_url) as engine:
        uow = SqlUnitOfWork(engine)
        found, short = check_inventory(uow), shortages(uow)
        paid = check_payments(uow, SandboxGateway(engine), datetime.now(UTC))
    for p in short:
        click.echo(f"short: {p.location_id} {p.sku}: {p.reserved} reserved, {p.on_hand} on hand")
    if not found and not paid:
        click.echo("ok: every position's reserved matches the ledger and its on hand its movements")
        click.echo("ok: every payment agrees with the gateway")
        return
    click.echo(f"{len(found) + len(paid)} problem(s):")
    for d in found:
        click.echo(f"  {d.location_id} {d.sku}: {d.problem}")
    for money in paid:
        click.echo(f"  payment of order {money.order_id} ({money.subject}): {money.problem}")
    sys.exit(1)


def _register_commands() -> None:
    """The command groups that live in modules of their own (imported here, late:
    they import what `main` does not need to start), and those of other packages
    (the lab's benchmarks and traffic), found through the entry point group
    `ordino.commands`: each is a function given `main`."""
    from ordino.app.worker import worker  # noqa: PLC0415
    from ordino.inventory.cli.geo import geo  # noqa: PLC0415
    from ordino.inventory.cli.stock import inventory  # noqa: PLC0415
    from ordino.privacy.cli.customers import customers  # noqa: PLC0415
    from ordino.promising.cli.promise import promise  # noqa: PLC0415
    from ordino.sourcing.cli.simulate import simulate  # noqa: PLC0415

    main.add_command(inventory)
    main.add_command(geo)
    main.add_command(promise)
    main.add_command(simulate)
    main.add_command(worker)
    main.add_command(customers)
    for found in entry_points(group=COMMANDS):
        found.load()(main)


_register_commands()

if __name__ == "__main__":
    main()

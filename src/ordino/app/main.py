"""`ordino`: serve the API, migrate the database, check invariants; every capability's
commands (keys and users, stock, promises, sourcing, the worker, customers' data)
and the lab's (bench) joined to it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import entry_points

import click
from sqlalchemy import Engine

from ordino.access.services.keys import NewKey, issue_key
from ordino.app import serving
from ordino.app.check import (
    check_balances,
    check_inventory,
    check_payments,
    check_returns,
    check_tenders,
    shortages,
)
from ordino.app.demo import seed_demo
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.cli.options import SCHEMA_READY, UNIT_OF_WORK, Commands, database_option
from ordino.config import Settings
from ordino.kernel.domain.configuration import DEMO_AUTHOR
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
    meta = click.get_current_context().meta
    meta[UNIT_OF_WORK], meta[SCHEMA_READY] = SqlUnitOfWork, _ensure_schema


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
        click.echo("Loaded the demo network (9 locations in DE, AT and CH, 303 SKUs).", err=True)
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


@main.command()
@database_option
def check(database_url: str) -> None:
    """Verify inventory and payment invariants; exit 1 with a report when any is broken.

    Reserved must equal the reservation ledger, and on hand the sum of the
    movements. Every card payment must agree with the gateway's record of its
    authorisations (authorised, captured, refunded, voided), with no authorisation
    held for nothing and no call left an hour without its answer; every other
    tender with its operations, and every gift card, store credit and credit
    account with its entries; every order line's returned and being-returned units
    with its returns. Positions short
    after a count (reserved above on hand) are listed, but are not a failure: their
    orders are to be served elsewhere."""
    with _database(database_url) as engine:
        uow = SqlUnitOfWork(engine)
        found, short = check_inventory(uow), shortages(uow)
        paid = check_payments(uow, SandboxGateway(engine), datetime.now(UTC))
        paid += check_tenders(uow)
        books = check_balances(uow)
        returned = check_returns(uow)
    for p in short:
        click.echo(f"short: {p.location_id} {p.sku}: {p.reserved} reserved, {p.on_hand} on hand")
    if not found and not paid and not books and not returned:
        click.echo("ok: every position's reserved matches the ledger and its on hand its movements")
        click.echo("ok: every payment agrees with the gateway and its operations")
        click.echo("ok: every balance and credit account agrees with its entries")
        click.echo("ok: every order line's returned units agree with its returns")
        return
    click.echo(f"{len(found) + len(paid) + len(books) + len(returned)} problem(s):")
    for d in found:
        click.echo(f"  {d.location_id} {d.sku}: {d.problem}")
    for money in paid:
        click.echo(f"  payment of order {money.order_id} ({money.subject}): {money.problem}")
    for account, problem in books:
        click.echo(f"  balance {account}: {problem}")
    for order_id, line_no, problem in returned:
        click.echo(f"  order {order_id} line {line_no}: {problem}")
    sys.exit(1)


def _register_commands() -> None:
    """The command groups that live in modules of their own (imported here, late:
    they import what `main` does not need to start), and those of other packages
    (the lab's benchmarks and traffic), found through the entry point group
    `ordino.commands`: each is a function given `main`."""
    from ordino.access.cli.keys import keys  # noqa: PLC0415
    from ordino.access.cli.users import users  # noqa: PLC0415
    from ordino.app.worker import worker  # noqa: PLC0415
    from ordino.inventory.cli.geo import geo  # noqa: PLC0415
    from ordino.inventory.cli.stock import inventory  # noqa: PLC0415
    from ordino.pricing.cli.customs import customs  # noqa: PLC0415
    from ordino.pricing.cli.rates import rates  # noqa: PLC0415
    from ordino.pricing.cli.tax import tax  # noqa: PLC0415
    from ordino.privacy.cli.customers import customers  # noqa: PLC0415
    from ordino.promising.cli.promise import promise  # noqa: PLC0415
    from ordino.sourcing.cli.simulate import simulate  # noqa: PLC0415

    main.add_command(keys)
    main.add_command(users)
    main.add_command(inventory)
    main.add_command(geo)
    main.add_command(promise)
    main.add_command(simulate)
    main.add_command(worker)
    main.add_command(customers)
    main.add_command(tax)
    main.add_command(rates)
    main.add_command(customs)
    for found in entry_points(group=COMMANDS):
        found.load()(main)


_register_commands()

if __name__ == "__main__":
    main()

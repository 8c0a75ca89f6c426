"""`ordino customers export | erase`: a customer's personal data, on their request —
every order of theirs written to a JSON file, or their data erased from everything
Ordino keeps (docs/security.md#personal-data). Both are recorded as
`cli:<the user at the terminal>`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from ordino.cli.options import database_option, terminal_user, units_of_work
from ordino.kernel.domain import OrdinoError
from ordino.privacy.services.customer_data import CustomerRef, erase_customer, export_customer
from ordino.store.engine import make_engine

who = click.option("--email", default=None, help="The customer's e-mail.")
by_order = click.option(
    "--order", "order_id", default=None, help="Or one of their orders (its id)."
)


def _ref(email: str | None, order_id: str | None) -> CustomerRef:
    if (email is None) == (order_id is None):
        raise click.UsageError("name the customer by --email or by --order (one of them)")
    return CustomerRef(email, order_id)


@click.group()
def customers() -> None:
    """A customer's personal data: export, erase."""


@customers.command("export")
@who
@by_order
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@database_option
def export(email: str | None, order_id: str | None, out: Path, database_url: str) -> None:
    """Write every order of the customer (with its payment and timeline) to a JSON file."""
    ref = _ref(email, order_id)
    engine = make_engine(database_url)
    try:
        exported = export_customer(ref, units_of_work(engine)(), datetime.now(UTC), terminal_user())
    except OrdinoError as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    out.write_text(json.dumps(exported, indent=2, ensure_ascii=False) + "\n")
    count = len(exported["orders"])
    click.echo(f"{count} orders of {exported['email']} written to {out}")


@customers.command("erase")
@who
@by_order
@click.option("--yes", is_flag=True, help="Do not ask to confirm.")
@database_option
def erase(email: str | None, order_id: str | None, yes: bool, database_url: str) -> None:
    """Erase the customer's names, addresses, e-mail and phone from every order of
    theirs, its events, webhook deliveries and stored answers (refused while an order
    is open). It cannot be undone."""
    ref = _ref(email, order_id)
    if not yes:
        click.confirm("Erase this customer's personal data? It cannot be undone", abort=True)
    engine = make_engine(database_url)
    try:
        erased = erase_customer(ref, units_of_work(engine)(), datetime.now(UTC), terminal_user())
    except OrdinoError as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    records = sum(erased["records"].values())
    click.echo(
        f"erased {len(erased['orders'])} order(s), {records} records rewritten "
        f"(erasure {erased['id']})"
    )

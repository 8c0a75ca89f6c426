"""`ordino rates`: load exchange rates from the European Central Bank's CSV (its
daily file or its whole history: `Date, USD, JPY, …`, one euro in each currency)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from ordino.cli.options import database_option, ready_database, terminal_user
from ordino.kernel.domain import InvalidInput
from ordino.pricing.services import load_exchange_rates


@click.group()
def rates() -> None:
    """Exchange rates: what an order in one currency is settled at in another."""


@rates.command("load")
@database_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def rates_load(database_url: str, file: Path) -> None:
    """Add FILE's rates (those of a currency and day already there are replaced;
    every cell checked first: a bad one is named, and nothing changes)."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.BadParameter("is not UTF-8 text", param_hint="FILE") from None
    with ready_database(database_url) as new_uow:
        try:
            loaded = load_exchange_rates(text, new_uow(), datetime.now(UTC), terminal_user())
        except InvalidInput as refused:
            for error in refused.errors:
                click.echo(f"{file.name}: {error.field}: {error.message}", err=True)
            raise click.ClickException(f"{len(refused.errors)} problems; nothing loaded") from None
    currencies = len(loaded["currencies"])
    click.echo(
        f"{loaded['rates']} exchange rates loaded, {currencies} currencies, "
        f"{loaded['from']} to {loaded['to']}"
    )

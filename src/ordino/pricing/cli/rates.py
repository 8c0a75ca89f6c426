"""`ordino rates`: load exchange rates from the European Central Bank's CSV (its
daily file or its whole history: `Date, USD, JPY, …`, one euro in each currency)."""

from __future__ import annotations

from pathlib import Path

import click

from ordino.cli.options import database_option
from ordino.pricing.cli.files import load_file
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
    loaded = load_file(database_url, file, load_exchange_rates)
    currencies = len(loaded["currencies"])
    click.echo(
        f"{loaded['rates']} exchange rates loaded, {currencies} currencies, "
        f"{loaded['from']} to {loaded['to']}"
    )

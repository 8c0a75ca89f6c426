"""`ordino tax`: load the VAT rates the built-in provider taxes by, from a CSV file
(`country,tax_class,rate,valid_from,valid_until`, the rate as a percentage)."""

from __future__ import annotations

from pathlib import Path

import click

from ordino.cli.options import database_option
from ordino.pricing.cli.files import load_file
from ordino.pricing.services import load_rates


@click.group()
def tax() -> None:
    """Tax: the VAT rates."""


@tax.command("load")
@database_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tax_load(database_url: str, file: Path) -> None:
    """Make FILE's rates all the VAT rates there are (every row checked first: a bad
    one is named, and nothing changes)."""
    loaded = load_file(database_url, file, load_rates)
    countries = ", ".join(f"{c} {n}" for c, n in loaded["countries"].items())
    click.echo(f"{loaded['rates']} VAT rates loaded ({countries}); {loaded['replaced']} replaced")

"""`ordino customs`: load the duty and import VAT rates customs declarations estimate
by, from a CSV file (`country,kind,hs_prefix,rate`, the rate as a percentage)."""

from __future__ import annotations

from pathlib import Path

import click

from ordino.cli.options import database_option
from ordino.pricing.cli.files import load_file
from ordino.pricing.services import load_customs_rates


@click.group()
def customs() -> None:
    """Customs: the duty and import VAT rates."""


@customs.command("load")
@database_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def customs_load(database_url: str, file: Path) -> None:
    """Make FILE's rates all the duty and import VAT rates there are (every row
    checked first: a bad one is named, and nothing changes)."""
    loaded = load_file(database_url, file, load_customs_rates)
    countries = ", ".join(f"{c} {n}" for c, n in loaded["countries"].items())
    click.echo(
        f"{loaded['rates']} customs rates loaded ({countries}); {loaded['replaced']} replaced"
    )

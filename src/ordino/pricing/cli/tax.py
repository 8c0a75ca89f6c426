"""`ordino tax`: load the VAT rates the built-in provider taxes by, from a CSV file
(`country,tax_class,rate,valid_from,valid_until`, the rate as a percentage)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from ordino.cli.options import database_option, ready_database, terminal_user
from ordino.kernel.domain import InvalidInput
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
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.BadParameter("is not UTF-8 text", param_hint="FILE") from None
    with ready_database(database_url) as new_uow:
        try:
            loaded = load_rates(text, new_uow(), datetime.now(UTC), terminal_user())
        except InvalidInput as refused:
            for error in refused.errors:
                click.echo(f"{file.name}: {error.field}: {error.message}", err=True)
            raise click.ClickException(f"{len(refused.errors)} problems; nothing loaded") from None
    countries = ", ".join(f"{c} {n}" for c, n in loaded["countries"].items())
    click.echo(f"{loaded['rates']} VAT rates loaded ({countries}); {loaded['replaced']} replaced")

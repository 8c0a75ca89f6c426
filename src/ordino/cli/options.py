"""Options several commands share. A module of its own, so a command's module never
imports `ordino.cli.main` (which imports every command to register it)."""

from __future__ import annotations

import click

from ordino.store.engine import DEFAULT_URL

database_option = click.option(
    "--database-url",
    envvar="ORDINO_DATABASE_URL",
    default=DEFAULT_URL,
    show_default=True,
    help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (env ORDINO_DATABASE_URL).",
)

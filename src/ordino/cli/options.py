"""What the commands share: the database option, a database made ready and its units
of work (as the app says), and how a database that cannot be used is told (one line,
exit code 3) instead of a traceback."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from ordino.store.engine import DEFAULT_URL, display_url, make_engine

DATABASE_URL = "ordino.database_url"  # where a command's context keeps the URL it uses
# Where `ordino` keeps how a unit of work is made over an engine (the app's, which
# implements every capability's port): a capability's command asks `units_of_work`.
UNIT_OF_WORK = "ordino.unit_of_work"
# Where `ordino` keeps how a database's schema is made ready for a command (the app's:
# the embedded database upgraded to the newest revision, another checked to be at it).
SCHEMA_READY = "ordino.schema_ready"
UNUSABLE_DATABASE = 3  # the exit code


def remember_database(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
    """An option's callback: keep the URL, to name it should it not work."""
    if value is not None:
        ctx.meta[DATABASE_URL] = value
    return value


database_option = click.option(
    "--database-url",
    envvar="ORDINO_DATABASE_URL",
    default=DEFAULT_URL,
    show_default=True,
    callback=remember_database,
    help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (env ORDINO_DATABASE_URL).",
)


def units_of_work(engine: Engine) -> Callable[[], Any]:
    """How a unit of work is made over `engine`, as `ordino` was told at its start (read
    here, in the command's thread: what it makes may then be made in any thread);
    each is typed by the use case it is handed to."""
    make = click.get_current_context().meta[UNIT_OF_WORK]
    return lambda: make(engine)


@contextmanager
def ready_database(url: str) -> Iterator[Callable[[], Any]]:
    """How a unit of work is made over the database at `url`, its schema made ready as
    `ordino` was told at its start; the engine is let go afterwards."""
    engine = make_engine(url)
    try:
        click.get_current_context().meta[SCHEMA_READY](engine)
        yield units_of_work(engine)
    finally:
        engine.dispose()


class UnusableDatabase(click.ClickException):
    exit_code = UNUSABLE_DATABASE


class Commands(click.Group):
    """A group whose commands, when their database cannot be used (it is not there,
    the server is down, the file cannot be opened), end with one line naming it and
    what the database said, and exit code 3. A command that opens no database (it has
    no database option) keeps its own failures and codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OperationalError as error:
            url = ctx.meta.get(DATABASE_URL)
            if url is None:
                raise
            said = " ".join(str(error.orig).split())  # psycopg's messages span lines
            raise UnusableDatabase(f"cannot use the database {display_url(url)}: {said}") from None


def terminal_user() -> str:
    """Who acts from the command line, as records name them: `cli:<user>`."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for the process's user
        return "cli:unknown"

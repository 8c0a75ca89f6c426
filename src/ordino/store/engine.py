"""Database engines: the URL rules and the one database-specific locking choice.

SQLite (the embedded default) runs in WAL mode and takes its write lock when a
transaction begins (`BEGIN IMMEDIATE`), so two writers never deadlock on a lock
upgrade; they queue behind `busy_timeout`. PostgreSQL runs at READ COMMITTED: the
conditional reservation statement re-checks its condition on the newest row
version, which is all that no-oversell needs.

Neither kind of engine lets personal data into an error's text (which is logged, and
which a lost race carries): bound parameters are hidden (`hide_parameters`), and
PostgreSQL's messages are cut to their primary line, since its DETAIL repeats the
values of a refused row ("Failing row contains (…, ada@example.com, …)") and a data
error's primary line may quote the value it could not take.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url

DEFAULT_URL = "sqlite:///ordino.db"


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use psycopg 3 for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL to print: its password hidden."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def make_engine(url: str, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # No overflow: a process never holds more than `pool_size` connections, so
    # N processes stay within the server's max_connections; requests queue instead.
    # Pre-ping: a connection the server dropped (a restart, a failover, an idle
    # timeout) is found before a request uses it, and replaced, instead of failing
    # that request; it costs a round trip per checkout.
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=60,
        pool_pre_ping=True,
        hide_parameters=True,
    )
    event.listen(engine, "handle_error", _without_values)
    return engine


_QUOTED = re.compile(r'"[^"]*"')


def _without_values(context: ExceptionContext) -> None:
    """Cut a PostgreSQL error to its primary message, and quote no value a data error
    (SQLSTATE class 22) names; the full diagnostics stay on `orig.diag` for code."""
    original = context.original_exception
    diag = getattr(original, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if not isinstance(primary, str):
        return
    if str(getattr(diag, "sqlstate", "") or "").startswith("22"):
        primary = _QUOTED.sub('"…"', primary)
    original.args = (primary,)
    wrapped = context.sqlalchemy_exception
    if wrapped is not None:
        kind = type(original)
        wrapped.args = (f"({kind.__module__}.{kind.__name__}) {primary}",)


def _sqlite_engine(url: str) -> Engine:
    # SQLite's messages name constraints and columns, never values.
    engine = create_engine(url, connect_args={"timeout": 60}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below decide
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def connect_once(engine: Engine) -> None:
    """Connect and let go: a database that cannot be used fails here (OperationalError),
    before a command starts its work or says that it has."""
    with engine.connect():
        pass


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics, as after a bulk load: without them PostgreSQL
    plans the hot statements with scans (measured: 190 instead of 290 orders/s), and
    autovacuum, where it runs at all, takes its time to catch up."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")

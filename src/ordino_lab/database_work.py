"""The database's work per order, counted by PostgreSQL itself.

A bench takes the database's counts (`tally`) before and after its measured run and
prints the difference per order: commits, rows inserted, updated, deleted and read
(`pg_stat_database`), the tables read by sequential scans meanwhile
(`pg_stat_user_tables`: on the hot path every statement must use an index, whatever
the planner's statistics say), and, where the server loads `pg_stat_statements`, the
statements run and the most frequent of them.

PostgreSQL's backends hand their counts to the shared statistics when a transaction
ends, at most once a second, and an idle one after ten seconds: a tally is complete
once the connections that did the work have closed (`quiet`), or been idle that
long (`settle`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

SETTLE_SECONDS = 11.0  # PostgreSQL's idle backends report their counts after 10 s

_DATABASE = text(
    "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, "
    "tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()"
)
_TABLES = text("SELECT relname, seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables")
_PRELOADED = text(
    "SELECT 'pg_stat_statements' = ANY(regexp_split_to_array(current_setting("
    "'shared_preload_libraries'), '\\s*,\\s*'))"
)
_OTHERS = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
_VIEW = text("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
_STATEMENTS = text(
    "SELECT userid, queryid, toplevel, query, calls, rows FROM pg_stat_statements "
    "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
HINT = (
    "statements not counted: add pg_stat_statements to the server's "
    "shared_preload_libraries (a restart) to count them"
)


@dataclass(frozen=True)
class Statement:
    query: str
    calls: int
    rows: int


StatementKey = tuple[int, int, bool]  # pg_stat_statements' user, query id, top level


@dataclass(frozen=True)
class Counts:
    """The database's cumulative counters at one moment."""

    database: Mapping[str, int]
    seq_scans: Mapping[str, tuple[int, int]]  # table -> (scans, rows read by them)
    statements: Mapping[StatementKey, Statement] | None = None  # None: not counted here


def settle(engine: Engine) -> None:
    """Wait until PostgreSQL's idle backends have reported what they did (nothing to
    wait for elsewhere: nothing is counted)."""
    if engine.dialect.name == "postgresql":
        time.sleep(SETTLE_SECONDS)


def quiet(engine: Engine, most: float = SETTLE_SECONDS) -> None:
    """Wait until no other connection to the database is left (processes that were
    stopped: their backends report their counts as they exit), `most` seconds at most."""
    if engine.dialect.name != "postgresql":
        return
    engine.dispose()  # the pool's own idle connections are not the work's
    deadline = time.monotonic() + most
    with engine.connect() as connection:
        while connection.scalar(_OTHERS) and time.monotonic() < deadline:
            connection.rollback()  # a new snapshot of the activity each time
            time.sleep(0.1)


def tally(engine: Engine) -> Counts | None:
    """The counters now; None on a database other than PostgreSQL."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        row = connection.execute(_DATABASE).mappings().one()
        scans = {
            r.relname: (r.seq_scan or 0, r.seq_tup_read or 0) for r in connection.execute(_TABLES)
        }
        return Counts(dict(row), scans, _statements(connection))


def _statements(connection: Connection) -> Mapping[StatementKey, Statement] | None:
    """The statements counted so far, where the server loads pg_stat_statements (its
    view made in the bench's database if need be: None where that is not allowed)."""
    if not connection.scalar(_PRELOADED):
        return None
    try:
        connection.execute(_VIEW)
        connection.commit()
    except DBAPIError:
        connection.rollback()
        return None
    return {
        (r.userid, r.queryid, r.toplevel): Statement(" ".join(r.query.split()), r.calls, r.rows)
        for r in connection.execute(_STATEMENTS)
    }


def per_order(
    before: Counts | None, after: Counts | None, orders: int, top: int = 8
) -> dict[str, Any]:
    """What the database did between two tallies, per order; the tables scanned
    sequentially meanwhile (with the scans and their rows), the most frequent
    statements."""
    if before is None or after is None or orders <= 0:
        return {}
    done = {name: after.database[name] - before.database[name] for name in after.database}
    figures: dict[str, Any] = {
        "commits_per_order": round(done["xact_commit"] / orders, 2),
        "rollbacks_per_order": round(done["xact_rollback"] / orders, 2),
        "inserts_per_order": round(done["tup_inserted"] / orders, 2),
        "updates_per_order": round(done["tup_updated"] / orders, 2),
        "deletes_per_order": round(done["tup_deleted"] / orders, 2),
        "rows_read_per_order": round(done["tup_returned"] / orders, 1),
    }
    figures["sequential_scans"] = _scanned(before, after)
    if before.statements is None or after.statements is None:
        figures["statements"] = HINT
        return figures
    ran = _ran(before.statements, after.statements)
    figures["statements_per_order"] = round(sum(s.calls for s in ran) / orders, 2)
    figures["frequent_statements"] = [
        f"{s.calls / orders:.2f}/order, {s.rows / max(s.calls, 1):.1f} rows: {s.query[:120]}"
        for s in sorted(ran, key=lambda s: -s.calls)[:top]
    ]
    return figures


def _scanned(before: Counts, after: Counts) -> dict[str, str]:
    scanned = {}
    for table, (scans, rows) in sorted(after.seq_scans.items()):
        was_scans, was_rows = before.seq_scans.get(table, (0, 0))
        if scans > was_scans:
            scanned[table] = f"{scans - was_scans} scans, {rows - was_rows} rows"
    return scanned


def _ran(
    before: Mapping[StatementKey, Statement], after: Mapping[StatementKey, Statement]
) -> list[Statement]:
    ran = []
    for key, now in after.items():
        was = before.get(key)
        calls = now.calls - (was.calls if was else 0)
        if calls > 0:
            ran.append(Statement(now.query, calls, now.rows - (was.rows if was else 0)))
    return ran

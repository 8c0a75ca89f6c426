"""Which tables the statements a use case ran read whole, as the database plans them:
the test records the statements, then asks the planner about each, whatever the
tables hold. On PostgreSQL sequential scans are made the last resort, so a
`Seq Scan` had no index to use, and an index scan whose condition leaves out the
index's first column reads the whole index (a partial index's rows are those its
predicate picks: reading it whole is a look-up); on SQLite a `SCAN` (by index or
not) reads the whole table, a `SEARCH` looks rows up."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg.sql import Literal
from sqlalchemy import Connection, Engine, event, text

Statement = tuple[str, Any]
# The planner's statistics of every table forgotten, as if never gathered (whatever an
# earlier test gathered: TRUNCATE keeps the columns' statistics).
FORGET = (
    "DELETE FROM pg_statistic USING pg_class, pg_namespace "
    "WHERE pg_statistic.starelid = pg_class.oid "
    "AND pg_class.relnamespace = pg_namespace.oid AND pg_namespace.nspname = 'public'"
)
_PLANNED = ("SELECT", "UPDATE", "DELETE", "WITH")
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)")
_FIRST_COLUMN = text(
    "SELECT a.attname, t.relname, i.indpred IS NOT NULL FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid "
    "JOIN pg_class t ON t.oid = i.indrelid "
    "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
    "WHERE c.relname = :name"
)


@contextmanager
def statements(engine: Engine) -> Iterator[list[Statement]]:
    """The statements run on `engine` within, with their parameters (the first set of
    an executemany)."""
    ran: list[Statement] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, many: bool) -> None:
        ran.append((sql, params[0] if many and params else params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", record)


def full_scans(engine: Engine, ran: list[Statement]) -> set[str]:
    """The tables some statement reads whole."""
    planned = [(sql, params) for sql, params in ran if sql.lstrip().upper().startswith(_PLANNED)]
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
            scanned = {t for sql, p in planned for t in _postgresql_scans(connection, sql, p)}
        else:
            scanned = {t for sql, p in planned for t in _sqlite_scans(connection, sql, p)}
        connection.rollback()
    return scanned


def _sqlite_scans(connection: Connection, sql: str, params: Any) -> set[str]:
    plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
    return {m.group(1) for row in plan if (m := _SQLITE_SCAN.match(str(row[-1])))}


def _postgresql_scans(connection: Connection, sql: str, params: Any) -> set[str]:
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + sql, params).scalar_one()
    nodes = _nodes(plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"])
    scanned = set()
    for node in nodes:
        if node["Node Type"] == "Seq Scan":
            scanned.add(node["Relation Name"])
        elif "Index Name" in node:
            first, table, partial = connection.execute(
                _FIRST_COLUMN, {"name": node["Index Name"]}
            ).one()
            if not partial and not re.search(rf"\b{first}\b", node.get("Index Cond", "")):
                scanned.add(table)
    return scanned


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def sequential_scans(engine: Engine, ran: list[Statement], *, generic: bool) -> dict[str, str]:
    """PostgreSQL: the tables its planner, left to its own costs, would read by a
    sequential scan for the statements `ran` (table -> the first such statement),
    planned for the values given or, `generic`, as a prepared statement's generic plan
    (the values unknown, as the server may plan the statements psycopg prepares)."""
    planned = [(sql, params) for sql, params in ran if sql.lstrip().upper().startswith(_PLANNED)]
    scanned: dict[str, str] = {}
    with engine.connect() as connection:
        for sql, params in planned:
            plan = (
                _generic_plan(connection, sql, params)
                if generic
                else _plan(connection, sql, params)
            )
            for node in _nodes(plan[0]["Plan"]):
                if node["Node Type"] == "Seq Scan":
                    scanned.setdefault(node["Relation Name"], " ".join(sql.split())[:160])
        connection.rollback()
    return scanned


def _plan(connection: Connection, sql: str, params: Any) -> Any:
    return connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + sql, params).scalar_one()


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _generic_plan(connection: Connection, sql: str, params: dict[str, Any]) -> Any:
    """The statement prepared (its placeholders numbered), then explained as executed
    with the generic plan forced: the plan made without the values."""
    names: list[str] = []

    def numbered(found: re.Match[str]) -> str:
        if found.group(1) not in names:
            names.append(found.group(1))
        return f"${names.index(found.group(1)) + 1}"

    prepared = _PLACEHOLDER.sub(numbered, sql).replace("%%", "%")
    connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql("PREPARE planned AS " + prepared)
    try:  # the values as literals: EXECUTE's own parameters would have no type
        raw = connection.connection.driver_connection
        values = ", ".join(Literal(params[name]).as_string(raw) for name in names)
        execute = f"EXECUTE planned({values})" if names else "EXECUTE planned"
        return connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + execute).scalar_one()
    finally:
        connection.exec_driver_sql("DEALLOCATE planned")
        connection.exec_driver_sql("RESET plan_cache_mode")

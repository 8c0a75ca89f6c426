"""The spellings that differ between PostgreSQL and SQLite, for statements over many
rows at once.

PostgreSQL takes the rows to join or update from as one JSON parameter read back as
a relation (`jsonb_to_recordset`): one statement and one plan whatever the number of
rows, a bulk feed of 10,000 rows one round trip instead of 10,000 pipelined ones (and
JSON binds faster than typed arrays: measured 62 against 159 ms for 10,000 rows of
six columns). Rows to insert go by COPY (5,000 movements: 85 instead of 155 ms).
SQLite runs in the process, where `executemany` and lists of bound values cost
little.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    and_,
    any_,
    bindparam,
    cast,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy import column as column_
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import FromClause
from sqlalchemy.types import TypeEngine

Key = tuple[str, str]
Rows = Sequence[dict[str, Any]]


def is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def time_values(connection: Connection) -> Callable[[datetime | None], Any]:
    """How rows for `insert_rows` and `recordset` carry times: as they are for SQLite;
    as ISO text for PostgreSQL, each distinct time formatted once (a feed's rows share
    a few), which spares the JSON encoder a Python call per value."""
    if not is_postgresql(connection):
        return lambda value: value
    formatted: dict[datetime, str] = {}

    def iso(value: datetime | None) -> str | None:
        if value is None:
            return None
        text = formatted.get(value)
        if text is None:
            text = formatted[value] = value.isoformat()
        return text

    return iso


def as_json(rows: Rows) -> str:
    return json.dumps(rows, default=_iso, separators=(",", ":"))


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def recordset(name: str, columns: dict[str, TypeEngine[Any]], rows: Rows) -> FromClause:
    """PostgreSQL: `rows` (dicts with at least `columns`) as a relation `name`.

    Limited to their number: the planner takes a set-returning function for 100 rows
    and would join a few rows to a whole table by a hash over a sequential scan; told
    how many there are (a bound LIMIT, known to the plan for the values; a generic
    plan takes it for 10), it finds each by its index."""
    document = cast(bindparam(f"{name}_rows", as_json(rows)), JSONB)
    typed = [column_(c, t) for c, t in columns.items()]
    relation = (
        func.jsonb_to_recordset(document).table_valued(*typed).render_derived(with_types=True)
    )
    return select(relation).limit(bindparam(f"{name}_count", len(rows))).subquery(name)


def with_keys(connection: Connection, query: Select[Any], table: Any, keys: Sequence[Key]) -> Any:
    """`query` narrowed to the rows of `table` keyed by the (location_id, sku) `keys`."""
    if is_postgresql(connection):
        rows = [{"location_id": k[0], "sku": k[1]} for k in keys]
        k = recordset("k", {"location_id": String(), "sku": String()}, rows)
        return query.join(k, and_(table.c.location_id == k.c.location_id, table.c.sku == k.c.sku))
    return query.where(tuple_(table.c.location_id, table.c.sku).in_(keys))


def one_of(connection: Connection, column: Any, wanted: Sequence[str]) -> ColumnElement[bool]:
    """`column` is any of `wanted`."""
    if is_postgresql(connection):
        condition: ColumnElement[bool] = column == any_(
            cast(bindparam(None, list(wanted), type_=ARRAY(String)), ARRAY(String))
        )
        return condition
    found: ColumnElement[bool] = column.in_(wanted)
    return found


def insert_rows(connection: Connection, table: Table, rows: Rows) -> None:
    """Insert `rows` (dicts with the same keys, columns of `table`) at once."""
    if not rows:
        return
    if not is_postgresql(connection):
        connection.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    # COPY: the rows go in PostgreSQL's own format, adapted in C, parsed without JSON.
    # Table and column names are ours (tables.py, the rows' keys), never input.
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])
    except psycopg.IntegrityError as error:  # as SQLAlchemy would say it, to its callers
        raise IntegrityError(statement, None, error) from error


def through_indexes(connection: Connection) -> None:
    """PostgreSQL plans the rest of the transaction by its indexes, whatever its
    statistics say: without them (autovacuum off, a table not analyzed since it
    grew) it may read a whole table it takes for small. SET LOCAL: the transaction's
    only, gone with it. SQLite plans by its indexes without statistics."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")

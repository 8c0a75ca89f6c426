"""Writes a unit of work holds until it commits: new rows and reservations.

New rows (orders, lines, allocations, ledger, outbox, idempotency records) and the
stock they take are written at commit, all at once, so position rows stay locked
only from the reservation to the commit. On PostgreSQL the whole flush is one
statement (one round trip): the inserts as data-modifying CTEs, then the
reservation, which locks the positions in sorted order first (no deadlocks) and
updates only those that still have the quantity above the floor the channel's view
leaves there (`ordino.domain.inventory.Floor`):

    UPDATE positions SET reserved = reserved + q
     WHERE location_id = l AND sku = s
       AND on_hand - reserved - GREATEST(safety_stock, floor) - protection >= q

Elsewhere the same writes are one statement per table and per position. Either
way, fewer positions updated than taken, or a unique key already present, is a
lost race: the commit raises `LostRace` and the transaction is rolled back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, bindparam, case, insert, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from ordino.domain.inventory import Floor
from ordino.errors import LostRace
from ordino.store.tables import (
    allocations,
    idempotency_keys,
    order_lines,
    orders,
    outbox,
    positions,
    reservations,
)

# Parents before children: the order in which the rows are inserted.
TABLES: tuple[Table, ...] = (
    orders,
    order_lines,
    allocations,
    reservations,
    outbox,
    idempotency_keys,
)

_SAFETY = case(
    (positions.c.safety_stock > bindparam("floor"), positions.c.safety_stock),
    else_=bindparam("floor"),
)
_RESERVE = (
    update(positions)
    .where(
        positions.c.location_id == bindparam("at_location"),
        positions.c.sku == bindparam("of_sku"),
        positions.c.on_hand - positions.c.reserved - _SAFETY - bindparam("protection")
        >= bindparam("take"),
    )
    .values(reserved=positions.c.reserved + bindparam("take"), updated_at=bindparam("now"))
)
_INSERTS = {table.name: insert(table) for table in TABLES}
_DEADLOCK = "40P01"


class PendingWrites:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.takes: dict[tuple[str, str], Take] = {}
        self.now: datetime | None = None

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        self.rows.setdefault(table.name, []).extend(rows)

    def take(self, location_id: str, sku: str, quantity: int, floor: Floor, now: datetime) -> None:
        key = (location_id, sku)
        earlier = self.takes.get(key)
        self.takes[key] = Take(quantity + (earlier.quantity if earlier else 0), floor)
        self.now = now

    def flush(self, connection: Connection) -> None:
        rows, takes, now = self.rows, self.takes, self.now
        self.rows, self.takes = {}, {}
        if not rows and not takes:
            return
        write = _in_one_statement if connection.dialect.name == "postgresql" else _one_by_one
        try:
            taken = write(connection, rows, takes, now)
        except IntegrityError as error:  # the same order or key was written concurrently
            raise LostRace(str(error.orig)) from error
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == _DEADLOCK:
                raise LostRace("deadlock") from error
            raise
        if taken != len(takes):
            raise LostRace("less is available than the plan took")


@dataclass(frozen=True)
class Take:
    quantity: int
    floor: Floor


Rows = dict[str, list[dict[str, Any]]]
Takes = dict[tuple[str, str], Take]


def _one_by_one(connection: Connection, rows: Rows, takes: Takes, now: datetime | None) -> int:
    for table in TABLES:
        if rows.get(table.name):
            connection.execute(_INSERTS[table.name], rows[table.name])
    taken = 0
    for (location_id, sku), take in sorted(takes.items()):
        parameters = {
            "at_location": location_id,
            "of_sku": sku,
            "take": take.quantity,
            "floor": take.floor.safety,
            "protection": take.floor.protection,
            "now": now,
        }
        if connection.execute(_RESERVE, parameters).rowcount != 1:
            break
        taken += 1
    return taken


def _in_one_statement(
    connection: Connection, rows: Rows, takes: Takes, now: datetime | None
) -> int:
    names = tuple(table.name for table in TABLES if rows.get(table.name))
    parameters: dict[str, Any] = {name: json.dumps(rows[name], default=_iso) for name in names}
    parameters["takes"] = json.dumps(
        [
            {
                "location_id": loc,
                "sku": sku,
                "quantity": take.quantity,
                "floor": take.floor.safety,
                "protection": take.floor.protection,
            }
            for (loc, sku), take in sorted(takes.items())
        ]
    )
    parameters["now"] = now
    return int(connection.execute(_statement(names, bool(takes)), parameters).scalar_one())


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


@cache
def _statement(names: tuple[str, ...], reserves: bool) -> Any:
    # `names` are our own table names (TABLES), never input: the f-string is safe.
    parts = [
        f"insert_{name} AS (INSERT INTO {name} "  # noqa: S608
        f"SELECT * FROM jsonb_populate_recordset(NULL::{name}, CAST(:{name} AS jsonb)))"
        for name in names
    ]
    if reserves:
        parts += [
            "wanted AS (SELECT * FROM jsonb_to_recordset(CAST(:takes AS jsonb)) "
            "AS t(location_id text, sku text, quantity int, floor int, protection int))",
            # Lock the positions in sorted order before touching them: no deadlocks.
            "locked AS (SELECT p.location_id, p.sku FROM positions p JOIN wanted w "
            "ON p.location_id = w.location_id AND p.sku = w.sku "
            "ORDER BY p.location_id, p.sku FOR UPDATE OF p)",
            "taken AS (UPDATE positions p SET reserved = p.reserved + w.quantity, "
            "updated_at = :now FROM wanted w, locked k "
            "WHERE p.location_id = w.location_id AND p.sku = w.sku "
            "AND k.location_id = p.location_id AND k.sku = p.sku "
            "AND p.on_hand - p.reserved - GREATEST(p.safety_stock, w.floor) - w.protection "
            ">= w.quantity RETURNING 1)",
        ]
    tail = "SELECT count(*) FROM taken" if reserves else "SELECT 0"
    return text("WITH " + ",\n".join(parts) + "\n" + tail)

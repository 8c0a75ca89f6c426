"""Writes a unit of work holds until it commits: new rows and reservations.

New rows (orders, lines, allocations, ledger, outbox, idempotency records) and the
stock they take are written at commit, all at once, so position rows stay locked
only from the reservation to the commit. On PostgreSQL the whole flush is one
statement (one round trip): the inserts as data-modifying CTEs, then the
reservation, which locks the positions in sorted order first (no deadlocks) and
updates only those that still have the quantity above the floor the channel's view
leaves there (`ordino.inventory.domain.positions.Floor`):

    UPDATE positions SET reserved = reserved + q
     WHERE location_id = l AND sku = s
       AND on_hand - reserved - GREATEST(safety_stock, floor) - protection >= q

Elsewhere the same writes are one statement per table and per position. Either
way, fewer positions updated than taken, or a unique key already present, is a
lost race: the commit raises `LostRace` and the transaction is rolled back.

Last of all come the writes a store hands over to be made just before the commit
(`write_last`): those that lock a row every writer of their kind waits for (an
invoice's number, the next of its series), which then stays locked for the commit
alone, not for the rest of the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Table,
    bindparam,
    case,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from ordino.inventory.domain.positions import Floor
from ordino.inventory.store.tables import positions
from ordino.kernel.domain.changes import Change, ChangeLog
from ordino.kernel.domain.errors import LostRace
from ordino.store.tables import outbox, stock_changes

# Parents before children: the order in which the rows are inserted, by table name.
# Each store hands its table over with its rows, so that the commit writer imports
# no capability's tables but the positions it reserves (a store of any capability
# above inventory uses it: the capabilities' order, docs/layout.md).
TABLES: tuple[str, ...] = (
    "orders",
    "order_promises",
    "order_lines",
    "allocations",
    "holds",
    "money_adjustments",
    "sourcing_decisions",
    "reservations",
    "outbox",
    "idempotency_keys",
    "payments",
    "payment_operations",
    "jobs",
    "stock_changes",
)
_PLACE = {name: place for place, name in enumerate(TABLES)}

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
DEADLOCK = "40P01"


class PendingWrites:
    def __init__(self) -> None:
        self.rows: Rows = {}
        self.takes: dict[tuple[str, str], Take] = {}
        self.now: datetime | None = None
        self.changes = ChangeLog()
        self.last: list[Callable[[Connection], None]] = []

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if table.name not in _PLACE:
            raise ValueError(f"{table.name} is not written at commit")
        self.rows.setdefault(table, []).extend(rows)

    def take(self, location_id: str, sku: str, quantity: int, floor: Floor, now: datetime) -> None:
        key = (location_id, sku)
        earlier = self.takes.get(key)
        self.takes[key] = Take(quantity + (earlier.quantity if earlier else 0), floor)
        self.now = now

    def write_last(self, write: Callable[[Connection], None]) -> None:
        """`write` made at commit, after everything else (in the order given)."""
        self.last.append(write)

    def flush(self, connection: Connection) -> Change:
        """Write everything held, with the record of what changed, then the last
        writes; returns what changed."""
        # When the change was recorded: the database's business, not the domain's clock.
        now_ = self.now or datetime.now(UTC)
        change = self.changes.change()
        if not change.empty:
            self.insert(stock_changes, change_rows(self.changes, now_))
        rows = {table: held for table, held in self.rows.items() if held}
        takes, last = self.takes, self.last
        self.rows, self.takes, self.changes, self.last = {}, {}, ChangeLog(), []
        try:
            taken = _write_held(connection, rows, takes, now_, change) if rows or takes else 0
            if taken != len(takes):
                raise LostRace("less is available than the plan took")
            for write in last:
                write(connection)
        except IntegrityError as error:  # the same order or key was written concurrently
            raise LostRace(str(error.orig)) from error
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == DEADLOCK:
                raise LostRace("deadlock") from error
            raise
        return change


def _write_held(
    connection: Connection,
    rows: Rows,
    takes: dict[tuple[str, str], Take],
    now: datetime,
    change: Change,
) -> int:
    """The rows and the stock taken, written; how many positions were taken."""
    if connection.dialect.name == "postgresql":
        return _in_one_statement(connection, rows, takes, now, notice(change))
    return _one_by_one(connection, rows, takes, now)


CHANNEL = "ordino_changes"  # PostgreSQL's NOTIFY channel: see `ordino.store.change_feed`
_MAX_NOTICE = 7900  # bytes: NOTIFY takes payloads below 8000


def notice(change: Change) -> str:
    """The NOTIFY payload of a change: what it changed, or everything if too long."""
    if change.empty:
        return ""
    document = {"s": sorted(change.skus), "n": change.network, "v": change.views}
    document |= {"p": sorted(change.products)} if change.products else {}
    text_ = json.dumps(document | ({"a": True} if change.access else {}))
    return text_ if len(text_.encode()) < _MAX_NOTICE else json.dumps({"all": True})


def change_rows(changes: ChangeLog, now: datetime) -> list[dict[str, Any]]:
    def row(
        kind: str, sku: str | None = None, down: int = 0, up: bool = True, at: str | None = None
    ) -> dict[str, Any]:
        return {
            "kind": kind,
            "sku": sku,
            "down": down,
            "up": up,
            "changed_at": now,
            "location_id": at,
        }

    rows = [
        row("stock", c.sku, c.down, c.up)
        for c in sorted(changes.skus.values(), key=lambda c: c.sku)
    ]
    rows += [row("product", sku) for sku in sorted(changes.products)]
    rows += [row("network", at=location_id) for location_id in sorted(changes.locations)]
    if changes.network and not changes.locations:  # postal codes
        rows.append(row("network"))
    if changes.views:
        rows.append(row("views"))
    if changes.access:
        rows.append(row("access"))
    return rows


@dataclass(frozen=True)
class Take:
    quantity: int
    floor: Floor


Rows = dict[Table, list[dict[str, Any]]]
Takes = dict[tuple[str, str], Take]


def _one_by_one(connection: Connection, rows: Rows, takes: Takes, now: datetime | None) -> int:
    for table in _in_order(rows):
        held = _numbered(connection, rows[table]) if table is outbox else rows[table]
        connection.execute(_insert(table), held)
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
    connection: Connection, rows: Rows, takes: Takes, now: datetime | None, note: str
) -> int:
    ordered = _in_order(rows)
    tables = tuple((table.name, tuple(rows[table][0])) for table in ordered)
    parameters: dict[str, Any] = {
        table.name: json.dumps(rows[table], default=_iso) for table in ordered
    }
    for n, ((loc, sku), take) in enumerate(sorted(takes.items())):
        parameters |= {
            f"l{n}": loc,
            f"s{n}": sku,
            f"q{n}": take.quantity,
            f"f{n}": take.floor.safety,
            f"p{n}": take.floor.protection,
        }
    parameters["now"] = now
    parameters["note"] = note
    statement = _statement(tables, len(takes), bool(note))
    return int(connection.execute(statement, parameters).first()[0])  # type: ignore[index]


def _in_order(rows: Rows) -> list[Table]:
    return sorted(rows, key=lambda table: _PLACE[table.name])


@cache
def _insert(table: Table) -> Insert:
    return insert(table)


def _numbered(connection: Connection, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outbox rows with the next numbers (SQLite, where this transaction is the one
    writer; PostgreSQL's come from the column's sequence)."""
    last = connection.scalar(select(func.max(outbox.c.seq))) or 0
    return [row | {"seq": last + n} for n, row in enumerate(events, start=1)]


def _iso(value: object) -> str:
    if isinstance(value, date):  # dates and datetimes
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


@lru_cache(maxsize=256)  # by the tables written and the number of positions taken
def _statement(
    tables: tuple[tuple[str, tuple[str, ...]], ...], reserves: int, notifies: bool
) -> Any:
    # Table and column names are our own (TABLES, the rows' keys), never input: the
    # f-string is safe. Columns are named so that a table's defaults (a sequence) apply.
    parts = [
        f"insert_{name} AS (INSERT INTO {name} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(columns)} "
        f"FROM jsonb_populate_recordset(NULL::{name}, CAST(:{name} AS jsonb)))"
        for name, columns in tables
    ]
    if reserves:
        parts += [
            # A list of its own length, not a set-returning function (which the
            # planner takes for 100 rows and joins to every position by a hash over
            # a sequential scan): each position found by its key, whatever the
            # planner's statistics say.
            "wanted (location_id, sku, quantity, floor, protection) AS (VALUES "
            + ", ".join(
                f"(CAST(:l{n} AS text), CAST(:s{n} AS text), CAST(:q{n} AS int), "
                f"CAST(:f{n} AS int), CAST(:p{n} AS int))"
                for n in range(reserves)
            )
            + ")",
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
    if notifies:  # delivered at commit, to every listening process
        parts.append(f"notified AS (SELECT pg_notify('{CHANNEL}', :note) AS n)")
    taken = "(SELECT count(*) FROM taken)" if reserves else "0"
    notified = ", (SELECT count(*) FROM notified)" if notifies else ""
    return text("WITH " + ",\n".join(parts) + f"\nSELECT {taken}{notified}")

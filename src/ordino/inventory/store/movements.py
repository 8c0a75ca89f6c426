"""Feeds into positions: read what a feed touches, write the plan and its movements.

The positions a feed touches are read locked (`FOR UPDATE`, in sorted order, as
reservations lock them: no deadlocks), so concurrent feeds of the same positions
queue instead of failing; the plan (`ordino.inventory.domain.feeds`) is computed from them
and written with each update still conditional on the on hand it was computed
from. A position created in between or an event id recorded in between is a lost
race: nothing is written and the use case plans again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from ordino.inventory.domain.feeds import FeedPlan, Key, Movement, MovementKind, PositionChange
from ordino.inventory.domain.positions import Position
from ordino.inventory.store.positions import position_of
from ordino.inventory.store.tables import inventory_movements, positions
from ordino.kernel.domain import ChangeLog, LostRace
from ordino.store.dialect import (
    insert_rows,
    is_postgresql,
    one_of,
    recordset,
    time_values,
    with_keys,
)
from ordino.store.tables import UTCDateTime

# Kinds that are deltas: what a count taken earlier does not hold yet.
DELTA_KINDS = tuple(
    str(k)
    for k in MovementKind
    if k not in (MovementKind.OPENING, MovementKind.COUNT, MovementKind.SNAPSHOT)
)
_UPDATE_COLUMNS: dict[str, Any] = {
    "at_location": String(),
    "of_sku": String(),
    "expected": Integer(),
    "new_on_hand": Integer(),
    "new_safety_stock": Integer(),
    "new_counted_at": UTCDateTime(),
    "new_moved_at": UTCDateTime(),
    "now": UTCDateTime(),
}
# Keys per query: far below SQLite's 32,766 bound parameters.
_CHUNK = 5000

_UPDATE = (
    update(positions)
    .where(
        positions.c.location_id == bindparam("at_location"),
        positions.c.sku == bindparam("of_sku"),
        positions.c.on_hand == bindparam("expected"),
    )
    .values(
        on_hand=bindparam("new_on_hand"),
        safety_stock=bindparam("new_safety_stock"),
        counted_at=bindparam("new_counted_at"),
        moved_at=bindparam("new_moved_at"),
        updated_at=bindparam("now"),
    )
)


class SqlMovements:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection = connection
        self.changes = changes

    def current(self, keys: Iterable[Key]) -> dict[Key, Position]:
        """The positions among `keys` that exist, locked until the commit."""
        wanted = sorted(set(keys))
        found: dict[Key, Position] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = (
                with_keys(self.connection, select(positions), positions, chunk)
                .order_by(positions.c.location_id, positions.c.sku)
                .with_for_update(of=positions)
            )
            for row in self.connection.execute(query):
                found[(row.location_id, row.sku)] = position_of(row)
        return found

    def at_location(self, location_id: str) -> dict[Key, Position]:
        query = select(positions).where(positions.c.location_id == location_id)
        return {(r.location_id, r.sku): position_of(r) for r in self.connection.execute(query)}

    def later(self, keys: Iterable[Key], since: datetime) -> dict[Key, int]:
        """Per position, the deltas that happened after `since`."""
        wanted = sorted(set(keys))
        totals: dict[Key, int] = {}
        m = inventory_movements.c
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            totals_query = select(m.location_id, m.sku, func.sum(m.quantity)).where(
                m.kind.in_(DELTA_KINDS), m.occurred_at > since
            )
            query = with_keys(self.connection, totals_query, inventory_movements, chunk).group_by(
                m.location_id, m.sku
            )
            for location_id, sku, total in self.connection.execute(query):
                totals[(location_id, sku)] = int(total)
        return totals

    def seen(self, event_ids: Iterable[str]) -> set[str]:
        wanted = sorted(set(event_ids))
        found: set[str] = set()
        m = inventory_movements.c
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = select(m.event_id).where(one_of(self.connection, m.event_id, chunk))
            found.update(self.connection.scalars(query))
        return found

    def apply(self, plan: FeedPlan, now: datetime) -> None:
        """Write the plan's positions and movements; LostRace if any changed meanwhile."""
        ordered = [plan.changes[key] for key in sorted(plan.changes)]
        t = time_values(self.connection)
        updates = [_update_row(c, t(now), t) for c in ordered if c.expected_on_hand is not None]
        inserts = [
            _insert_row(c.position, t(now), t) for c in ordered if c.expected_on_hand is None
        ]
        try:
            if updates and self._update(updates) != len(updates):
                raise LostRace("a position changed while the feed was planned")
            insert_rows(self.connection, positions, inserts)
            rows = [movement_row(m, t(now), t) for m in plan.movements]
            insert_rows(self.connection, inventory_movements, rows)
        except IntegrityError as error:  # a position or an event id arrived concurrently
            raise LostRace(str(error.orig)) from error
        for change in ordered:
            self._record(change)

    def _record(self, change: PositionChange) -> None:
        self.changes.sku(change.position.sku, down=change.fall, up=change.rise)

    def _update(self, rows: list[dict[str, Any]]) -> int:
        """Write positions still at their expected on hand; how many were."""
        if not is_postgresql(self.connection):
            return int(self.connection.execute(_UPDATE, rows).rowcount)
        v = recordset("v", _UPDATE_COLUMNS, rows)
        statement = (
            update(positions)
            .where(
                positions.c.location_id == v.c.at_location,
                positions.c.sku == v.c.of_sku,
                positions.c.on_hand == v.c.expected,
            )
            .values(
                on_hand=v.c.new_on_hand,
                safety_stock=v.c.new_safety_stock,
                counted_at=v.c.new_counted_at,
                moved_at=v.c.new_moved_at,
                updated_at=v.c.now,
            )
        )
        return int(self.connection.execute(statement).rowcount)

    def history(
        self, location_id: str, sku: str, limit: int, before_id: int | None = None
    ) -> list[dict[str, Any]]:
        """A position's movements, newest first, as rows."""
        m = inventory_movements.c
        query = (
            select(inventory_movements)
            .where(m.location_id == location_id, m.sku == sku)
            .order_by(m.id.desc())
            .limit(limit)
        )
        if before_id is not None:
            query = query.where(m.id < before_id)
        return [dict(row._mapping) for row in self.connection.execute(query)]


# Rows carry their times through `t` (`ordino.store.dialect.time_values`): as they are
# for SQLite, as text for PostgreSQL's JSON parameter.
TimeValue = Callable[[datetime | None], Any]


def _update_row(change: PositionChange, now: Any, t: TimeValue) -> dict[str, Any]:
    p = change.position
    return {
        "at_location": p.location_id,
        "of_sku": p.sku,
        "expected": change.expected_on_hand,
        "new_on_hand": p.on_hand,
        "new_safety_stock": p.safety_stock,
        "new_counted_at": t(p.counted_at),
        "new_moved_at": t(p.moved_at),
        "now": now,
    }


def _insert_row(p: Position, now: Any, t: TimeValue) -> dict[str, Any]:
    return {
        "location_id": p.location_id,
        "sku": p.sku,
        "on_hand": p.on_hand,
        "reserved": 0,
        "safety_stock": p.safety_stock,
        "counted_at": t(p.counted_at),
        "moved_at": t(p.moved_at),
        "updated_at": now,
    }


def movement_row(m: Movement, now: Any, t: TimeValue) -> dict[str, Any]:
    return {
        "location_id": m.location_id,
        "sku": m.sku,
        "kind": str(m.kind),
        "quantity": m.quantity,
        "on_hand_after": m.on_hand_after,
        "safety_stock_after": m.safety_stock_after,
        "reported": m.reported,
        "event_id": m.event_id,
        "reference": m.reference,
        "reason": m.reason,
        "actor": m.actor,
        "occurred_at": t(m.occurred_at),
        "recorded_at": now,
    }

"""Feeds into positions: read what a feed touches, write the plan and its movements.

The positions a feed touches are read locked (`FOR UPDATE`, in sorted order, as
reservations lock them: no deadlocks), so concurrent feeds of the same positions
queue instead of failing; the plan (`ordino.domain.feeds`) is computed from them
and written with each update still conditional on the on hand it was computed
from. A position created in between or an event id recorded in between is a lost
race: nothing is written and the use case plans again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from ordino.domain.feeds import FeedPlan, Key, Movement, MovementKind, PositionChange
from ordino.domain.inventory import Position
from ordino.errors import LostRace
from ordino.store.inventory import position_of
from ordino.store.tables import inventory_movements, positions

# Kinds that are deltas: what a count taken earlier does not hold yet.
DELTA_KINDS = tuple(
    str(k)
    for k in MovementKind
    if k not in (MovementKind.OPENING, MovementKind.COUNT, MovementKind.SNAPSHOT)
)
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
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def current(self, keys: Iterable[Key]) -> dict[Key, Position]:
        """The positions among `keys` that exist, locked until the commit."""
        wanted = sorted(set(keys))
        found: dict[Key, Position] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = (
                select(positions)
                .where(tuple_(positions.c.location_id, positions.c.sku).in_(chunk))
                .order_by(positions.c.location_id, positions.c.sku)
                .with_for_update()
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
            query = (
                select(m.location_id, m.sku, func.sum(m.quantity))
                .where(
                    tuple_(m.location_id, m.sku).in_(wanted[start : start + _CHUNK]),
                    m.kind.in_(DELTA_KINDS),
                    m.occurred_at > since,
                )
                .group_by(m.location_id, m.sku)
            )
            for location_id, sku, total in self.connection.execute(query):
                totals[(location_id, sku)] = int(total)
        return totals

    def seen(self, event_ids: Iterable[str]) -> set[str]:
        wanted = sorted(set(event_ids))
        found: set[str] = set()
        m = inventory_movements.c
        for start in range(0, len(wanted), _CHUNK):
            query = select(m.event_id).where(m.event_id.in_(wanted[start : start + _CHUNK]))
            found.update(self.connection.scalars(query))
        return found

    def apply(self, plan: FeedPlan, now: datetime) -> None:
        """Write the plan's positions and movements; LostRace if any changed meanwhile."""
        ordered = [plan.changes[key] for key in sorted(plan.changes)]
        updates = [_update_row(c, now) for c in ordered if c.expected_on_hand is not None]
        inserts = [_insert_row(c.position, now) for c in ordered if c.expected_on_hand is None]
        try:
            if updates:
                written = self.connection.execute(_UPDATE, updates).rowcount
                if written != len(updates):
                    raise LostRace("a position changed while the feed was planned")
            if inserts:
                self.connection.execute(insert(positions), inserts)
            if plan.movements:
                rows = [movement_row(m, now) for m in plan.movements]
                self.connection.execute(insert(inventory_movements), rows)
        except IntegrityError as error:  # a position or an event id arrived concurrently
            raise LostRace(str(error.orig)) from error

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


def _update_row(change: PositionChange, now: datetime) -> dict[str, Any]:
    p = change.position
    return {
        "at_location": p.location_id,
        "of_sku": p.sku,
        "expected": change.expected_on_hand,
        "new_on_hand": p.on_hand,
        "new_safety_stock": p.safety_stock,
        "new_counted_at": p.counted_at,
        "new_moved_at": p.moved_at,
        "now": now,
    }


def _insert_row(p: Position, now: datetime) -> dict[str, Any]:
    return {
        "location_id": p.location_id,
        "sku": p.sku,
        "on_hand": p.on_hand,
        "reserved": 0,
        "safety_stock": p.safety_stock,
        "counted_at": p.counted_at,
        "moved_at": p.moved_at,
        "updated_at": now,
    }


def movement_row(m: Movement, now: datetime) -> dict[str, Any]:
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
        "occurred_at": m.occurred_at,
        "recorded_at": now,
    }


"""Positions and the reservation ledger.

The reservation is one conditional UPDATE per (location, SKU), taken in sorted
order so that concurrent orders never deadlock; zero rows updated is a lost race.
`reserved` moves only together with ledger rows, in the same transaction. On hand
changes only through `ordino.inventory.store.movements`, each change with its movement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from ordino.inventory.domain.positions import NO_FLOOR, Floor, Position, Reservation
from ordino.inventory.store.tables import position_available, positions, reservations
from ordino.network.store import locations
from ordino.store.commit_writer import PendingWrites

Key = tuple[str, str]

# The hot path's statement is built once; building it per call costs more than running it.
# Positions with nothing above their own safety stock cannot sell through any view. The
# positions only, by their SKU's index: which locations ship, the caller knows (a join
# to the locations read them all by a sequential scan for every order).
_SOURCING = (
    select(
        positions.c.location_id,
        positions.c.sku,
        positions.c.on_hand,
        positions.c.reserved,
        positions.c.safety_stock,
    )
    .where(positions.c.sku.in_(bindparam("skus", expanding=True)), position_available > 0)
    .order_by(positions.c.location_id)
)


def position_of(row: Row[Any]) -> Position:
    return Position(
        row.location_id,
        row.sku,
        row.on_hand,
        row.reserved,
        row.safety_stock,
        row.counted_at,
        row.moved_at,
    )


class SqlInventory:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending

    def sourcing_positions(self, skus: Sequence[str]) -> list[Position]:
        """The positions of `skus` with stock above their safety stock, wherever they
        are (the caller keeps those of the locations it may source from)."""
        rows = self.connection.execute(_SOURCING, {"skus": sorted(set(skus))})
        # Unpacked by position: this runs for every order, and Row attribute access costs.
        return [
            Position(location_id, sku, on_hand, reserved, safety)
            for location_id, sku, on_hand, reserved, safety in rows
        ]

    def reserve(
        self, held: Sequence[Reservation], now: datetime, floors: Mapping[Key, Floor]
    ) -> None:
        """Ledger rows and the stock they take, both written at commit: see
        `ordino.store.commit_writer` for the conditional statement."""
        self.pending.insert(
            reservations,
            [
                {
                    "id": r.id,
                    "order_id": r.order_id,
                    "line_no": r.line_no,
                    "location_id": r.location_id,
                    "sku": r.sku,
                    "quantity": r.quantity,
                    "created_at": now,
                    "released_at": None,
                }
                for r in held
            ],
        )
        for r in held:
            floor = floors.get((r.location_id, r.sku), NO_FLOOR)
            self.pending.take(r.location_id, r.sku, r.quantity, floor, now)
            self.pending.changes.sku(r.sku, down=r.quantity)

    def release(
        self, order_id: str, now: datetime, location_id: str | None = None
    ) -> list[Reservation]:
        """Release what the order holds (at `location_id` only, when given)."""
        query = select(reservations).where(
            reservations.c.order_id == order_id, reservations.c.released_at.is_(None)
        )
        if location_id is not None:
            query = query.where(reservations.c.location_id == location_id)
        active = self.connection.execute(
            query.order_by(reservations.c.location_id, reservations.c.sku)
        ).all()
        released = [
            Reservation(r.id, r.order_id, r.line_no, r.location_id, r.sku, r.quantity)
            for r in active
        ]
        for r in released:
            self.pending.changes.sku(r.sku, up=True)
            self.connection.execute(
                update(positions)
                .where(positions.c.location_id == r.location_id, positions.c.sku == r.sku)
                .values(reserved=positions.c.reserved - r.quantity, updated_at=now)
            )
        self.connection.execute(
            update(reservations)
            .where(reservations.c.id.in_([r.id for r in released]))
            .values(released_at=now)
        )
        return released

    def unhold(self, held: Reservation, now: datetime, *, freed: bool) -> None:
        """Let go of `held.quantity` units the order line holds at the location (they
        left it, or are no longer wanted): its ledger rows are released, and a row for
        what the line still holds there takes their place. `freed`: the units are
        back on the shelf for others (a signal that stock rose), not gone."""
        r = reservations.c
        active = self.connection.execute(
            select(r.id, r.quantity)
            .where(
                r.order_id == held.order_id,
                r.line_no == held.line_no,
                r.location_id == held.location_id,
                r.released_at.is_(None),
            )
            .order_by(r.id)
        ).all()
        remaining = sum(row.quantity for row in active) - held.quantity
        if remaining < 0:
            raise ValueError(f"line {held.line_no} holds fewer than {held.quantity} units")
        self.connection.execute(
            update(reservations).where(r.id.in_([row.id for row in active])).values(released_at=now)
        )
        if remaining:
            self.connection.execute(
                insert(reservations),
                {
                    "id": held.id,
                    "order_id": held.order_id,
                    "line_no": held.line_no,
                    "location_id": held.location_id,
                    "sku": held.sku,
                    "quantity": remaining,
                    "created_at": now,
                    "released_at": None,
                },
            )
        self.connection.execute(
            update(positions)
            .where(positions.c.location_id == held.location_id, positions.c.sku == held.sku)
            .values(reserved=positions.c.reserved - held.quantity, updated_at=now)
        )
        self.pending.changes.sku(held.sku, up=freed)

    def position(self, location_id: str, sku: str) -> Position | None:
        row = self.connection.execute(
            select(positions).where(positions.c.location_id == location_id, positions.c.sku == sku)
        ).first()
        return None if row is None else position_of(row)

    def positions(self, skus: Sequence[str], shipping_only: bool) -> list[Position]:
        query = (
            select(positions)
            .join(locations, locations.c.id == positions.c.location_id)
            .where(positions.c.sku.in_(sorted(set(skus))))
            .order_by(positions.c.sku, positions.c.location_id)
        )
        if shipping_only:
            query = query.where(locations.c.ships)
        return [position_of(row) for row in self.connection.execute(query)]

"""Positions, the reservation ledger and inventory adjustments.

The reservation is one conditional UPDATE per (location, SKU), taken in sorted
order so that concurrent orders never deadlock; zero rows updated is a lost race.
`reserved` moves only together with ledger rows, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from ordino.domain.geo import Point
from ordino.domain.inventory import (
    MAX_ON_HAND,
    Adjustment,
    Discrepancy,
    Position,
    Reservation,
    StockAtLocation,
)
from ordino.errors import BelowReserved, Conflict, LostRace
from ordino.store.dialect import upsert
from ordino.store.pending import PendingWrites
from ordino.store.tables import (
    inventory_adjustments,
    locations,
    position_available,
    positions,
    reservations,
)

# The hot path's statements are built once; building them per call costs more than
# running them.
_STOCK_FOR = (
    select(
        positions.c.location_id,
        positions.c.sku,
        position_available.label("available"),
        locations.c.country,
        locations.c.latitude,
        locations.c.longitude,
    )
    .join(locations, locations.c.id == positions.c.location_id)
    .where(
        positions.c.sku.in_(bindparam("skus", expanding=True)),
        locations.c.ships,
        position_available > 0,
    )
    .order_by(positions.c.location_id)
)


def _position(row: Row[Any]) -> Position:
    return Position(row.location_id, row.sku, row.on_hand, row.reserved, row.safety_stock)


class SqlInventory:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending

    def stock_for(self, skus: Sequence[str]) -> list[StockAtLocation]:
        """What each shipping location can give of `skus` now (the sourcing snapshot)."""
        rows = self.connection.execute(_STOCK_FOR, {"skus": sorted(set(skus))})
        stock: list[StockAtLocation] = []
        current: StockAtLocation | None = None
        # Unpacked by position: this runs for every order, and Row attribute access costs.
        for location_id, sku, available, country, latitude, longitude in rows:
            if current is None or current.location_id != location_id:
                point = None if latitude is None else Point(latitude, longitude)
                current = StockAtLocation(location_id, country, point, {})
                stock.append(current)
            current.available[sku] = available
        return stock

    def reserve(self, held: Sequence[Reservation], now: datetime) -> None:
        """Ledger rows and the stock they take, both written at commit: see
        `ordino.store.pending` for the conditional statement."""
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
            self.pending.take(r.location_id, r.sku, r.quantity, now)

    def release(self, order_id: str, now: datetime) -> list[Reservation]:
        active = self.connection.execute(
            select(reservations)
            .where(reservations.c.order_id == order_id, reservations.c.released_at.is_(None))
            .order_by(reservations.c.location_id, reservations.c.sku)
        ).all()
        released = [
            Reservation(r.id, r.order_id, r.line_no, r.location_id, r.sku, r.quantity)
            for r in active
        ]
        for r in released:
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

    def position(self, location_id: str, sku: str) -> Position | None:
        row = self.connection.execute(
            select(positions).where(positions.c.location_id == location_id, positions.c.sku == sku)
        ).first()
        return None if row is None else _position(row)

    def set_position(
        self,
        location_id: str,
        sku: str,
        on_hand: int,
        safety_stock: int | None,
        now: datetime,
    ) -> Position:
        values: dict[str, object] = {"on_hand": on_hand, "updated_at": now}
        if safety_stock is not None:
            values["safety_stock"] = safety_stock
        changed = self.connection.execute(
            update(positions)
            .where(
                positions.c.location_id == location_id,
                positions.c.sku == sku,
                positions.c.reserved <= on_hand,
            )
            .values(**values)
        ).rowcount
        if not changed:
            self._insert_or_refuse(location_id, sku, values)
        position = self.position(location_id, sku)
        assert position is not None
        return position

    def _insert_or_refuse(self, location_id: str, sku: str, values: dict[str, object]) -> None:
        existing = self.position(location_id, sku)
        if existing is not None:
            raise BelowReserved(
                f"{existing.reserved} units of {sku} at {location_id} are reserved; "
                f"on hand cannot be set to {values['on_hand']}",
                extra={"location_id": location_id, "sku": sku, "reserved": existing.reserved},
            )
        try:
            self.connection.execute(
                insert(positions).values(
                    location_id=location_id, sku=sku, reserved=0, **({"safety_stock": 0} | values)
                )
            )
        except IntegrityError as error:
            raise LostRace(str(error.orig)) from error

    def adjust(self, adjustment: Adjustment, now: datetime) -> bool:
        a = adjustment
        if self._seen(a.event_id):
            return False
        self._record(a, now)
        changed = self.connection.execute(
            update(positions)
            .where(
                positions.c.location_id == a.location_id,
                positions.c.sku == a.sku,
                positions.c.on_hand + a.delta >= positions.c.reserved,
                positions.c.on_hand + a.delta <= MAX_ON_HAND,
            )
            .values(on_hand=positions.c.on_hand + a.delta, updated_at=now)
        ).rowcount
        if changed:
            return True
        current = self.position(a.location_id, a.sku)
        if current is not None and current.on_hand + a.delta > MAX_ON_HAND:
            raise Conflict(
                f"adjusting {a.sku} at {a.location_id} by {a.delta} would take on hand above "
                f"{MAX_ON_HAND:,}",
                extra={"event_id": a.event_id, "on_hand": current.on_hand},
            )
        if current is None and a.delta >= 0:
            self._insert_or_refuse(a.location_id, a.sku, {"on_hand": a.delta, "updated_at": now})
            return True
        on_hand, reserved = (current.on_hand, current.reserved) if current else (0, 0)
        raise BelowReserved(
            f"adjusting {a.sku} at {a.location_id} by {a.delta} would leave {on_hand + a.delta} "
            f"on hand with {reserved} reserved",
            extra={
                "event_id": a.event_id,
                "location_id": a.location_id,
                "sku": a.sku,
                "on_hand": on_hand,
                "reserved": reserved,
            },
        )

    def put_positions(self, counts: Sequence[Position], now: datetime) -> int:
        """Set on hand and safety stock of many positions at once (reserved is kept).

        A count below what its position has reserved is skipped; returns how many were
        written.
        """
        if not counts:
            return 0
        rows = [
            {
                "location_id": c.location_id,
                "sku": c.sku,
                "on_hand": c.on_hand,
                "reserved": 0,
                "safety_stock": c.safety_stock,
                "updated_at": now,
            }
            for c in counts
        ]
        insert_ = upsert(self.connection, positions)
        statement = insert_.on_conflict_do_update(
            index_elements=[positions.c.location_id, positions.c.sku],
            set_={
                "on_hand": insert_.excluded.on_hand,
                "safety_stock": insert_.excluded.safety_stock,
                "updated_at": insert_.excluded.updated_at,
            },
            where=positions.c.reserved <= insert_.excluded.on_hand,
        )
        written = self.connection.execute(statement.returning(positions.c.sku), rows)
        return len(written.all())

    def _seen(self, event_id: str) -> bool:
        query = select(literal(1)).where(inventory_adjustments.c.event_id == event_id)
        return self.connection.execute(query).first() is not None

    def _record(self, a: Adjustment, now: datetime) -> None:
        try:
            self.connection.execute(
                insert(inventory_adjustments).values(
                    event_id=a.event_id,
                    location_id=a.location_id,
                    sku=a.sku,
                    delta=a.delta,
                    reason=a.reason,
                    applied_at=now,
                )
            )
        except IntegrityError as error:  # the same event arrived concurrently
            raise LostRace(str(error.orig)) from error

    def positions(self, skus: Sequence[str], shipping_only: bool) -> list[Position]:
        query = (
            select(positions)
            .join(locations, locations.c.id == positions.c.location_id)
            .where(positions.c.sku.in_(sorted(set(skus))))
            .order_by(positions.c.sku, positions.c.location_id)
        )
        if shipping_only:
            query = query.where(locations.c.ships)
        return [_position(row) for row in self.connection.execute(query)]

    def discrepancies(self) -> list[Discrepancy]:
        held = (
            select(
                reservations.c.location_id,
                reservations.c.sku,
                func.sum(reservations.c.quantity).label("held"),
            )
            .where(reservations.c.released_at.is_(None))
            .group_by(reservations.c.location_id, reservations.c.sku)
            .subquery()
        )
        ledger = func.coalesce(held.c.held, 0)
        query = (
            select(
                positions.c.location_id,
                positions.c.sku,
                positions.c.on_hand,
                positions.c.reserved,
                ledger.label("ledger"),
            )
            .outerjoin(
                held,
                and_(held.c.location_id == positions.c.location_id, held.c.sku == positions.c.sku),
            )
            .where(or_(positions.c.reserved != ledger, positions.c.reserved > positions.c.on_hand))
            .order_by(positions.c.location_id, positions.c.sku)
        )
        found = []
        for row in self.connection.execute(query):
            if row.reserved != row.ledger:
                found.append(
                    Discrepancy(
                        row.location_id,
                        row.sku,
                        f"reserved {row.reserved} but the ledger holds {row.ledger}",
                    )
                )
            if row.reserved > row.on_hand:
                found.append(
                    Discrepancy(
                        row.location_id,
                        row.sku,
                        f"reserved {row.reserved} exceeds on hand {row.on_hand}",
                    )
                )
        return found + self._orphans()

    def _orphans(self) -> list[Discrepancy]:
        """Ledger rows for positions that do not exist."""
        query = (
            select(reservations.c.location_id, reservations.c.sku)
            .distinct()
            .outerjoin(
                positions,
                and_(
                    positions.c.location_id == reservations.c.location_id,
                    positions.c.sku == reservations.c.sku,
                ),
            )
            .where(reservations.c.released_at.is_(None), positions.c.sku.is_(None))
        )
        return [
            Discrepancy(r.location_id, r.sku, "ledger holds stock of no position")
            for r in self.connection.execute(query)
        ]

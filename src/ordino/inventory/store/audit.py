"""What `ordino check` verifies over the whole database, in a few set queries.

  * a position's reserved equals its active ledger rows, and no ledger row holds
    stock of a position that does not exist, nor a position of an unknown location
    or product;
  * a position's on hand equals the sum of its movements, and its latest movement
    ends at that on hand (so every change of on hand was recorded, in order);
  * a supply line's received quantity is what its receipts reported, a transfer's
    quantity is what left its source, and no line cancels more than was open.

Positions short (reserved above on hand after a count) are not broken: they are
listed apart, as work to do.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, and_, case, func, or_, select

from ordino.inventory.domain.positions import Discrepancy, Position
from ordino.inventory.store.positions import position_of
from ordino.inventory.store.tables import (
    inventory_movements,
    positions,
    reservations,
    supply_lines,
    supply_orders,
)
from ordino.network.store import locations, products

_SAMPLE = 1000  # problems reported per kind at most


class SqlAudit:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def discrepancies(self) -> list[Discrepancy]:
        found = self._ledger() + self._orphans() + self._unknown_references()
        return found + self._movements() + self._supply()

    def _unknown_references(self) -> list[Discrepancy]:
        """Positions of locations or products that do not exist (positions have no
        foreign keys: see `ordino.inventory.store.tables`)."""
        query = (
            select(positions.c.location_id, positions.c.sku, locations.c.id, products.c.sku)
            .outerjoin(locations, locations.c.id == positions.c.location_id)
            .outerjoin(products, products.c.sku == positions.c.sku)
            .where(or_(locations.c.id.is_(None), products.c.sku.is_(None)))
            .order_by(positions.c.location_id, positions.c.sku)
            .limit(_SAMPLE)
        )
        return [
            Discrepancy(
                location_id,
                sku,
                "position of an unknown " + ("location" if not place else "product"),
            )
            for location_id, sku, place, _ in self.connection.execute(query)
        ]

    def shortages(self) -> list[Position]:
        query = (
            select(positions)
            .where(positions.c.reserved > positions.c.on_hand)
            .order_by(positions.c.location_id, positions.c.sku)
            .limit(_SAMPLE)
        )
        return [position_of(row) for row in self.connection.execute(query)]

    def _ledger(self) -> list[Discrepancy]:
        r = reservations.c
        held = (
            select(r.location_id, r.sku, func.sum(r.quantity).label("held"))
            .where(r.released_at.is_(None))
            .group_by(r.location_id, r.sku)
            .subquery()
        )
        ledger = func.coalesce(held.c.held, 0)
        query = (
            select(positions.c.location_id, positions.c.sku, positions.c.reserved, ledger)
            .outerjoin(
                held,
                and_(held.c.location_id == positions.c.location_id, held.c.sku == positions.c.sku),
            )
            .where(positions.c.reserved != ledger)
            .order_by(positions.c.location_id, positions.c.sku)
            .limit(_SAMPLE)
        )
        return [
            Discrepancy(location_id, sku, f"reserved {reserved} but the ledger holds {total}")
            for location_id, sku, reserved, total in self.connection.execute(query)
        ]

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
            .limit(_SAMPLE)
        )
        return [
            Discrepancy(r.location_id, r.sku, "ledger holds stock of no position")
            for r in self.connection.execute(query)
        ]

    def _movements(self) -> list[Discrepancy]:
        m = inventory_movements.c
        sums = (
            select(
                m.location_id,
                m.sku,
                func.sum(m.quantity).label("total"),
                func.max(m.id).label("last_id"),
            )
            .group_by(m.location_id, m.sku)
            .subquery()
        )
        last = inventory_movements.alias("last")
        total = func.coalesce(sums.c.total, 0)
        query = (
            select(
                positions.c.location_id,
                positions.c.sku,
                positions.c.on_hand,
                total,
                func.coalesce(last.c.on_hand_after, 0),
            )
            .outerjoin(
                sums,
                and_(sums.c.location_id == positions.c.location_id, sums.c.sku == positions.c.sku),
            )
            .outerjoin(last, last.c.id == sums.c.last_id)
            .where(
                or_(
                    positions.c.on_hand != total,
                    positions.c.on_hand != func.coalesce(last.c.on_hand_after, 0),
                )
            )
            .order_by(positions.c.location_id, positions.c.sku)
            .limit(_SAMPLE)
        )
        found = []
        for location_id, sku, on_hand, moved, last_after in self.connection.execute(query):
            if on_hand != moved:
                problem = f"on hand {on_hand} but movements add up to {moved}"
                found.append(Discrepancy(location_id, sku, problem))
            if on_hand != last_after:
                problem = f"on hand {on_hand} but the last movement left {last_after}"
                found.append(Discrepancy(location_id, sku, problem))
        return found

    def _supply(self) -> list[Discrepancy]:
        m, line, order = inventory_movements.c, supply_lines.c, supply_orders.c
        moved = (
            select(
                m.reference,
                m.sku,
                func.sum(case((m.kind == "receipt", m.reported), else_=0)).label("received"),
                func.sum(case((m.kind == "transfer_out", -m.reported), else_=0)).label("shipped"),
            )
            .where(m.kind.in_(("receipt", "transfer_out")), m.reference.is_not(None))
            .group_by(m.reference, m.sku)
            .subquery()
        )
        received, shipped = func.coalesce(moved.c.received, 0), func.coalesce(moved.c.shipped, 0)
        transfer = order.kind == "transfer"
        query = (
            select(
                order.location_id,
                line.sku,
                order.id,
                transfer.label("transfer"),
                line.quantity,
                line.received,
                line.cancelled,
                received.label("receipts"),
                shipped.label("shipped"),
            )
            .join(supply_orders, order.id == line.supply_id)
            .outerjoin(
                moved,
                and_(moved.c.reference == "supply/" + order.id, moved.c.sku == line.sku),
            )
            .where(
                or_(
                    line.received != received,
                    and_(transfer, line.quantity != shipped),
                    and_(line.cancelled > 0, line.received + line.cancelled > line.quantity),
                )
            )
            .order_by(order.id, line.sku)
            .limit(_SAMPLE)
        )
        return [
            Discrepancy(row.location_id, row.sku, problem)
            for row in self.connection.execute(query)
            for problem in _supply_problems(row)
        ]


def _supply_problems(line: Row[Any]) -> list[str]:
    problems = []
    if line.received != line.receipts:
        problems.append(
            f"supply {line.id} received {line.received} but receipts add up to {line.receipts}"
        )
    if line.transfer and line.quantity != line.shipped:
        problems.append(f"transfer {line.id} of {line.quantity} but {line.shipped} left its source")
    if line.cancelled and line.received + line.cancelled > line.quantity:
        open_ = line.quantity - line.received
        problems.append(f"supply {line.id} cancelled {line.cancelled} of {open_} open")
    return problems

"""The supply repository: a supply order is written and read whole, saved only if
nobody saved it since it was read (optimistic `version`), with its events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from ordino.inventory.domain.supply import (
    InboundLine,
    Receipt,
    SupplyKind,
    SupplyLine,
    SupplyOrder,
    SupplyQuery,
)
from ordino.inventory.store.tables import supply_lines, supply_orders, supply_receipts
from ordino.kernel.domain import LostRace
from ordino.store import outbox_rows
from ordino.store.commit_writer import PendingWrites
from ordino.store.dialect import one_of
from ordino.store.tables import outbox as outbox_table


class SqlSupply:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending

    def add(self, order: SupplyOrder) -> None:
        try:
            self.connection.execute(insert(supply_orders).values(**_head(order)))
        except IntegrityError as error:  # the same id, created concurrently
            raise LostRace(str(error.orig)) from error
        self.connection.execute(insert(supply_lines), _lines(order))
        self._changed(order)
        self._flush_events(order)

    def save(self, order: SupplyOrder) -> None:
        saved = self.connection.execute(
            update(supply_orders)
            .where(supply_orders.c.id == order.id, supply_orders.c.version == order.version)
            .values(**(_head(order) | {"version": order.version + 1}))
        ).rowcount
        if saved != 1:
            raise LostRace(f"supply order {order.id} changed since it was read")
        order.version += 1
        for line in order.lines:
            self.connection.execute(
                update(supply_lines)
                .where(supply_lines.c.supply_id == order.id, supply_lines.c.sku == line.sku)
                .values(received=line.received, cancelled=line.cancelled)
            )
        self._changed(order)
        self._flush_events(order)

    def get(self, supply_id: str, *, for_update: bool = False) -> SupplyOrder | None:
        statement = select(supply_orders).where(supply_orders.c.id == supply_id)
        if for_update:
            statement = statement.with_for_update()
        found = self._load(statement)
        return found[0] if found else None

    def find(self, query: SupplyQuery, limit: int) -> list[SupplyOrder]:
        """By id; `after_id` is the cursor."""
        o = supply_orders.c
        statement = select(supply_orders).order_by(o.id).limit(limit)
        if query.location_id is not None:
            statement = statement.where(o.location_id == query.location_id)
        if query.kind is not None:
            statement = statement.where(o.kind == str(query.kind))
        if query.after_id is not None:
            statement = statement.where(o.id > query.after_id)
        if query.sku is not None:
            statement = statement.where(
                o.id.in_(select(supply_lines.c.supply_id).where(supply_lines.c.sku == query.sku))
            )
        if query.open_only:
            statement = statement.where(o.id.in_(select(supply_lines.c.supply_id).where(_open())))
        return self._load(statement)

    def inbound(self, skus: Iterable[str]) -> list[InboundLine]:
        """The open lines of `skus`, soonest first."""
        line, order = supply_lines.c, supply_orders.c
        query = (
            select(
                order.id,
                order.kind,
                order.location_id,
                line.sku,
                line.quantity,
                line.received,
                line.cancelled,
                order.expected_at,
            )
            .join(supply_orders, order.id == line.supply_id)
            .where(one_of(self.connection, line.sku, sorted(set(skus))), _open())
            .order_by(order.expected_at, order.id, line.sku)
        )
        rows = self.connection.execute(query)
        return [
            InboundLine(supply_id, SupplyKind(kind), location_id, sku, qty - got - gone, expected)
            for supply_id, kind, location_id, sku, qty, got, gone, expected in rows
        ]

    def receipt_seen(self, supply_id: str, receipt_id: str) -> bool:
        query = select(literal(1)).where(
            supply_receipts.c.supply_id == supply_id, supply_receipts.c.receipt_id == receipt_id
        )
        return self.connection.execute(query).first() is not None

    def add_receipt(
        self, supply_id: str, receipt: Receipt, received_at: datetime, now: datetime
    ) -> None:
        try:
            self.connection.execute(
                insert(supply_receipts).values(
                    supply_id=supply_id,
                    receipt_id=receipt.receipt_id,
                    received_at=received_at,
                    lines=[{"sku": sku, "quantity": qty} for sku, qty in receipt.lines],
                    recorded_at=now,
                )
            )
        except IntegrityError as error:  # the same receipt, concurrently
            raise LostRace(str(error.orig)) from error

    def _changed(self, order: SupplyOrder) -> None:
        """What is on its way changed (on hand changes through the feeds)."""
        for line in order.lines:
            self.pending.changes.sku(line.sku)

    def _flush_events(self, order: SupplyOrder) -> None:
        self.pending.insert(outbox_table, outbox_rows.rows(order.pending_events))
        order.pending_events.clear()

    def _load(self, statement: Any) -> list[SupplyOrder]:
        heads = self.connection.execute(statement).all()
        if not heads:
            return []
        lines: dict[str, list[SupplyLine]] = defaultdict(list)
        rows = self.connection.execute(
            select(supply_lines)
            .where(supply_lines.c.supply_id.in_([h.id for h in heads]))
            .order_by(supply_lines.c.supply_id, supply_lines.c.sku)
        )
        for row in rows:
            lines[row.supply_id].append(
                SupplyLine(row.sku, row.quantity, row.received, row.cancelled)
            )
        return [_order(head, lines[head.id]) for head in heads]


def _open() -> Any:
    line = supply_lines.c
    return line.quantity > line.received + line.cancelled


def _head(order: SupplyOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "kind": str(order.kind),
        "location_id": order.location_id,
        "source_location_id": order.source_location_id,
        "expected_at": order.expected_at,
        "reference": order.reference,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": order.version,
    }


def _lines(order: SupplyOrder) -> list[dict[str, Any]]:
    return [
        {
            "supply_id": order.id,
            "sku": line.sku,
            "quantity": line.quantity,
            "received": line.received,
            "cancelled": line.cancelled,
        }
        for line in order.lines
    ]


def _order(head: Row[Any], lines: list[SupplyLine]) -> SupplyOrder:
    return SupplyOrder(
        head.id,
        SupplyKind(head.kind),
        head.location_id,
        head.source_location_id,
        head.expected_at,
        head.reference,
        lines,
        head.created_at,
        head.updated_at,
        head.version,
    )

"""The order repository: an order is written and read whole (lines, allocations),
and saved only if nobody saved it since it was read (optimistic `version`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Row,
    Table,
    and_,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from ordino.kernel.domain import LostRace, Money, Point, from_minor, to_minor
from ordino.network.domain import Address, CapacityTaken, ship_to_document
from ordino.orders.domain.backorders import WaitingLine
from ordino.orders.domain.commands import B2B, Customer, OrderQuery
from ordino.orders.domain.fulfillment import Fulfillment, FulfillmentLine, FulfillmentStatus
from ordino.orders.domain.holds import Hold, HoldStatus
from ordino.orders.domain.orders import Allocation, MoneyAdjustment, Order, OrderLine
from ordino.orders.domain.pipelines import Step
from ordino.orders.domain.status import LineStatus, OrderStatus, ReturnState
from ordino.orders.store.money import (
    charges_of,
    charges_value,
    line_money_values,
    priced_line,
)
from ordino.orders.store.tables import (
    allocations,
    fulfillment_lines,
    fulfillments,
    holds,
    money_adjustments,
    order_lines,
    order_promises,
    orders,
    sla_breaches,
)
from ordino.pricing.domain import conversion_document, conversion_from
from ordino.promising.domain import Method, OrderPromise
from ordino.store import outbox_rows
from ordino.store.commit_writer import PendingWrites
from ordino.store.dialect import is_postgresql
from ordino.store.tables import UTCDateTime
from ordino.store.tables import outbox as outbox_table


def _ship_to_document(order: Order) -> dict[str, Any]:
    return ship_to_document(order.ship_to, order.ship_to_point)


def _ship_to(document: dict[str, Any]) -> tuple[Address, Point | None]:
    address = Address(
        document["line1"],
        document["city"],
        document["postal_code"],
        document["country"],
        document.get("line2"),
        document.get("region"),
        document.get("name"),
    )
    latitude, longitude = document.get("latitude"), document.get("longitude")
    point = None if latitude is None or longitude is None else Point(latitude, longitude)
    return address, point


_FILTERS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "status": lambda status: orders.c.status == str(status),
    "channel": lambda channel: orders.c.channel == channel,
    "customer_email": lambda email: orders.c.customer_email == email,
    "external_id": lambda number: orders.c.external_id == number,
    "created_from": lambda start: orders.c.created_at >= start,
    "created_to": lambda end: orders.c.created_at < end,
    "before_id": lambda cursor: orders.c.id < cursor,
    "location_id": lambda location_id: orders.c.id.in_(
        select(allocations.c.order_id).where(allocations.c.location_id == location_id)
    ),
    "number": lambda number: or_(orders.c.id == number, orders.c.external_id == number),
    "on_hold": lambda _: orders.c.id.in_(
        select(holds.c.order_id).where(holds.c.status == str(HoldStatus.ACTIVE))
    ),
    "late": lambda _: orders.c.id.in_(
        select(sla_breaches.c.order_id).where(sla_breaches.c.resolved_at.is_(None))
    ),
}


class SqlOrders:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending
        # The child rows of each order as read, so that a save writes what changed.
        self._read: dict[str, _Rows] = {}

    def add(self, order: Order) -> None:
        """Written at commit, with the reservations (see `ordino.store.commit_writer`)."""
        held = _allocation_rows(order)
        lines = [_line_row(order, line) for line in order.lines]
        self.pending.insert(orders, [self._order_row(order)])
        self.pending.insert(order_lines, lines)
        self.pending.insert(allocations, held)
        if order.promise is not None:
            self.pending.insert(order_promises, [_promise_row(order.id, order.promise)])
        if order.holds:  # put as it was placed (a price its channel flags)
            self.pending.insert(holds, [_hold_row(order.id, h) for h in order.holds])
        self._flush_events(order)

    def save(self, order: Order) -> None:
        """Writes the head (checking its version) and, of the lines, allocations,
        fulfillment orders and holds, only the rows that changed since it was read."""
        row = self._order_row(order) | {"version": order.version + 1}
        saved = self.connection.execute(
            update(orders)
            .where(orders.c.id == order.id, orders.c.version == order.version)
            .values(**row)
        ).rowcount
        if saved != 1:
            raise LostRace(f"order {order.id} changed since it was read")
        order.version += 1
        now = _child_rows(order)
        read = self._read.get(order.id)
        for table in _CHILDREN:
            if read is None:  # not read here: written whole
                self.connection.execute(delete(table).where(table.c.order_id == order.id))
                _write(self.connection, table, {}, now[table])
            else:
                _write(self.connection, table, read[table], now[table])
        self._read[order.id] = now
        self._flush_events(order)

    def velocity(self, email: str, since: datetime, before: datetime) -> tuple[int, int]:
        """How many orders the customer placed from `since` to before `before`, and
        their total in minor units (of whatever currency: a rough measure)."""
        row = self.connection.execute(
            select(func.count(), func.coalesce(func.sum(orders.c.total_minor), 0)).where(
                orders.c.customer_email == email,
                orders.c.created_at >= since,
                orders.c.created_at < before,
            )
        ).one()
        return int(row[0]), int(row[1])

    def active_holds(self, limit: int) -> list[tuple[str, Hold]]:
        """Holds not resolved yet, oldest first, with their orders."""
        query = (
            select(holds)
            .where(holds.c.status == str(HoldStatus.ACTIVE))
            .order_by(holds.c.placed_at, holds.c.id)
            .limit(limit)
        )
        return [(row.order_id, _hold(row)) for row in self.connection.execute(query)]

    def numbers(self, order_ids: Sequence[str]) -> dict[str, str]:
        """Each order's number (the channel's), by id: how people know an order."""
        query = select(orders.c.id, orders.c.external_id).where(orders.c.id.in_(set(order_ids)))
        return {row.id: row.external_id for row in self.connection.execute(query)}

    def order_of_fulfillment(self, fulfillment_id: str) -> str | None:
        query = select(fulfillments.c.order_id).where(fulfillments.c.id == fulfillment_id)
        return self.connection.scalar(query)

    def fulfillments_at(
        self, location_id: str, statuses: Sequence[str], limit: int, after: str | None = None
    ) -> list[str]:
        """The orders with fulfillment orders at the location (held there, or to be
        collected there) in these states, oldest first (after the order `after`)."""
        here = or_(
            fulfillments.c.location_id == location_id, fulfillments.c.store_id == location_id
        )
        query = (
            select(fulfillments.c.order_id)
            .where(here, fulfillments.c.status.in_(statuses))
            .group_by(fulfillments.c.order_id)
            .order_by(fulfillments.c.order_id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(fulfillments.c.order_id > after)
        return list(self.connection.scalars(query))

    def _flush_events(self, order: Order) -> None:
        self.pending.insert(outbox_table, outbox_rows.rows(order.pending_events))
        order.pending_events.clear()
        if not order.pending_adjustments:
            return
        self.pending.insert(
            money_adjustments,
            [
                {"id": a.id, "order_id": order.id, "kind": a.kind, "reason": a.reason[:200],
                 "before": a.before, "after": a.after, "by": a.by[:100], "at": a.at}
                for a in order.pending_adjustments
            ],
        )  # fmt: skip
        order.pending_adjustments.clear()

    def adjustments(self, order_id: str) -> list[MoneyAdjustment]:
        """The changes of the order's money since it was placed, oldest first."""
        a = money_adjustments.c
        query = select(money_adjustments).where(a.order_id == order_id).order_by(a.at, a.id)
        return [
            MoneyAdjustment(row.id, row.kind, row.reason, row.before, row.after, row.at, row.by)
            for row in self.connection.execute(query)
        ]

    @staticmethod
    def _order_row(order: Order) -> dict[str, Any]:
        return {
            "id": order.id,
            "channel": order.channel,
            "external_id": order.external_id,
            "status": str(order.status),
            "return_state": str(order.return_state),
            "currency": order.currency,
            "total_minor": to_minor(order.total.amount, order.currency),
            "revenue_minor": to_minor(order.money.revenue, order.currency),
            "shipping_minor": to_minor(order.money.shipping, order.currency),
            "customer_email": order.customer.email,
            "customer_name": order.customer.name,
            "customer_phone": order.customer.phone,
            "customer_vat_id": order.customer.vat_id,
            "customer_group": order.customer.group,
            "tax_treatment": order.tax_treatment,
            "ship_to": _ship_to_document(order),
            "created_at": order.created_at,
            "updated_at": order.updated_at,
            "version": order.version,
            "type": order.type,
            "pipeline": [str(step) for step in order.pipeline],
            "step": order.step,
            "bill_to": None if order.bill_to is None else ship_to_document(order.bill_to, None),
            "b2b": None if order.b2b is None else _b2b_document(order.b2b),
            "language": order.language,
            "priority": order.priority,
            "charges": charges_value(order.charges),
        } | _settled(order)

    def get(self, order_id: str, *, for_update: bool = False) -> Order | None:
        """The whole order. `for_update` locks its row first (PostgreSQL; SQLite's write
        transaction holds the database anyway), so lines read after it cannot come
        from a newer commit than the head: no read skew for a writer."""
        statement = select(orders).where(orders.c.id == order_id)
        # Locked by a statement of its own, then read by the next: a statement that
        # waited for the lock sees the order's other rows as they were when it began
        # (the head alone is read again), so its children could be older than the head
        # (returns counted twice against the units delivered).
        lock = statement.with_only_columns(orders.c.id).with_for_update()
        if for_update and self.connection.scalar(lock) is None:
            return None
        found = self._load(statement)
        return found[0] if found else None

    def backordered(
        self, limit: int, after: tuple[int, str] | None = None
    ) -> list[tuple[int, str]]:
        """Orders with units waiting for supply, as (priority, id), in the queue's
        order: higher priority first, then the oldest (after `after`)."""
        waiting = select(order_lines.c.order_id).where(order_lines.c.backordered > 0)
        query = (
            select(orders.c.priority, orders.c.id)
            .where(orders.c.id.in_(waiting))
            .order_by(orders.c.priority.desc(), orders.c.id)
            .limit(limit)
        )
        if after is not None:
            priority, order_id = after
            query = query.where(
                or_(
                    orders.c.priority < priority,
                    and_(orders.c.priority == priority, orders.c.id > order_id),
                )
            )
        return [(row.priority, row.id) for row in self.connection.execute(query)]

    def waiting_lines(self, order_ids: Sequence[str]) -> list[WaitingLine]:
        """The lines of these orders with units waiting for supply."""
        query = select(
            order_lines.c.order_id,
            order_lines.c.line_no,
            order_lines.c.sku,
            order_lines.c.backordered,
            order_lines.c.expected_on,
        ).where(order_lines.c.order_id.in_(order_ids), order_lines.c.backordered > 0)
        return [WaitingLine(*row) for row in self.connection.execute(query)]

    def waiting_units(self, skus: Sequence[str]) -> dict[str, int]:
        """Units of each SKU that orders wait for (backordered), of those with any."""
        c = order_lines.c
        query = (
            select(c.sku, func.sum(c.backordered))
            .where(c.backordered > 0, c.sku.in_(skus))
            .group_by(c.sku)
        )
        return {sku: int(units) for sku, units in self.connection.execute(query)}

    def id_for_external(self, channel: str, external_id: str) -> str | None:
        query = select(orders.c.id).where(
            orders.c.channel == channel, orders.c.external_id == external_id
        )
        return self.connection.scalar(query)

    def find(self, query: OrderQuery, limit: int) -> list[Order]:
        statement = select(orders).order_by(orders.c.id.desc()).limit(limit)
        for name, condition in _FILTERS.items():
            value = getattr(query, name)
            if value is not None and value is not False:
                statement = statement.where(condition(value))
        return self._load(statement)

    def _load(self, statement: Any) -> list[Order]:
        """The orders `statement` selects, whole. On PostgreSQL in one statement (each
        child table's rows of an order as one JSON aggregate beside its head: an order
        is loaded for each step of its life, and seven round trips each time were a
        third of the statements an order cost from capture to shipped); elsewhere one
        statement per table (SQLite runs in the process: round trips cost nothing)."""
        if is_postgresql(self.connection):
            heads = self.connection.execute(statement.add_columns(*_AGGREGATES)).all()
            children = _Children.of_aggregates(heads)
        else:
            heads = self.connection.execute(statement).all()
            children = self._children([head.id for head in heads]) if heads else _Children()
        found = _assembled(heads, children)
        for order in found:
            self._read[order.id] = _child_rows(order)
        return found

    def _children(self, ids: list[str]) -> _Children:
        def rows(table: Table, *order: Any) -> list[Any]:
            query = select(table).where(table.c.order_id.in_(ids)).order_by(*order)
            return list(self.connection.execute(query))

        return _Children(
            rows(order_lines, order_lines.c.order_id, order_lines.c.line_no),
            rows(allocations, allocations.c.order_id, *_ORDER[allocations]),
            rows(order_promises, order_promises.c.order_id),
            rows(fulfillments, *_ORDER[fulfillments]),
            rows(fulfillment_lines, *_ORDER[fulfillment_lines]),
            rows(holds, *_ORDER[holds]),
        )


# The order of each child table's rows as an order reads them.
_ORDER: dict[Table, tuple[Any, ...]] = {
    order_lines: (order_lines.c.line_no,),
    allocations: (allocations.c.line_no, allocations.c.location_id),
    order_promises: (order_promises.c.order_id,),
    fulfillments: (fulfillments.c.id,),
    fulfillment_lines: (fulfillment_lines.c.fulfillment_id, fulfillment_lines.c.line_no),
    holds: (holds.c.id,),
}
_LOADED = (order_lines, allocations, order_promises, fulfillments, fulfillment_lines, holds)
# Each child table's rows of the order beside it, as a JSON array in the table's order.
_AGGREGATES = [
    select(
        func.coalesce(
            func.json_agg(aggregate_order_by(literal_column(table.name), *_ORDER[table])),
            literal_column("'[]'::json"),
        )
    )
    .where(table.c.order_id == orders.c.id)
    .scalar_subquery()
    .label(f"_{table.name}")
    for table in _LOADED
]


def _decoder(table: Table) -> Callable[[dict[str, Any]], Any]:
    """A row of `table` from its JSON (as `row_to_json` writes it), with each column's
    value as the table's type reads it, by name as a row is."""
    read = [(c.name, _reader(c.type)) for c in table.c]
    return lambda found: SimpleNamespace(**{name: parse(found[name]) for name, parse in read})


def _reader(kind: Any) -> Callable[[Any], Any]:
    if isinstance(kind, UTCDateTime):
        return lambda text: None if text is None else datetime.fromisoformat(text).astimezone(UTC)
    if isinstance(kind, Date):
        return lambda text: None if text is None else date.fromisoformat(text)
    return lambda value: value  # text, integers, JSON documents: as JSON has them


_DECODERS = {table: _decoder(table) for table in _LOADED}


@dataclass(frozen=True)
class _Children:
    """The child rows of the orders loaded, each table's in its order."""

    lines: list[Any] = field(default_factory=list)
    allocations: list[Any] = field(default_factory=list)
    promises: list[Any] = field(default_factory=list)
    fulfillments: list[Any] = field(default_factory=list)
    fulfillment_lines: list[Any] = field(default_factory=list)
    holds: list[Any] = field(default_factory=list)

    @classmethod
    def of_aggregates(cls, heads: Sequence[Row[Any]]) -> _Children:
        def rows(table: Table) -> list[Any]:
            decode, key = _DECODERS[table], f"_{table.name}"
            return [decode(found) for head in heads for found in getattr(head, key)]

        return cls(*(rows(table) for table in _LOADED))


def _assembled(heads: Sequence[Row[Any]], children: _Children) -> list[Order]:
    held: dict[tuple[str, int], list[Allocation]] = defaultdict(list)
    for a in children.allocations:
        held[(a.order_id, a.line_no)].append(Allocation(a.location_id, a.quantity, a.ship_date))
    by_order: dict[str, list[OrderLine]] = defaultdict(list)
    currencies = {head.id: head.currency for head in heads}
    for line in children.lines:
        by_order[line.order_id].append(
            OrderLine(
                line.line_no,
                line.sku,
                line.quantity,
                priced_line(line, currencies[line.order_id]),
                held[(line.order_id, line.line_no)],
                line.cancelled,
                LineStatus(line.status),
                line.expected_on,
                line.returned,
                line.being_returned,
            )
        )
    promised = {row.order_id: _promise(row) for row in children.promises}
    fos, on_hold = _fulfillments_of(children), _holds_of(children)
    return [
        _with(_order(head, by_order[head.id], promised.get(head.id), fos[head.id]), on_hold)
        for head in heads
    ]


def _holds_of(children: _Children) -> dict[str, list[Hold]]:
    found: dict[str, list[Hold]] = defaultdict(list)
    for row in children.holds:
        found[row.order_id].append(_hold(row))
    return found


def _fulfillments_of(children: _Children) -> dict[str, list[Fulfillment]]:
    lines: dict[str, list[FulfillmentLine]] = defaultdict(list)
    for row in children.fulfillment_lines:
        lines[row.fulfillment_id].append(
            FulfillmentLine(row.line_no, row.sku, row.quantity, row.first_unit)
        )
    found: dict[str, list[Fulfillment]] = defaultdict(list)
    for row in children.fulfillments:
        found[row.order_id].append(
            Fulfillment(
                row.id,
                row.location_id,
                Method(row.method),
                FulfillmentStatus(row.status),
                lines[row.id],
                row.created_at,
                row.updated_at,
                row.store_id,
                row.carrier,
                row.tracking_number,
                row.pickup_code,
                row.reason,
                row.done_at,
            )
        )
    return found


# An order's rows in each child table, by primary key; written in this order,
# deleted in the reverse.
# The promise too: a customer's change gives the order another (docs/self-service.md).
_CHILDREN = (order_lines, allocations, fulfillments, fulfillment_lines, holds, order_promises)
_Rows = dict[Table, dict[tuple[Any, ...], dict[str, Any]]]


def _child_rows(order: Order) -> _Rows:
    rows: dict[Table, list[dict[str, Any]]] = {
        order_lines: [_line_row(order, line) for line in order.lines],
        allocations: _allocation_rows(order),
        fulfillments: [_fulfillment_row(order.id, fo) for fo in order.fulfillments],
        fulfillment_lines: [
            {
                "fulfillment_id": fo.id,
                "line_no": line.line_no,
                "order_id": order.id,
                "sku": line.sku,
                "quantity": line.quantity,
                "first_unit": line.first_unit,
            }
            for fo in order.fulfillments
            for line in fo.lines
        ],
        holds: [_hold_row(order.id, h) for h in order.holds],
        order_promises: [] if order.promise is None else [_promise_row(order.id, order.promise)],
    }
    return {table: {_key(table, row): row for row in rows[table]} for table in _CHILDREN}


def _key(table: Table, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[column.name] for column in table.primary_key.columns)


def _write(
    connection: Connection,
    table: Table,
    before: dict[tuple[Any, ...], dict[str, Any]],
    after: dict[tuple[Any, ...], dict[str, Any]],
) -> None:
    """The statements that turn a table's rows `before` into `after`."""

    def where(key: tuple[Any, ...]) -> list[ColumnElement[bool]]:
        return [c == v for c, v in zip(table.primary_key.columns, key, strict=True)]

    for key in before.keys() - after.keys():
        connection.execute(delete(table).where(*where(key)))
    for key, row in after.items():
        old = before.get(key)
        if old is None:
            continue
        changed = {name: value for name, value in row.items() if old.get(name) != value}
        if changed:
            connection.execute(update(table).where(*where(key)).values(changed))
    added = [row for key, row in after.items() if key not in before]
    if added:
        connection.execute(insert(table), added)


def _hold_row(order_id: str, h: Hold) -> dict[str, Any]:
    return {
        "id": h.id,
        "order_id": order_id,
        "rule": h.rule,
        "reason": h.reason,
        "status": str(h.status),
        "placed_at": h.placed_at,
        "placed_by": h.placed_by,
        "resolved_at": h.resolved_at,
        "resolved_by": h.resolved_by,
        "note": h.note,
    }


def _hold(row: Row[Any]) -> Hold:
    return Hold(
        row.id,
        row.rule,
        row.reason,
        HoldStatus(row.status),
        row.placed_at,
        row.placed_by,
        row.resolved_at,
        row.resolved_by,
        row.note,
    )


def _with(order: Order, held: dict[str, list[Hold]]) -> Order:
    order.holds = held.get(order.id, [])
    return order


def _b2b_document(b2b: B2B) -> dict[str, Any]:
    return {
        "purchase_order": b2b.purchase_order,
        "requested_date": b2b.requested_date.isoformat() if b2b.requested_date else None,
        "ship_complete": b2b.ship_complete,
    }


def _b2b(document: dict[str, Any] | None) -> B2B | None:
    if document is None:
        return None
    requested = document.get("requested_date")
    return B2B(
        document["purchase_order"],
        date.fromisoformat(requested) if requested else None,
        document["ship_complete"],
    )


def _line_row(order: Order, line: OrderLine) -> dict[str, Any]:
    return (
        {
            "order_id": order.id,
            "line_no": line.line_no,
            "sku": line.sku,
            "quantity": line.quantity,
        }
        | line_money_values(line.price)
        | _counter_values(order, line)
    )


def _counter_values(order: Order, line: OrderLine) -> dict[str, Any]:
    counts = order.counts(line)
    return {
        "status": str(line.status),
        "cancelled": counts.cancelled,
        "released": counts.released,
        "shipped": counts.shipped,
        "delivered": counts.delivered,
        "picked_up": counts.picked_up,
        "returned": counts.returned,
        "being_returned": counts.being_returned,
        "backordered": counts.backordered,
        "expected_on": line.expected_on,
    }


def _fulfillment_row(order_id: str, fo: Fulfillment) -> dict[str, Any]:
    return {
        "id": fo.id,
        "order_id": order_id,
        "location_id": fo.location_id,
        "method": str(fo.method),
        "status": str(fo.status),
        "store_id": fo.store_id,
        "carrier": fo.carrier,
        "tracking_number": fo.tracking_number,
        "pickup_code": fo.pickup_code,
        "reason": fo.reason,
        "done_at": fo.done_at,
        "created_at": fo.created_at,
        "updated_at": fo.updated_at,
    }


def _allocation_rows(order: Order) -> list[dict[str, Any]]:
    return [
        {
            "order_id": order.id,
            "line_no": line.line_no,
            "location_id": a.location_id,
            "quantity": a.quantity,
            "ship_date": a.ship_date,
        }
        for line in order.lines
        for a in line.allocations
    ]


def _promise_row(order_id: str, promise: OrderPromise) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "option_id": promise.option_id,
        "method": str(promise.method),
        "service": promise.service,
        "store_id": promise.store_id,
        "ship_date": promise.ship_date,
        "delivery_earliest": promise.delivery_earliest,
        "delivery_latest": promise.delivery_latest,
        "ready_by": promise.ready_by,
        "cost_minor": to_minor(promise.cost.amount, promise.cost.currency),
        "currency": promise.cost.currency,
        "capacity": [
            {
                "location_id": c.location_id,
                "day": c.day.isoformat(),
                "amount": c.amount,
                "limit": c.limit,
            }
            for c in promise.capacity
        ],
        "promised_at": promise.promised_at,
    }


def _promise(row: Row[Any]) -> OrderPromise:
    return OrderPromise(
        row.option_id,
        Method(row.method),
        row.service,
        row.store_id,
        row.ship_date,
        row.delivery_earliest,
        row.delivery_latest,
        row.ready_by,
        Money(from_minor(row.cost_minor, row.currency), row.currency),
        tuple(
            CapacityTaken(c["location_id"], date.fromisoformat(c["day"]), c["amount"], c["limit"])
            for c in row.capacity
        ),
        row.promised_at,
    )


def _order(
    head: Row[Any],
    lines: list[OrderLine],
    promise: OrderPromise | None,
    fulfilled: list[Fulfillment],
) -> Order:
    address, point = _ship_to(head.ship_to)
    return Order(
        id=head.id,
        channel=head.channel,
        external_id=head.external_id,
        currency=head.currency,
        customer=Customer(
            head.customer_email,
            head.customer_name,
            head.customer_phone,
            head.customer_vat_id,
            head.customer_group,
        ),
        ship_to=address,
        ship_to_point=point,
        status=OrderStatus(head.status),
        return_state=ReturnState(head.return_state),
        lines=lines,
        created_at=head.created_at,
        updated_at=head.updated_at,
        version=head.version,
        promise=promise,
        fulfillments=fulfilled,
        type=head.type,
        pipeline=tuple(Step(step) for step in head.pipeline),
        step=head.step,
        bill_to=None if head.bill_to is None else _ship_to(head.bill_to)[0],
        b2b=_b2b(head.b2b),
        language=head.language,
        priority=head.priority,
        charges=charges_of(head.charges, head.currency),
        tax_treatment=head.tax_treatment,
        exchange=conversion_from(head.exchange),
    )


def _settled(order: Order) -> dict[str, Any]:
    """The rate the order is settled at, and what analytics counts of it so."""
    money, exchange = order.money, order.exchange
    if exchange is None:
        return {
            "exchange": None,
            "settlement_currency": order.currency,
            "settlement_revenue_minor": to_minor(money.revenue, order.currency),
            "settlement_shipping_minor": to_minor(money.shipping, order.currency),
        }
    to = exchange.settlement
    return {
        "exchange": conversion_document(exchange),
        "settlement_currency": to,
        "settlement_revenue_minor": to_minor(exchange.settle(money.revenue), to),
        "settlement_shipping_minor": to_minor(exchange.settle(money.shipping), to),
    }

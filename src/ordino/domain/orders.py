"""The order aggregate: an order, its lines and each line's allocations.

Invariants:
  * a placed order's line is allocated or waits for supply: sum(allocations) +
    waiting == quantity, and a line with units waiting is `backordered`;
  * states change only through the transition tables below;
  * every change appends the event that describes it (`pending_events`), which the
    store writes to the outbox in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.domain.events import Event
from ordino.domain.geo import Point
from ordino.domain.ids import new_id
from ordino.domain.inventory import Reservation
from ordino.domain.money import Money
from ordino.domain.network import Address
from ordino.domain.promising import DeliveryRecord, OrderPromise, PromiseChoice
from ordino.domain.sourcing import SourcingPlan
from ordino.domain.states import TransitionTable, transition
from ordino.errors import FieldError, IllegalTransition


class OrderStatus(StrEnum):
    PLACED = "placed"
    CANCELLED = "cancelled"


class LineStatus(StrEnum):
    ALLOCATED = "allocated"
    BACKORDERED = "backordered"  # some units wait for supply
    CANCELLED = "cancelled"


ORDER_TRANSITIONS: TransitionTable[OrderStatus] = {
    OrderStatus.PLACED: frozenset({OrderStatus.CANCELLED}),
    OrderStatus.CANCELLED: frozenset(),
}

LINE_TRANSITIONS: TransitionTable[LineStatus] = {
    LineStatus.ALLOCATED: frozenset({LineStatus.BACKORDERED, LineStatus.CANCELLED}),
    LineStatus.BACKORDERED: frozenset({LineStatus.ALLOCATED, LineStatus.CANCELLED}),
    LineStatus.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class Customer:
    email: str
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class PlaceOrder:
    channel: str
    external_id: str
    currency: str
    customer: Customer
    ship_to: Address
    ship_to_point: Point | None
    lines: tuple[LineRequest, ...]
    promise: PromiseChoice | None = None
    service: str | None = None  # the carrier service, when no promise names it


def order_problems(cmd: PlaceOrder) -> list[FieldError]:
    """What makes a command unplaceable whatever the stock: the API's schema refuses
    these too; services check again for callers that do not pass through it."""
    problems = [] if cmd.lines else [FieldError("lines", "an order needs at least one line")]
    for i, line in enumerate(cmd.lines):
        if line.quantity <= 0:
            problems.append(FieldError(f"lines[{i}].quantity", "must be greater than 0"))
        if line.unit_price < 0:
            problems.append(FieldError(f"lines[{i}].unit_price", "must not be negative"))
    return problems


@dataclass(frozen=True)
class OrderQuery:
    """Which orders to list; they come newest first, `before_id` is the cursor."""

    status: OrderStatus | None = None
    channel: str | None = None
    customer_email: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    before_id: str | None = None
    location_id: str | None = None  # only orders with an allocation at this location


@dataclass(frozen=True)
class Allocation:
    location_id: str
    quantity: int
    ship_date: date | None = None  # as promised


@dataclass
class OrderLine:
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal
    status: LineStatus
    allocations: list[Allocation]

    @property
    def waiting(self) -> int:
        """Units not allocated: backordered, waiting for supply."""
        if self.status is LineStatus.CANCELLED:
            return 0
        return self.quantity - sum(a.quantity for a in self.allocations)

    def _settle(self) -> None:
        status = LineStatus.BACKORDERED if self.waiting else LineStatus.ALLOCATED
        if status is not self.status:
            self.status = transition(LINE_TRANSITIONS, self.status, status)


@dataclass
class Order:
    id: str
    channel: str
    external_id: str
    currency: str
    customer: Customer
    ship_to: Address
    ship_to_point: Point | None
    status: OrderStatus
    lines: list[OrderLine]
    created_at: datetime
    updated_at: datetime
    version: int = 1
    promise: OrderPromise | None = None
    pending_events: list[Event] = field(default_factory=list)

    @classmethod
    def place(
        cls,
        cmd: PlaceOrder,
        plan: SourcingPlan,
        now: datetime,
        promise: OrderPromise | None = None,
        *,
        backorder: bool = False,
    ) -> Order:
        """`backorder`: what the plan falls short of waits for supply; otherwise an
        order is placed only on a complete plan."""
        if not plan.complete and not backorder:
            raise ValueError("an order is placed only on a complete plan")
        order = cls(
            id=new_id(now),
            channel=cmd.channel,
            external_id=cmd.external_id,
            currency=cmd.currency,
            customer=cmd.customer,
            ship_to=cmd.ship_to,
            ship_to_point=cmd.ship_to_point,
            status=OrderStatus.PLACED,
            lines=_lines(cmd, plan),
            created_at=now,
            updated_at=now,
            promise=promise,
        )
        order._record("order.created", now, _promised(promise) | order._backordered())
        return order

    @property
    def backordered(self) -> bool:
        return any(line.status is LineStatus.BACKORDERED for line in self.lines)

    def allocations_at(self, location_id: str) -> list[tuple[OrderLine, Allocation]]:
        return [
            (line, a)
            for line in self.lines
            if line.status is not LineStatus.CANCELLED
            for a in line.allocations
            if a.location_id == location_id
        ]

    def withdraw(self, location_id: str, now: datetime, reason: str) -> dict[int, int]:
        """A location turned down its allocations: they are taken off the order (their
        units wait until re-sourced); the units withdrawn per line."""
        if self.status is not OrderStatus.PLACED:
            raise IllegalTransition(
                f"order {self.id} is {self.status}", extra={"status": str(self.status)}
            )
        withdrawn = self.allocations_at(location_id)
        for line, allocation in withdrawn:
            line.allocations.remove(allocation)
            line._settle()
        self.updated_at = now
        self._record(
            "order.allocation_rejected", now, {"location_id": location_id, "reason": reason}
        )
        return {line.line_no: a.quantity for line, a in withdrawn}

    def allocate(self, plan: SourcingPlan, now: datetime, why: str) -> list[Reservation]:
        """Allocate units that were waiting (after a rejection, or as supply arrived);
        the ledger rows that hold them."""
        by_no = {line.line_no: line for line in self.lines}
        held: list[Reservation] = []
        for planned in plan.allocations:
            line = by_no[planned.line_no]
            if planned.quantity > line.waiting:
                raise ValueError(f"line {line.line_no} waits for {line.waiting} units")
            at = next((a for a in line.allocations if a.location_id == planned.location_id), None)
            if at is not None:
                line.allocations.remove(at)
            quantity = planned.quantity + (at.quantity if at else 0)
            line.allocations.append(Allocation(planned.location_id, quantity, planned.ship_date))
            held.append(
                Reservation(
                    new_id(now),
                    self.id,
                    line.line_no,
                    planned.location_id,
                    line.sku,
                    planned.quantity,
                )
            )
        for line in self.lines:
            if line.status is not LineStatus.CANCELLED:
                line._settle()
        self.updated_at = now
        self._record(
            "order.allocated",
            now,
            {
                "why": why,
                "allocations": [
                    {"line_no": p.line_no, "location_id": p.location_id, "quantity": p.quantity}
                    for p in plan.allocations
                ],
            }
            | self._backordered(),
        )
        return held

    def _backordered(self) -> dict[str, Any]:
        waiting = [
            {"line_no": line.line_no, "sku": line.sku, "quantity": line.waiting}
            for line in self.lines
            if line.waiting
        ]
        return {"backordered": waiting} if waiting else {}

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total += Money(line.unit_price, self.currency).times(line.quantity)
        return total

    def cancel(self, now: datetime, reason: str | None = None) -> bool:
        """Cancel the order and its lines. False if it was cancelled already."""
        if self.status is OrderStatus.CANCELLED:
            return False
        self.status = transition(ORDER_TRANSITIONS, self.status, OrderStatus.CANCELLED)
        for line in self.lines:
            line.status = transition(LINE_TRANSITIONS, line.status, LineStatus.CANCELLED)
        self.updated_at = now
        self._record("order.cancelled", now, {"reason": reason})
        return True

    def delivered(self, record: DeliveryRecord, now: datetime, complete: bool) -> None:
        """Record that goods of the order arrived (`complete`: all of them)."""
        self.updated_at = now
        self._record(
            "order.delivered",
            now,
            {
                "location_id": record.location_id,
                "delivered_at": record.delivered_at.isoformat(),
                "on_time": record.on_time,
                "slack_days": record.slack_days,
                "complete": complete,
            },
        )

    def reservations(self, now: datetime) -> list[Reservation]:
        """The ledger rows that hold this order's allocations."""
        return [
            Reservation(
                new_id(now),
                self.id,
                line.line_no,
                allocation.location_id,
                line.sku,
                allocation.quantity,
            )
            for line in self.lines
            for allocation in line.allocations
        ]

    def _record(self, event_type: str, now: datetime, extra: dict[str, Any] | None = None) -> None:
        data: dict[str, Any] = {
            "order_id": self.id,
            "channel": self.channel,
            "external_id": self.external_id,
            "status": str(self.status),
            "total": str(self.total.amount),
            "currency": self.currency,
        }
        self.pending_events.append(
            Event(new_id(now), event_type, now, f"order/{self.id}", data | (extra or {}))
        )


def _promised(promise: OrderPromise | None) -> dict[str, Any]:
    """What an order's creation event says of its promise, for those who keep it."""
    if promise is None:
        return {}
    return {
        "promise": {
            "option_id": promise.option_id,
            "method": str(promise.method),
            "ship_date": promise.ship_date.isoformat(),
            "delivery_earliest": promise.delivery_earliest.isoformat(),
            "delivery_latest": promise.delivery_latest.isoformat(),
            "ready_by": promise.ready_by.isoformat() if promise.ready_by else None,
        }
    }


@dataclass(frozen=True)
class OrderScope:
    """The orders a caller may see: all of them, one channel's, or those with an
    allocation at one location (a store's)."""

    channel: str | None = None
    location_id: str | None = None

    def admits(self, order: Order) -> bool:
        if self.channel is not None and order.channel != self.channel:
            return False
        return self.location_id is None or any(
            a.location_id == self.location_id for line in order.lines for a in line.allocations
        )


EVERY_ORDER = OrderScope()


def _lines(cmd: PlaceOrder, plan: SourcingPlan) -> list[OrderLine]:
    by_line: dict[int, list[Allocation]] = {}
    for planned in plan.allocations:
        by_line.setdefault(planned.line_no, []).append(
            Allocation(planned.location_id, planned.quantity, planned.ship_date)
        )
    lines = [
        OrderLine(
            no, line.sku, line.quantity, line.unit_price, LineStatus.ALLOCATED, by_line.get(no, [])
        )
        for no, line in enumerate(cmd.lines, start=1)
    ]
    for line in lines:
        line._settle()
    return lines

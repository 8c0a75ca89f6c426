"""The order aggregate: an order, its lines and each line's allocations.

Invariants:
  * every unit of a line is cancelled, held at a location (allocated; released to
    it or not), out (left a location for the customer), or waits for supply:
    cancelled + allocated + out + backordered == quantity, each at least 0;
  * the order's and its lines' states are derived from those counters
    (`ordino.orders.domain.status`), never set; fulfillment orders change state only
    through their transition tables (`ordino.orders.domain.fulfillment`);
  * every change appends the event that describes it (`pending_events`), which the
    store writes to the outbox in the same transaction;
  * the order's money (each line's `PricedLine`, the order's charges) is what was
    placed; it changes only by an adjustment kept as a record beside it
    (`MoneyAdjustment`: shipping waived for a pickup, the tax worked out again),
    never for units that left; its total is derived from it. Units of a line leave
    for the customer from the first on and are cancelled from the last back, so
    what the units a shipment took were paid is read from the counts alone
    (`value_leaving`, `value_out`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ordino.inventory.domain import Reservation
from ordino.kernel.domain import (
    ApiKey,
    Event,
    Forbidden,
    IllegalTransition,
    Money,
    NotFound,
    Point,
    new_id,
)
from ordino.network.domain import Address
from ordino.orders.domain.commands import B2B, Customer, PlaceOrder, order_type_of
from ordino.orders.domain.fulfillment import Fulfillment, FulfillmentLine, FulfillmentStatus
from ordino.orders.domain.holds import Hold, HoldStatus, hold_document
from ordino.orders.domain.pipelines import Step
from ordino.orders.domain.status import (
    LineCounts,
    LineStatus,
    OrderStatus,
    ReturnState,
    order_status,
    return_state_of,
)
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Charge,
    Conversion,
    OrderMoney,
    PricedLine,
    charge_document,
    conversion_document,
    discount_units,
    line_money_document,
    money_document,
)
from ordino.promising.domain import DeliveryRecord, OrderPromise
from ordino.sourcing.domain import SourcingPlan


@dataclass(frozen=True)
class Allocation:
    location_id: str
    quantity: int
    ship_date: date | None = None  # as promised


@dataclass(frozen=True)
class MoneyAdjustment:
    """A change of an order's money after it was placed (its tax worked out again, its
    shipping waived), kept for good beside it: what it was and is (`money_details`),
    why, when, by whom. The order's first adjustment keeps the money as placed."""

    id: str
    kind: str  # "tax", "shipping_waived"
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    at: datetime
    by: str


@dataclass
class OrderLine:
    line_no: int
    sku: str
    quantity: int
    # Its money as placed: list and sale price, discounts, taxes (those worked out
    # again when its delivery moved: `Order.retax`).
    price: PricedLine
    allocations: list[Allocation]  # units held at locations, released or not
    cancelled: int = 0
    status: LineStatus = LineStatus.ALLOCATED  # derived by the order (`Order.settle`)
    expected_on: date | None = None  # when its backordered units are expected
    # Units that came back by a return, and units on an open return (`ordino.returns`).
    returned: int = 0
    being_returned: int = 0

    def __post_init__(self) -> None:
        priced = (self.price.line_no, self.price.sku, self.price.quantity)
        if priced != (self.line_no, self.sku, self.quantity):
            raise ValueError(f"line {self.line_no} is priced as another line, {priced}")

    @property
    def allocated(self) -> int:
        return sum(a.quantity for a in self.allocations)

    def allocation_at(self, location_id: str) -> Allocation | None:
        return next((a for a in self.allocations if a.location_id == location_id), None)

    def take(self, location_id: str, quantity: int) -> None:
        """`quantity` units held at the location are no longer: they left, or were let go."""
        held = self.allocation_at(location_id)
        if held is None or held.quantity < quantity:
            raise ValueError(f"line {self.line_no} holds fewer than {quantity} at {location_id}")
        self.allocations.remove(held)
        if held.quantity > quantity:
            self.allocations.append(replace(held, quantity=held.quantity - quantity))


@dataclass
class Order:
    id: str
    channel: str
    external_id: str
    currency: str
    customer: Customer
    ship_to: Address
    ship_to_point: Point | None
    lines: list[OrderLine]
    created_at: datetime
    updated_at: datetime
    version: int = 1
    promise: OrderPromise | None = None
    fulfillments: list[Fulfillment] = field(default_factory=list)
    status: OrderStatus = OrderStatus.PLACED  # derived (`settle`)
    return_state: ReturnState = ReturnState.NONE  # derived (`settle`)
    type: str = "ship_to_home"  # its order type (`ordino.orders.domain.pipelines`)
    pipeline: tuple[Step, ...] = ()  # the type's steps, copied when it first advances
    step: int = 0  # the next step of `pipeline` to run
    holds: list[Hold] = field(default_factory=list)
    # Shipping, fees: as placed, and the corrections after (new discounts, never edits).
    charges: tuple[Charge, ...] = ()
    # How its tax was worked out (the provider's word: domestic, destination,
    # reverse_charge, export); None: it was not (no tax settings, or a marketplace's).
    tax_treatment: str | None = None
    exchange: Conversion | None = None  # into its channel's settlement currency
    bill_to: Address | None = None
    b2b: B2B | None = None
    # The customer's language (BCP 47: de-CH; None: not given): their page and what
    # they are told (the events carry it for the notifying service) speak it.
    language: str | None = None
    priority: int = 0  # the backorder queue's order (`ordino.orders.domain.backorders`)
    pending_events: list[Event] = field(default_factory=list)
    # Changes of its money since read (`MoneyAdjustment`), written with it.
    pending_adjustments: list[MoneyAdjustment] = field(default_factory=list)
    # Who changes the order now (an API key, "ordino" itself, the payment "gateway"):
    # each event it records says so. Not stored: the events keep it.
    acting: str = "ordino"
    # Its money, derived once from its lines' prices and its charges (again after an
    # adjustment of them).
    _money: OrderMoney | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def place(
        cls,
        cmd: PlaceOrder,
        plan: SourcingPlan,
        now: datetime,
        money: OrderMoney,
        promise: OrderPromise | None = None,
        *,
        backorder: bool = False,
    ) -> Order:
        """Placed at `money` (its lines in the command's order, numbered from 1).
        `backorder`: what the plan falls short of waits for supply; otherwise an
        order is placed only on a complete plan."""
        if not plan.complete and not backorder:
            raise ValueError("an order is placed only on a complete plan")
        if money.currency != cmd.currency:
            raise ValueError(f"an order in {cmd.currency} is priced in {money.currency}")
        asked = [(no, line.sku, line.quantity) for no, line in enumerate(cmd.lines, start=1)]
        if [(line.line_no, line.sku, line.quantity) for line in money.lines] != asked:
            raise ValueError("an order is priced line by line as it was asked")
        order = cls(
            id=new_id(now),
            channel=cmd.channel,
            external_id=cmd.external_id,
            currency=cmd.currency,
            customer=cmd.customer,
            ship_to=cmd.ship_to,
            ship_to_point=cmd.ship_to_point,
            lines=_lines(money, plan),
            charges=money.charges,
            tax_treatment=money.tax_treatment,
            exchange=money.exchange,
            created_at=now,
            updated_at=now,
            promise=promise,
            type=cmd.type or order_type_of(cmd, promise),
            bill_to=cmd.bill_to,
            b2b=cmd.b2b,
            language=cmd.language,
            priority=cmd.priority,
            acting=cmd.placed_by,
        )
        order.settle()
        placed = promise_document(promise) | order._backordered() | money_details(order)
        placed["language"] = order.language  # what the customer's messages are written in
        order.record("order.created", now, placed)
        return order

    def counts(self, line: OrderLine) -> LineCounts:
        """The line's quantity counters, from its allocations and fulfillment orders."""
        parts = [(fo, fo.quantity_of(line.line_no)) for fo in self.fulfillments]
        return LineCounts(
            ordered=line.quantity,
            cancelled=line.cancelled,
            allocated=line.allocated,
            released=sum(q for fo, q in parts if fo.holds_stock),
            shipped=sum(q for fo, q in parts if fo.shipped),
            delivered=sum(q for fo, q in parts if fo.status is FulfillmentStatus.DELIVERED),
            picked_up=sum(q for fo, q in parts if fo.status is FulfillmentStatus.PICKED_UP),
            out=sum(q for fo, q in parts if fo.left),
            returned=line.returned,
            being_returned=line.being_returned,
        )

    def waiting(self, line: OrderLine) -> int:
        """Units of the line that wait for supply (backordered)."""
        return self.counts(line).backordered

    def settle(self) -> None:
        """Derive every roll-up state from the counters, after any change; number the
        units of what left."""
        every = [self.counts(line) for line in self.lines]
        for line, counts in zip(self.lines, every, strict=True):
            line.status = counts.status
            if not counts.backordered:
                line.expected_on = None
        self.status = order_status([line.status for line in self.lines])
        self.return_state = return_state_of(every)
        self._number_units()

    def returnable(self, line_no: int) -> int:
        """Units of the line the customer has and may still return."""
        return self.counts(self.line(line_no)).returnable

    def start_return(self, units: Mapping[int, int], now: datetime) -> None:
        """`units` (line_no → units) are being returned. The caller checked them
        against `returnable` (naming its fields); this refuses what it did not."""
        for line_no, quantity in units.items():
            if not 0 < quantity <= self.returnable(line_no):
                raise ValueError(f"line {line_no} has fewer than {quantity} units to return")
        for line_no, quantity in units.items():
            self.line(line_no).being_returned += quantity
        self.touch(now)

    def end_return(self, line_no: int, returned: int, released: int, now: datetime) -> None:
        """Of the units being returned, `returned` are the customer's no more (they came
        back, or were lost on their way back) and `released` stay theirs to return
        again (the return was declined or withdrawn)."""
        line = self.line(line_no)
        if min(returned, released) < 0 or returned + released > line.being_returned:
            raise ValueError(f"line {line_no} has fewer than {returned + released} on return")
        line.being_returned -= returned + released
        line.returned += returned
        self.touch(now)

    def _number_units(self) -> None:
        """Each fulfillment order that left takes the next units of its lines, after
        those taken by the ones that left before it."""
        taken: dict[int, int] = {}
        for fl in (fl for fo in self.fulfillments for fl in fo.lines):
            if fl.first_unit is not None:
                end = fl.first_unit + fl.quantity
                taken[fl.line_no] = max(taken.get(fl.line_no, 0), end)
        for fo in self.fulfillments:
            if not fo.left or all(fl.first_unit is not None for fl in fo.lines):
                continue
            numbered = []
            for fl in fo.lines:
                first = fl.first_unit
                if first is None:
                    first = taken.get(fl.line_no, 0)
                    taken[fl.line_no] = first + fl.quantity
                numbered.append(replace(fl, first_unit=first))
            fo.lines = numbered

    @property
    def on_hold(self) -> bool:
        return any(hold.active for hold in self.holds)

    @property
    def backordered(self) -> bool:
        return any(self.waiting(line) for line in self.lines)

    def line(self, line_no: int) -> OrderLine:
        return next(line for line in self.lines if line.line_no == line_no)

    def fulfillment(self, fulfillment_id: str) -> Fulfillment:
        found = next((fo for fo in self.fulfillments if fo.id == fulfillment_id), None)
        if found is None:
            raise NotFound(
                f"no fulfillment {fulfillment_id}", extra={"fulfillment_id": fulfillment_id}
            )
        return found

    def allocations_at(self, location_id: str) -> list[tuple[OrderLine, Allocation]]:
        return [
            (line, a)
            for line in self.lines
            for a in line.allocations
            if a.location_id == location_id
        ]

    @property
    def finished(self) -> bool:
        """Nothing of the order is left to do at a location or to hand over: every
        unit cancelled, or gone to the customer (with a carrier, delivered,
        collected). A parcel no carrier confirms delivered does not keep it open;
        one on its way to a store, or ready there, for the customer to collect does.
        A finished order's customer may be erased and its events pruned
        (`ordino.privacy.services.customer_data`, `ordino.privacy.services.retention`)."""
        if any(fo.awaits_collection for fo in self.fulfillments):
            return False
        return all(line.allocated == 0 and self.waiting(line) == 0 for line in self.lines)

    def refuse_if_closed(self) -> None:
        if self.status in (OrderStatus.CANCELLED, OrderStatus.FULFILLED):
            raise IllegalTransition(
                f"order {self.id} is {self.status}", extra={"status": str(self.status)}
            )

    def withdraw(self, location_id: str, now: datetime, reason: str) -> dict[int, int]:
        """A location turned down everything it holds for the order: its fulfillment
        orders are rejected and its allocations taken off the order (the units wait
        until sourced again); the units withdrawn per line."""
        self.refuse_if_closed()
        held = [fo for fo in self.fulfillments if fo.location_id == location_id and fo.holds_stock]
        for fo in held:  # all or none: a pickup ready for the customer cannot be rejected
            fo.check_move(FulfillmentStatus.REJECTED)
        for fo in held:
            fo.move(FulfillmentStatus.REJECTED, now)
            fo.reason = reason
        withdrawn = self.allocations_at(location_id)
        for line, allocation in withdrawn:
            line.allocations.remove(allocation)
        self.touch(now)
        self.record(
            "order.allocation_rejected", now, {"location_id": location_id, "reason": reason}
        )
        return {line.line_no: a.quantity for line, a in withdrawn}

    def allocate(self, plan: SourcingPlan, now: datetime, why: str) -> list[Reservation]:
        """Allocate units that were waiting (after a rejection, or as supply arrived);
        the ledger rows that hold them."""
        held: list[Reservation] = []
        for planned in plan.allocations:
            line = self.line(planned.line_no)
            if planned.quantity > self.waiting(line):
                raise ValueError(f"line {line.line_no} waits for {self.waiting(line)} units")
            at = line.allocation_at(planned.location_id)
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
        self.touch(now)
        self.record(
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

    def expect(self, dates: Mapping[int, date | None], now: datetime) -> bool:
        """When the waiting units of lines (by number) are now expected (None: not
        known); the customer is told when that changed. False if nothing did."""
        changed = [
            line
            for line in self.lines
            if line.line_no in dates
            and self.waiting(line)
            and line.expected_on != dates[line.line_no]
        ]
        if not changed:
            return False
        for line in changed:
            line.expected_on = dates[line.line_no]
        self.touch(now)
        self.record("order.backorder_expected", now, self._backordered())
        return True

    def _backordered(self) -> dict[str, Any]:
        waiting = [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "quantity": self.waiting(line),
                "expected_on": line.expected_on.isoformat() if line.expected_on else None,
            }
            for line in self.lines
            if self.waiting(line)
        ]
        return {"backordered": waiting} if waiting else {}

    @property
    def money(self) -> OrderMoney:
        if self._money is None:
            lines = tuple(line.price for line in self.lines)
            money = OrderMoney(
                self.currency, lines, self.charges, self.tax_treatment, self.exchange
            )
            self._money = money
        return self._money

    @property
    def total(self) -> Money:
        return Money(self.money.total, self.currency)

    def value_leaving(self, fo: Fulfillment) -> Decimal:
        """What the units of a fulfillment order that just left were paid, and the
        order's charges when it is the first to leave."""
        self._number_units()  # an order read before its parcels were numbered
        value = sum((self._paid(fl) for fl in fo.lines), Decimal(0))
        return value + (self._charged() if self.carries_charges(fo) else Decimal(0))

    def carries_charges(self, fo: Fulfillment) -> bool:
        """The fulfillment order that left is the first to: the order's charges go
        with it (its capture, its invoice)."""
        self._number_units()
        return not any(self._numbered(other) for other in self.fulfillments if other is not fo)

    def value_out(self) -> Decimal:
        """What the units that left for the customer were paid, and the charges once
        anything left."""
        self._number_units()
        out = [fo for fo in self.fulfillments if fo.left]
        value = sum((self._paid(fl) for fo in out for fl in fo.lines), Decimal(0))
        ever = any(self._numbered(fo) for fo in self.fulfillments)
        return value + (self._charged() if ever else Decimal(0))

    def _paid(self, fl: FulfillmentLine) -> Decimal:
        if fl.first_unit is None:
            raise ValueError(f"line {fl.line_no}'s units have not left")
        return self.line(fl.line_no).price.paid_over(fl.first_unit, fl.quantity)

    @staticmethod
    def _numbered(fo: Fulfillment) -> bool:
        return any(fl.first_unit is not None for fl in fo.lines)

    def _charged(self) -> Decimal:
        return sum((c.total for c in self.charges), Decimal(0))

    def cancel(self, now: datetime, reason: str | None = None) -> bool:
        """Cancel every unit that has not left a location: waiting, allocated, released
        (the fulfillment orders holding them are cancelled). False if the order was
        cancelled already; IllegalTransition if everything left already."""
        if self.status is OrderStatus.CANCELLED:
            return False
        open_units = {line.line_no: self.waiting(line) + line.allocated for line in self.lines}
        if not any(open_units.values()):
            raise IllegalTransition(
                f"order {self.id} is {self.status}: nothing is left to cancel",
                extra={"status": str(self.status)},
            )
        for fo in self.fulfillments:
            if fo.holds_stock:
                fo.move(FulfillmentStatus.CANCELLED, now)
                fo.reason = reason
        for line in self.lines:
            line.cancelled += open_units[line.line_no]
            line.allocations.clear()
        self.touch(now)
        self.record_cancellation(now, reason, _units(open_units))
        return True

    def record_cancellation(
        self, now: datetime, reason: str | None, cancelled: list[dict[str, int]]
    ) -> None:
        """Record units cancelled; when that leaves the whole order cancelled, its holds
        end with it."""
        self.record(self.cancellation(), now, {"reason": reason, "cancelled": cancelled})
        self.end_holds(now, reason)

    def end_holds(self, now: datetime, why: str | None) -> None:
        """A cancelled order waits for nothing: each active hold is resolved as
        cancelled, by whoever cancelled the order, for its reason, on the timeline."""
        if self.status is not OrderStatus.CANCELLED:
            return
        for hold in self.holds:
            if hold.active:
                hold.resolve(HoldStatus.CANCELLED, self.acting, why, now)
                self.record("order.hold_cancelled", now, {"hold": hold_document(hold)})

    def cancellation(self) -> str:
        """The event of a cancellation: the whole order's, or some of its units'."""
        whole = self.status is OrderStatus.CANCELLED
        return "order.cancelled" if whole else "order.lines_cancelled"

    def delivered(self, record: DeliveryRecord, now: datetime, complete: bool) -> None:
        """Record that goods of the order arrived (`complete`: all of them)."""
        self.touch(now)
        self.record(
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

    def waive_shipping(self, reason: str, now: datetime) -> Decimal:
        """What is left of its shipping charges taken off, by a correction beside what
        was placed (the customer collects), kept as a money adjustment; the charges'
        taxes go with their value. What was waived."""
        was = money_details(self)
        why = Adjustment(AdjustmentSource.CORRECTION, "shipping", reason)
        waived, charges = Decimal(0), []
        for k, charge in enumerate(self.charges):
            if charge.kind != "shipping" or charge.net <= 0:
                charges.append(charge)
                continue
            bare = replace(charge, taxes=())  # discounts come before taxes
            off = discount_units(bare, bare.net, why, f"charges[{k}]")
            waived += charge.total
            charges.append(replace(bare, discounts=(*bare.discounts, off)))
        self.charges, self._money = tuple(charges), None
        if waived:
            self._adjusted("shipping_waived", reason, was, now)
        return waived

    def _adjusted(self, kind: str, reason: str, was: dict[str, Any], now: datetime) -> None:
        """The change of its money kept as a record beside what was placed."""
        after = money_details(self)
        adjustment = MoneyAdjustment(new_id(now), kind, reason, was, after, now, self.acting)
        self.pending_adjustments.append(adjustment)

    def retax(
        self,
        money: OrderMoney,
        why: str,
        now: datetime,
        kept: Mapping[int, int] | None = None,
        told: Mapping[str, Any] | None = None,
    ) -> bool:
        """Its taxes worked out again (the same prices, discounts and charges: `money`
        as a tax provider answered it now), told as `order.tax_adjusted` with what
        they were and are; whether they changed. The units invoiced keep their taxes
        (`kept`: by line, how many units from the first on; None: every unit that
        left): ValueError for a `money` that would change them."""
        before = self.money
        if money.lines == before.lines and money.charges == before.charges:
            return False
        was = money_details(self)
        left = self._units_left() if kept is None else kept
        if kept is None and left and money.charges != before.charges:
            raise ValueError("the charges left with the first parcel: their tax stays")
        for line, priced in zip(self.lines, money.lines, strict=True):
            if (line.line_no, line.sku, line.quantity) != (priced.line_no, priced.sku,
                                                           priced.quantity):  # fmt: skip
                raise ValueError(f"line {line.line_no} is not the one taxed again")
            invoiced = left.get(line.line_no, 0)
            if _taxes_of(line.price, invoiced) != _taxes_of(priced, invoiced):
                raise ValueError(f"line {line.line_no}'s invoiced units keep their tax")
            line.price = priced
        self.charges, self.tax_treatment, self._money = money.charges, money.tax_treatment, None
        self._adjusted("tax", why, was, now)
        after = self.pending_adjustments[-1].after
        self.record("order.tax_adjusted", now,
                    {"reason": why, **(told or {}), "before": was, "after": after})  # fmt: skip
        return True

    def _units_left(self) -> dict[int, int]:
        """By line, how many units left (numbered from the first on)."""
        taken: dict[int, int] = {}
        for fl in (fl for fo in self.fulfillments for fl in fo.lines):
            if fl.first_unit is not None:
                taken[fl.line_no] = max(taken.get(fl.line_no, 0), fl.first_unit + fl.quantity)
        return taken

    def touch(self, now: datetime) -> None:
        """After a change: the roll-up states derived again, the time it changed."""
        self.settle()
        self.updated_at = now

    def record(self, event_type: str, now: datetime, extra: dict[str, Any] | None = None) -> None:
        data: dict[str, Any] = {
            "order_id": self.id,
            "channel": self.channel,
            "external_id": self.external_id,
            "status": str(self.status),
            "total": str(self.total.amount),
            "currency": self.currency,
            "by": self.acting,
        }
        self.pending_events.append(
            Event(new_id(now), event_type, now, f"order/{self.id}", data | (extra or {}))
        )


def _units(by_line: dict[int, int]) -> list[dict[str, int]]:
    return [{"line_no": no, "quantity": q} for no, q in sorted(by_line.items()) if q]


def _taxes_of(line: PricedLine, units: int) -> dict[tuple[str, Decimal, bool], Any]:
    """The taxes of the line's first `units` units, by jurisdiction, rate and
    whether in the price (those holding nothing for them left out)."""
    found = {}
    for tax in line.taxes:
        part = tax.per_unit.part(0, units)
        if part.total:
            found[(tax.jurisdiction, tax.rate, tax.inclusive)] = part.runs
    return found


def money_details(order: Order) -> dict[str, Any]:
    """What an order's creation event says of its money: the totals, each line's
    prices, discounts and taxes, and the charges."""
    return {
        "money": money_document(order.money),
        "lines": [
            {"line_no": line.line_no, "sku": line.sku, "quantity": line.quantity}
            | line_money_document(line.price)
            for line in order.lines
        ],
        "charges": [charge_document(c) for c in order.charges],
        "tax_treatment": order.tax_treatment,
    } | exchange_details(order)


def exchange_details(order: Order) -> dict[str, Any]:
    """The rate the order is settled at in its channel's currency, and its total so
    (none: it settles in its own)."""
    if order.exchange is None:
        return {"exchange": None}
    settled = order.exchange.settle(order.money.total)
    return {"exchange": conversion_document(order.exchange) | {"settlement_total": str(settled)}}


def promise_document(promise: OrderPromise | None) -> dict[str, Any]:
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
    allocation at one location (a store's); and who the caller is (`actor`), which
    the events of what they change name."""

    channel: str | None = None
    location_id: str | None = None
    actor: str = "ordino"
    # The order's customer, by their link: an order whose customer was erased is
    # theirs no more (nothing on it is theirs to see).
    customer: bool = False

    def admits(self, order: Order) -> bool:
        if self.channel is not None and order.channel != self.channel:
            return False
        if self.customer and order.customer.erased:
            return False
        return (
            self.location_id is None
            or any(
                a.location_id == self.location_id for line in order.lines for a in line.allocations
            )
            or any(self.location_id in (fo.location_id, fo.store_id) for fo in order.fulfillments)
        )

    def sources_reached(self, order: Order) -> frozenset[str] | None:
        """The locations whose goods this caller may say arrived: every one (None), or a
        store's own and those whose parcels go to it for the customer to collect."""
        if self.location_id is None:
            return None
        collected = {fo.location_id for fo in order.fulfillments if fo.store_id == self.location_id}
        return frozenset({self.location_id, *collected})

    def refuse_step_elsewhere(self, fo: Fulfillment, target: FulfillmentStatus) -> None:
        """A store's key takes the steps that are its store's: of a parcel shipped to
        it, what happens at the store, never the sender's (nor the sender the store's)."""
        acting = fo.acting_location(target)
        if self.location_id is not None and self.location_id != acting:
            raise Forbidden(
                f"this key acts for location {self.location_id}: {target} is {acting}'s to say",
                extra={"location_id": acting},
            )


EVERY_ORDER = OrderScope()


def _lines(money: OrderMoney, plan: SourcingPlan) -> list[OrderLine]:
    by_line: dict[int, list[Allocation]] = {}
    for planned in plan.allocations:
        by_line.setdefault(planned.line_no, []).append(
            Allocation(planned.location_id, planned.quantity, planned.ship_date)
        )
    return [
        OrderLine(line.line_no, line.sku, line.quantity, line, by_line.get(line.line_no, []))
        for line in money.lines
    ]


def scope_of(key: ApiKey, actor: str | None = None) -> OrderScope:
    """The orders an API key (or a console user's access) may see: its channel's, its
    location's, or all; `actor`: their name on what they change (`key:<id>` unless
    given, as `user:<name>` is)."""
    return OrderScope(key.channel, key.location_id, actor or f"key:{key.id}")

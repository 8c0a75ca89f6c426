"""What a caller asks of orders: to place one (with its customer, lines, and for a
business its purchase order), and which to list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from ordino.kernel.domain import FieldError, Point
from ordino.network.domain import Address
from ordino.orders.domain.status import OrderStatus
from ordino.payments.domain import TenderAsked
from ordino.pricing.domain import GivenCharge, GivenDiscount, GivenTax
from ordino.promising.domain import Method, OrderPromise, PromiseChoice
from ordino.sourcing.domain import LineToSource, ToSource

# An erased customer's e-mail (`ordino.privacy.domain.erasure`): `.invalid` is a domain that
# never exists (RFC 2606), so nothing is ever sent to it or found by it.
ERASED_EMAIL = "erased@erased.invalid"


@dataclass(frozen=True)
class Customer:
    email: str
    name: str | None = None
    phone: str | None = None
    vat_id: str | None = None  # a business's (its tax: docs/money.md)
    group: str | None = None  # the channel's word for them (vip, staff): promotions' conditions

    @property
    def erased(self) -> bool:
        return self.email == ERASED_EMAIL


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int
    unit_price: Decimal
    discounts: tuple[GivenDiscount, ...] = ()  # a marketplace's, kept as given
    taxes: tuple[GivenTax, ...] = ()  # a marketplace's, kept as given


@dataclass(frozen=True)
class B2B:
    """What a business's purchase order adds: its number, the date the buyer wants
    it (released `lead_days` before: see the `b2b` order type), and whether it ships
    only complete."""

    purchase_order: str
    requested_date: date | None = None
    ship_complete: bool = True


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
    type: str | None = None  # the order type; None: inferred (`order_type_of`)
    bill_to: Address | None = None
    b2b: B2B | None = None
    # How it is paid, tender by tender (none: paid already, a marketplace's order).
    tenders: tuple[TenderAsked, ...] = ()
    placed_by: str = "ordino"  # who placed it: the API key
    priority: int = 0  # 0 to 9: backordered units go to higher priorities first
    charges: tuple[GivenCharge, ...] = ()  # a marketplace's shipping and fees, as given
    codes: tuple[str, ...] = ()  # promotion codes, as the customer gave them
    language: str | None = None  # the customer's (BCP 47: de-CH): their page, their messages
    # The return whose exchange it is (type `exchange`): Ordino's own, never a caller's;
    # its lines may carry what the returned units' discounts took off (`Cart.exchange`).
    exchange_of: str | None = None


def order_problems(cmd: PlaceOrder) -> list[FieldError]:
    """What makes a command unplaceable whatever the stock: the API's schema refuses
    these too; services check again for callers that do not pass through it."""
    problems = [] if cmd.lines else [FieldError("lines", "an order needs at least one line")]
    for i, line in enumerate(cmd.lines):
        if line.quantity <= 0:
            problems.append(FieldError(f"lines[{i}].quantity", "must be greater than 0"))
        if line.unit_price < 0:
            problems.append(FieldError(f"lines[{i}].unit_price", "must not be negative"))
    if cmd.priority not in range(10):
        problems.append(FieldError("priority", "must be from 0 to 9"))
    return problems


REQUESTED_DAYS_AHEAD = 366  # a business's requested date is at most a year away


def date_problems(cmd: PlaceOrder, today: date, zone: str) -> list[FieldError]:
    """A requested date that cannot be meant: before today (the date in `zone`, the
    channel's), or years ahead (a typo of the year, which would hold the order back
    until then)."""
    requested = None if cmd.b2b is None else cmd.b2b.requested_date
    latest = today + timedelta(days=REQUESTED_DAYS_AHEAD)
    if requested is None:
        return []
    if requested < today:
        return [FieldError("b2b.requested_date", f"must not be before today, {today} ({zone})")]
    if requested > latest:
        return [FieldError("b2b.requested_date", f"must be by {latest}, a year from today")]
    return []


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
    number: str | None = None  # the order's id, or the channel's number for it
    on_hold: bool | None = None  # only orders with an active hold (True)
    late: bool | None = None  # only orders with a service level missed and open (True)
    external_id: str | None = None  # the channel's order number


def order_type_of(cmd: PlaceOrder, promise: OrderPromise | None) -> str:
    """The type of an order placed without one: a business's by its purchase order,
    else by how the customer chose to receive it."""
    if cmd.b2b is not None:
        return "b2b"
    if promise is not None and promise.method is Method.PICKUP:
        return "pickup_in_store"
    if promise is not None and promise.method is Method.SHIP_TO_STORE:
        return "ship_to_store"
    return "ship_to_home"


def to_source(cmd: PlaceOrder, service: str | None) -> ToSource:
    """The order as sourcing sees it, shipped by `service` (its profile and rate card
    go by it)."""
    lines = [
        LineToSource(no, line.sku, line.quantity, line.unit_price)
        for no, line in enumerate(cmd.lines, start=1)
    ]
    return ToSource(cmd.channel, cmd.currency, service, lines, cmd.type or order_type_of(cmd, None))

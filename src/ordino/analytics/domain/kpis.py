"""The dashboard's figures (KPIs) per day and over a range, from facts read narrowly.

Each fact counts on the UTC date of its own event: an order (its value, cost, split,
cancellation) on the day it was placed, a delivery on the day it was delivered, a
store's rejection on the day it rejected; a return on the day it was started (its
units, unless it was declined or withdrawn), returned goods on the day they were
received (and restocked), a refund on the day it was given (with the hours since
the return's goods were received). Return rates are over the range alone: the units
returned in it (by SKU, reason, channel) against the units sold in it.

Invariants: a rate is a share of a count kept beside it, and None where that count
is 0; the range's figures are the days' figures added (never means of means); money
adds in minor units per currency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from ordino.kernel.domain import from_minor, minor_digits
from ordino.promising.domain import DeliveryRecord

MAX_DAYS = 366


@dataclass(frozen=True)
class PlacedOrder:
    """An order as the figures of the day it was placed count it."""

    placed_at: datetime
    currency: str  # its channel's settlement currency (its own, when it names none)
    revenue_minor: int  # what its goods sold for: after discounts, no charges, no tax
    cancelled: bool  # every unit cancelled
    units_cancelled: int
    locations: int  # of its fulfillment orders neither rejected nor cancelled
    cost_minor: int | None  # the promise's cost, in `cost_currency`; None: no promise
    cost_currency: str | None = None
    shipping_minor: int = 0  # what it was paid for shipping: after discounts, no tax


@dataclass(frozen=True)
class ReturnStarted:
    started_at: datetime
    units: int  # its lines' units; none when it was declined or withdrawn


@dataclass(frozen=True)
class ReturnReceived:
    received_at: datetime
    units: int
    restocked: int  # of `units`, back on the shelf where they were received


@dataclass(frozen=True)
class RefundGiven:
    """A return's refund or a goodwill refund (an appeasement), as given."""

    at: datetime
    currency: str
    amount_minor: int
    appeasement: bool = False
    hours_since_receipt: float | None = None  # a return's, after its last receipt


@dataclass(frozen=True)
class ReturnFacts:
    """What the returns of the range did, each with the time of its event."""

    started: Sequence[ReturnStarted] = ()
    received: Sequence[ReturnReceived] = ()
    refunds: Sequence[RefundGiven] = ()


@dataclass
class Tally:
    """What a day (or the range) counted; `figures` turns it into rates and money."""

    orders: int = 0
    revenue_minor: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    shipping_minor: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deliveries: int = 0
    on_time: int = 0
    slack_days: int = 0  # the deliveries' slack added
    orders_fulfilled: int = 0  # with a fulfillment order at some location
    orders_split: int = 0  # with fulfillment orders at more than one location
    cost_minor: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    orders_costed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Of the orders costed in the currency they are counted in: what they were paid for
    # shipping and what it cost (the margin is over these alone).
    costed_shipping_minor: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    margin_cost_minor: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    orders_cancelled: int = 0
    units_cancelled: int = 0
    store_rejections: int = 0
    returns: int = 0
    units_returned: int = 0
    units_received: int = 0
    units_restocked: int = 0
    refunds: int = 0  # of returns
    appeasements: int = 0
    refunded_minor: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refund_hours: float = 0.0  # the hours from receipt to refund, added
    refunds_timed: int = 0  # the refunds after a receipt those hours are of

    def add_refund(self, refund: RefundGiven) -> None:
        self.refunded_minor[refund.currency] += refund.amount_minor
        if refund.appeasement:
            self.appeasements += 1
            return
        self.refunds += 1
        if refund.hours_since_receipt is not None:
            self.refund_hours += refund.hours_since_receipt
            self.refunds_timed += 1

    def add_order(self, order: PlacedOrder) -> None:
        self.orders += 1
        self.revenue_minor[order.currency] += order.revenue_minor
        self.shipping_minor[order.currency] += order.shipping_minor
        self.orders_fulfilled += order.locations > 0
        self.orders_split += order.locations > 1
        if order.cost_minor is not None and order.cost_currency is not None:
            self.cost_minor[order.cost_currency] += order.cost_minor
            self.orders_costed[order.cost_currency] += 1
            if order.cost_currency == order.currency:
                self.costed_shipping_minor[order.currency] += order.shipping_minor
                self.margin_cost_minor[order.currency] += order.cost_minor
        self.orders_cancelled += order.cancelled
        self.units_cancelled += order.units_cancelled

    def add_delivery(self, record: DeliveryRecord) -> None:
        self.deliveries += 1
        self.on_time += record.on_time
        self.slack_days += record.slack_days

    def add(self, other: Tally) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in (
            (self.revenue_minor, other.revenue_minor),
            (self.shipping_minor, other.shipping_minor),
            (self.cost_minor, other.cost_minor),
            (self.orders_costed, other.orders_costed),
            (self.costed_shipping_minor, other.costed_shipping_minor),
            (self.margin_cost_minor, other.margin_cost_minor),
            (self.refunded_minor, other.refunded_minor),
        ):
            for currency, value in theirs.items():
                mine[currency] += value


_COUNTS = (
    "orders",
    "deliveries",
    "on_time",
    "slack_days",
    "orders_fulfilled",
    "orders_split",
    "orders_cancelled",
    "units_cancelled",
    "store_rejections",
    "returns",
    "units_returned",
    "units_received",
    "units_restocked",
    "refunds",
    "appeasements",
    "refund_hours",
    "refunds_timed",
)


@dataclass(frozen=True)
class CostPerOrder:
    """Fulfilment cost in one currency: over the orders that recorded one; what those
    counted in that currency (their channel settles in it) were paid for shipping, and
    that less their cost (`shipping_margin`)."""

    orders: int
    total: Decimal
    per_order: Decimal
    shipping_charged: Decimal
    shipping_margin: Decimal


@dataclass(frozen=True)
class Figures:
    """The figures of one day, or of the range (`day` None)."""

    day: date | None
    orders: int
    revenue: dict[str, Decimal]  # per currency
    shipping: dict[str, Decimal]  # what the orders were paid for shipping, per currency
    deliveries: int
    on_time: int
    on_time_rate: float | None
    mean_slack_days: float | None
    orders_fulfilled: int
    orders_split: int
    split_rate: float | None
    fulfilment_cost: dict[str, CostPerOrder]  # per currency
    orders_cancelled: int
    units_cancelled: int
    store_rejections: int
    returns: int = 0
    units_returned: int = 0
    units_received: int = 0
    units_restocked: int = 0
    restock_rate: float | None = None  # of the units received
    refunds: int = 0
    appeasements: int = 0
    refunded: dict[str, Decimal] = field(default_factory=dict)  # both, per currency
    mean_hours_to_refund: float | None = None  # from the goods' receipt


def figures(tally: Tally, day: date | None) -> Figures:
    return Figures(
        day=day,
        orders=tally.orders,
        revenue={c: from_minor(m, c) for c, m in sorted(tally.revenue_minor.items())},
        shipping={c: from_minor(m, c) for c, m in sorted(tally.shipping_minor.items()) if m},
        deliveries=tally.deliveries,
        on_time=tally.on_time,
        on_time_rate=_share(tally.on_time, tally.deliveries),
        mean_slack_days=_share(tally.slack_days, tally.deliveries),
        orders_fulfilled=tally.orders_fulfilled,
        orders_split=tally.orders_split,
        split_rate=_share(tally.orders_split, tally.orders_fulfilled),
        fulfilment_cost={c: _cost(c, tally, n) for c, n in sorted(tally.orders_costed.items())},
        orders_cancelled=tally.orders_cancelled,
        units_cancelled=tally.units_cancelled,
        store_rejections=tally.store_rejections,
        returns=tally.returns,
        units_returned=tally.units_returned,
        units_received=tally.units_received,
        units_restocked=tally.units_restocked,
        restock_rate=_share(tally.units_restocked, tally.units_received),
        refunds=tally.refunds,
        appeasements=tally.appeasements,
        refunded={c: from_minor(m, c) for c, m in sorted(tally.refunded_minor.items()) if m},
        mean_hours_to_refund=_mean(tally.refund_hours, tally.refunds_timed),
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(total: float, count: int) -> float | None:
    return total / count if count else None


def _cost(currency: str, tally: Tally, orders: int) -> CostPerOrder:
    """The mean rounded half-even to the currency's minor unit; the shipping margin
    over the orders counted in the cost's currency (their shipping less their cost)."""
    total = from_minor(tally.cost_minor[currency], currency)
    step = Decimal(1).scaleb(-minor_digits(currency))
    per_order = (total / orders).quantize(step, rounding=ROUND_HALF_EVEN)
    charged = from_minor(tally.costed_shipping_minor[currency], currency)
    margin = charged - from_minor(tally.margin_cost_minor[currency], currency)
    return CostPerOrder(orders, total, per_order, charged, margin)


def days_of(start: date, end: date) -> list[date]:
    """Every day from `start` to before `end`."""
    return [start + timedelta(days=n) for n in range((end - start).days)]


def utc_day(at: datetime) -> date:
    return at.astimezone(UTC).date()


def tally_days(
    days: Sequence[date],
    orders: Iterable[PlacedOrder],
    deliveries: Iterable[DeliveryRecord],
    rejections: Iterable[datetime],
    returns: ReturnFacts = ReturnFacts(),
) -> dict[date, Tally]:
    """Each day's tally; facts on days outside `days` are not counted."""
    tallies = {day: Tally() for day in days}
    for order in orders:
        if (tally := tallies.get(utc_day(order.placed_at))) is not None:
            tally.add_order(order)
    for record in deliveries:
        if (tally := tallies.get(utc_day(record.delivered_at))) is not None:
            tally.add_delivery(record)
    for rejected_at in rejections:
        if (tally := tallies.get(utc_day(rejected_at))) is not None:
            tally.store_rejections += 1
    _tally_returns(tallies, returns)
    return tallies


def _tally_returns(tallies: dict[date, Tally], returns: ReturnFacts) -> None:
    for started in returns.started:
        if (tally := tallies.get(utc_day(started.started_at))) is not None:
            tally.returns += 1
            tally.units_returned += started.units
    for received in returns.received:
        if (tally := tallies.get(utc_day(received.received_at))) is not None:
            tally.units_received += received.units
            tally.units_restocked += received.restocked
    for refund in returns.refunds:
        if (tally := tallies.get(utc_day(refund.at))) is not None:
            tally.add_refund(refund)


def summed(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


@dataclass(frozen=True)
class UnitsOf:
    """Units of a SKU sold, or returned (for a reason), in a channel."""

    channel: str
    sku: str
    units: int
    reason: str | None = None  # a returned unit's


@dataclass(frozen=True)
class ReturnRate:
    key: str  # the SKU, reason or channel
    sold: int
    returned: int
    rate: float | None  # returned of sold


RATES_SHOWN = 20  # the most returned keys of each kind a report lists


def return_rates(
    sold: Iterable[UnitsOf], returned: Iterable[UnitsOf], shown: int = RATES_SHOWN
) -> dict[str, list[ReturnRate]]:
    """The units returned in the range against those sold in it, by SKU and by
    channel, and by reason (against every unit sold): the `shown` most returned of
    each, ties by key."""
    sold_by: dict[str, dict[str, int]] = {"sku": defaultdict(int), "channel": defaultdict(int)}
    returned_by: dict[str, dict[str, int]] = {
        kind: defaultdict(int) for kind in ("sku", "reason", "channel")
    }
    everything = 0
    for units in sold:
        sold_by["sku"][units.sku] += units.units
        sold_by["channel"][units.channel] += units.units
        everything += units.units
    for units in returned:
        returned_by["sku"][units.sku] += units.units
        returned_by["reason"][units.reason or ""] += units.units
        returned_by["channel"][units.channel] += units.units
    rates = {}
    for kind, counts in returned_by.items():
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:shown]
        rates[kind] = [
            ReturnRate(key, whole, n, _share(n, whole))
            for key, n in ranked
            for whole in [everything if kind == "reason" else sold_by[kind].get(key, 0)]
        ]
    return rates

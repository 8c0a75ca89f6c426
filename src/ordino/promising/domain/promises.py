"""What a delivery promise is: the options for a cart and a destination, each with
where its goods come from, when they leave, when they arrive (or are ready to
collect), what it costs; and why the options not offered were not.

Invariants of an option: every cart line is covered in full by its sources;
earliest <= latest; a pickup option has a store and a ready-by time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from ordino.kernel.domain import Money, WorkingCalendar
from ordino.network.domain import CapacityTaken, Location, LocationOperations
from ordino.sourcing.domain import LineDemand, PlannedAllocation, SourcingPlan


class Method(StrEnum):
    SHIP = "ship"  # a carrier delivers to the customer
    PICKUP = "pickup"  # the customer collects at a store that has the goods
    SHIP_TO_STORE = "ship_to_store"  # the goods go to the store first, then pickup

    @classmethod
    def of_option(cls, option_id: str) -> Method | None:
        """The method of an option by its id, which begins with it (`pickup:STORE-1`)."""
        prefix = option_id.partition(":")[0]
        return cls(prefix) if prefix in cls._value2member_map_ else None

    @property
    def collected(self) -> bool:
        return self is not Method.SHIP


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int


class Site(NamedTuple):
    """A location as the promise sees it: how it works, what it can give of the
    cart's SKUs in the channel's view, and the capacity already used per local day.
    (A named tuple: a promise makes one per location, a thousand a request.)"""

    location: Location
    operations: LocationOperations
    available: Mapping[str, int]
    used: Mapping[date, int]

    @property
    def id(self) -> str:
        return self.location.id

    @property
    def calendar(self) -> WorkingCalendar:
        return self.operations.calendar

    def covers(self, lines: tuple[CartLine, ...]) -> bool:
        return all(self.available.get(line.sku, 0) >= line.quantity for line in lines)


@dataclass(frozen=True)
class Source:
    """Units of one SKU that leave one location, on a day."""

    location_id: str
    sku: str
    quantity: int
    ship_date: date


@dataclass(frozen=True)
class PromiseOption:
    id: str  # "ship:<service>", "pickup:<store>", "ship_to_store:<store>"
    method: Method
    sources: tuple[Source, ...]
    delivery_earliest: date  # local date of delivery or of readiness
    delivery_latest: date
    cost: Money
    service: str | None = None  # the carrier service that carries it
    store_id: str | None = None  # where the customer collects
    ready_by: datetime | None = None  # when the customer can collect
    packages: int = 1

    @property
    def ship_date(self) -> date:
        return max(source.ship_date for source in self.sources)


@dataclass(frozen=True)
class NotOffered:
    """An option (or a location for it) left out, and why: a stable `reason` code and
    words for people."""

    option: str
    reason: str
    detail: str
    location_id: str | None = None


@dataclass(frozen=True)
class Promise:
    options: tuple[PromiseOption, ...]
    not_offered: tuple[NotOffered, ...]

    def option(self, option_id: str) -> PromiseOption | None:
        return next((option for option in self.options if option.id == option_id), None)


@dataclass(frozen=True)
class PromiseChoice:
    """The option a customer chose at checkout; with `deliver_by` (the date they were
    shown), the order is refused rather than placed with a later date."""

    option_id: str
    deliver_by: date | None = None


@dataclass(frozen=True)
class OrderPromise:
    """The promise an order was placed with, and the capacity it took."""

    option_id: str
    method: Method
    service: str | None
    store_id: str | None
    ship_date: date
    delivery_earliest: date
    delivery_latest: date
    ready_by: datetime | None
    cost: Money
    capacity: tuple[CapacityTaken, ...]
    promised_at: datetime

    @classmethod
    def of(
        cls, option: PromiseOption, capacity: tuple[CapacityTaken, ...], now: datetime
    ) -> OrderPromise:
        return cls(
            option.id,
            option.method,
            option.service,
            option.store_id,
            option.ship_date,
            option.delivery_earliest,
            option.delivery_latest,
            option.ready_by,
            option.cost,
            capacity,
            now,
        )


def plan_of(demands: Sequence[LineDemand], option: PromiseOption) -> SourcingPlan:
    """The option's sources as allocations of the order's lines (two lines of a SKU
    share its sources in line order)."""
    left: dict[str, list[list[Any]]] = {}
    for source in option.sources:
        left.setdefault(source.sku, []).append(
            [source.location_id, source.quantity, source.ship_date]
        )
    planned: list[PlannedAllocation] = []
    for demand in demands:
        wanted = demand.quantity
        for entry in left.get(demand.sku, []):
            take = min(wanted, entry[1])
            if take:
                planned.append(
                    PlannedAllocation(demand.line_no, demand.sku, entry[0], take, entry[2])
                )
                entry[1] -= take
                wanted -= take
        if wanted:
            raise ValueError(f"option {option.id} does not cover line {demand.line_no}")
    return SourcingPlan(tuple(planned), ())


def capacity_needed(
    option: PromiseOption, operations: Mapping[str, LocationOperations]
) -> tuple[CapacityTaken, ...]:
    """What the option takes of each source location's capacity on its ship day (for
    a pickup, the store's on the day it is ready), and for a ship-to-store order the
    receiving store's on the day it prepares the pickup."""
    units: dict[tuple[str, date], int] = {}
    for source in option.sources:
        key = (source.location_id, source.ship_date)
        units[key] = units.get(key, 0) + source.quantity
    store = operations.get(option.store_id or "")
    if option.method is Method.SHIP_TO_STORE and store is not None and option.ready_by:
        key = (store.location_id, store.calendar.local_date(option.ready_by))
        units[key] = units.get(key, 0) + sum(source.quantity for source in option.sources)
    taken = (
        operations[location_id].capacity_taken(day, count)
        for (location_id, day), count in sorted(units.items())
        if location_id in operations
    )
    return tuple(entry for entry in taken if entry is not None)


# How far ahead of Ordino's clock a carrier's clock may run: a delivery time beyond
# it has not happened yet (the tester's year 5999 made a mean slack of -1.4M days).
CLOCK_SKEW = timedelta(hours=1)


def delivery_time_problem(delivered_at: datetime, placed_at: datetime, now: datetime) -> str | None:
    """What is wrong with a delivery time given for an order placed at `placed_at`,
    recorded at `now`: one not yet come, or one before the order existed."""
    if delivered_at > now + CLOCK_SKEW:
        return f"is after now ({now.isoformat()}): a delivery is recorded once it happened"
    if delivered_at < placed_at:
        return f"is before the order was placed ({placed_at.isoformat()})"
    return None


@dataclass(frozen=True)
class DeliveryRecord:
    """A delivery (or a collection, for pickup) of an order's goods from one location,
    measured against the order's promise: on time when its local date is on or
    before the latest date promised; `slack_days` is that date less the delivery's
    (negative when late)."""

    order_id: str
    location_id: str
    delivered_at: datetime
    delivered_on: date  # the local date where it happened
    service: str | None
    carrier: str | None
    promised_latest: date
    on_time: bool
    slack_days: int

    @classmethod
    def of(
        cls,
        order_id: str,
        location_id: str,
        delivered_at: datetime,
        promise: OrderPromise,
        carrier: str | None,
    ) -> DeliveryRecord:
        delivered_on = delivered_at.date()  # local: given with the offset where it happened
        slack = (promise.delivery_latest - delivered_on).days
        return cls(
            order_id,
            location_id,
            delivered_at,
            delivered_on,
            promise.service,
            carrier,
            promise.delivery_latest,
            slack >= 0,
            slack,
        )


@dataclass(frozen=True)
class PromisePerformance:
    """How promises fared in a group (a location, a carrier or a service)."""

    key: str | None
    deliveries: int
    on_time: int
    mean_slack_days: float

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.deliveries if self.deliveries else 0.0

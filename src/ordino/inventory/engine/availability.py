"""Availability through a view: per SKU, what each location can sell now and by
when more arrives, the network total, and the nearest pickup locations with stock.

Pure and deterministic: positions, locations and inbound supply come in as a
snapshot, `now` as an argument; results are ordered by location id (nearest: by
distance, then id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ordino.inventory.domain.positions import Floor, Position, StockAtLocation
from ordino.inventory.domain.supply import InboundLine
from ordino.inventory.domain.views import AvailabilityView, StockStatus
from ordino.kernel.domain import Grid, Point
from ordino.network.domain import Location, LocationType

# Named tuples: light to make; a picture of stock keeps summaries, not these.


class Arrival(NamedTuple):
    day: date  # in the receiving location's time zone
    quantity: int


class LocationAvailability(NamedTuple):
    location_id: str
    on_hand: int
    reserved: int
    holdback: int
    available: int
    ships: bool
    pickup: bool
    stale: bool  # a supplier whose feed is older than the view accepts
    arrivals: tuple[Arrival, ...] = ()


@dataclass(frozen=True)
class SkuAvailability:
    sku: str
    available: int  # now, over the view's locations that ship
    status: StockStatus
    locations: tuple[LocationAvailability, ...]
    future: tuple[Arrival, ...]  # cumulative: what can be sold by each day (shipping)

    def summary(self) -> SkuSummary:
        pickup = {
            at.location_id: at.available for at in self.locations if at.pickup and at.available
        }
        return SkuSummary(self.sku, self.available, self.status, self.future, pickup)

    def only(self, location_id: str) -> SkuAvailability:
        """The same, telling one location's stock only (a store's key reads its own)."""
        mine = tuple(at for at in self.locations if at.location_id == location_id)
        return replace(self, locations=mine)


@dataclass(frozen=True)
class SkuSummary:
    """What most reads need of a SKU's availability, small enough to keep for many SKUs:
    the totals, and what each pickup location with stock can sell (for "near me")."""

    sku: str
    available: int
    status: StockStatus
    future: tuple[Arrival, ...]
    pickup: Mapping[str, int]


@dataclass(frozen=True)
class Nearby:
    location_id: str
    distance_km: float
    available: int


def sku_availability(
    view: AvailabilityView,
    sku: str,
    positions: Sequence[Position],
    locations: Mapping[str, Location],
    inbound: Sequence[InboundLine],
    now: datetime,
) -> SkuAvailability:
    """`positions` and `inbound` are the SKU's; `locations` every location by id."""
    arrivals = _arrivals(view, sku, inbound, locations, now)
    held = {p.location_id: p for p in positions}
    results = []
    for location_id in sorted(held.keys() | arrivals.keys()):
        location = locations.get(location_id)
        if location is None or not view.locations.admits(location):
            continue
        position = held.get(location_id) or Position(location_id, sku, 0, 0, 0)
        results.append(_at(view, location, position, arrivals.get(location_id, ()), now))
    total = sum(r.available for r in results if r.ships)
    return SkuAvailability(sku, total, view.status(total), tuple(results), _future(total, results))


def valid_until(
    view: AvailabilityView,
    positions: Sequence[Position],
    locations: Mapping[str, Location],
    inbound: Sequence[InboundLine],
    now: datetime,
) -> datetime | None:
    """Until when `sku_availability` gives the same answer if stock does not change
    (None: for ever): the next moment supply enters the view's horizon or comes due,
    a day turns for supply already due, or a supplier's count grows too old."""
    moments = []
    if view.inbound.counts:
        horizon = timedelta(days=view.inbound.horizon_days)
        for line in inbound:
            location = locations.get(line.location_id)
            if location is None or line.kind not in view.inbound.kinds:
                continue
            if line.expected_at > now + horizon:
                moments.append(line.expected_at - horizon)
            elif line.expected_at > now:
                moments.append(line.expected_at)
            else:  # overdue: it counts from today, until the location's day turns
                moments.append(_next_midnight(now, location.time_zone))
    if view.supplier_max_age_hours is not None:
        age = timedelta(hours=view.supplier_max_age_hours)
        moments += [
            p.counted_at + age
            for p in positions
            if p.counted_at is not None
            and p.counted_at + age > now
            and (location := locations.get(p.location_id)) is not None
            and location.type is LocationType.SUPPLIER
        ]
    return min(moments, default=None)


def _next_midnight(now: datetime, time_zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(time_zone))
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)
    return tomorrow.astimezone(now.tzinfo)


def nearest(
    availability: SkuSummary,
    grid: Grid,
    point: Point,
    radius_km: float,
    limit: int,
    only: str | None = None,
) -> list[Nearby]:
    """Pickup locations within `radius_km` of `point` that have the SKU, nearest first
    (`grid` files every location by its point); with `only`, that location alone."""
    found = []
    pickup = availability.pickup
    for distance, location_id in grid.within(point, radius_km):
        if location_id in pickup and only in (None, location_id):
            found.append(Nearby(location_id, round(distance, 1), pickup[location_id]))
            if len(found) == limit:
                break
    return found


def location_grid(locations: Mapping[str, Location]) -> Grid:
    return Grid({k: loc.point for k, loc in locations.items() if loc.point is not None})


@dataclass(frozen=True)
class OrderStock:
    """What an order is sourced over: its SKUs' positions, its channel's view and the
    locations."""

    view: AvailabilityView
    positions: Sequence[Position]
    locations: Mapping[str, Location]


def sourcing_stock(
    view: AvailabilityView,
    positions: Sequence[Position],
    locations: Mapping[str, Location],
    *,
    pickup: bool = False,
) -> tuple[list[StockAtLocation], dict[tuple[str, str], Floor]]:
    """What order capture may take through the view: the shipping locations it admits
    (and the pickup stores, with `pickup`), with what each can sell, and per
    (location, SKU) the floor the reservation must leave there."""
    by_location: dict[str, StockAtLocation] = {}
    floors: dict[tuple[str, str], Floor] = {}
    for p in positions:
        location = locations.get(p.location_id)
        if location is None or not view.locations.admits(location):
            continue
        if not (location.ships or (pickup and location.pickup)):
            continue
        rule = view.rule_safety(location, p.sku, p.on_hand)
        protect = view.protection(location, p.on_hand)
        available = p.on_hand - p.reserved - max(p.safety_stock, rule) - protect
        if available <= 0:
            continue
        stock = by_location.get(location.id)
        if stock is None:
            stock = by_location[location.id] = StockAtLocation(
                location.id, location.address.country, location.point, {}
            )
        stock.available[p.sku] = available
        floors[(p.location_id, p.sku)] = Floor(rule, protect)
    return [by_location[k] for k in sorted(by_location)], floors


def _at(
    view: AvailabilityView,
    location: Location,
    position: Position,
    arrivals: tuple[Arrival, ...],
    now: datetime,
) -> LocationAvailability:
    stale = _stale(view, location, position, now)
    holdback = view.holdback(location, position)
    available = 0 if stale else max(0, position.on_hand - position.reserved - holdback)
    return LocationAvailability(
        location.id,
        position.on_hand,
        position.reserved,
        holdback,
        available,
        location.ships,
        location.pickup,
        stale,
        arrivals,
    )


def _stale(view: AvailabilityView, location: Location, position: Position, now: datetime) -> bool:
    if view.supplier_max_age_hours is None or location.type is not LocationType.SUPPLIER:
        return False
    oldest = now - timedelta(hours=view.supplier_max_age_hours)
    return position.counted_at is None or position.counted_at < oldest


def _arrivals(
    view: AvailabilityView,
    sku: str,
    inbound: Sequence[InboundLine],
    locations: Mapping[str, Location],
    now: datetime,
) -> dict[str, tuple[Arrival, ...]]:
    """Per location, what arrives on which of its days, within the view's horizon."""
    if not view.inbound.counts:
        return {}
    horizon = now + timedelta(days=view.inbound.horizon_days)
    days: dict[str, dict[date, int]] = {}
    for line in inbound:
        location = locations.get(line.location_id)
        if line.sku != sku or location is None or line.kind not in view.inbound.kinds:
            continue
        if line.expected_at > horizon:
            continue
        # Already overdue: it may come any moment, so it counts from today.
        when = max(line.expected_at, now).astimezone(ZoneInfo(location.time_zone)).date()
        per_day = days.setdefault(line.location_id, {})
        per_day[when] = per_day.get(when, 0) + line.quantity
    return {
        location_id: tuple(Arrival(day, qty) for day, qty in sorted(per_day.items()))
        for location_id, per_day in days.items()
    }


def _future(now_available: int, results: Sequence[LocationAvailability]) -> tuple[Arrival, ...]:
    per_day: dict[date, int] = {}
    for result in results:
        if result.ships:
            for arrival in result.arrivals:
                per_day[arrival.day] = per_day.get(arrival.day, 0) + arrival.quantity
    total, future = now_available, []
    for day in sorted(per_day):
        total += per_day[day]
        future.append(Arrival(day, total))
    return tuple(future)

"""Availability through a view: per SKU, what each location can sell now and by
when more arrives, the network total, and the nearest pickup locations with stock.

Pure and deterministic: positions, locations and inbound supply come in as a
snapshot, `now` as an argument; results are ordered by location id (nearest: by
distance, then id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ordino.domain.availability import AvailabilityView, StockStatus
from ordino.domain.geo import Point, distance_km
from ordino.domain.inventory import Floor, Position, StockAtLocation
from ordino.domain.network import Location, LocationType
from ordino.domain.supply import InboundLine


@dataclass(frozen=True)
class Arrival:
    day: date  # in the receiving location's time zone
    quantity: int


@dataclass(frozen=True)
class LocationAvailability:
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


def nearest(
    availability: SkuAvailability,
    locations: Mapping[str, Location],
    point: Point,
    radius_km: float,
    limit: int,
) -> list[Nearby]:
    """Pickup locations within `radius_km` of `point` that have the SKU, nearest first."""
    found = []
    for stock in availability.locations:
        location = locations[stock.location_id]
        if not stock.pickup or stock.available <= 0 or location.point is None:
            continue
        distance = distance_km(point, location.point)
        if distance <= radius_km:
            found.append(Nearby(stock.location_id, round(distance, 1), stock.available))
    found.sort(key=lambda n: (n.distance_km, n.location_id))
    return found[:limit]


def sourcing_stock(
    view: AvailabilityView,
    positions: Sequence[Position],
    locations: Mapping[str, Location],
) -> tuple[list[StockAtLocation], dict[tuple[str, str], Floor]]:
    """What order capture may take through the view: the shipping locations it admits,
    with what each can sell, and per (location, SKU) the floor the reservation must
    leave there."""
    by_location: dict[str, StockAtLocation] = {}
    floors: dict[tuple[str, str], Floor] = {}
    for p in positions:
        location = locations.get(p.location_id)
        if location is None or not location.ships or not view.locations.admits(location):
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

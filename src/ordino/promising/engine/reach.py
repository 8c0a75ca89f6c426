"""Which locations get goods to a place soonest by a carrier service, in order, without
working out every location's dates.

Locations are taken nearest first. A location at least d km away can match only the
service's rules whose distance band reaches d, and ships no earlier than the first
ship date of any location (cheap to know: locations with the same schedule and no
capacity used ship on the same date, worked out once): so no location from there on
delivers before a bound the rules give. Deliveries found
wait in a heap and come out once nothing still to be looked at can beat them; with a
network of a thousand locations, a handful are worked out in full.

The order is exact: (latest date, earliest date, distance, location id), as if every
location had been worked out and sorted.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ordino.kernel.domain import EARTH_RADIUS_KM, Point
from ordino.network.domain import CarrierService, Lane, Location, PromiseDestination, TransitRule
from ordino.promising.domain.promises import Site

Floats = npt.NDArray[np.float64]
Rank = tuple[date, date, float, str]


class TransitEstimator(Protocol):
    def latest_days(self, lane: Lane, service: CarrierService, shipped_on: date) -> int | None:
        """Calendar days from shipping to delivery at the confidence promised, or None
        where history is too thin to say."""
        ...


@dataclass(frozen=True)
class Delivery:
    """One location's delivery of goods by one service to one place."""

    site: Site
    ship_date: date
    earliest: date
    latest: date
    distance_km: float
    lane: Lane

    @property
    def rank(self) -> Rank:
        return (self.latest, self.earliest, self.distance_km, self.site.id)


class Distances:
    """Great-circle distances from a point to every location at once. Kept with the
    picture of the network, it remembers the points asked (a customer's postal code
    comes again and again), up to a bound."""

    MAX_POINTS = 10_000

    def __init__(self, locations: Sequence[Location]) -> None:
        points = [location.point for location in locations]
        self._lat = np.radians([p.latitude if p else math.nan for p in points])
        self._lon = np.radians([p.longitude if p else math.nan for p in points])
        self._cos = np.cos(self._lat)
        self._cache: dict[Point, tuple[Floats, npt.NDArray[np.intp]]] = {}

    def from_point(self, point: Point | None) -> tuple[Floats, npt.NDArray[np.intp]]:
        """Kilometres to each site (infinite where either has no point), and the sites'
        indexes nearest first (ties by index: the sites come sorted by id)."""
        if point is None:
            km = np.full(len(self._lat), math.inf)
            return km, np.arange(len(km))
        # Shared by the threads of a process: read once, kept whole, never read back
        # after a write another thread may have cleared.
        found = self._cache.get(point)
        if found is None:
            if len(self._cache) >= self.MAX_POINTS:
                self._cache.clear()
            lat, lon = math.radians(point.latitude), math.radians(point.longitude)
            h = (
                np.sin((self._lat - lat) / 2) ** 2
                + math.cos(lat) * self._cos * np.sin((self._lon - lon) / 2) ** 2
            )
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
            km = np.where(np.isnan(km), math.inf, km)
            found = self._cache[point] = (km, np.argsort(km, kind="stable"))
        return found


class Reach:
    def __init__(
        self,
        sites: Sequence[Site],
        now: datetime,
        transit: TransitEstimator | None,
        distances: Distances | None = None,
    ) -> None:
        self.sites, self.now, self.transit = sites, now, transit
        self.distances = distances or Distances([site.location for site in sites])
        # The sites whose ship dates differ: one per schedule, and each with capacity used.
        self._distinct = list(
            {site.id if site.used else site.operations.schedule: site for site in sites}.values()
        )
        self._ship_dates: dict[tuple[Hashable, str, int], date | None] = {}
        self._first_ships: dict[tuple[str, int], date | None] = {}
        self._added: dict[tuple[str, date, int], date | None] = {}

    def best(
        self, service: CarrierService, to: PromiseDestination, units: int, admit: Admit
    ) -> Delivery | None:
        return next(self.ranked(service, to, units, admit), None)

    def ranked(
        self, service: CarrierService, to: PromiseDestination, units: int, admit: Admit
    ) -> Iterator[Delivery]:
        """The admitted sites' deliveries to `to`, soonest first."""
        km, order = self.distances.from_point(to.point)
        waiting: list[tuple[Rank, Delivery]] = []
        for index in order.tolist():
            site, distance = self.sites[index], float(km[index])
            if not admit(site):
                continue
            bound = self._bound(service, units, distance)
            while waiting and bound is not None and waiting[0][0] <= bound:
                yield heapq.heappop(waiting)[1]
            if bound is None:  # no rule reaches this far: nor any farther
                break
            delivery = self.delivery(site, service, to, units, distance)
            if delivery is not None:
                heapq.heappush(waiting, (delivery.rank, delivery))
        while waiting:
            yield heapq.heappop(waiting)[1]

    def delivery(
        self,
        site: Site,
        service: CarrierService,
        to: PromiseDestination,
        units: int,
        distance: float,
    ) -> Delivery | None:
        origin = site.location
        lane = Lane(
            origin.address.country,
            origin.point,
            to.country,
            to.point,
            to.postal_code,
            None if math.isinf(distance) else distance,
        )
        rule = service.transit(lane)
        shipped = None if rule is None else self._ship_date(site, service, units)
        if rule is None or shipped is None:
            return None
        earliest = self._add(service, shipped, rule.min_days)
        latest = self._add(service, shipped, rule.max_days)
        learned = self.transit.latest_days(lane, service, shipped) if self.transit else None
        if learned is not None:
            latest = service.calendar.on_or_after(shipped + timedelta(days=learned))
        if earliest is None or latest is None:
            return None
        return Delivery(site, shipped, earliest, max(earliest, latest), distance, lane)

    def _bound(self, service: CarrierService, units: int, distance: float) -> Rank | None:
        """No site `distance` km away or farther delivers before this."""
        reaching = [rule for rule in service.rules if _reaches(rule, distance)]
        first_ship = self._first_ship(service, units)
        if not reaching or first_ship is None:
            return None
        earliest = min(rule.min_days for rule in reaching)
        # A learned estimate may promise sooner than the rule's latest: then only the
        # earliest bounds the latest.
        latest = earliest if self.transit else min(rule.max_days for rule in reaching)
        first, last = (
            self._add(service, first_ship, earliest),
            self._add(service, first_ship, latest),
        )
        if first is None or last is None:
            return None
        return (last, first, distance, "")

    def _first_ship(self, service: CarrierService, units: int) -> date | None:
        """The earliest any site ships (ship dates are few and shared: cheap)."""
        key = (service.code, units)
        if key not in self._first_ships:
            dates = (self._ship_date(site, service, units) for site in self._distinct)
            self._first_ships[key] = min(filter(None, dates), default=None)
        return self._first_ships[key]

    def _ship_date(self, site: Site, service: CarrierService, units: int) -> date | None:
        # Sites with equal schedules and no capacity used ship on equal dates, whatever
        # the size of the order as long as it fits in a day.
        operations = site.operations
        need = operations.capacity.need(units) if operations.capacity else 0
        key: tuple[Hashable, str, int]
        if site.used:
            key = (site.id, service.code, need)
        else:
            fits = operations.capacity is None or need <= operations.capacity.limit
            key = (operations.schedule, service.code, -1 if fits else need)
        if key not in self._ship_dates:
            names = (service.code, str(service.level))
            self._ship_dates[key] = site.operations.ship_date(self.now, names, units, site.used)
        return self._ship_dates[key]

    def _add(self, service: CarrierService, day: date, days: int) -> date | None:
        key = (service.code, day, days)
        if key not in self._added:
            self._added[key] = service.calendar.add_delivery_days(day, days)
        return self._added[key]


Admit = Callable[[Site], bool]


def _reaches(rule: TransitRule, distance: float) -> bool:
    return rule.match.max_km is None or rule.match.max_km >= distance

"""The promise engine: for a cart and a destination, every way to get it there and
when, from the network's stock, calendars, capacity and carriers.

Pure and deterministic given `now`: the same snapshot gives the same options in the
same order. For each carrier service it finds the location that delivers the whole
cart soonest (latest date first, then earliest date, then distance, then id); when no
location has the whole cart it splits by line, each line from the location that
delivers it soonest, a package per location. For pickup it takes the nearest stores
within the radius: a store with the goods offers pickup after its preparation time;
one without offers ship-to-store, the goods carried to it by the transfer service
from the location that gets them there soonest.

Transit times come from the service's rules (earliest, latest); a learned estimator,
when given, sets the latest date where it knows the lane and keeps the rule's where
it does not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from ordino.domain.carriers import CarrierService, Lane, ServiceLevel
from ordino.domain.geo import distance_km
from ordino.domain.money import Money
from ordino.domain.operations import PICKUP
from ordino.domain.promising import (
    CartLine,
    Method,
    NotOffered,
    Promise,
    PromiseDestination,
    PromiseOption,
    Site,
    Source,
)


class TransitEstimator(Protocol):
    def latest_days(self, lane: Lane, service: CarrierService, shipped_on: date) -> int | None:
        """Calendar days from shipping to delivery at the confidence promised, or None
        where history is too thin to say."""
        ...


@dataclass(frozen=True)
class PromiseRules:
    pickup_radius_km: float = 50.0
    pickup_stores: int = 5  # the nearest this many stores are offered
    transfer_service: str | None = None  # to move goods to a store; None: cheapest standard
    currency: str = "EUR"  # of what an option costs when no carrier is paid


@dataclass(frozen=True)
class Delivery:
    """One location's delivery of goods by one service to one place."""

    site: Site
    ship_date: date
    earliest: date
    latest: date
    distance_km: float

    @property
    def rank(self) -> tuple[date, date, float, str]:
        return (self.latest, self.earliest, self.distance_km, self.site.id)


@dataclass(frozen=True)
class PromiseNetwork:
    """What a promise is made from: the sites (with the cart's SKUs), the carrier
    services, and a learned transit estimator if there is one."""

    sites: Sequence[Site]
    services: Sequence[CarrierService]
    transit: TransitEstimator | None = None


def promise(
    lines: Sequence[CartLine],
    destination: PromiseDestination,
    network: PromiseNetwork,
    now: datetime,
    rules: PromiseRules = PromiseRules(),
) -> Promise:
    planner = _Planner(tuple(_merged(lines)), network.sites, now, rules, network.transit)
    options: list[PromiseOption] = []
    not_offered: list[NotOffered] = []
    for service in sorted(network.services, key=lambda s: s.code):
        outcome = planner.ship(service, destination)
        if isinstance(outcome, PromiseOption):
            options.append(outcome)
        else:
            not_offered.append(outcome)
    transfer = _transfer_service(network.services, rules)
    pickup_options, pickup_refusals = planner.pickups(destination, rules, transfer)
    return Promise(
        tuple(sorted([*options, *pickup_options], key=_option_rank)),
        tuple([*not_offered, *pickup_refusals]),
    )


def _merged(lines: Sequence[CartLine]) -> list[CartLine]:
    """One line per SKU: two lines of a SKU need their sum from one place."""
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.sku] = totals.get(line.sku, 0) + line.quantity
    return [CartLine(sku, quantity) for sku, quantity in totals.items()]


def _option_rank(option: PromiseOption) -> tuple[date, date, object, str]:
    return (option.delivery_latest, option.delivery_earliest, option.cost.amount, option.id)


def _transfer_service(
    services: Sequence[CarrierService], rules: PromiseRules
) -> CarrierService | None:
    if rules.transfer_service is not None:
        return next((s for s in services if s.code == rules.transfer_service), None)
    standard = [s for s in services if s.level is ServiceLevel.STANDARD]
    return min(standard, key=lambda s: (s.price.amount, s.code), default=None)


class _Planner:
    def __init__(
        self,
        lines: tuple[CartLine, ...],
        sites: Sequence[Site],
        now: datetime,
        rules: PromiseRules,
        transit: TransitEstimator | None,
    ) -> None:
        self.lines, self.now, self.rules, self.transit = lines, now, rules, transit
        self.units = sum(line.quantity for line in lines)
        self.shippers = [site for site in sites if site.location.ships]
        self.sites = sites
        self._ship_dates: dict[tuple[str, str, int], date | None] = {}

    # -- shipping to the customer ------------------------------------------------------

    def ship(self, service: CarrierService, to: PromiseDestination) -> PromiseOption | NotOffered:
        option_id = f"ship:{service.code}"
        whole = [site for site in self.shippers if site.covers(self.lines)]
        best = self._best(whole, service, to, self.units)
        if best is not None:
            sources = tuple(
                Source(best.site.id, line.sku, line.quantity, best.ship_date) for line in self.lines
            )
            return self._ship_option(option_id, service, sources, [best])
        return self._split(option_id, service, to)

    def _split(
        self, option_id: str, service: CarrierService, to: PromiseDestination
    ) -> PromiseOption | NotOffered:
        sources: list[Source] = []
        used: dict[str, Delivery] = {}
        for line in self.lines:
            holders = [s for s in self.shippers if s.available.get(line.sku, 0) > 0]
            ranked = sorted(
                filter(None, (self._delivery(s, service, to, line.quantity) for s in holders)),
                key=lambda d: d.rank,
            )
            left = line.quantity
            for delivery in ranked:
                take = min(left, delivery.site.available.get(line.sku, 0))
                sources.append(Source(delivery.site.id, line.sku, take, delivery.ship_date))
                used[delivery.site.id] = delivery
                left -= take
                if left == 0:
                    break
            if left:
                return _not_offered_ship(option_id, line, ranked, holders)
        return self._ship_option(option_id, service, tuple(sources), list(used.values()))

    def _ship_option(
        self,
        option_id: str,
        service: CarrierService,
        sources: tuple[Source, ...],
        deliveries: list[Delivery],
    ) -> PromiseOption:
        return PromiseOption(
            id=option_id,
            method=Method.SHIP,
            sources=sources,
            delivery_earliest=max(d.earliest for d in deliveries),
            delivery_latest=max(d.latest for d in deliveries),
            cost=service.price.times(len(deliveries)),
            service=service.code,
            packages=len(deliveries),
        )

    # -- collecting at a store -----------------------------------------------------------

    def pickups(
        self,
        to: PromiseDestination,
        rules: PromiseRules,
        transfer: CarrierService | None,
    ) -> tuple[list[PromiseOption], list[NotOffered]]:
        if to.point is None:
            refusal = NotOffered("pickup", "no-point", "pickup needs the customer's location")
            return [], [refusal]
        point = to.point
        near = sorted(
            (
                (distance_km(site.location.point, point), site.id, site)
                for site in self.sites
                if site.location.pickup and site.location.point is not None
            ),
            key=lambda entry: entry[:2],
        )
        stores = [site for km, _, site in near if km <= rules.pickup_radius_km][
            : rules.pickup_stores
        ]
        if not stores:
            detail = f"no pickup store within {rules.pickup_radius_km:g} km"
            return [], [NotOffered("pickup", "no-store-near", detail)]
        options: list[PromiseOption] = []
        refusals: list[NotOffered] = []
        for store in stores:
            outcome = (self._pickup(store) if store.covers(self.lines) else None) or (
                self._ship_to_store(store, transfer)
            )
            if isinstance(outcome, PromiseOption):
                options.append(outcome)
            else:
                refusals.append(outcome)
        return options, refusals

    def _pickup(self, store: Site) -> PromiseOption | None:
        operations = store.operations
        start = operations.taken_at(self.now, PICKUP)
        ready = start and operations.ready_for_pickup(start, self.units, store.used)
        if ready is None:
            return None
        day = store.calendar.local_date(ready)
        return PromiseOption(
            id=f"pickup:{store.id}",
            method=Method.PICKUP,
            sources=tuple(Source(store.id, line.sku, line.quantity, day) for line in self.lines),
            delivery_earliest=day,
            delivery_latest=day,
            cost=Money.zero(self.rules.currency),
            store_id=store.id,
            ready_by=ready,
        )

    def _ship_to_store(
        self, store: Site, transfer: CarrierService | None
    ) -> PromiseOption | NotOffered:
        option_id = f"ship_to_store:{store.id}"
        if transfer is None:
            return NotOffered(option_id, "no-transfer-service", "no service carries to stores")
        lane_end = PromiseDestination(
            store.location.address.country, store.location.point, store.location.address.postal_code
        )
        whole = [s for s in self.shippers if s.id != store.id and s.covers(self.lines)]
        best = self._best(whole, transfer, lane_end, self.units)
        if best is None:
            detail = "no other location has the whole cart to send to this store"
            return NotOffered(option_id, "no-stock", detail, store.id)
        earliest = self._ready_on(store, best.earliest)
        ready = self._ready_on(store, best.latest)
        if earliest is None or ready is None:
            return NotOffered(option_id, "store-closed", "the store does not open", store.id)
        return PromiseOption(
            id=option_id,
            method=Method.SHIP_TO_STORE,
            sources=tuple(
                Source(best.site.id, line.sku, line.quantity, best.ship_date) for line in self.lines
            ),
            delivery_earliest=store.calendar.local_date(earliest),
            delivery_latest=store.calendar.local_date(ready),
            cost=transfer.price,
            service=transfer.code,
            store_id=store.id,
            ready_by=ready,
        )

    def _ready_on(self, store: Site, arrival: date) -> datetime | None:
        opening = store.calendar.next_open(store.calendar.at(arrival, time(0)))
        if opening is None:
            return None
        return store.operations.ready_for_pickup(opening, self.units, store.used)

    # -- one location's delivery ------------------------------------------------------------

    def _best(
        self, sites: Sequence[Site], service: CarrierService, to: PromiseDestination, units: int
    ) -> Delivery | None:
        deliveries = (self._delivery(site, service, to, units) for site in sites)
        return min(filter(None, deliveries), key=lambda d: d.rank, default=None)

    def _delivery(
        self, site: Site, service: CarrierService, to: PromiseDestination, units: int
    ) -> Delivery | None:
        lane = Lane(
            site.location.address.country,
            site.location.point,
            to.country,
            to.point,
            to.postal_code,
        )
        rule = service.transit(lane)
        if rule is None:
            return None
        shipped = self._ship_date(site, service, units)
        if shipped is None:
            return None
        earliest = service.calendar.add_delivery_days(shipped, rule.min_days)
        latest = service.calendar.add_delivery_days(shipped, rule.max_days)
        learned = self.transit.latest_days(lane, service, shipped) if self.transit else None
        if learned is not None:
            latest = service.calendar.on_or_after(shipped + timedelta(days=learned))
        if earliest is None or latest is None:
            return None
        distance = lane.distance_km
        return Delivery(
            site,
            shipped,
            earliest,
            max(earliest, latest),
            math.inf if distance is None else distance,
        )

    def _ship_date(self, site: Site, service: CarrierService, units: int) -> date | None:
        key = (site.id, service.code, units)
        if key not in self._ship_dates:
            names = (service.code, str(service.level))
            self._ship_dates[key] = site.operations.ship_date(self.now, names, units, site.used)
        return self._ship_dates[key]


def _not_offered_ship(
    option_id: str, line: CartLine, ranked: list[Delivery], holders: list[Site]
) -> NotOffered:
    if holders and not ranked:
        detail = f"no location with {line.sku} can deliver there by this service"
        return NotOffered(option_id, "no-lane", detail)
    have = sum(d.site.available.get(line.sku, 0) for d in ranked)
    return NotOffered(option_id, "no-stock", f"{line.sku}: {line.quantity} wanted, {have} to ship")

"""The promise engine: for a cart and a destination, every way to get it there and
when, from the network's stock, calendars, capacity and carriers.

Pure and deterministic given `now`: the same snapshot gives the same options in the
same order. For each carrier service it finds the location that delivers the whole
cart soonest (latest date first, then earliest date, then distance, then id); when no
location has the whole cart it splits by line, each line from the locations that
deliver it soonest, a package per location. For pickup it takes the nearest stores
within the radius: a store with the goods offers pickup after its preparation time;
one without offers ship-to-store, the goods carried to it by the transfer service
(the one named, else the cheapest standard service that reaches that store: a
service may carry inside one country only) from the location that gets them there
soonest. The search for the soonest location
is `ordino.promising.engine.reach`.

Transit times come from the service's rules (earliest, latest); a learned estimator,
when given, sets the latest date where it knows the lane and keeps the rule's where
it does not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from ordino.kernel.domain import Money
from ordino.network.domain import PICKUP, CarrierService, PromiseDestination, ServiceLevel
from ordino.promising.domain.promises import (
    CartLine,
    Method,
    NotOffered,
    Promise,
    PromiseOption,
    Site,
    Source,
)
from ordino.promising.engine.reach import Delivery, Distances, Reach, TransitEstimator

__all__ = ["PromiseNetwork", "PromiseRules", "TransitEstimator", "deliveries_by", "promise"]


@dataclass(frozen=True)
class PromiseRules:
    pickup_radius_km: float = 50.0
    pickup_stores: int = 5  # the nearest this many stores are offered
    # To move goods to a store; None: the cheapest standard service reaching the store.
    transfer_service: str | None = None
    currency: str = "EUR"  # of what an option costs when no carrier is paid


@dataclass(frozen=True)
class PromiseNetwork:
    """What a promise is made from: the sites (with the cart's SKUs), the carrier
    services, and a learned transit estimator if there is one."""

    sites: Sequence[Site]
    services: Sequence[CarrierService]
    transit: TransitEstimator | None = None
    # The sites' places, prepared once for many promises; then `sites` must come in
    # the order it was made from, sorted by id.
    distances: Distances | None = None


def promise(
    lines: Sequence[CartLine],
    destination: PromiseDestination,
    network: PromiseNetwork,
    now: datetime,
    rules: PromiseRules = PromiseRules(),
) -> Promise:
    planner = _Planner(tuple(_merged(lines)), network, now, rules)
    options: list[PromiseOption] = []
    not_offered: list[NotOffered] = []
    for service in sorted(network.services, key=lambda s: s.code):
        outcome = planner.ship(service, destination)
        if isinstance(outcome, PromiseOption):
            options.append(outcome)
        else:
            not_offered.append(outcome)
    transfers = _transfer_services(network.services, rules)
    pickup_options, pickup_refusals = planner.pickups(destination, transfers)
    return Promise(
        tuple(sorted([*options, *pickup_options], key=_option_rank)),
        tuple([*not_offered, *pickup_refusals]),
    )


def deliveries_by(
    lines: Sequence[CartLine],
    destination: PromiseDestination,
    network: PromiseNetwork,
    now: datetime,
    service_code: str,
    by: date,
) -> list[Delivery]:
    """The shipping sites holding some of the cart that deliver it by the service no
    later than `by`, soonest first: the locations sourcing may choose among to keep a
    promise of `by`. (Each ship date is the whole cart's: a site shipping part of it
    ships no later.)"""
    service = next((s for s in network.services if s.code == service_code), None)
    if service is None:
        return []
    skus = {line.sku for line in lines}
    units = sum(line.quantity for line in lines)
    sites = network.sites if network.distances else sorted(network.sites, key=lambda s: s.id)
    reach = Reach(sites, now, network.transit, network.distances)

    def holds(site: Site) -> bool:
        return site.location.ships and any(site.available.get(sku, 0) > 0 for sku in skus)

    found = []
    for delivery in reach.ranked(service, destination, units, holds):
        if delivery.latest > by:
            break  # soonest first: none after it keeps the date
        found.append(delivery)
    return found


def _merged(lines: Sequence[CartLine]) -> list[CartLine]:
    """One line per SKU: two lines of a SKU need their sum from one place."""
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.sku] = totals.get(line.sku, 0) + line.quantity
    return [CartLine(sku, quantity) for sku, quantity in totals.items()]


def _option_rank(option: PromiseOption) -> tuple[date, date, object, str]:
    return (option.delivery_latest, option.delivery_earliest, option.cost.amount, option.id)


def _transfer_services(
    services: Sequence[CarrierService], rules: PromiseRules
) -> tuple[CarrierService, ...]:
    """The services that may carry goods to a store, in the order they are tried: the
    one the rules name, else every standard service, cheapest first."""
    if rules.transfer_service is not None:
        return tuple(s for s in services if s.code == rules.transfer_service)
    standard = [s for s in services if s.level is ServiceLevel.STANDARD]
    return tuple(sorted(standard, key=lambda s: (s.price.amount, s.code)))


class _Planner:
    def __init__(
        self,
        lines: tuple[CartLine, ...],
        network: PromiseNetwork,
        now: datetime,
        rules: PromiseRules,
    ) -> None:
        self.lines, self.now, self.rules = lines, now, rules
        self.units = sum(line.quantity for line in lines)
        if network.distances is None:
            self.sites = sorted(network.sites, key=lambda site: site.id)
        else:
            self.sites = list(network.sites)
        self.reach = Reach(self.sites, now, network.transit, network.distances)

    def _ships_whole(self, site: Site) -> bool:
        return site.location.ships and site.covers(self.lines)

    # -- shipping to the customer ------------------------------------------------------

    def ship(self, service: CarrierService, to: PromiseDestination) -> PromiseOption | NotOffered:
        option_id = f"ship:{service.code}"
        best = self.reach.best(service, to, self.units, self._ships_whole)
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
            left, seen = line.quantity, 0

            def holds(site: Site, sku: str = line.sku) -> bool:
                return site.location.ships and site.available.get(sku, 0) > 0

            for delivery in self.reach.ranked(service, to, line.quantity, holds):
                seen += 1
                take = min(left, delivery.site.available.get(line.sku, 0))
                sources.append(Source(delivery.site.id, line.sku, take, delivery.ship_date))
                used[delivery.site.id] = delivery
                left -= take
                if left == 0:
                    break
            if left:
                return self._not_shipped(option_id, line, line.quantity - left, seen)
        return self._ship_option(option_id, service, tuple(sources), list(used.values()))

    def _not_shipped(self, option_id: str, line: CartLine, have: int, reached: int) -> NotOffered:
        holders = any(s.location.ships and s.available.get(line.sku, 0) for s in self.sites)
        if holders and not reached:
            detail = f"no location with {line.sku} can deliver there by this service"
            return NotOffered(option_id, "no-lane", detail)
        return NotOffered(
            option_id, "no-stock", f"{line.sku}: {line.quantity} wanted, {have} to ship"
        )

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
        self, to: PromiseDestination, transfers: tuple[CarrierService, ...]
    ) -> tuple[list[PromiseOption], list[NotOffered]]:
        if to.point is None:
            refusal = NotOffered("pickup", "no-point", "pickup needs the customer's location")
            return [], [refusal]
        stores = self._stores_near(to)
        if not stores:
            detail = f"no pickup store within {self.rules.pickup_radius_km:g} km"
            return [], [NotOffered("pickup", "no-store-near", detail)]
        options: list[PromiseOption] = []
        refusals: list[NotOffered] = []
        for store in stores:
            outcome = (self._pickup(store) if store.covers(self.lines) else None) or (
                self._ship_to_store(store, transfers)
            )
            if isinstance(outcome, PromiseOption):
                options.append(outcome)
            else:
                refusals.append(outcome)
        return options, refusals

    def _stores_near(self, to: PromiseDestination) -> list[Site]:
        km, order = self.reach.distances.from_point(to.point)
        stores: list[Site] = []
        for index in order.tolist():
            if km[index] > self.rules.pickup_radius_km or len(stores) == self.rules.pickup_stores:
                break
            if self.sites[index].location.pickup:
                stores.append(self.sites[index])
        return stores

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
        self, store: Site, transfers: tuple[CarrierService, ...]
    ) -> PromiseOption | NotOffered:
        option_id = f"ship_to_store:{store.id}"
        if not transfers:
            return NotOffered(option_id, "no-transfer-service", "no service carries to stores")
        address = store.location.address
        lane_end = PromiseDestination(address.country, store.location.point, address.postal_code)

        def sends(site: Site) -> bool:
            return site.id != store.id and self._ships_whole(site)

        for transfer in transfers:  # cheapest first: the first that reaches the store
            best = self.reach.best(transfer, lane_end, self.units, sends)
            if best is not None:
                return self._sent_to(store, option_id, transfer, best)
        return self._not_sent_to(store, option_id, sends)

    def _sent_to(
        self, store: Site, option_id: str, transfer: CarrierService, best: Delivery
    ) -> PromiseOption | NotOffered:
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

    def _not_sent_to(
        self, store: Site, option_id: str, sends: Callable[[Site], bool]
    ) -> NotOffered:
        """Why no goods can be sent to the store: none has the whole cart, or those
        that have it are out of every transfer service's reach."""
        if any(sends(site) for site in self.sites):
            detail = "no carrier service carries the cart from a location that has it to this store"
            return NotOffered(option_id, "no-lane", detail, store.id)
        detail = "no other location has the whole cart to send to this store"
        return NotOffered(option_id, "no-stock", detail, store.id)

    def _ready_on(self, store: Site, arrival: date) -> datetime | None:
        opening = store.calendar.next_open(store.calendar.at(arrival, time(0)))
        if opening is None:
            return None
        return store.operations.ready_for_pickup(opening, self.units, store.used)

"""Promise use cases: the options for a cart and a destination (a quote takes
nothing: no stock, no capacity), and the earliest date per method for a product page.

Promises are made from the process's picture of stock and settings (locations, how
each works, carrier services, availability views) and the capacity used, read from
the database each time, so a placed order's capacity counts at once everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from ordino.inventory.domain import AvailabilityView, Floor
from ordino.inventory.services import StockPicture, view_for
from ordino.kernel.domain import InvalidInput, NotFound, Point, distance_km
from ordino.network.domain import (
    Location,
    LocationOperations,
    PromiseDestination,
    refuse_unknown_skus,
)
from ordino.promising.domain.promises import (
    CartLine,
    Method,
    NotOffered,
    Promise,
    PromiseOption,
    Site,
)
from ordino.promising.engine.options import PromiseNetwork, PromiseRules, TransitEstimator
from ordino.promising.engine.promised import Promised, PromiseSnapshot, promise_from
from ordino.promising.engine.reach import Distances
from ordino.promising.services.ports import PromisingWork
from ordino.sourcing.domain import Filters, applying
from ordino.sourcing.services import sourcing_settings


@dataclass(frozen=True)
class PromiseQuery:
    lines: tuple[CartLine, ...]
    country: str | None  # None: the one country that has the postal code
    point: Point | None = None
    postal_code: str | None = None
    channel: str | None = None
    view: str | None = None


@dataclass(frozen=True)
class Promising:
    """What promising works with besides the unit of work."""

    picture: StockPicture = field(default_factory=StockPicture)
    rules: PromiseRules = field(default_factory=PromiseRules)
    transit: TransitEstimator | None = None


def quote(
    query: PromiseQuery, uow: PromisingWork, promising: Promising, now: datetime
) -> dict[str, Any]:
    with uow:
        answer = make_promise(query, uow, promising, now)
    return promise_answer(answer)


def earliest_per_method(
    sku: str, query: PromiseQuery, uow: PromisingWork, promising: Promising, now: datetime
) -> dict[str, Any]:
    """For a product page: one unit of `sku`, the earliest option of each method."""
    single = replace(query, lines=(CartLine(sku, 1),))
    with uow:
        # The product the path names: not there is 404, as for any thing a path names.
        if not promising.picture.stock(uow, [sku])[sku].known:
            raise NotFound(f"no product {sku}", extra={"sku": sku})
        answer = make_promise(single, uow, promising, now)
    earliest: dict[str, Any] = {}
    for option in answer.options:  # sorted soonest first
        earliest.setdefault(str(option.method), option_answer(option))
    return {
        "sku": sku,
        "methods": {str(method): earliest.get(str(method)) for method in Method},
        "not_offered": [refusal_answer(r) for r in answer.not_offered],
    }


def make_promise(
    query: PromiseQuery, uow: PromisingWork, promising: Promising, now: datetime
) -> Promise:
    """The options, in an entered unit of work."""
    return promise_with_floors(query, uow, promising, now).answer


def promise_with_floors(
    query: PromiseQuery, uow: PromisingWork, promising: Promising, now: datetime
) -> Promised:
    """The promise, with what it was made from (the floors a reservation keeps). A cart
    naming an unknown SKU is refused first, before the channel's view is looked for."""
    skus = [line.sku for line in query.lines]
    held = promising.picture.stock(uow, skus)
    refuse_unknown_skus(skus, {sku for sku, entry in held.items() if entry.known}, "the cart")
    return promise_from(promise_snapshot(query, uow, promising, now), promising.rules)


def promise_snapshot(
    query: PromiseQuery, uow: PromisingWork, promising: Promising, now: datetime
) -> PromiseSnapshot:
    """What the promise is made from, from the process's picture and the capacity
    used. A location the channel's sourcing profile excludes does not ship (it may
    still hand over pickups), and keeps what the profile says it must keep: what is
    promised is what capture may source."""
    picture = promising.picture
    skus = [line.sku for line in query.lines]
    held = picture.stock(uow, skus)
    destination = _destination(query, uow, promising)
    view = view_for(picture, uow, query.view, query.channel)
    available: dict[str, dict[str, int]] = {}
    floors: dict[tuple[str, str], Floor] = {}
    for sku, sellable in picture.sellable(uow, view, skus).items():
        for at in sellable:
            available.setdefault(at.location_id, {})[sku] = at.available
        floors.update(((at.location_id, sku), at.floor) for at in sellable)
    frame = promise_frame(picture, uow, view)
    sites = _sites(frame, picture.operations(uow), available, uow, now)
    if query.channel is not None:
        profile = applying(sourcing_settings(picture, uow).profiles, query.channel)
        sites = [_as_profile_allows(site, profile.filters, destination) for site in sites]
    network = PromiseNetwork(sites, picture.carriers(uow), promising.transit, frame.distances)
    known = frozenset(sku for sku, entry in held.items() if entry.known)
    return PromiseSnapshot(query.lines, destination, network, floors, known, now)


def _sites(
    frame: PromiseFrame,
    operations: Mapping[str, LocationOperations],
    available: Mapping[str, dict[str, int]],
    uow: PromisingWork,
    now: datetime,
) -> list[Site]:
    """Each location of the frame with what it can sell and the capacity it has
    used from yesterday on (read from the database: a placed order counts at once)."""
    used = uow.capacity.used(
        [location.id for location in frame.locations], now.date() - timedelta(1)
    )
    no_stock: dict[str, int] = {}
    no_use: dict[date, int] = {}
    return [
        Site(
            location,
            operations[location.id],
            available.get(location.id, no_stock),
            used.get(location.id, no_use),
        )
        for location in frame.locations
    ]


def _destination(
    query: PromiseQuery, uow: PromisingWork, promising: Promising
) -> PromiseDestination:
    country = _country(query, uow)
    return PromiseDestination(country, _point(query, country, uow, promising), query.postal_code)


def _as_profile_allows(
    site: Site, filters: Filters, destination: PromiseDestination | None
) -> Site:
    location = site.location
    if not location.ships:
        return site
    distance, to = None, destination.point if destination is not None else None
    if filters.radius_km is not None and location.point is not None and to is not None:
        distance = distance_km(location.point, to)
    if filters.excludes(location, distance) is not None:
        return site._replace(location=replace(location, ships=False))
    if filters.min_stock_left and site.available:
        keep = filters.min_stock_left
        return site._replace(available={k: n - keep for k, n in site.available.items() if n > keep})
    return site


def _country(query: PromiseQuery, uow: PromisingWork) -> str:
    if query.country is not None:
        return query.country
    if query.postal_code is None:
        raise InvalidInput.of("country", "give the country of the destination")
    countries = uow.geo.countries(query.postal_code)
    if len(countries) != 1:
        known = "is in " + ", ".join(countries) if countries else "is not known"
        raise InvalidInput.of(
            "country", f"postal code {query.postal_code} {known}: give the country"
        )
    return countries[0]


def _point(
    query: PromiseQuery, country: str, uow: PromisingWork, promising: Promising
) -> Point | None:
    if query.point is not None or query.postal_code is None:
        return query.point
    return promising.picture.place(uow, country, query.postal_code)


def promise_answer(answer: Promise) -> dict[str, Any]:
    return {
        "options": [option_answer(option) for option in answer.options],
        "not_offered": [refusal_answer(refusal) for refusal in answer.not_offered],
    }


def option_answer(option: PromiseOption) -> dict[str, Any]:
    return {
        "id": option.id,
        "method": str(option.method),
        "service": option.service,
        "store_id": option.store_id,
        "ship_date": option.ship_date.isoformat(),
        "delivery": {
            "earliest": option.delivery_earliest.isoformat(),
            "latest": option.delivery_latest.isoformat(),
        },
        "ready_by": option.ready_by.isoformat() if option.ready_by else None,
        "cost": {"amount": str(option.cost.amount), "currency": option.cost.currency},
        "packages": option.packages,
        "sources": [
            {
                "location_id": source.location_id,
                "sku": source.sku,
                "quantity": source.quantity,
                "ship_date": source.ship_date.isoformat(),
            }
            for source in option.sources
        ],
    }


def refusal_answer(refusal: NotOffered) -> dict[str, Any]:
    return {
        "option": refusal.option,
        "reason": refusal.reason,
        "detail": refusal.detail,
        "location_id": refusal.location_id,
    }


class PromiseFrame(NamedTuple):
    locations: tuple[Location, ...]
    distances: Distances


def promise_frame(
    picture: StockPicture, uow: PromisingWork, view: AvailabilityView
) -> PromiseFrame:
    """The locations a view promises from (they ship or hand over), by id, and their
    places prepared for distances, as the process's picture keeps them (until the
    network changes)."""

    def load() -> PromiseFrame:
        admitted = sorted(
            (
                location
                for location in picture.locations(uow).values()
                if (location.ships or location.pickup) and view.locations.admits(location)
            ),
            key=lambda location: location.id,
        )
        return PromiseFrame(tuple(admitted), Distances(admitted))

    return picture.derived(("promise frame", view.name, view.version), load)

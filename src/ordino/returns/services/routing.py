"""Return routing read and recorded: the snapshot the engine weighs (where the goods
start, each location that could take them, what it has and what orders wait for),
its answer kept with its explanation, and the destinations it gives each line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.kernel.domain import Point, new_id
from ordino.network.domain import Location, LocationType
from ordino.orders.domain import Order
from ordino.returns.domain import (
    Candidate,
    ReturnAuthorization,
    ReturnPolicy,
    Route,
    RoutingSnapshot,
    UnitsToRoute,
)
from ordino.returns.engine import route_return
from ordino.returns.services.ports import ReturnsWork

Routes = dict[int, tuple[str | None, str]]  # line_no → (destination, why)


def routes_for(
    uow: ReturnsWork,
    order: Order,
    ra: ReturnAuthorization,
    policy: ReturnPolicy,
    now: datetime,
    reason: str = "authorised",
) -> Routes:
    """Where each open line of the return goes, decided now and recorded."""
    units = _units(uow, order, ra, policy)
    snapshot = _snapshot(uow, order, ra, units)
    routes = route_return(units, snapshot, policy.routing)
    uow.returns.add_routing(new_id(now), ra.id, now, reason, [_document(r) for r in routes])
    return {r.line_no: (r.destination, r.why) for r in routes}


def routings(return_id: str, uow: ReturnsWork) -> list[dict[str, Any]]:
    return uow.returns.routings(return_id)


def _units(
    uow: ReturnsWork, order: Order, ra: ReturnAuthorization, policy: ReturnPolicy
) -> list[UnitsToRoute]:
    lines = [line for line in ra.lines if line.open]
    products = {p.sku: p for p in uow.catalog.products(sorted({line.sku for line in lines}))}
    attribute = policy.routing.vendor_attribute
    return [
        UnitsToRoute(
            line.line_no,
            line.sku,
            line.open,
            order.line(line.line_no).price.paid_over(0, 1),
            line.reason,
            products[line.sku].attributes.get(attribute) if line.sku in products else None,
        )
        for line in lines
    ]


def _snapshot(
    uow: ReturnsWork, order: Order, ra: ReturnAuthorization, units: list[UnitsToRoute]
) -> RoutingSnapshot:
    skus = sorted({u.sku for u in units})
    vendors = {u.vendor for u in units if u.vendor}
    locations = {loc.id: loc for loc in uow.network.all()}
    available: dict[str, dict[str, int | None]] = {}
    for p in uow.inventory.positions(skus, shipping_only=False):
        available.setdefault(p.location_id, {})[p.sku] = p.available
    waiting = uow.orders.waiting_units(skus)
    candidates = tuple(
        Candidate(loc, available.get(loc.id, {}), waiting)
        for loc in sorted(locations.values(), key=lambda loc: loc.id)
        if _candidate(loc, vendors)
    )
    at = ra.location_id if ra.location_id in locations else None
    store = locations.get(at) if at else None
    country = store.address.country if store else order.ship_to.country
    return RoutingSnapshot(_origin(order, store), at, candidates, country)


def _candidate(location: Location, vendors: set[str]) -> bool:
    if location.type is LocationType.SUPPLIER:
        return location.id in vendors
    return location.returns


def _origin(order: Order, at: Location | None) -> Point | None:
    """Where the goods start: the store they are at, else the customer's address."""
    return at.point if at is not None else order.ship_to_point


def _document(route: Route) -> dict[str, Any]:
    return route.explanation | {"destination": route.destination, "why": route.why}

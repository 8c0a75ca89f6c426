"""Return routing: where each line of a return should go, weighed as sourcing weighs
where an order ships from, and explained the same way.

For a line, every location that takes returns and could use the units is priced:
a warehouse (any), a store that sells the SKU (it has a position of it), in the
goods' country and at a known distance from them; the cost of
getting the units there (`cost_per_km` times the units and the distance from where
they start; nothing to stay at the store they were dropped at) less a credit for
need (`need_credit` of the units' value for each unit the place needs: orders
waiting for the SKU, where it ships; available below `target_available`, where it
sells). The cheapest wins, ties by location id. Goods the reason sends back to their
vendor go to the vendor's location. When the whole return is worth less than
sending it back (the parcel and the distance), and the profile allows, the customer
keeps it: returnless.

Pure: the same question gets the same answer; nothing is read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import distance_km
from ordino.network.domain import LocationType
from ordino.returns.domain.routing import (
    Candidate,
    Route,
    RoutingProfile,
    RoutingSnapshot,
    UnitsToRoute,
)

_SHOWN = 5  # candidates an explanation lists, the best first


@dataclass(frozen=True)
class _Priced:
    location_id: str
    km: Decimal
    transport: Decimal
    needs: int
    credit: Decimal

    @property
    def total(self) -> Decimal:
        return self.transport - self.credit

    def document(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "km": str(self.km),
            "transport": str(self.transport),
            "needs": self.needs,
            "credit": str(self.credit),
            "total": str(self.total),
        }


def route_return(
    units: Sequence[UnitsToRoute], snapshot: RoutingSnapshot, profile: RoutingProfile
) -> list[Route]:
    """A route for every line of `units`, in their order."""
    routes = [_route_line(line, snapshot, profile) for line in units]
    if snapshot.at is not None or not profile.returnless:
        return routes
    value = sum((u.unit_value * u.quantity for u in units), Decimal(0))
    trip = profile.parcel_cost + sum(
        (Decimal(r.explanation["cost"]) for r in routes if r.destination), Decimal(0)
    )
    if value >= trip:
        return routes
    kept = {"value": _money(value), "sending_back": _money(trip)}
    return [
        Route(r.line_no, r.sku, r.quantity, None, "returnless", r.explanation | kept)
        for r in routes
    ]


def _route_line(line: UnitsToRoute, snapshot: RoutingSnapshot, profile: RoutingProfile) -> Route:
    base = {"line_no": line.line_no, "sku": line.sku, "units": line.quantity}
    if line.reason in profile.vendor_reasons and line.vendor is not None:
        vendor = next((c for c in snapshot.candidates if c.location.id == line.vendor), None)
        if vendor is not None and vendor.location.returns:  # it takes them from customers
            to_vendor = _price(line, vendor, snapshot, profile)
            explained = base | {
                "cost": _money(to_vendor.transport),
                "candidates": [to_vendor.document()],
            }
            return Route(line.line_no, line.sku, line.quantity, line.vendor, "vendor", explained)
    priced = sorted(
        (
            _price(line, c, snapshot, profile)
            for c in snapshot.candidates
            if _takes(c, line.sku) and _reachable(c, snapshot)
        ),
        key=lambda p: (p.total, p.location_id),
    )
    shown = base | {"candidates": [p.document() for p in priced[:_SHOWN]]}
    if not priced:
        return Route(line.line_no, line.sku, line.quantity, None, "nowhere", shown | {"cost": "0"})
    best = priced[0]
    why = "stays" if best.location_id == snapshot.at else "needed" if best.credit else "cheapest"
    explained = shown | {"cost": _money(best.transport)}
    return Route(line.line_no, line.sku, line.quantity, best.location_id, why, explained)


def _takes(candidate: Candidate, sku: str) -> bool:
    """It takes returns and could use the SKU: a warehouse, or a store that sells it."""
    location = candidate.location
    if not location.returns or location.type is LocationType.SUPPLIER:
        return False
    return location.type is LocationType.WAREHOUSE or candidate.available.get(sku) is not None


def _reachable(candidate: Candidate, snapshot: RoutingSnapshot) -> bool:
    """In the goods' country (returns cross no border), at a known distance from
    where they start (where that is known): never a place priced as if it were free."""
    location = candidate.location
    if location.id == snapshot.at:
        return True
    if snapshot.country is not None and location.address.country != snapshot.country:
        return False
    return snapshot.origin is None or location.point is not None


def _price(
    line: UnitsToRoute, candidate: Candidate, snapshot: RoutingSnapshot, profile: RoutingProfile
) -> _Priced:
    location = candidate.location
    km = Decimal(0)
    if location.id != snapshot.at and snapshot.origin and location.point:
        km = Decimal(str(round(distance_km(snapshot.origin, location.point), 1)))
    transport = profile.cost_per_km * km * line.quantity
    needs = _needs(candidate, line.sku, profile)
    credit = profile.need_credit * line.unit_value * min(needs, line.quantity)
    return _Priced(location.id, km, _money_of(transport), needs, _money_of(credit))


def _needs(candidate: Candidate, sku: str, profile: RoutingProfile) -> int:
    """Units of the SKU the place could use: orders waiting for it (where it ships),
    and what it lacks of its target (where it sells it)."""
    waiting = candidate.waiting.get(sku, 0) if candidate.location.ships else 0
    available = candidate.available.get(sku)
    short = 0 if available is None else max(0, profile.target_available - available)
    return waiting + short


def _money_of(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"))


def _money(amount: Decimal) -> str:
    return str(_money_of(amount))

"""A sourcing scenario: a network, its stock, carrier services and rate cards, a
profile, and a day of orders; what `ordino simulate sourcing` runs. One JSON
document whose parts are the documents the API answers with (a location, its
operations and costs, a carrier service, a rate card, a sourcing profile, a
product), so a planner can copy them from `GET /v1/...`; docs/simulation.md.

Invariants of a `Scenario` read here: ids are unique; everything named (a
location's operations, costs and stock, an order's service and SKUs) exists;
stock is never negative; every order has lines of at least one unit, an aware
`placed_at` and a carrier service with a rate card.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from ordino.kernel.domain import Point, conform, join, read, refused
from ordino.network.domain import (
    Address,
    CarrierService,
    Location,
    LocationCosts,
    LocationOperations,
    LocationType,
    Product,
    PromiseDestination,
    RateCard,
    location_costs_document,
    location_costs_from_document,
    location_document,
    operations_document,
    operations_from_document,
    rate_card_document,
    rate_card_from_document,
    service_document,
    service_from_document,
)
from ordino.sourcing.domain.profiles import SourcingProfile, profile_document, profile_from_document
from ordino.sourcing.domain.scenario_shapes import (
    COSTS,
    LOCATION,
    OPERATIONS,
    ORDER,
    PRODUCT,
    PROFILE,
    RATE_CARD,
    SCENARIO,
    SERVICE,
)

FORMAT = "ordino-scenario/1"
T = TypeVar("T")


@dataclass(frozen=True)
class ScenarioLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class ScenarioOrder:
    id: str
    placed_at: datetime
    service: str  # a carrier service code
    deliver_by: date  # the date promised to the customer
    ship_to: PromiseDestination
    lines: tuple[ScenarioLine, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    profile: SourcingProfile
    services: Mapping[str, CarrierService]
    cards: Mapping[str, RateCard]  # per carrier service
    locations: tuple[Location, ...]
    operations: Mapping[str, LocationOperations]  # a location not here: no limits
    costs: Mapping[str, LocationCosts]
    products: Mapping[str, Product]
    stock: Mapping[str, Mapping[str, int]]  # location -> SKU -> units available
    orders: tuple[ScenarioOrder, ...]
    description: str = ""


def scenario_from_document(document: Any) -> Scenario:
    """A scenario, or InvalidInput naming the first field that is wrong."""
    d = conform(document, SCENARIO, "")
    locations = _unique([_location(x, join("locations", n)) for n, x in enumerate(d["locations"])])
    zones = {at.id: at.time_zone for at in locations.values()}
    services = _unique(
        [_service(x, join("carrier_services", n)) for n, x in enumerate(d["carrier_services"])]
    )
    cards = _unique([_card(x, join("rate_cards", n)) for n, x in enumerate(d["rate_cards"])])
    _one_currency(cards)
    products = _unique([_product(x, join("products", n)) for n, x in enumerate(d["products"])])
    known = _Known(zones, services, cards, products)
    return Scenario(
        name=d["scenario"],
        description=d["description"],
        profile=_profile(d["profile"]),
        services=services,
        cards=cards,
        locations=tuple(locations.values()),
        operations=_operations(d["operations"], known),
        costs=_costs(d["location_costs"], known),
        products=products,
        stock=_stock(d["stock"], known),
        orders=_orders(d["orders"], known),
    )


@dataclass(frozen=True)
class _Known:
    time_zones: Mapping[str, str]  # per location id
    services: Mapping[str, CarrierService]
    cards: Mapping[str, RateCard]
    products: Mapping[str, Product]

    def location(self, location_id: Any, path: str) -> str:
        if location_id not in self.time_zones:
            raise refused(path, f"no location {location_id!r} in the scenario")
        return str(location_id)


def _one_currency(cards: Mapping[str, RateCard]) -> None:
    """A day's cost adds up in one currency."""
    first = next(iter(cards.values()), None)
    for n, card in enumerate(cards.values()):
        if first is not None and card.currency != first.currency:
            path = join(join("rate_cards", n), "currency")
            raise refused(
                path, f"every rate card of a scenario is in one currency, {first.currency}"
            )


def _unique(items: list[tuple[str, str, T]]) -> dict[str, T]:
    found: dict[str, T] = {}
    for key, path, item in items:
        if key in found:
            raise refused(path, f"{key!r} appears twice")
        found[key] = item
    return found


def _location(x: Any, path: str) -> tuple[str, str, Location]:
    d = conform(x, LOCATION, path)
    return d["id"], join(path, "id"), read(d, path, _location_reader)


def _location_reader(d: dict[str, Any]) -> Location:
    a = d["address"]
    return Location(
        str(d["id"]),
        str(d["name"]),
        LocationType(d["type"]),
        Address(a["line1"], a["city"], str(a["postal_code"]), _country(a["country"])),
        _point(d),
        _time_zone(d["time_zone"]),
        d["ships"],
        d["pickup"],
        d["returns"],
    )


def _service(x: Any, path: str) -> tuple[str, str, CarrierService]:
    d = conform(x, SERVICE, path)
    return (
        d["code"],
        join(path, "code"),
        read(d, path, lambda d: service_from_document(d["code"], d)),
    )


def _card(x: Any, path: str) -> tuple[str, str, RateCard]:
    d = conform(x, RATE_CARD, path)
    return (
        d["service"],
        join(path, "service"),
        read(d, path, lambda d: rate_card_from_document(d["service"], d)),
    )


def _product(x: Any, path: str) -> tuple[str, str, Product]:
    d = conform(x, PRODUCT, path)

    def product(d: dict[str, Any]) -> Product:
        weight = None if d["weight_kg"] is None else Decimal(d["weight_kg"])
        prices = {currency: Decimal(price) for currency, price in d["prices"].items()}
        return Product(d["sku"], d["name"], weight, prices)

    return d["sku"], join(path, "sku"), read(d, path, product)


def _profile(x: Any) -> SourcingProfile:
    return profile_from_file(x, "profile")


def profile_from_file(document: Any, path: str = "") -> SourcingProfile:
    """A profile document as `GET /v1/sourcing-profiles/{name}` answers with it (or
    as short as `PUT` takes it); InvalidInput naming the field that is wrong."""
    d = conform(document, PROFILE, path)
    return read(d, path, lambda d: profile_from_document(d["name"], d, d["version"]))


def _operations(items: list[Any], known: _Known) -> dict[str, LocationOperations]:
    found: list[tuple[str, str, LocationOperations]] = []
    for n, x in enumerate(items):
        path = join("operations", n)
        d = conform(x, OPERATIONS, path)
        at = known.location(d["location_id"], join(path, "location_id"))
        found.append((at, join(path, "location_id"), read(d, path, _operations_of(at, known))))
    return _unique(found)


def _operations_of(
    location_id: str, known: _Known
) -> Callable[[dict[str, Any]], LocationOperations]:
    def reader(d: dict[str, Any]) -> LocationOperations:
        return operations_from_document(location_id, known.time_zones[location_id], d)

    return reader


def _costs(items: list[Any], known: _Known) -> dict[str, LocationCosts]:
    found: list[tuple[str, str, LocationCosts]] = []
    for n, x in enumerate(items):
        path = join("location_costs", n)
        d = conform(x, COSTS, path)
        at = known.location(d["location_id"], join(path, "location_id"))
        found.append((at, join(path, "location_id"), read(d, path, location_costs_from_document)))
    return _unique(found)


def _stock(d: dict[str, Any], known: _Known) -> dict[str, dict[str, int]]:
    stock: dict[str, dict[str, int]] = {}
    for location_id, held in d.items():
        path = join("stock", location_id)
        known.location(location_id, path)
        if not isinstance(held, dict):
            raise refused(path, "must be an object of SKU: units")
        for sku, units in held.items():
            if not _count(units, minimum=0):
                raise refused(join(path, sku), "must be a whole number of units, 0 or more")
            if known.products and sku not in known.products:
                raise refused(join(path, sku), f"no product {sku!r} in the scenario")
        stock[location_id] = dict(held)
    return stock


def _orders(items: list[Any], known: _Known) -> tuple[ScenarioOrder, ...]:
    found = _unique([_order(x, join("orders", n), known) for n, x in enumerate(items)])
    return tuple(found.values())


def _order(x: Any, path: str, known: _Known) -> tuple[str, str, ScenarioOrder]:
    d = conform(x, ORDER, path)
    if d["service"] not in known.services:
        raise refused(join(path, "service"), f"no carrier service {d['service']!r}")
    if d["service"] not in known.cards:
        raise refused(join(path, "service"), f"no rate card for {d['service']!r}")
    if not d["lines"]:
        raise refused(join(path, "lines"), "an order has at least one line")
    for n, line in enumerate(d["lines"]):
        if not _count(line["quantity"], minimum=1):
            raise refused(join(path, f"lines[{n}].quantity"), "must be a whole number above 0")
        if known.products and line["sku"] not in known.products:
            raise refused(join(path, f"lines[{n}].sku"), f"no product {line['sku']!r}")
    return d["id"], join(path, "id"), read(d, path, _order_reader)


def _order_reader(d: dict[str, Any]) -> ScenarioOrder:
    to = d["ship_to"]
    return ScenarioOrder(
        str(d["id"]),
        _aware(datetime.fromisoformat(d["placed_at"])),
        d["service"],
        date.fromisoformat(d["deliver_by"]),
        PromiseDestination(_country(to["country"]), _point(to), to["postal_code"]),
        tuple(ScenarioLine(str(line["sku"]), line["quantity"]) for line in d["lines"]),
    )


def _count(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a time needs its UTC offset, e.g. 2026-11-27T09:30:00+01:00")
    return at


def _country(code: Any) -> str:
    if not (isinstance(code, str) and len(code) == 2 and code.isalpha() and code.isupper()):
        raise ValueError(f"{code!r} is not a two-letter country code, e.g. DE")
    return code


def _point(d: dict[str, Any]) -> Point | None:
    """Both coordinates, or neither (a place whose distance is not known)."""
    if d.get("latitude") is None and d.get("longitude") is None:
        return None
    latitude = _degrees(d["latitude"], 90)
    return Point(latitude, _degrees(d["longitude"], 180))


def _degrees(value: Any, most: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > most:
        raise ValueError(f"degrees from -{most} to {most}, both coordinates or neither")
    return float(value)


def _time_zone(name: Any) -> str:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    ZoneInfo(name)  # refuses a name it does not know
    return str(name)


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """A scenario as JSON, each part as the API answers with it."""
    return {
        "format": FORMAT,
        "scenario": scenario.name,
        "description": scenario.description,
        "profile": {"name": scenario.profile.name, **profile_document(scenario.profile)},
        "carrier_services": [
            {"code": code, **service_document(s)} for code, s in sorted(scenario.services.items())
        ],
        "rate_cards": [
            {"service": code, **rate_card_document(c)} for code, c in sorted(scenario.cards.items())
        ],
        "locations": [location_document(at) for at in scenario.locations],
        "operations": [
            {"location_id": at, **operations_document(o)} for at, o in scenario.operations.items()
        ],
        "location_costs": [
            {"location_id": at, **location_costs_document(c)} for at, c in scenario.costs.items()
        ],
        "products": [_product_document(p) for p in scenario.products.values()],
        "stock": {at: dict(held) for at, held in scenario.stock.items()},
        "orders": [order_document(o) for o in scenario.orders],
    }


def _product_document(product: Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "name": product.name,
        "weight_kg": None if product.weight_kg is None else str(product.weight_kg),
        "prices": {currency: str(price) for currency, price in sorted(product.prices.items())},
    }


def order_document(order: ScenarioOrder) -> dict[str, Any]:
    to = order.ship_to
    return {
        "id": order.id,
        "placed_at": order.placed_at.isoformat(),
        "service": order.service,
        "deliver_by": order.deliver_by.isoformat(),
        "ship_to": {
            "country": to.country,
            "postal_code": to.postal_code,
            "latitude": to.point.latitude if to.point else None,
            "longitude": to.point.longitude if to.point else None,
        },
        "lines": [{"sku": line.sku, "quantity": line.quantity} for line in order.lines],
    }

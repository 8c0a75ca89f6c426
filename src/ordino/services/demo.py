"""The demo network: warehouses and stores in Germany and Austria, a few hundred
SKUs with stock. Deterministic, so every demo shows the same numbers."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal

from ordino.domain.catalog import Product
from ordino.domain.feeds import Count, Source
from ordino.domain.geo import Point
from ordino.domain.network import Address, Location, LocationType
from ordino.services.inventory import record_counts
from ordino.services.retry import with_retries
from ordino.services.unit_of_work import UnitOfWork

_W, _S = LocationType.WAREHOUSE, LocationType.STORE

# fmt: off
# id, name, type, street, city, postal code, country, lat, lon, time zone, ships, pickup
_LOCATIONS = [
    ("DC-BER", "Berlin DC", _W, "Invalidenstr. 1", "Berlin", "10115", "DE", 52.53, 13.38, "Europe/Berlin", True, False),  # noqa: E501
    ("DC-FRA", "Frankfurt DC", _W, "Hanauer Landstr. 100", "Frankfurt am Main", "60314", "DE", 50.11, 8.70, "Europe/Berlin", True, False),  # noqa: E501
    ("DC-VIE", "Vienna DC", _W, "Lände 3", "Wien", "1030", "AT", 48.20, 16.39, "Europe/Vienna", True, False),  # noqa: E501
    ("ST-HAM", "Hamburg Jungfernstieg", _S, "Jungfernstieg 10", "Hamburg", "20354", "DE", 53.55, 9.99, "Europe/Berlin", True, True),  # noqa: E501
    ("ST-MUC", "München Marienplatz", _S, "Marienplatz 8", "München", "80331", "DE", 48.14, 11.58, "Europe/Berlin", True, True),  # noqa: E501
    ("ST-KOE", "Köln Hohe Straße", _S, "Hohe Str. 50", "Köln", "50667", "DE", 50.94, 6.96, "Europe/Berlin", False, True),  # noqa: E501
    ("ST-VIE", "Wien Mariahilfer Straße", _S, "Mariahilfer Str. 40", "Wien", "1070", "AT", 48.20, 16.35, "Europe/Vienna", True, True),  # noqa: E501
    ("ST-GRZ", "Graz Herrengasse", _S, "Herrengasse 5", "Graz", "8010", "AT", 47.07, 15.44, "Europe/Vienna", False, True),  # noqa: E501
]
# fmt: on

_KINDS = [
    "Rain jacket",
    "Wool sweater",
    "Trail shoe",
    "Backpack",
    "Beanie",
    "Fleece",
    "Hiking pole",
    "Water bottle",
    "Down vest",
    "Base layer",
    "Glove",
    "Cap",
]
_COLOURS = ["black", "navy", "red", "olive", "grey"]
_SIZES = ["S", "M", "L", "XL", "XXL"]

SKU_COUNT = 300


def demo_locations() -> list[Location]:
    return [
        Location(
            i,
            name,
            kind,
            Address(street, city, postal, country),
            Point(lat, lon),
            tz,
            ships,
            pickup,
            returns=True,
        )
        for i, name, kind, street, city, postal, country, lat, lon, tz, ships, pickup in _LOCATIONS
    ]


def demo_products() -> list[Product]:
    rng = random.Random(2)
    products = []
    for n in range(SKU_COUNT):
        kind = _KINDS[n % len(_KINDS)]
        colour = _COLOURS[(n // len(_KINDS)) % len(_COLOURS)]
        size = _SIZES[(n // (len(_KINDS) * len(_COLOURS))) % len(_SIZES)]
        price = Decimal(rng.randrange(990, 19990)) / 100
        weight = Decimal(rng.randrange(50, 2000)) / 1000
        products.append(
            Product(f"SKU-{n + 1:04d}", f"{kind}, {colour}, {size}", weight, {"EUR": price})
        )
    return products


def seed_demo(uow: UnitOfWork, now: datetime) -> bool:
    """Load the demo network into an empty database; False if it holds a network already.

    One transaction, so an interrupted load leaves nothing behind (and the next call loads
    it whole) and two concurrent loads cannot both run.
    """

    def attempt(_: int) -> bool:
        with uow:
            if not uow.network.is_empty():
                return False
            _load(uow, now)
            uow.commit()
            return True

    return with_retries(attempt)


def _load(uow: UnitOfWork, now: datetime) -> None:
    rng = random.Random(1)
    locations = demo_locations()
    for location in locations:
        uow.network.put(location, now)
    counts = []
    for product in demo_products():
        uow.catalog.put(product, now)
        for location in locations:
            on_hand = rng.choice([0, 0, 3, 8, 20, 50, 120])
            if location.type is _W:
                on_hand *= 4
            safety_stock = 2 if location.type is _S else 0
            counts.append(Count(location.id, product.sku, on_hand, safety_stock))
    record_counts(uow, counts, Source("demo", now, "demo stock"))

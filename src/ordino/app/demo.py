"""The demo network: warehouses and stores in Germany and Austria and a store in
Zürich, a few hundred SKUs with stock (and three trail guides at the reduced VAT
rate), a purchase order and a transfer on their way, two channel views (web,
marketplace), the postal codes around, how each location works with four carrier
services to promise from, and its money (`ordino.app.demo_money`: VAT, shipping
rates, two promotions, a Swiss web shop in CHF). Deterministic, so every demo shows
the same numbers."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from ordino.app.demo_money import (
    SWISS_SHOP,
    as_the_demos,
    guides,
    in_francs,
    load_demo_money,
    shipping_rates,
)
from ordino.app.demo_promises import demo_carriers, demo_operations
from ordino.app.demo_returns import load_demo_returns
from ordino.app.demo_sourcing import (
    demo_location_costs,
    demo_profiles,
    demo_rate_cards,
)
from ordino.app.unit_of_work import UnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.domain.supply import CreateSupply, SupplyKind
from ordino.inventory.domain.views import (
    AvailabilityView,
    Holdback,
    InboundRule,
    LocationFilter,
    SafetyRule,
    view_document,
)
from ordino.inventory.services.stock import record_counts
from ordino.inventory.services.supply import record_supply
from ordino.kernel.domain.configuration import DEMO_AUTHOR, ConfigurationKind
from ordino.kernel.domain.geo import Point, PostalCode
from ordino.kernel.services.retry import with_retries
from ordino.network.domain.carriers import service_document
from ordino.network.domain.channels import (
    Channel,
    ChannelPricing,
    channel_document,
)
from ordino.network.domain.costs import location_costs_document, rate_card_document
from ordino.network.domain.locations import Address, Location, LocationType, location_document
from ordino.network.domain.operations import operations_document
from ordino.network.domain.products import Customs, Product
from ordino.sourcing.domain.profiles import profile_document

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
# Each kind's tariff number and where it is made: what its customs declarations say.
_CUSTOMS = {
    "Rain jacket": ("620193", "PT"),
    "Wool sweater": ("611011", "IT"),
    "Trail shoe": ("640411", "VN"),
    "Backpack": ("420292", "CN"),
    "Beanie": ("650500", "DE"),
    "Fleece": ("611030", "PT"),
    "Hiking pole": ("950699", "DE"),
    "Water bottle": ("732393", "CN"),
    "Down vest": ("620193", "PT"),
    "Base layer": ("610990", "TR"),
    "Glove": ("611693", "CN"),
    "Cap": ("650500", "BD"),
}
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
        prices = {"EUR": price, "CHF": in_francs(price)}
        hs_code, origin = _CUSTOMS[kind]
        customs = Customs(hs_code, origin, f"{kind}, {colour}")
        name = f"{kind}, {colour}, {size}"
        # Its sizes share a style: a return may exchange one for another.
        style = {"style": f"{kind}, {colour}".lower().replace(", ", "-").replace(" ", "-")}
        sku = f"SKU-{n + 1:04d}"
        products.append(Product(sku, name, weight, prices, style, customs=customs))
    return products


# A store in Zürich: the Swiss web shop's customers collect there.
SWISS_STORE = Location(
    "ST-ZRH",
    "Zürich Bahnhofstrasse",
    _S,
    Address("Bahnhofstrasse 20", "Zürich", "8001", "CH"),
    Point(47.37, 8.54),
    "Europe/Zurich",
    False,
    True,
    returns=True,
)


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
        as_the_demos(
            uow, (ConfigurationKind.LOCATION, location.id, None), location_document(location), now
        )
    counts = []
    for product in demo_products():
        uow.catalog.put(product, now)
        for location in locations:
            on_hand = rng.choice([0, 0, 3, 8, 20, 50, 120])
            if location.type is _W:
                on_hand *= 4
            safety_stock = 2 if location.type is _S else 0
            counts.append(Count(location.id, product.sku, on_hand, safety_stock))
    counts += _more_stock(uow, locations, now)
    source = Source("demo", now, "demo stock")
    record_counts(uow, counts, source)
    for channel in demo_channels():
        uow.channels.put(channel, now)
        what = (ConfigurationKind.CHANNEL, channel.name, 1)
        as_the_demos(uow, what, channel_document(channel), now)
    for view in demo_views():
        uow.views.put(view, now)
        what = (ConfigurationKind.AVAILABILITY_VIEW, view.name, 1)
        as_the_demos(uow, what, view_document(view), now)
    uow.geo.put(demo_postal_codes())
    for supply in _demo_supply(counts, now):
        record_supply(uow, supply, source)
    _settings(uow, [*locations, SWISS_STORE], now)
    load_demo_money(uow, now)
    load_demo_returns(uow, now)


def _more_stock(uow: UnitOfWork, locations: list[Location], now: datetime) -> list[Count]:
    """The guides everywhere and the Zürich store's stock, drawn apart from the rest
    (so the demo's other numbers stay as they were)."""
    rng = random.Random(3)
    uow.network.put(SWISS_STORE, now)
    what = (ConfigurationKind.LOCATION, SWISS_STORE.id, None)
    as_the_demos(uow, what, location_document(SWISS_STORE), now)
    counts = []
    for product in guides():
        uow.catalog.put(product, now)
        counts += [Count(location.id, product.sku, 40, 0) for location in locations]
    for product in [*demo_products(), *guides()]:
        counts.append(Count(SWISS_STORE.id, product.sku, rng.choice([0, 2, 5, 10]), 1))
    return counts


def _settings(uow: UnitOfWork, locations: list[Location], now: datetime) -> None:
    """How the demo's locations work, its carriers and their prices, how it sources."""
    for location in locations:
        operations = operations_document(demo_operations(location))
        uow.operations.put(location.id, operations, now)
        as_the_demos(uow, (ConfigurationKind.LOCATION_OPERATIONS, location.id, 1), operations, now)
    for service in demo_carriers():
        uow.carriers.put(service, now)
        what = (ConfigurationKind.CARRIER_SERVICE, service.code, 1)
        as_the_demos(uow, what, service_document(service), now)
    for card in demo_rate_cards():
        uow.rate_cards.put(card, now)
        as_the_demos(
            uow, (ConfigurationKind.RATE_CARD, card.service, 1), rate_card_document(card), now
        )
    for location in locations:
        costs = demo_location_costs(location)
        uow.location_costs.put(location.id, costs, now)
        what = (ConfigurationKind.LOCATION_COSTS, location.id, 1)
        as_the_demos(uow, what, location_costs_document(costs), now)
    for profile in demo_profiles():
        uow.profiles.put(profile, now, DEMO_AUTHOR)
        what = (ConfigurationKind.SOURCING_PROFILE, profile.name, 1)
        as_the_demos(uow, what, profile_document(profile), now)


def demo_channels() -> list[Channel]:
    """The web shop and its app, two marketplaces: each known, a line at most 1,000
    units (the default) but on the marketplaces, which sell single items: 20; the
    web shop, the app and the Swiss shop (in CHF, settling in EUR, delivering duty
    paid) charge shipping."""
    marketplace = ChannelPricing(marketplace=True)  # its orders bring their own money
    return [
        Channel("web", pricing=ChannelPricing(shipping=shipping_rates())),
        Channel("app", pricing=ChannelPricing(shipping=shipping_rates())),
        Channel(
            SWISS_SHOP,
            time_zone="Europe/Zurich",
            pricing=ChannelPricing(
                shipping=shipping_rates(), settlement_currency="EUR", incoterm="DDP"
            ),
        ),
        Channel("amazon", 20, pricing=marketplace),
        Channel("zalando", 20, pricing=marketplace),
    ]


def demo_views() -> list[AvailabilityView]:
    """Two channels that see the same stock differently: the web shop counts stores (but
    leaves walk-in customers a unit) and what arrives within three weeks; marketplaces
    see the warehouses only, a fifth held back, and no SKU with fewer than 3 units."""
    web = AvailabilityView(
        "web",
        frozenset({"web", "app"}),
        "Web shop and app: every location, a unit kept at stores, inbound within 21 days",
        safety_stock=(SafetyRule(Holdback(percent=Decimal(5)), location_type=_W),),
        store_protection=Holdback(units=1),
        inbound=InboundRule(counts=True, horizon_days=21),
        low_stock_below=5,
    )
    marketplace = AvailabilityView(
        "marketplace",
        frozenset({"amazon", "zalando"}),
        "Marketplaces: warehouses only, a fifth held back, shown from 3 units",
        locations=LocationFilter(types=frozenset({_W})),
        safety_stock=(SafetyRule(Holdback(percent=Decimal(20))),),
        in_stock_minimum=3,
        low_stock_below=10,
    )
    return [web, marketplace]


# The centroids of postal codes around the demo's locations, for "pick up near me".
# fmt: off
_POSTAL_CODES = [
    ("DE", "10115", "Berlin", 52.532, 13.385), ("DE", "10117", "Berlin", 52.517, 13.389),
    ("DE", "20095", "Hamburg", 53.551, 10.001), ("DE", "20354", "Hamburg", 53.556, 9.989),
    ("DE", "22765", "Hamburg", 53.556, 9.932), ("DE", "60314", "Frankfurt am Main", 50.113, 8.708),
    ("DE", "60311", "Frankfurt am Main", 50.111, 8.683), ("DE", "80331", "München", 48.137, 11.575),
    ("DE", "80802", "München", 48.160, 11.585), ("DE", "50667", "Köln", 50.938, 6.955),
    ("DE", "04109", "Leipzig", 51.340, 12.373), ("DE", "01067", "Dresden", 51.053, 13.735),
    ("DE", "30159", "Hannover", 52.374, 9.738), ("DE", "90402", "Nürnberg", 49.449, 11.076),
    ("DE", "70173", "Stuttgart", 48.777, 9.177), ("DE", "40213", "Düsseldorf", 51.226, 6.774),
    ("DE", "28195", "Bremen", 53.078, 8.806), ("AT", "1010", "Wien", 48.208, 16.372),
    ("AT", "1030", "Wien", 48.199, 16.394), ("AT", "1070", "Wien", 48.202, 16.349),
    ("AT", "8010", "Graz", 47.071, 15.439), ("AT", "4020", "Linz", 48.306, 14.286),
    ("AT", "5020", "Salzburg", 47.800, 13.044), ("AT", "6020", "Innsbruck", 47.269, 11.404),
]
# fmt: on


def demo_postal_codes() -> list[PostalCode]:
    return [
        PostalCode(country, code, Point(lat, lon), place)
        for country, code, place, lat, lon in _POSTAL_CODES
    ]


def _demo_supply(counts: list[Count], now: datetime) -> list[CreateSupply]:
    """A purchase order for the Berlin DC due in five days, and a transfer from the
    Frankfurt DC to the Munich store arriving the day after tomorrow."""
    purchase = tuple((f"SKU-{n:04d}", 40) for n in range(1, 21))
    at_frankfurt = [c for c in counts if c.location_id == "DC-FRA" and c.on_hand >= 12]
    transfer = tuple((c.sku, c.on_hand // 4) for c in at_frankfurt[:5])
    return [
        CreateSupply(
            "PO-DEMO-1",
            SupplyKind.PURCHASE_ORDER,
            "DC-BER",
            now + timedelta(days=5),
            purchase,
            reference="Nordwind Outdoor GmbH",
        ),
        CreateSupply(
            "TR-DEMO-1",
            SupplyKind.TRANSFER,
            "ST-MUC",
            now + timedelta(days=2),
            transfer,
            source_location_id="DC-FRA",
        ),
    ]

"""Builders with deterministic defaults: `a_location(id="DC-X")`, `an_order_body(...)`.

Each returns the plain thing a caller would send (domain objects for services,
JSON-ready dicts for the API), with every field overridable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.inventory.domain.feeds import Source
from ordino.inventory.domain.positions import StockAtLocation
from ordino.kernel.domain.geo import Point
from ordino.network.domain.channels import Channel
from ordino.network.domain.locations import Address, Location, LocationType
from ordino.network.domain.products import Product
from ordino.orders.domain.commands import Customer, LineRequest, PlaceOrder
from ordino.orders.engine.capture import order_cart
from ordino.pricing.domain import OrderMoney
from ordino.pricing.engine import price_cart

BERLIN = Point(52.53, 13.38)
HAMBURG = Point(53.55, 9.99)
MUNICH = Point(48.14, 11.58)
VIENNA = Point(48.20, 16.39)


def a_location(id: str = "DC-BER", **overrides: Any) -> Location:
    fields: dict[str, Any] = {
        "id": id,
        "name": f"Location {id}",
        "type": LocationType.WAREHOUSE,
        "address": Address("Invalidenstr. 1", "Berlin", "10115", "DE"),
        "point": BERLIN,
        "time_zone": "Europe/Berlin",
        "ships": True,
        "pickup": False,
        "returns": True,
    }
    return Location(**(fields | overrides))


def a_product(sku: str = "SKU-1", **overrides: Any) -> Product:
    fields: dict[str, Any] = {
        "sku": sku,
        "name": f"Product {sku}",
        "weight_kg": Decimal("0.5"),
        "prices": {"EUR": Decimal("59.90")},
    }
    return Product(**(fields | overrides))


def a_stock_at(location_id: str, available: dict[str, int], **overrides: Any) -> StockAtLocation:
    """`a_stock_at("ST-HAM", {"SKU-1": 3}, point=HAMBURG)`: a sourcing snapshot entry."""
    fields: dict[str, Any] = {
        "location_id": location_id,
        "country": "DE",
        "point": BERLIN,
        "available": available,
    }
    return StockAtLocation(**(fields | overrides))


def a_place_order(*lines: tuple[str, int], **overrides: Any) -> PlaceOrder:
    """`a_place_order(("SKU-1", 2), ("SKU-2", 1), external_id="W-2")`"""
    fields: dict[str, Any] = {
        "channel": "web",
        "external_id": "W-1001",
        "currency": "EUR",
        "customer": Customer("ada@example.com", "Ada Lovelace"),
        "ship_to": Address("Jungfernstieg 1", "Hamburg", "20354", "DE", name="Ada Lovelace"),
        "ship_to_point": HAMBURG,
        "lines": tuple(
            LineRequest(sku, qty, Decimal("59.90")) for sku, qty in (lines or (("SKU-1", 2),))
        ),
    }
    return PlaceOrder(**(fields | overrides))


def a_location_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Berlin DC",
        "type": "warehouse",
        "address": {
            "line1": "Invalidenstr. 1",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "latitude": 52.53,
        "longitude": 13.38,
        "time_zone": "Europe/Berlin",
        "ships": True,
        "pickup": False,
        "returns": True,
    }
    return body | overrides


def a_product_body(**overrides: Any) -> dict[str, Any]:
    return {"name": "Rain jacket", "weight_kg": 0.5, "prices": {"EUR": "59.90"}} | overrides


def an_order_body(*lines: tuple[str, int], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "web",
        "external_id": "W-1001",
        "currency": "EUR",
        "customer": {"email": "ada@example.com", "name": "Ada Lovelace"},
        "ship_to": {
            "name": "Ada Lovelace",
            "line1": "Jungfernstieg 1",
            "city": "Hamburg",
            "postal_code": "20354",
            "country": "DE",
            "latitude": 53.55,
            "longitude": 9.99,
        },
        "lines": [
            {"sku": sku, "quantity": qty, "unit_price": "59.90"}
            for sku, qty in (lines or (("SKU-1", 2),))
        ],
    }
    return body | overrides


def an_adjustment_body(event_id: str = "E-1", delta: int = 1, **overrides: Any) -> dict[str, Any]:
    """`an_adjustment_body("E-2", -3, sku="SKU-2")`: one entry of POST /v1/inventory/adjustments."""
    body: dict[str, Any] = {
        "event_id": event_id,
        "location_id": "DC-BER",
        "sku": "SKU-1",
        "delta": delta,
    }
    return body | overrides


def a_source(at: Callable[[], datetime] | datetime, reason: str | None = None) -> Source:
    """Who sends a feed in tests: the test's key, now (a clock) or at a given time."""
    return Source("key:test", at if isinstance(at, datetime) else at(), reason)


def an_operations_body(**overrides: Any) -> dict[str, Any]:
    """A warehouse working weekdays 08:00-20:00, cut-offs at 15:00 (standard) and 12:00
    (express), 2 hours to ship, 1 to prepare a pickup, 500 orders a day."""
    body: dict[str, Any] = {
        "opening_hours": {
            day: [{"opens": "08:00", "closes": "20:00"}]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
        "holidays": ["2026-12-25"],
        "cut_offs": {"standard": "15:00", "express": "12:00"},
        "ship_processing_hours": 2,
        "pickup_processing_hours": 1,
        "capacity": {"limit": 500, "unit": "orders"},
        "carrier_pickup_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    }
    return body | overrides


def a_carrier_service_body(**overrides: Any) -> dict[str, Any]:
    """Standard parcels: 1-2 days within Germany up to 400 km, else 2-4 days."""
    body: dict[str, Any] = {
        "carrier": "DHL",
        "name": "DHL Paket",
        "level": "standard",
        "price": {"amount": "4.90", "currency": "EUR"},
        "transit": [
            {"min_days": 1, "max_days": 2, "destination_countries": ["DE"], "max_km": 400},
            {"min_days": 2, "max_days": 4},
        ],
    }
    return body | overrides


def a_purchase_order_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "PO-1",
        "kind": "purchase_order",
        "location_id": "DC-BER",
        "expected_at": "2026-11-09T08:00:00+01:00",
        "reference": "Supplier Nord",
        "lines": [{"sku": "SKU-1", "quantity": 20}, {"sku": "SKU-2", "quantity": 5}],
    }
    return body | overrides


def money_of(cmd: PlaceOrder) -> OrderMoney:
    """The command's lines at their prices, as capture prices them in a channel
    that takes any price and a catalogue that gives none."""
    return price_cart(order_cart(cmd), Channel(cmd.channel).pricing, {}).money

"""The body limits admit the largest body each schema takes, for order capture and
the stock feeds (the imports): every list at its most items, every field at its most
characters, written as the commonest clients write JSON (Python's `json.dumps`:
every character beyond ASCII escaped, 12 bytes for one beyond the BMP). One item more
is the schema's refusal (422, naming the field), never a 413 before it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from ordino.config import Settings
from ordino.http.request_guard import Limits
from ordino.inventory.api.stock import FEED_PATHS
from ordino.inventory.api.stock_schemas import (
    MAX_FEED_LINES,
    MAX_SNAPSHOT_LINES,
    AdjustmentsIn,
    CountsIn,
    SnapshotIn,
)
from ordino.inventory.api.supply_schemas import MAX_LINES as MAX_SUPPLY_LINES
from ordino.inventory.api.supply_schemas import SupplyIn
from ordino.orders.api.schemas import OrderIn

WIDE = "\U0001f600"  # 4 bytes of UTF-8; written as "\ud83d\ude00", 12
ID = "A" * 64
AT = "2026-11-02T09:00:00.999999+14:00"
MAX_ORDER_LINES = 500


def _text(n: int) -> str:
    return WIDE * n


def _address() -> dict[str, Any]:
    return {
        "name": _text(200),
        "line1": _text(200),
        "line2": _text(200),
        "city": _text(200),
        "region": _text(200),
        "postal_code": _text(20),
        "country": "DE",
    }


def _order(lines: int) -> dict[str, Any]:
    return {
        "channel": ID,
        "external_id": _text(128),
        "currency": "EUR",
        "customer": {
            "email": "a" * 64 + "@" + ("b" * 63 + ".") * 2 + "c" * 58 + ".de",
            "name": _text(200),
            "phone": _text(50),
        },
        "ship_to": _address() | {"latitude": -89.99999999999999, "longitude": -179.9999999999999},
        "lines": [{"sku": ID, "quantity": 1_000_000, "unit_price": "1" * 32}] * lines,
        "promise": {"option_id": _text(140), "deliver_by": "2026-11-02"},
        "service": ID,
        "type": "a" * 32,
        "bill_to": _address(),
        "b2b": {"purchase_order": _text(64), "requested_date": "2026-11-02"},
        "payment": {"method": "card", "token": "t" * 64},
        "priority": 9,
    }


def _counts(lines: int) -> dict[str, Any]:
    count = {"location_id": ID, "sku": ID, "on_hand": 100_000_000, "safety_stock": 100_000_000}
    return {"counted_at": AT, "reason": _text(200), "counts": [count] * lines}


def _snapshot(lines: int) -> dict[str, Any]:
    line = {"sku": ID, "on_hand": 100_000_000, "safety_stock": 100_000_000}
    return {"location_id": ID, "counted_at": AT, "reason": _text(200), "positions": [line] * lines}


def _adjustments(lines: int) -> dict[str, Any]:
    adjustment = {
        "location_id": ID,
        "sku": ID,
        "delta": -100_000_000,
        "reason": _text(200),
        "occurred_at": AT,
    }
    event_ids = (_text(128 - 6) + f"{n:06d}" for n in range(lines))
    return {"adjustments": [adjustment | {"event_id": event_id} for event_id in event_ids]}


def _supply(lines: int) -> dict[str, Any]:
    return {
        "id": ID,
        "kind": "purchase_order",
        "location_id": ID,
        "source_location_id": ID,
        "expected_at": AT,
        "reference": _text(200),
        "lines": [{"sku": f"{n:064d}", "quantity": 1_000_000} for n in range(lines)],
    }


Build = Callable[[int], dict[str, Any]]
BODIES: dict[str, tuple[type[BaseModel], Build, int, str]] = {
    "order": (OrderIn, _order, MAX_ORDER_LINES, "/v1/orders"),
    "counts": (CountsIn, _counts, MAX_FEED_LINES, "/v1/inventory/counts"),
    "snapshot": (SnapshotIn, _snapshot, MAX_SNAPSHOT_LINES, "/v1/inventory/snapshots"),
    "adjustments": (AdjustmentsIn, _adjustments, MAX_FEED_LINES, "/v1/inventory/adjustments"),
    "supply": (SupplyIn, _supply, MAX_SUPPLY_LINES, "/v1/supply"),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_the_largest_body_a_schema_takes_is_within_its_routes_limit(name: str) -> None:
    model, build, most, path = BODIES[name]
    settings = Settings(database_url="sqlite://")
    limit = Limits(settings.max_body_bytes, settings.max_feed_body_bytes, FEED_PATHS).of(path)
    largest = build(most)

    model.model_validate(largest)  # the schema takes it
    with pytest.raises(ValidationError):  # and not one line more
        model.model_validate(build(most + 1))
    size = len(json.dumps(largest).encode())
    assert size <= limit, f"{name}: {size:,} bytes, over the limit of {limit:,}"

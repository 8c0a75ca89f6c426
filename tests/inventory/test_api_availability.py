"""Availability views and reads over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from ordino.access.services.keys import create_key
from ordino.app.server import create_app
from ordino.config import Settings
from ordino.inventory.store.tables import stock_signals
from ordino.kernel.domain.roles import Role
from ordino.store.tables import outbox
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import fields, locations_of, network, refused, stock
from tests.support.builders import a_location_body, an_order_body

MARKETPLACE: dict[str, Any] = {
    "description": "Marketplaces: warehouses only, a fifth held back",
    "channels": ["amazon"],
    "locations": {"types": ["warehouse"]},
    "safety_stock": [{"percent": "20"}],
}


@pytest.fixture(autouse=True)
def stocked(api: TestClient) -> None:
    network(api)
    store = a_location_body(type="store", pickup=True, latitude=53.55, longitude=9.99)
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "ST-HAM", "SKU-1", 3)


def _available(api: TestClient, **params: Any) -> int:
    response = api.get("/v1/availability", params={"skus": "SKU-1", **params})
    assert response.status_code == 200, response.text
    return int(response.json()["items"][0]["available"])


def test_a_view_is_created_read_changed_listed_and_removed(api: TestClient) -> None:
    created = api.put("/v1/availability-views/marketplace", json=MARKETPLACE)
    read = api.get("/v1/availability-views/marketplace").json()
    changed = api.put("/v1/availability-views/marketplace", json=read | {"in_stock_minimum": 3})

    assert created.status_code == 201
    assert read == {
        "name": "marketplace",
        "version": 1,
        "description": "Marketplaces: warehouses only, a fifth held back",
        "channels": ["amazon"],
        "locations": {"types": ["warehouse"], "countries": [], "include": [], "exclude": []},
        "safety_stock": [
            {
                "location_type": None,
                "location_id": None,
                "sku": None,
                "units": None,
                "percent": "20",
            }
        ],
        "store_protection": None,
        "inbound": {"counts": False, "horizon_days": 0, "kinds": ["purchase_order", "transfer"]},
        "supplier_max_age_hours": None,
        "in_stock_minimum": 1,
        "low_stock_below": 0,
    }
    assert (changed.status_code, changed.json()["version"]) == (200, 2)
    assert [v["name"] for v in api.get("/v1/availability-views").json()["items"]] == [
        "default",
        "marketplace",
    ]
    stale = api.put("/v1/availability-views/marketplace", json=read)
    assert refused(stale, 409, "conflict")["version"] == 2
    assert api.delete("/v1/availability-views/marketplace").status_code == 204
    refused(api.get("/v1/availability-views/marketplace"), 404, "not-found")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"safety_stock": [{"units": 1, "percent": "5"}]}, "safety_stock[0]"),
        ({"safety_stock": [{"units": -1}]}, "safety_stock[0].units"),
        ({"safety_stock": [{"percent": "120"}]}, "safety_stock[0].percent"),
        ({"locations": {"types": ["shop"]}}, "locations.types[0]"),
        ({"locations": {"include": ["DC-404"]}}, "locations.include"),
        ({"store_protection": {}}, "store_protection"),
        ({"inbound": {"counts": True, "horizon_days": 400}}, "inbound.horizon_days"),
        ({"name": "other"}, "name"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_view_is_refused_naming_the_field(
    api: TestClient, changes: dict[str, Any], field: str
) -> None:
    response = api.put("/v1/availability-views/marketplace", json=MARKETPLACE | changes)

    assert fields(response) == [field]
    refused(api.get("/v1/availability-views/marketplace"), 404, "not-found")


def test_each_channel_reads_through_its_view(api: TestClient) -> None:
    api.put("/v1/availability-views/marketplace", json=MARKETPLACE)

    response = api.get(
        "/v1/availability", params={"skus": "SKU-2,SKU-1", "channel": "amazon"}
    ).json()

    assert response == {
        "view": "marketplace",
        "items": [
            {"sku": "SKU-2", "available": 0, "status": "out_of_stock", "future": []},
            {"sku": "SKU-1", "available": 8, "status": "in_stock", "future": []},
        ],
    }
    assert (_available(api, channel="web"), _available(api, view="default")) == (13, 13)
    assert set(locations_of(api, "SKU-1", channel="amazon")) == {"DC-BER"}


def test_the_nearest_stores_with_stock_by_coordinates(api: TestClient) -> None:
    response = api.get(
        "/v1/availability",
        params={"skus": "SKU-1", "latitude": 53.56, "longitude": 10.0, "radius_km": 10},
    )

    assert response.json()["items"][0]["nearest"] == [
        {"location_id": "ST-HAM", "distance_km": 1.3, "available": 3}
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"latitude": 53.5}, "longitude"),
        ({"postal_code": "20095"}, "country"),
        ({"postal_code": "20095", "country": "DE"}, "postal_code"),
        ({"latitude": 95, "longitude": 10}, "latitude"),
        ({"latitude": 53.5, "longitude": 10, "radius_km": 0}, "radius_km"),
        ({"view": "nope"}, "view"),
        ({"include": "everything"}, "include"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_availability_parameters_are_refused(
    api: TestClient, params: dict[str, Any], field: str
) -> None:
    response = api.get("/v1/availability", params={"skus": "SKU-1", **params})

    assert fields(response) == [field]


@pytest.mark.parametrize(
    "params",
    [{"skus": "SKU-1,SKU-404"}, {"skus": ""}, {"skus": " , "}, {"skus": "SKU 1"}, {}],
)
def test_bad_skus_for_availability_are_refused(api: TestClient, params: dict[str, str]) -> None:
    assert fields(api.get("/v1/availability", params=params)) == ["skus"]


def test_a_channel_key_reads_through_its_own_channels_view(api: TestClient, clock: Clock) -> None:
    api.put("/v1/availability-views/marketplace", json=MARKETPLACE)
    uow = api.app.state.uow()  # type: ignore[attr-defined]
    key = create_key(Role.CHANNEL, "amazon", uow, clock(), channel="amazon")
    headers = {"Authorization": f"Bearer {key}"}

    own = api.get("/v1/availability", params={"skus": "SKU-1"}, headers=headers)
    other = api.get("/v1/availability", params={"skus": "SKU-1", "channel": "web"}, headers=headers)

    assert (own.json()["view"], own.json()["items"][0]["available"]) == ("marketplace", 8)
    refused(other, 403, "forbidden")


def test_the_server_signals_a_sell_out_by_itself(database_url: str, clock: Clock) -> None:
    settings = Settings(database_url=database_url, admin_key=ADMIN_KEY, signal_seconds=0.02)
    app = create_app(settings, clock=clock)
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with TestClient(app, headers=headers) as client:  # the same database as `api`'s
        seen = _eventually(lambda: _looked_at(app.state.engine), ["SKU-1", "SKU-2"])
        placed = client.post("/v1/orders", json=an_order_body(("SKU-1", 13)))
        events = _eventually(lambda: _signals(app.state.engine), ["stock.sold_out"])
    app.state.engine.dispose()

    assert seen == ["SKU-1", "SKU-2"]  # the first look, in the default view: no signal

    assert placed.status_code == 201
    assert events == ["stock.sold_out"]


def _looked_at(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.scalars(select(stock_signals.c.sku)))


def _signals(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        query = select(outbox.c.type).where(outbox.c.type.like("stock.%"))
        return list(connection.scalars(query))


def _eventually(read: Callable[[], list[str]], expected: list[str]) -> list[str]:
    """What `read` gives once it gives `expected`, or its last answer after 10 s."""
    deadline = time.monotonic() + 10
    seen = read()
    while seen != expected and time.monotonic() < deadline:
        time.sleep(0.02)
        seen = read()
    return seen

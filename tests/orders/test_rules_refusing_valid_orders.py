"""Orders the capture rules refused though nothing was wrong with them (a review of
issue 15): a product the catalogue gives no price (the order carries its own), a
pickup to a customer in a country no carrier serves (no carrier goes there), a
channel named with a `/`, and a B2B order for "today" where the channel's today is
not UTC's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.support.api import fields, levels, network, stock
from tests.support.builders import a_carrier_service_body, a_product_body, an_order_body


@pytest.fixture
def stocked(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)


@pytest.mark.usefixtures("stocked")
def test_a_product_the_catalogue_gives_no_price_is_ordered_at_the_orders_price(
    api: TestClient,
) -> None:
    assert api.put("/v1/products/SKU-2", json=a_product_body(prices={})).status_code == 200
    stock(api, "DC-BER", "SKU-2", 10)

    placed = api.post("/v1/orders", json=an_order_body(("SKU-2", 1), currency="CHF"))

    assert placed.status_code == 201, placed.text
    assert placed.json()["lines"][0]["unit_price"] == "59.90"
    assert levels(api, "DC-BER", "SKU-2") == (9, 10, 1, 0)


@pytest.mark.usefixtures("stocked")
def test_a_pickup_is_not_refused_for_the_customers_country(api: TestClient) -> None:
    germany = a_carrier_service_body(
        transit=[{"min_days": 1, "max_days": 2, "destination_countries": ["DE"]}]
    )
    assert api.put("/v1/carrier-services/dhl", json=germany).status_code == 201
    body = an_order_body(("SKU-1", 1), type="pickup_in_store")
    body["ship_to"] |= {"country": "CH", "postal_code": "8001", "city": "Zürich"}

    placed = api.post("/v1/orders", json=body)
    shipped = api.post("/v1/orders", json=body | {"type": None, "external_id": "W-2"})

    assert placed.status_code == 201, placed.text
    assert placed.json()["type"] == "pickup_in_store"
    assert fields(shipped) == ["ship_to.country"]  # shipped to Zürich: no carrier goes


@pytest.mark.parametrize("name", ["marketplace/amazon-de", "edi/b2b/eu"])
def test_a_channel_named_with_a_slash_is_configured_read_and_ordered_in(
    api: TestClient, name: str
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    encoded = name.replace("/", "%2F")

    created = api.put(f"/v1/channels/{encoded}", json={"max_line_quantity": 5})
    replaced = api.put(f"/v1/channels/{name}", json={"max_line_quantity": 7})
    read = api.get(f"/v1/channels/{encoded}")
    placed = api.post("/v1/orders", json=an_order_body(("SKU-1", 1), channel=name))
    too_many = api.post(
        "/v1/orders", json=an_order_body(("SKU-1", 8), channel=name, external_id="W-2")
    )

    assert (created.status_code, replaced.status_code) == (201, 200), created.text
    assert read.json() | {"version": 0} == {
        "name": name,
        "max_line_quantity": 7,
        "description": None,
        "time_zone": "UTC",
        "pricing": {
            "prices": "gross",
            "price_mismatch": "accept",
            "marketplace": False,
            "shipping": [],
            "settlement_currency": None,
            "incoterm": "DAP",
            "tenders": {"capture": [], "refund": []},
        },
        "version": 0,
    }
    assert placed.status_code == 201, placed.text
    assert fields(too_many) == ["lines[0].quantity"]


def _b2b(requested: str, channel: str = "web") -> dict[str, object]:
    b2b = {"purchase_order": "PO-77", "requested_date": requested}
    return an_order_body(("SKU-1", 1), b2b=b2b, channel=channel)


@pytest.mark.usefixtures("stocked")
def test_a_b2b_order_for_today_is_today_in_the_channels_time_zone(
    api: TestClient, clock: Clock
) -> None:
    zones = {"us": "America/New_York", "de": "Europe/Berlin"}
    for name, zone in zones.items():
        assert api.put(f"/v1/channels/{name}", json={"time_zone": zone}).status_code == 201
    # 20:30 on 2 November in New York, 02:30 on 3 November in Berlin and in UTC 01:30.
    clock.now = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)

    new_york_today = api.post("/v1/orders", json=_b2b("2026-11-02", "us") | {"external_id": "U"})
    berlin_yesterday = api.post("/v1/orders", json=_b2b("2026-11-02", "de"))
    berlin_today = api.post("/v1/orders", json=_b2b("2026-11-03", "de") | {"external_id": "D"})

    assert new_york_today.status_code == 201, new_york_today.text
    assert fields(berlin_yesterday) == ["b2b.requested_date"]
    assert berlin_yesterday.json()["errors"][0]["message"] == (
        "must not be before today, 2026-11-03 (Europe/Berlin)"
    )
    assert berlin_today.status_code == 201, berlin_today.text


@pytest.mark.usefixtures("stocked")
def test_just_after_midnight_in_berlin_today_is_berlins(api: TestClient, clock: Clock) -> None:
    assert api.put("/v1/channels/de", json={"time_zone": "Europe/Berlin"}).status_code == 201
    clock.now = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)  # 00:30 on 3 November in Berlin

    yesterday = api.post("/v1/orders", json=_b2b("2026-11-02", "de"))
    today = api.post("/v1/orders", json=_b2b("2026-11-03", "de") | {"external_id": "D"})

    assert fields(yesterday) == ["b2b.requested_date"]
    assert today.status_code == 201, today.text

"""What the API took silently and now refuses, naming the field and changing
nothing: a B2B order wanted years ahead (or yesterday), a webhook for an event that
never happens, an order to a country no carrier serves, in a currency its products
have no price in, a page asked with a cursor no page gave."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.support.api import fields, levels, network, stock
from tests.support.builders import a_carrier_service_body, a_product_body, an_order_body


@pytest.fixture
def stocked(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)


def _b2b(requested: str) -> dict[str, Any]:
    return an_order_body(("SKU-1", 1), b2b={"purchase_order": "PO-77", "requested_date": requested})


@pytest.mark.usefixtures("stocked")
def test_a_b2b_order_wanted_years_ahead_or_in_the_past_is_refused(api: TestClient) -> None:
    years_ahead = api.post("/v1/orders", json=_b2b("2031-11-02"))
    yesterday = api.post("/v1/orders", json=_b2b("2026-11-01"))  # today is 2 November 2026
    in_a_year = api.post("/v1/orders", json=_b2b("2027-11-02") | {"external_id": "B-2"})

    assert fields(years_ahead) == ["b2b.requested_date"]
    assert years_ahead.json()["errors"][0]["message"] == "must be by 2027-11-03, a year from today"
    assert fields(yesterday) == ["b2b.requested_date"]
    assert yesterday.json()["errors"][0]["message"] == "must not be before today, 2026-11-02 (UTC)"
    assert in_a_year.status_code == 201, in_a_year.text
    assert [o["external_id"] for o in api.get("/v1/orders").json()["items"]] == ["B-2"]


def test_a_webhook_for_an_event_that_never_happens_is_refused(api: TestClient) -> None:
    body = {
        "url": "https://hooks.example/ordino",
        "event_types": ["order.created", "order.craeted"],
    }

    response = api.post("/v1/webhooks", json=body)
    every = api.post("/v1/webhooks", json=body | {"event_types": ["*", "stock.sold_out"]})

    assert fields(response) == ["event_types[1]"]
    assert response.json()["errors"][0]["message"].startswith("no event order.craeted: ")
    assert every.status_code == 201
    assert [w["event_types"] for w in api.get("/v1/webhooks").json()["items"]] == [
        ["*", "stock.sold_out"]
    ]


@pytest.mark.usefixtures("stocked")
def test_an_order_to_a_country_no_carrier_serves_is_refused(api: TestClient) -> None:
    germany = a_carrier_service_body(
        transit=[{"min_days": 1, "max_days": 2, "destination_countries": ["DE", "AT"]}]
    )
    assert api.put("/v1/carrier-services/dhl", json=germany).status_code == 201
    to_japan = an_order_body(external_id="W-JP")
    to_japan["ship_to"] |= {"country": "JP", "postal_code": "100-0001", "city": "Tokyo"}

    refused = api.post("/v1/orders", json=to_japan)
    served = api.post("/v1/orders", json=an_order_body())

    assert fields(refused) == ["ship_to.country"]
    assert refused.json()["errors"][0]["message"] == "no carrier service delivers to JP"
    assert served.status_code == 201
    assert levels(api, "DC-BER", "SKU-1") == (8, 10, 2, 0)


@pytest.mark.usefixtures("stocked")
def test_an_order_in_a_currency_its_products_have_no_price_in_is_refused(
    api: TestClient,
) -> None:
    both = a_product_body(prices={"EUR": "59.90", "CHF": "64.90"})
    assert api.put("/v1/products/SKU-2", json=both).status_code == 200
    stock(api, "DC-BER", "SKU-2", 10)
    in_francs = an_order_body(("SKU-2", 1), ("SKU-1", 1), currency="CHF")

    refused = api.post("/v1/orders", json=in_francs)
    priced = api.post("/v1/orders", json=an_order_body(("SKU-2", 1), currency="CHF"))

    assert fields(refused) == ["lines[1].sku"]
    assert refused.json()["errors"][0]["message"] == "SKU-1 has no price in CHF (it has EUR)"
    assert priced.status_code == 201, priced.text
    assert levels(api, "DC-BER", "SKU-1") == (10, 10, 0, 0)


@pytest.mark.usefixtures("stocked")
def test_a_cursor_no_page_gave_is_refused(api: TestClient, clock: Clock) -> None:
    for n in range(3):
        clock.advance(seconds=1)
        assert api.post("/v1/orders", json=an_order_body(("SKU-1", 1), external_id=f"W-{n}"))
    first = api.get("/v1/orders", params={"limit": 2}).json()

    following = api.get("/v1/orders", params={"limit": 2, "cursor": first["next_cursor"]})
    made_up = api.get("/v1/orders", params={"cursor": "zzz"})
    no_such_supply = api.get("/v1/supply", params={"cursor": "PO-NONE"})
    no_such_product = api.get("/v1/products", params={"cursor": "SKU-0"})
    no_such_location = api.get("/v1/locations", params={"cursor": "DC-AAA"})
    a_product = api.get("/v1/products", params={"cursor": "SKU-1"})

    assert [o["external_id"] for o in following.json()["items"]] == ["W-0"]
    assert fields(made_up) == ["cursor"]
    assert fields(no_such_supply) == ["cursor"]
    assert fields(no_such_product) == ["cursor"]
    assert fields(no_such_location) == ["cursor"]
    assert [p["sku"] for p in a_product.json()["items"]] == ["SKU-2"]

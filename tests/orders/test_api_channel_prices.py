"""A channel's prices over HTTP: an order's unit price that is not the catalogue's is
placed (accept), placed and held for a person to look at (flag), or refused naming
the line's price (refuse), as the channel says; a marketplace's order keeps its own
discounts, taxes and charges as given and says so; another channel's order that
brings them is refused by their fields and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api import fields, network, stock
from tests.support.builders import an_order_body


@pytest.fixture
def shop(api: TestClient) -> TestClient:
    network(api)  # SKU-1 and SKU-2 at 59.90 in the catalogue
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-BER", "SKU-2", 10)
    return api


def priced(api: TestClient, channel: str, **pricing: Any) -> None:
    response = api.put(f"/v1/channels/{channel}", json={"pricing": pricing})
    assert response.status_code in (200, 201), response.text


def cheaper(channel: str) -> dict[str, Any]:
    body = an_order_body(("SKU-1", 2), ("SKU-2", 1), channel=channel, external_id=f"{channel}-1")
    body["lines"][1]["unit_price"] = "49.90"
    return body


def test_a_channel_that_refuses_other_prices_names_the_line_and_places_nothing(
    shop: TestClient,
) -> None:
    priced(shop, "shop", price_mismatch="refuse")

    refused = shop.post("/v1/orders", json=cheaper("shop"))

    assert fields(refused) == ["lines[1].unit_price"]
    assert shop.get("/v1/orders", params={"channel": "shop"}).json()["items"] == []


def test_a_channel_that_flags_other_prices_places_the_order_on_hold(shop: TestClient) -> None:
    priced(shop, "shop", price_mismatch="flag")

    placed = shop.post("/v1/orders", json=cheaper("shop"))

    assert placed.status_code == 201, placed.text
    order = shop.get(placed.headers["location"]).json()
    [hold] = order["holds"]
    assert order["on_hold"] is True
    assert (hold["rule"], hold["status"], hold["placed_by"]) == (
        "price_check",
        "active",
        "channel:shop",
    )
    assert (
        hold["reason"] == "prices not the catalogue's: line 2: 49.90 given, 59.90 in the catalogue"
    )
    assert order["lines"][1]["list_price"] == "59.90"


def test_a_channel_that_accepts_other_prices_places_the_order_as_it_is(shop: TestClient) -> None:
    placed = shop.post("/v1/orders", json=cheaper("web"))

    assert placed.status_code == 201, placed.text
    assert (placed.json()["on_hold"], placed.json()["total"]) == (False, "169.70")


def test_a_marketplaces_order_keeps_its_discounts_taxes_and_charges(shop: TestClient) -> None:
    priced(shop, "amazon", marketplace=True)
    body = an_order_body(("SKU-1", 2), channel="amazon", external_id="302-1234567-7654321")
    body["lines"][0]["discounts"] = [{"amount": "10.00", "reference": "DEAL-7"}]
    body["lines"][0]["taxes"] = [
        {"jurisdiction": "DE", "rate": "0.19", "amount": "17.53", "inclusive": True}
    ]
    body["charges"] = [
        {
            "kind": "shipping",
            "price": "4.99",
            "taxes": [{"jurisdiction": "DE", "rate": "0.19", "amount": "0.80", "inclusive": True}],
        }
    ]

    placed = shop.post("/v1/orders", json=body)

    assert placed.status_code == 201, placed.text
    order = placed.json()
    [line] = order["lines"]
    assert line["discounts"] == [
        {
            "source": "marketplace",
            "reference": "DEAL-7",
            "reason": "given by amazon",
            "amount": "10.00",
            "per_unit": [{"amount": "5.00", "units": 2}],
        }
    ]
    assert (line["net"], line["tax"], line["total"]) == ("109.80", "17.53", "109.80")
    assert order["money"] == {
        "goods": "119.80",
        "discount": "10.00",
        "charges": "4.99",
        "tax": "18.33",
        "total": "114.79",
    }
    assert order["charges"][0]["taxes"][0]["amount"] == "0.80"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["lines"][0].update(discounts=[{"amount": "1.00"}]), "lines[0].discounts"),
        (lambda b: b.update(charges=[{"kind": "shipping", "price": "4.99"}]), "charges"),
        (lambda b: b["lines"][0].update(discounts=[{"amount": "1.001"}]),
         "lines[0].discounts[0].amount"),
        (lambda b: b.update(charges=[{"kind": "shipping", "price": "x"}]), "charges[0].price"),
    ],
)  # fmt: skip
def test_what_only_a_marketplace_brings_is_refused_by_its_field_and_changes_nothing(
    shop: TestClient, change: Any, field: str
) -> None:
    body = an_order_body(("SKU-1", 1))
    change(body)

    assert fields(shop.post("/v1/orders", json=body)) == [field]
    assert shop.get("/v1/orders").json()["items"] == []

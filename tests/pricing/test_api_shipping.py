"""Shipping charges over HTTP: a channel's shipping rates (by currency and country,
free from a value of the goods) add what the customer pays for shipping to each of
its orders and quotes: the first rate that serves applies, none when none serves or
the customer collects; shipping is free once the goods, after their discounts,
reach the rate's value; a promotion on shipping discounts it; it is taxed with the
order; what is no rate is refused by its field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.pricing.test_api_tax import PARIS, an_order, taxed  # noqa: F401 (a fixture)
from tests.support.api import fields, network, stock
from tests.support.builders import a_carrier_service_body, an_order_body

RATES = [
    {"currency": "EUR", "price": "9.90", "countries": ["AT", "FR"]},
    {"currency": "EUR", "price": "4.90", "free_from": "100.00"},
]


@pytest.fixture
def shop(api: TestClient) -> TestClient:
    network(api)  # SKU-1 and SKU-2 at 59.90
    stock(api, "DC-BER", "SKU-1", 50)
    assert api.put("/v1/channels/web", json={"pricing": {"shipping": RATES}}).status_code == 200
    return api


def placed(api: TestClient, n: int, quantity: int = 1, **changes: Any) -> dict[str, Any]:
    body = an_order_body(("SKU-1", quantity), external_id=f"W-{n}", **changes)
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def shipping(order: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [
        (c["price"], c["total"], [d["reason"] for d in c["discounts"]])
        for c in order["charges"]
        if c["kind"] == "shipping"
    ]


def test_an_order_pays_its_channels_shipping_free_from_the_rates_value(shop: TestClient) -> None:
    one = placed(shop, 1)  # 59.90 to Hamburg
    two = placed(shop, 2, quantity=2)  # 119.80: free from 100.00

    assert shipping(one) == [("4.90", "4.90", [])]
    assert (one["money"]["charges"], one["total"]) == ("4.90", "64.80")
    assert shipping(two) == [("4.90", "0.00", ["free shipping from 100.00"])]
    assert two["total"] == "119.80"
    assert shop.get("/v1/channels/web").json()["pricing"]["shipping"] == [
        {"currency": "EUR", "price": "9.90", "countries": ["AT", "FR"], "free_from": None},
        {"currency": "EUR", "price": "4.90", "countries": [], "free_from": "100.00"},
    ]


def test_the_first_rate_that_serves_applies_and_none_serves_another_currency(
    shop: TestClient,
) -> None:
    cart = {
        "channel": "web",
        "currency": "EUR",
        "lines": [{"sku": "SKU-1", "quantity": 1}],
        "ship_to": {"country": "FR"},
    }

    to_france = shop.post("/v1/quotes", json=cart).json()
    collected = shop.post("/v1/quotes", json=cart | {"collect": True}).json()
    in_chf = shop.post(
        "/v1/quotes", json=cart | {"currency": "CHF", "lines": [
            {"sku": "SKU-1", "quantity": 1, "unit_price": "55.00"}
        ]},
    )  # fmt: skip

    assert shipping(to_france) == [("9.90", "9.90", [])]
    assert collected["charges"] == []
    assert in_chf.status_code == 422  # SKU-1 is priced in EUR only: no quote in CHF


def test_a_promotion_on_shipping_discounts_it_and_names_itself(shop: TestClient) -> None:
    free = {"name": "free shipping", "benefit": "shipping_percent", "value": "100"}
    shop.put("/v1/promotions/free", json=free)

    order = placed(shop, 1)

    assert shipping(order) == [("4.90", "0.00", ["free shipping"])]
    assert order["charges"][0]["discounts"][0]["reference"] == "free@1"


def test_a_quote_shows_the_shipping_the_order_pays(shop: TestClient) -> None:
    cart = {
        "channel": "web",
        "currency": "EUR",
        "lines": [{"sku": "SKU-1", "quantity": 1}],
        "ship_to": {"country": "DE"},
    }

    quote = shop.post("/v1/quotes", json=cart).json()
    order = placed(shop, 1)

    assert (quote["charges"], quote["money"]) == (order["charges"], order["money"])


@pytest.mark.parametrize(
    ("rate", "field"),
    [
        ({"currency": "EUR", "price": "4.999"}, "pricing.shipping[0].price"),
        ({"currency": "EUR", "price": "-1"}, "pricing.shipping[0].price"),
        ({"currency": "EUR", "price": "4.90", "free_from": "0"}, "pricing.shipping[0].free_from"),
        ({"currency": "XXY", "price": "4.90"}, "pricing.shipping[0].currency"),
        ({"currency": "EUR", "price": "4.90", "countries": ["ZZ"]},
         "pricing.shipping[0].countries[0]"),
    ],
)  # fmt: skip
def test_what_is_no_shipping_rate_is_refused_by_its_field(
    shop: TestClient, rate: dict[str, Any], field: str
) -> None:
    assert fields(shop.put("/v1/channels/web", json={"pricing": {"shipping": [rate]}})) == [field]
    assert len(shop.get("/v1/channels/web").json()["pricing"]["shipping"]) == 2


def test_shipping_is_taxed_as_the_goods_it_carries(taxed: TestClient) -> None:  # noqa: F811
    """To France: a jacket at 59.90 (20 %) and two books at 10.55 (5.5 %) share 4.90
    of shipping by what they sell for: 3.62 at 20 %, 1.28 at 5.5 %, each taxed."""
    rates = {"pricing": {"shipping": [{"currency": "EUR", "price": "4.90"}]}}
    assert taxed.put("/v1/channels/web", json=rates).status_code == 200

    order = taxed.post("/v1/orders", json=an_order(PARIS))

    assert order.status_code == 201, order.text
    [charge] = order.json()["charges"]
    assert [(t["rate"], t["amount"]) for t in charge["taxes"]] == [
        ("0.2", "0.60"),
        ("0.055", "0.07"),
    ]
    assert (charge["total"], order.json()["total"]) == ("4.90", "85.90")


def test_a_shipping_promotion_leaves_what_the_channel_gives_free_to_it(shop: TestClient) -> None:
    """Shipping free from 100.00 by the channel: an exclusive free-shipping code takes
    no use and keeps no other promotion out on such a cart (and is no mistake)."""
    free = {
        "name": "free shipping", "benefit": "shipping_percent", "value": "100",
        "codes": ["SHIP"], "priority": 10, "stacking": "exclusive",
        "limits": {"uses_per_customer": 1},
    }  # fmt: skip
    ten = {"name": "10 % off", "benefit": "order_percent", "value": "10", "priority": 20}
    shop.put("/v1/promotions/ship", json=free)
    shop.put("/v1/promotions/ten", json=ten)

    big = placed(shop, 1, quantity=3, codes=["SHIP"])  # 179.70, less 10 %: free anyway
    small = placed(shop, 2, codes=["SHIP"])  # 59.90: the code's free shipping

    assert shipping(big) == [("4.90", "0.00", ["free shipping from 100.00"])]
    assert big["money"]["discount"] == "22.87"  # 17.97 off the goods, 4.90 the shipping
    assert shipping(small) == [("4.90", "0.00", ["free shipping (code SHIP)"])]
    assert shop.get("/v1/promotions/ship").json()["used"]["uses"] == 1


def test_a_quote_is_refused_where_no_carrier_delivers_as_capture_is(shop: TestClient) -> None:
    carrier = a_carrier_service_body(
        transit=[{"min_days": 1, "max_days": 2, "destination_countries": ["DE"]}]
    )
    assert shop.put("/v1/carrier-services/dhl-de", json=carrier).status_code in (200, 201)
    cart = {
        "channel": "web",
        "currency": "EUR",
        "lines": [{"sku": "SKU-1", "quantity": 1}],
        "ship_to": {"country": "US"},
    }

    assert fields(shop.post("/v1/quotes", json=cart)) == ["ship_to.country"]
    assert shop.post("/v1/quotes", json=cart | {"collect": True}).status_code == 200


def test_a_marketplace_takes_no_shipping_rates(shop: TestClient) -> None:
    channel = {"pricing": {"marketplace": True, "shipping": RATES}}

    assert fields(shop.put("/v1/channels/amazon", json=channel)) == ["pricing.shipping"]

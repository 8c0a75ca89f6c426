"""Promotions over HTTP: each PUT a new version, read and listed; at capture the
promotions that run apply to every channel that is no marketplace, each discount
naming the version that gave it; a change applies to the next order; a condition
may name the customer's group; what is no promotion is refused by its fields."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api import fields, network, stock
from tests.support.builders import an_order_body

SPRING = {"name": "10 % off everything", "benefit": "order_percent", "value": "10"}


@pytest.fixture
def shop(api: TestClient) -> TestClient:
    network(api)  # SKU-1 and SKU-2 at 59.90
    stock(api, "DC-BER", "SKU-1", 20)
    stock(api, "DC-BER", "SKU-2", 20)
    return api


def placed(api: TestClient, n: int, **changes: Any) -> dict[str, Any]:
    body = an_order_body(("SKU-1", 2), external_id=f"W-{n}", **changes)
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def discounts(order: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (d["reference"], d["reason"], d["amount"])
        for line in order["lines"]
        for d in line["discounts"]
    ]


def test_a_promotion_is_versioned_read_and_listed(api: TestClient) -> None:
    created = api.put("/v1/promotions/spring", json=SPRING)
    changed = api.put("/v1/promotions/spring", json=SPRING | {"value": "15"})

    assert (created.status_code, changed.status_code) == (201, 200)
    assert api.get("/v1/promotions/spring").json() == {
        "id": "spring",
        "name": "10 % off everything",
        "benefit": "order_percent",
        "value": "15",
        "currency": None,
        "skus": [],
        "threshold": None,
        "buy": 0,
        "get": 0,
        "condition": None,
        "starts_at": None,
        "ends_at": None,
        "priority": 100,
        "stacking": "stackable",
        "codes": [],
        "limits": {"uses": None, "uses_per_customer": None, "budget": None},
        "enabled": True,
        "version": 2,
        "used": None,
    }
    assert [p["id"] for p in api.get("/v1/promotions").json()["items"]] == ["spring"]


def test_the_promotions_that_run_apply_at_capture_and_a_change_to_the_next_order(
    shop: TestClient,
) -> None:
    assert shop.put("/v1/promotions/spring", json=SPRING).status_code == 201

    first = placed(shop, 1)
    shop.put("/v1/promotions/spring", json=SPRING | {"value": "20", "name": "20 % off"})
    second = placed(shop, 2)

    assert discounts(first) == [("spring@1", "10 % off everything", "11.98")]
    assert (first["money"]["discount"], first["total"]) == ("11.98", "107.82")
    assert discounts(second) == [("spring@2", "20 % off", "23.96")]


def test_a_condition_may_name_the_customers_group_and_a_marketplace_takes_none(
    shop: TestClient,
) -> None:
    vip = SPRING | {"condition": 'customer.group == "vip"'}
    assert shop.put("/v1/promotions/vip", json=vip).status_code == 201
    assert shop.put("/v1/channels/amazon", json={"pricing": {"marketplace": True}}).status_code

    customer = {"email": "ada@example.com", "group": "vip"}
    for_vip = placed(shop, 1, customer=customer)
    for_anyone = placed(shop, 2)
    on_amazon = placed(shop, 3, customer=customer, channel="amazon")

    assert [d[0] for d in discounts(for_vip)] == ["vip@1"]
    assert for_vip["customer"]["group"] == "vip"
    assert discounts(for_anyone) == discounts(on_amazon) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "0"}, "value"),
        ({"benefit": "order_amount", "value": "5.00"}, "currency"),
        ({"condition": "cart.subtotal >"}, "condition"),
        ({"benefit": "buy_x_get_y", "value": "100", "buy": 2}, "buy"),
        ({"starts_at": "2026-12-06T00:00:00Z", "ends_at": "2026-12-01T00:00:00Z"}, "ends_at"),
    ],
)
def test_what_is_no_promotion_is_refused_by_its_field_and_stores_nothing(
    api: TestClient, changes: dict[str, Any], field: str
) -> None:
    assert fields(api.put("/v1/promotions/bad", json=SPRING | changes)) == [field]
    assert api.get("/v1/promotions/bad").status_code == 404

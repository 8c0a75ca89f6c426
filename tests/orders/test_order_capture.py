"""The contract's path over HTTP: define a network, load stock, capture, read, cancel."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.api import locations_of
from tests.support.builders import a_location_body, a_product_body, an_order_body


def _network(api: TestClient, on_hand: int = 100) -> None:
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    response = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": on_hand, "safety_stock": 0})
    assert response.status_code == 201


def test_capture_reserves_and_cancel_releases(api: TestClient) -> None:
    _network(api)

    placed = api.post("/v1/orders", json=an_order_body(("SKU-1", 2)))

    assert placed.status_code == 201
    order = placed.json()
    assert order["status"] == "placed"
    assert order["total"] == "119.80"
    assert order["lines"][0]["allocations"] == [
        {"location_id": "DC-BER", "quantity": 2, "ship_date": None}
    ]
    availability = api.get("/v1/availability", params={"skus": "SKU-1"}).json()
    assert availability["items"][0]["available"] == 98
    assert locations_of(api, "SKU-1")["DC-BER"]["available"] == 98
    assert api.get(f"/v1/orders/{order['id']}").json() == order

    cancelled = api.post(f"/v1/orders/{order['id']}/cancel")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    availability = api.get("/v1/availability", params={"skus": "SKU-1"}).json()
    assert availability["items"][0]["available"] == 100


def test_insufficient_stock_is_409_naming_the_sku_and_changes_nothing(api: TestClient) -> None:
    _network(api, on_hand=1)

    response = api.post("/v1/orders", json=an_order_body(("SKU-1", 2)))

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/insufficient-stock"
    assert problem["shortfalls"] == [
        {"line_no": 1, "sku": "SKU-1", "requested": 2, "available": 1, "short": 1}
    ]
    assert api.get("/v1/orders").json()["items"] == []
    assert (
        api.get("/v1/availability", params={"skus": "SKU-1"}).json()["items"][0]["available"] == 1
    )

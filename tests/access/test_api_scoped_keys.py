"""Scoped keys: a channel key scoped to one channel places, reads, lists and cancels
that channel's orders only; a store key scoped to its location counts that
location's stock and reads the orders allocated to it. Other orders do not exist
for them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordino.access.services.keys import create_key
from ordino.kernel.domain.roles import Role
from tests.conftest import Clock
from tests.support.api import locations_of
from tests.support.builders import a_location_body, a_product_body, an_order_body


def _network(api: TestClient) -> None:
    api.put("/v1/locations/DC-BER", json=a_location_body())
    api.put("/v1/products/SKU-1", json=a_product_body())
    api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 10})


def _web_key(api: TestClient, clock: Clock) -> dict[str, str]:
    uow = api.app.state.uow()  # type: ignore[attr-defined]
    key = create_key(Role.CHANNEL, "web shop", uow, clock(), channel="web")
    return {"Authorization": f"Bearer {key}"}


def test_a_scoped_key_places_orders_for_its_channel_only(api: TestClient, clock: Clock) -> None:
    _network(api)
    web = _web_key(api, clock)

    own = api.post("/v1/orders", json=an_order_body(("SKU-1", 1)), headers=web)
    other = api.post(
        "/v1/orders",
        json=an_order_body(("SKU-1", 1), channel="app", external_id="A-1"),
        headers=web,
    )

    assert own.status_code == 201
    assert other.status_code == 403
    assert other.json()["type"] == "/problems/forbidden"
    assert [o["channel"] for o in api.get("/v1/orders").json()["items"]] == ["web"]
    available = api.get("/v1/availability", params={"skus": "SKU-1"}).json()["items"][0]
    assert available["available"] == 9


def test_another_channels_orders_do_not_exist_for_a_scoped_key(
    api: TestClient, clock: Clock
) -> None:
    _network(api)
    web = _web_key(api, clock)
    app_order = api.post(
        "/v1/orders", json=an_order_body(("SKU-1", 1), channel="app", external_id="A-1")
    ).json()
    clock.advance(seconds=1)
    web_order = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()

    read = api.get(f"/v1/orders/{app_order['id']}", headers=web)
    cancel = api.post(f"/v1/orders/{app_order['id']}/cancel", headers=web)
    listed = api.get("/v1/orders", headers=web)
    asked_for_app = api.get("/v1/orders", params={"channel": "app"}, headers=web)

    assert (read.status_code, cancel.status_code) == (404, 404)
    assert api.get(f"/v1/orders/{app_order['id']}").json()["status"] == "placed"
    assert [o["id"] for o in listed.json()["items"]] == [web_order["id"]]
    assert asked_for_app.status_code == 403
    assert (
        api.post(f"/v1/orders/{web_order['id']}/cancel", headers=web).json()["status"]
        == "cancelled"
    )


def _store_key(api: TestClient, clock: Clock, location_id: str) -> dict[str, str]:
    uow = api.app.state.uow()  # type: ignore[attr-defined]
    key = create_key(Role.STORE, "till", uow, clock(), location_id=location_id)
    return {"Authorization": f"Bearer {key}"}


def test_a_store_key_counts_its_own_stock_only(api: TestClient, clock: Clock) -> None:
    _network(api)
    api.put("/v1/locations/ST-HAM", json=a_location_body(name="Hamburg", type="store"))
    store = _store_key(api, clock, "ST-HAM")

    own = api.put("/v1/inventory/ST-HAM/SKU-1", json={"on_hand": 4}, headers=store)
    other = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 0}, headers=store)
    mixed = api.post(
        "/v1/inventory/adjustments",
        headers=store,
        json={
            "adjustments": [
                {"event_id": "E-1", "location_id": "ST-HAM", "sku": "SKU-1", "delta": 1},
                {"event_id": "E-2", "location_id": "DC-BER", "sku": "SKU-1", "delta": -5},
            ]
        },
    )

    assert own.status_code == 201  # its first count there
    assert (other.status_code, mixed.status_code) == (403, 403)
    assert {at: p["on_hand"] for at, p in locations_of(api, "SKU-1").items()} == {
        "DC-BER": 10,
        "ST-HAM": 4,
    }


def test_a_store_key_reads_the_orders_allocated_to_it(api: TestClient, clock: Clock) -> None:
    _network(api)
    api.put(
        "/v1/locations/ST-HAM",
        json=a_location_body(name="Hamburg", type="store", latitude=53.55, longitude=9.99),
    )
    api.put("/v1/inventory/ST-HAM/SKU-1", json={"on_hand": 1})
    at_store = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()
    clock.advance(seconds=1)
    at_dc = api.post("/v1/orders", json=an_order_body(("SKU-1", 1), external_id="W-2")).json()
    store = _store_key(api, clock, "ST-HAM")

    listed = api.get("/v1/orders", headers=store).json()["items"]

    assert at_store["lines"][0]["allocations"][0]["location_id"] == "ST-HAM"
    assert at_dc["lines"][0]["allocations"][0]["location_id"] == "DC-BER"
    assert [o["id"] for o in listed] == [at_store["id"]]
    assert api.get(f"/v1/orders/{at_store['id']}", headers=store).status_code == 200
    assert api.get(f"/v1/orders/{at_dc['id']}", headers=store).status_code == 404

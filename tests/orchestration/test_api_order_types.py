"""Every order type's happy path over HTTP, beyond those the other files walk
(ship to home: test_api_fulfillment; pickup in store: test_api_fulfillment and
test_api_payments; B2B: test_api_pipelines): ship to store, ship from store, and
drop-ship from a supplier, each sourced by the profile for its type. The clock
stands at Monday 2 November 2026, 10:00 in Berlin."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.promising.test_api_promises import stocked
from tests.support.api import events_of, levels, order_of, place, stock, work
from tests.support.builders import a_location_body, a_product_body

__all__ = ["stocked"]  # the promising network: DC-BER ships, ST-HAM takes pickups


def _step(api: TestClient, fulfillment_id: str, step: str, **body: Any) -> dict[str, Any]:
    response = api.post(f"/v1/fulfillments/{fulfillment_id}/{step}", json=body or None)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.usefixtures("stocked")
def test_ship_to_store_goes_from_the_dc_to_the_store_where_the_customer_collects(
    api: TestClient, clock: Clock
) -> None:
    order = place(api, ("SKU-2", 1), promise={"option_id": "ship_to_store:ST-HAM"})
    assert order["type"] == "ship_to_store"
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert (fo["location_id"], fo["method"], fo["store_id"]) == (
        "DC-BER",
        "ship_to_store",
        "ST-HAM",
    )

    _step(api, fo["id"], "accept")
    shipped = _step(api, fo["id"], "shipped", carrier="dhl", tracking_number="TO-STORE-1")
    assert shipped["order"]["status"] == "shipped"
    assert levels(api, "DC-BER", "SKU-2") == (9, 9, 0, 0)  # it left the DC
    _step(api, fo["id"], "ready")  # arrived at the store
    [ready] = [
        e for e in events_of(api, order["id"]) if e["type"] == "fulfillment.ready_for_pickup"
    ]
    done = _step(api, fo["id"], "picked-up", code=ready["data"]["pickup_code"])

    assert done["order"]["status"] == "fulfilled"
    assert done["order"]["lines"][0]["picked_up"] == 1
    assert levels(api, "ST-HAM", "SKU-2") is None  # never the store's stock


def test_ship_from_store_is_sourced_from_a_store_by_its_profile(
    api: TestClient, clock: Clock
) -> None:
    _network(api)
    profile = {
        "channels": ["web"],
        "order_types": ["ship_from_store"],
        "strategies": [{"name": "stores", "location_types": ["store"]}],
    }
    assert api.put("/v1/sourcing-profiles/from-stores", json=profile).status_code == 201
    from_store = place(api, ("SKU-1", 1), type="ship_from_store")
    from_dc = place(api, ("SKU-1", 1), external_id="W-DC")
    work(api, clock)

    [fo] = order_of(api, from_store["id"])["fulfillments"]
    assert (fo["location_id"], fo["method"]) == ("ST-SHIP", "ship")
    profiles = {
        name: api.get(f"/v1/orders/{o['id']}/sourcing").json()["decisions"][0]["profile"]["name"]
        for name, o in (("from_store", from_store), ("from_dc", from_dc))
    }
    assert profiles == {"from_store": "from-stores", "from_dc": "built-in"}
    _step(api, fo["id"], "accept")
    _step(api, fo["id"], "shipped", carrier="dhl", tracking_number="FROM-STORE-1")
    clock.advance(days=4)  # a delivery is recorded once it happened
    done = _step(api, fo["id"], "delivered", delivered_at="2026-11-04T12:00:00+01:00")
    assert done["order"]["status"] == "fulfilled"


def test_drop_ship_goes_to_the_supplier_who_ships_it(api: TestClient, clock: Clock) -> None:
    _network(api)
    profile = {
        "channels": ["web"],
        "order_types": ["drop_ship"],
        "strategies": [{"name": "suppliers", "location_types": ["supplier"]}],
    }
    assert api.put("/v1/sourcing-profiles/drop-ship", json=profile).status_code == 201
    order = place(api, ("SKU-1", 2), type="drop_ship")
    work(api, clock)

    [fo] = order_of(api, order["id"])["fulfillments"]
    assert fo["location_id"] == "SUP-1"
    # A supplier reports only the shipment: no accept, no pick, no pack.
    _step(api, fo["id"], "shipped", carrier="ups", tracking_number="1Z999")
    clock.advance(days=4)  # a delivery is recorded once it happened
    done = _step(api, fo["id"], "delivered", delivered_at="2026-11-05T12:00:00+01:00")
    assert done["order"]["status"] == "fulfilled"
    assert levels(api, "SUP-1", "SKU-1") == (48, 48, 0, 0)


def _network(api: TestClient) -> None:
    """DC-BER, a store that ships (ST-SHIP) and a supplier (SUP-1), each with SKU-1."""
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    places = {
        "DC-BER": a_location_body(),
        "ST-SHIP": a_location_body(
            name="Hamburg store", type="store", latitude=53.55, longitude=9.99
        ),
        "SUP-1": a_location_body(name="Supplier", type="supplier", latitude=50.11, longitude=8.68),
    }
    for location_id, body in places.items():
        assert api.put(f"/v1/locations/{location_id}", json=body).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "ST-SHIP", "SKU-1", 5)
    stock(api, "SUP-1", "SKU-1", 50)

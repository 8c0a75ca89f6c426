"""The demo (`ordino serve --demo`) as a newcomer meets it: what it offers a
customer in Germany, and where its orders of each type are sourced from."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from ordino.app.demo import seed_demo
from tests.conftest import Clock
from tests.support.api import levels, order_of, place, work

HAMBURG = {"country": "DE", "postal_code": "20095"}


def _seeded(api: TestClient, clock: Clock) -> None:
    assert seed_demo(api.app.state.uow(), clock()) is True  # type: ignore[attr-defined]


def _promise(api: TestClient, sku: str, destination: dict[str, Any]) -> dict[str, Any]:
    body = {"lines": [{"sku": sku, "quantity": 1}], "destination": destination, "channel": "web"}
    response = api.post("/v1/promises", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_the_demo_offers_ship_to_store_at_a_german_store(api: TestClient, clock: Clock) -> None:
    _seeded(api, clock)
    assert levels(api, "ST-HAM", "SKU-0005") == (0, 0, 0, 2)  # the Hamburg store has none

    answer = _promise(api, "SKU-0005", HAMBURG)

    [to_store] = [o for o in answer["options"] if o["id"] == "ship_to_store:ST-HAM"]
    assert (to_store["method"], to_store["service"], to_store["store_id"]) == (
        "ship_to_store",
        "dhl-paket",
        "ST-HAM",
    )
    assert [s["location_id"] for s in to_store["sources"]] == ["DC-BER"]
    assert [r for r in answer["not_offered"] if r["option"].startswith("ship_to_store")] == []


def test_a_ship_from_store_order_of_the_demo_ships_from_a_store(
    api: TestClient, clock: Clock
) -> None:
    _seeded(api, clock)
    assert levels(api, "ST-HAM", "SKU-0001")[0] > 0  # type: ignore[index]

    # an_order_body ships to Hamburg, near ST-HAM (a store that ships)
    order = place(api, ("SKU-0001", 1), type="ship_from_store", external_id="W-SFS-1")
    from_home = place(api, ("SKU-0001", 1), external_id="W-HOME-1")
    work(api, clock)

    [allocation] = order["lines"][0]["allocations"]
    assert allocation["location_id"] == "ST-HAM"
    [fulfillment] = order_of(api, order["id"])["fulfillments"]
    assert (fulfillment["location_id"], fulfillment["method"]) == ("ST-HAM", "ship")
    assert [a["location_id"] for a in from_home["lines"][0]["allocations"]] == ["DC-FRA"]
    sourcing = api.get(f"/v1/orders/{order['id']}/sourcing").json()["decisions"][0]
    assert sourcing["profile"]["name"] == "web-ship-from-store"

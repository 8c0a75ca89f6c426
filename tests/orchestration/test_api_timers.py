"""Service levels over HTTP, kept by timers the worker runs when they are due: a
location that does not accept in time (flagged, or rerouted where the type says
so), a pickup not collected by its deadline, a backorder not filled by its
deadline; the exceptions list. The clock stands at Monday 2 November 2026, 10:00 in
Berlin; the worker runs when the tests say so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.support.api import levels, network, order_of, place, stock, work
from tests.support.builders import a_carrier_service_body, a_location_body, an_operations_body


@pytest.fixture
def stocked(api: TestClient) -> None:
    network(api)
    munich = a_location_body(name="Munich DC", latitude=48.14, longitude=11.58)
    assert api.put("/v1/locations/DC-MUC", json=munich).status_code == 201
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-MUC", "SKU-1", 10)
    stock(api, "ST-HAM", "SKU-1", 2)


def _exceptions(api: TestClient) -> dict[str, Any]:
    response = api.get("/v1/exceptions")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_a_location_that_does_not_accept_in_time_is_flagged_until_it_does(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 1))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]

    clock.advance(minutes=119)
    work(api, clock)
    assert _exceptions(api)["breaches"] == []
    clock.advance(minutes=1)  # two hours since the release: ship_to_home's limit
    work(api, clock)

    [breach] = _exceptions(api)["breaches"]
    assert (breach["order_id"], breach["fulfillment_id"], breach["sla"], breach["action"]) == (
        order["id"],
        fo["id"],
        "accept",
        "flagged",
    )
    assert breach["location_id"] == "DC-BER"
    timeline = api.get(f"/v1/orders/{order['id']}/timeline").json()["items"]
    assert timeline[-1]["type"] == "fulfillment.sla_breached"

    assert api.post(f"/v1/fulfillments/{fo['id']}/accept").status_code == 200
    assert _exceptions(api)["breaches"] == []  # it moved on


def test_a_fulfillment_order_not_shipped_by_the_end_of_its_day_where_it_is_is_flagged(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    body = an_operations_body()
    assert api.put("/v1/locations/DC-BER/operations", json=body).status_code == 201
    dhl = a_carrier_service_body(transit=[{"min_days": 1, "max_days": 2}])
    assert api.put("/v1/carrier-services/dhl", json=dhl).status_code == 201
    order = place(api, ("SKU-1", 1), promise={"option_id": "ship:dhl"}, external_id="P-1")
    [line] = order["lines"]
    assert line["allocations"][0]["ship_date"] == "2026-11-02"  # Monday, in Berlin
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert api.post(f"/v1/fulfillments/{fo['id']}/accept").status_code == 200

    clock.advance(hours=13, minutes=59)  # 23:59 in Berlin, 22:59 UTC
    work(api, clock)
    assert _exceptions(api)["breaches"] == []
    clock.advance(minutes=1)  # midnight in Berlin: Monday is over there
    work(api, clock)

    [breach] = _exceptions(api)["breaches"]
    assert (breach["fulfillment_id"], breach["sla"]) == (fo["id"], "ship")
    assert breach["action"] == "flagged"


def test_a_type_may_take_an_unaccepted_fulfillment_order_away_and_source_it_again(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    slas = {"accept_minutes": 15, "reroute_unaccepted": True}
    body = {"steps": ["release"], "slas": slas}
    assert api.put("/v1/order-types/express", json=body).status_code == 201
    order = place(api, ("SKU-1", 2), type="express")
    work(api, clock)

    clock.advance(minutes=15)
    work(api, clock)  # the timer takes it from DC-BER; the advance releases it again

    fos = order_of(api, order["id"])["fulfillments"]
    assert [(f["location_id"], f["status"], f["reason"]) for f in fos] == [
        ("DC-BER", "rejected", "not accepted in time"),
        ("DC-MUC", "released", None),
    ]
    assert levels(api, "DC-BER", "SKU-1") == (10, 10, 0, 0)
    assert _exceptions(api)["breaches"] == []  # acted on: nothing left to flag


def test_a_pickup_not_collected_by_its_deadline_goes_back_on_the_shelf(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2), promise={"option_id": "pickup:ST-HAM"})
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert api.post(f"/v1/fulfillments/{fo['id']}/accept").status_code == 200
    assert api.post(f"/v1/fulfillments/{fo['id']}/ready").status_code == 200

    clock.advance(days=6, hours=23)
    work(api, clock)
    assert order_of(api, order["id"])["status"] == "released"
    clock.advance(hours=1)  # seven days: the customer did not come
    work(api, clock)

    done = order_of(api, order["id"])
    assert (done["status"], done["fulfillments"][0]["status"]) == ("cancelled", "not_collected")
    assert levels(api, "ST-HAM", "SKU-1") == (2, 2, 0, 0)


def test_a_backorder_not_filled_by_its_deadline_is_cancelled(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    profile = {
        "channels": ["web"],
        "strategies": [
            {"name": "any"},
            {"name": "wait", "kind": "backorder", "cancel_after_days": 3},
        ],
    }
    assert api.put("/v1/sourcing-profiles/web", json=profile).status_code == 201
    order = place(api, ("SKU-1", 25))
    work(api, clock)
    assert order_of(api, order["id"])["lines"][0]["backordered"] == 5  # 20 at the two DCs

    clock.advance(days=3)
    work(api, clock)

    line = order_of(api, order["id"])["lines"][0]
    assert (line["backordered"], line["cancelled"], line["allocated"]) == (0, 5, 20)
    assert order_of(api, order["id"])["status"] == "released"

"""Orders after capture, over HTTP: released to their locations by the worker, and
driven by the locations' updates: ship to home (whole and in parts), a rejection
rerouted, pickup in store (collected, a wrong code, not collected), and units
cancelled. The clock stands at Monday 2 November 2026, 10:00 in Berlin."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.keys import create_key
from ordino.kernel.domain.roles import Role
from tests.conftest import Clock
from tests.support.api import (
    events_of,
    fields,
    levels,
    network,
    order_of,
    place,
    refused,
    stock,
    work,
)
from tests.support.builders import (
    a_carrier_service_body,
    a_location_body,
    an_operations_body,
    an_order_body,
)


@pytest.fixture
def stocked(api: TestClient) -> None:
    """DC-BER (10 of SKU-1 and SKU-2) and DC-MUC (5 of SKU-1) ship; the Hamburg store
    ST-HAM (2 of SKU-1) takes pickups."""
    network(api)
    munich = a_location_body(name="Munich DC", latitude=48.14, longitude=11.58)
    assert api.put("/v1/locations/DC-MUC", json=munich).status_code == 201
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    assert api.put("/v1/locations/DC-BER/operations", json=an_operations_body()).status_code == 201
    service = a_carrier_service_body()
    assert api.put("/v1/carrier-services/dhl-standard", json=service).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-BER", "SKU-2", 10)
    stock(api, "DC-MUC", "SKU-1", 5)
    stock(api, "ST-HAM", "SKU-1", 2)


def _post(api: TestClient, fulfillment_id: str, step: str, **body: Any) -> dict[str, Any]:
    response = api.post(f"/v1/fulfillments/{fulfillment_id}/{step}", json=body or None)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _counters(line: dict[str, Any]) -> tuple[int, ...]:
    names = ("allocated", "released", "shipped", "delivered", "cancelled", "backordered")
    return tuple(line[name] for name in names)


def test_ship_to_home_released_accepted_shipped_in_two_parcels_and_delivered(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2), ("SKU-2", 1))
    assert order["status"] == "placed" and order["fulfillments"] == []
    work(api, clock)

    [fo] = order_of(api, order["id"])["fulfillments"]
    assert (fo["location_id"], fo["method"], fo["status"]) == ("DC-BER", "ship", "released")
    assert [(line["line_no"], line["quantity"]) for line in fo["lines"]] == [(1, 2), (2, 1)]
    assert order_of(api, order["id"])["status"] == "released"
    _post(api, fo["id"], "accept")
    _post(api, fo["id"], "picked")
    _post(api, fo["id"], "packed")
    first = _post(
        api,
        fo["id"],
        "shipped",
        carrier="dhl",
        tracking_number="JD0001",
        lines=[{"line_no": 1, "quantity": 1}],
    )

    shipped, rest = first["order"]["fulfillments"]
    assert (shipped["id"], shipped["status"], shipped["tracking_number"]) == (
        fo["id"],
        "shipped",
        "JD0001",
    )
    assert [(line["line_no"], line["quantity"]) for line in shipped["lines"]] == [(1, 1)]
    assert rest["status"] == "packed"
    assert [(line["line_no"], line["quantity"]) for line in rest["lines"]] == [(1, 1), (2, 1)]
    assert first["order"]["status"] == "partially_shipped"
    line_1 = first["order"]["lines"][0]
    assert line_1["status"] == "partially_shipped"
    assert _counters(line_1) == (1, 1, 1, 0, 0, 0)
    # The unit left: on hand and reserved both went down by one.
    assert levels(api, "DC-BER", "SKU-1") == (8, 9, 1, 0)

    _post(api, rest["id"], "shipped", carrier="dhl", tracking_number="JD0002")
    clock.advance(days=4)  # a delivery is recorded once it happened
    _post(api, fo["id"], "delivered", delivered_at="2026-11-04T12:00:00+01:00")
    done = _post(api, rest["id"], "delivered", delivered_at="2026-11-05T12:00:00+01:00")

    assert done["order"]["status"] == "fulfilled"
    assert [_counters(line) for line in done["order"]["lines"]] == [
        (0, 0, 2, 2, 0, 0),
        (0, 0, 1, 1, 0, 0),
    ]
    assert levels(api, "DC-BER", "SKU-1") == (8, 8, 0, 0)
    assert levels(api, "DC-BER", "SKU-2") == (9, 9, 0, 0)
    assert [e["type"] for e in events_of(api, order["id"])] == [
        "order.created",
        "fulfillment.released",
        "fulfillment.accepted",
        "fulfillment.picked",
        "fulfillment.packed",
        "fulfillment.split",
        "fulfillment.shipped",
        "fulfillment.shipped",
        "fulfillment.delivered",
        "fulfillment.delivered",
    ]
    released = events_of(api, order["id"])[1]["data"]
    assert released["ship_to"]["postal_code"] and released["fulfillment"]["id"] == fo["id"]


def test_a_rejection_is_sourced_again_elsewhere_and_released_there(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 3))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert fo["location_id"] == "DC-BER"

    rejected = _post(api, fo["id"], "reject", reason="damaged")

    assert rejected["fulfillment"]["status"] == "rejected"
    line = rejected["order"]["lines"][0]
    assert line["allocations"] == [{"location_id": "DC-MUC", "quantity": 3, "ship_date": None}]
    assert levels(api, "DC-BER", "SKU-1") == (10, 10, 0, 0)
    work(api, clock)
    fos = order_of(api, order["id"])["fulfillments"]
    assert [(f["location_id"], f["status"]) for f in fos] == [
        ("DC-BER", "rejected"),
        ("DC-MUC", "released"),
    ]
    # What is done cannot be done again: a rejected order is not shipped.
    refused(
        api.post(
            f"/v1/fulfillments/{fo['id']}/shipped",
            json={"carrier": "dhl", "tracking_number": "X1"},
        ),
        409,
        "illegal-transition",
    )


def test_accepting_part_splits_off_the_rest_and_sources_it_elsewhere(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 3))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]

    answer = _post(api, fo["id"], "accept", lines=[{"line_no": 1, "quantity": 1}])

    accepted, turned_down = answer["order"]["fulfillments"]
    assert (accepted["status"], accepted["lines"][0]["quantity"]) == ("accepted", 1)
    assert (turned_down["status"], turned_down["lines"][0]["quantity"]) == ("rejected", 2)
    allocations = answer["order"]["lines"][0]["allocations"]
    assert [(a["location_id"], a["quantity"]) for a in allocations] == [
        ("DC-BER", 1),
        ("DC-MUC", 2),
    ]


def _pickup_order(api: TestClient, clock: Clock) -> tuple[dict[str, Any], dict[str, Any]]:
    body = an_order_body(("SKU-1", 2), promise={"option_id": "pickup:ST-HAM"})
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    return order, fo


def _pickup_code(api: TestClient, order_id: str) -> str:
    [ready] = [e for e in events_of(api, order_id) if e["type"] == "fulfillment.ready_for_pickup"]
    code: str = ready["data"]["pickup_code"]
    return code


def test_pickup_in_store_is_handed_over_for_the_code_sent_to_the_customer(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order, fo = _pickup_order(api, clock)
    assert (fo["location_id"], fo["method"], fo["store_id"]) == ("ST-HAM", "pickup", "ST-HAM")

    ready = _post(api, fo["id"], "ready")
    assert "pickup_code" not in ready["fulfillment"]
    code = _pickup_code(api, order["id"])
    wrong = "000000" if code != "000000" else "111111"

    assert fields(api.post(f"/v1/fulfillments/{fo['id']}/picked-up", json={"code": wrong})) == [
        "code"
    ]
    assert order_of(api, order["id"])["fulfillments"][0]["status"] == "ready"
    assert levels(api, "ST-HAM", "SKU-1") == (0, 2, 2, 0)

    handed = _post(api, fo["id"], "picked-up", code=code)

    assert handed["order"]["status"] == "fulfilled"
    assert handed["order"]["lines"][0]["picked_up"] == 2
    assert levels(api, "ST-HAM", "SKU-1") == (0, 0, 0, 0)


def test_a_pickup_not_collected_is_cancelled_and_back_on_the_shelf(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    _, fo = _pickup_order(api, clock)
    _post(api, fo["id"], "ready")

    answer = _post(api, fo["id"], "not-collected")

    assert answer["order"]["status"] == "cancelled"
    assert answer["fulfillment"]["status"] == "not_collected"
    assert answer["order"]["lines"][0]["cancelled"] == 2
    assert levels(api, "ST-HAM", "SKU-1") == (2, 2, 0, 0)


def test_cancelling_units_takes_unreleased_ones_first_and_refuses_more_than_open(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 3), ("SKU-2", 1))
    work(api, clock)
    url = f"/v1/orders/{order['id']}/cancellations"

    too_many = api.post(url, json={"lines": [{"line_no": 1, "quantity": 4}]})
    unknown = api.post(url, json={"lines": [{"line_no": 9, "quantity": 1}]})
    twice = api.post(
        url, json={"lines": [{"line_no": 1, "quantity": 1}, {"line_no": 1, "quantity": 1}]}
    )
    assert fields(too_many) == ["lines[1].quantity"]
    assert fields(unknown) == ["lines[9].line_no"]
    assert fields(twice) == ["lines"]
    assert levels(api, "DC-BER", "SKU-1") == (7, 10, 3, 0)

    response = api.post(url, json={"lines": [{"line_no": 1, "quantity": 2}], "reason": "too many"})

    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "released"
    assert _counters(cancelled["lines"][0]) == (1, 1, 0, 0, 2, 0)
    [fo] = cancelled["fulfillments"]
    assert [(line["line_no"], line["quantity"]) for line in fo["lines"]] == [(1, 1), (2, 1)]
    assert levels(api, "DC-BER", "SKU-1") == (9, 10, 1, 0)


def test_a_store_updates_only_its_own_fulfillment_orders(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 1))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    state: Any = api.app.state  # type: ignore[attr-defined]
    other_store = create_key(Role.STORE, "store", state.uow(), clock(), location_id="ST-HAM")

    response = api.post(
        f"/v1/fulfillments/{fo['id']}/accept", headers={"Authorization": f"Bearer {other_store}"}
    )

    refused(response, 404, "not-found")
    assert order_of(api, order["id"])["fulfillments"][0]["status"] == "released"
    queue = api.get("/v1/fulfillments", params={"location_id": "DC-BER"}).json()["items"]
    assert [(f["id"], f["order_id"]) for f in queue] == [(fo["id"], order["id"])]


def test_a_pickup_rerouted_from_its_store_travels_to_the_store(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 1), promise={"option_id": "pickup:ST-HAM"})
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert (fo["location_id"], fo["method"]) == ("ST-HAM", "pickup")

    _post(api, fo["id"], "reject", reason="damaged")
    work(api, clock)

    _, again = order_of(api, order["id"])["fulfillments"]
    # Held at a warehouse now: shipped to the store first, then collected there.
    assert again["location_id"] != "ST-HAM"
    assert (again["method"], again["store_id"]) == ("ship_to_store", "ST-HAM")
    _post(api, again["id"], "shipped", carrier="dhl", tracking_number="TO-HAM")
    _post(api, again["id"], "ready")
    code = _pickup_code(api, order["id"])
    assert _post(api, again["id"], "picked-up", code=code)["order"]["status"] == "fulfilled"
    assert levels(api, "ST-HAM", "SKU-1") == (2, 2, 0, 0)  # the store's own stock untouched


def test_each_location_takes_only_its_own_steps_of_a_parcel_shipped_to_a_store(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """Shipped to a store: taking it on, picking, packing, handing it to the carrier
    or turning it down are the sending location's to say; that it waits at the store,
    was collected or not, the store's. The store's key could reject the warehouse's
    parcel (its stock let go, sourced again) or say it shipped (its goods captured
    from the payment); the warehouse's could say the customer never came."""
    order = place(api, ("SKU-1", 1), promise={"option_id": "pickup:ST-HAM"})
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    _post(api, fo["id"], "reject", reason="damaged")
    work(api, clock)
    _, parcel = order_of(api, order["id"])["fulfillments"]
    source = parcel["location_id"]
    state: Any = api.app.state  # type: ignore[attr-defined]
    keys = {
        at: create_key(Role.STORE, at, state.uow(), clock(), location_id=at)
        for at in ("ST-HAM", source)
    }
    held = levels(api, source, "SKU-1")

    def step(at: str, name: str, **body: Any) -> int:
        url = f"/v1/fulfillments/{parcel['id']}/{name}"
        headers = {"Authorization": f"Bearer {keys[at]}"}
        return api.post(url, json=body or None, headers=headers).status_code

    by_the_store = [
        step("ST-HAM", "reject", reason="damaged"),
        step("ST-HAM", "accept"),
        step("ST-HAM", "shipped", carrier="dhl", tracking_number="NOT-MINE"),
    ]
    after_store = (order_of(api, order["id"])["fulfillments"][1], levels(api, source, "SKU-1"))
    shipped = step(source, "shipped", carrier="dhl", tracking_number="TO-HAM")
    by_the_source = [step(source, "ready"), step(source, "not-collected")]
    after_source = order_of(api, order["id"])["fulfillments"][1]["status"]

    assert by_the_store == [403, 403, 403]
    assert (after_store[0]["status"], after_store[0]["tracking_number"]) == ("released", None)
    assert after_store[1] == held
    assert shipped == 200
    assert by_the_source == [403, 403]
    assert after_source == "shipped"
    assert step("ST-HAM", "ready") == 200


def test_a_parcel_shipped_to_a_store_is_in_the_stores_queue_not_the_warehouses(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """Once it left the warehouse, only the store has a word to say on it: that it
    arrived (the queue lists it shipped), then that it was collected or not."""
    order = place(api, ("SKU-1", 1), promise={"option_id": "pickup:ST-HAM"})
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    _post(api, fo["id"], "reject", reason="damaged")
    work(api, clock)
    _, parcel = order_of(api, order["id"])["fulfillments"]
    _post(api, parcel["id"], "shipped", carrier="dhl", tracking_number="TO-HAM")

    def queue(location_id: str, *statuses: str) -> list[str]:
        params = [("location_id", location_id)] + [("status", s) for s in statuses]
        items = api.get("/v1/fulfillments", params=params).json()["items"]
        return [item["id"] for item in items]

    assert queue("ST-HAM", "shipped") == [parcel["id"]]
    assert queue(parcel["location_id"], "shipped") == []
    _post(api, parcel["id"], "ready")
    assert queue("ST-HAM") == [parcel["id"]]
    assert queue(parcel["location_id"]) == []

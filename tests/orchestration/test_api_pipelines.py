"""Order types and holds over HTTP: hold rules (CEL) that stop an order, released or
cancelled from by someone; a B2B order released by its requested date, shipped
complete; types configured. The clock stands at Monday 2 November 2026, 10:00 in
Berlin; the worker runs when the tests say so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordino.network.store.tables import capacity_use
from ordino.orders.store.tables import holds
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
    a_purchase_order_body,
    an_operations_body,
    an_order_body,
)
from tests.support.storage import rows

BIG_SPENDER = {
    "expression": "order.total > 500.0",
    "reason": "an order this large is looked at",
}


@pytest.fixture
def stocked(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 20)
    stock(api, "DC-BER", "SKU-2", 20)


def _rule(api: TestClient, name: str, body: dict[str, Any]) -> None:
    response = api.put(f"/v1/hold-rules/{name}", json=body)
    assert response.status_code in (200, 201), response.text


def test_without_rules_an_order_runs_its_pipeline_and_is_released(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = place(api, ("SKU-1", 2))
    work(api, clock)

    advanced = order_of(api, order["id"])
    assert advanced["type"] == "ship_to_home"
    assert advanced["pipeline"] == {"steps": ["checks", "authorise", "release"], "next": None}
    assert (advanced["status"], advanced["on_hold"]) == ("released", False)
    assert len(advanced["fulfillments"]) == 1


def test_a_rule_holds_the_order_until_someone_releases_it(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    _rule(api, "big-spender", BIG_SPENDER)
    small = place(api, ("SKU-1", 1), external_id="W-SMALL")
    large = place(api, ("SKU-1", 10))
    work(api, clock)

    held = order_of(api, large["id"])
    assert order_of(api, small["id"])["status"] == "released"
    assert (held["status"], held["on_hold"], held["fulfillments"]) == ("placed", True, [])
    assert held["pipeline"]["next"] == "checks"
    [hold] = held["holds"]
    assert (hold["rule"], hold["reason"], hold["status"], hold["placed_by"]) == (
        "big-spender",
        "an order this large is looked at",
        "active",
        "rule:big-spender@1",
    )

    clock.advance(minutes=30)
    response = api.post(
        f"/v1/orders/{large['id']}/holds/{hold['id']}/release", json={"note": "called the buyer"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "released"
    work(api, clock)  # checks again: the released rule does not hold it twice

    released = order_of(api, large["id"])
    assert (released["status"], released["on_hold"]) == ("released", False)
    assert released["holds"][0]["note"] == "called the buyer"
    assert released["holds"][0]["resolved_by"].startswith("key:")
    types = [e["type"] for e in events_of(api, large["id"])]
    assert types == ["order.created", "order.held", "order.hold_released", "fulfillment.released"]
    timeline = api.get(f"/v1/orders/{large['id']}/timeline").json()["items"]
    caller = timeline[0]["by"]
    assert caller.startswith("key:")
    assert [(e["type"], e["by"], e["why"], e["status"]) for e in timeline] == [
        ("order.created", caller, None, "placed"),
        ("order.held", "ordino", "an order this large is looked at", "placed"),
        ("order.hold_released", caller, "called the buyer", "placed"),
        ("fulfillment.released", "ordino", None, "released"),
    ]
    assert timeline[3]["at"] == "2026-11-02T09:30:00+00:00"
    assert timeline[3]["details"]["fulfillment"]["location_id"] == "DC-BER"
    # Resolved once: releasing it again changes nothing.
    again = api.post(f"/v1/orders/{large['id']}/holds/{hold['id']}/release")
    refused(again, 409, "illegal-transition")


def test_cancelling_from_a_hold_cancels_the_order_and_lets_its_stock_go(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    _rule(api, "big-spender", BIG_SPENDER)
    order = place(api, ("SKU-1", 10))
    work(api, clock)
    [hold] = order_of(api, order["id"])["holds"]
    assert levels(api, "DC-BER", "SKU-1") == (10, 20, 10, 0)

    response = api.post(
        f"/v1/orders/{order['id']}/holds/{hold['id']}/cancel", json={"note": "stolen card"}
    )

    assert response.status_code == 200, response.text
    cancelled = order_of(api, order["id"])
    assert (cancelled["status"], cancelled["holds"][0]["status"]) == ("cancelled", "cancelled")
    assert (cancelled["on_hold"], cancelled["holds"][0]["note"]) == (False, "stolen card")
    assert levels(api, "DC-BER", "SKU-1") == (20, 20, 0, 0)
    timeline = api.get(f"/v1/orders/{order['id']}/timeline").json()["items"]
    assert [(e["type"], e["why"]) for e in timeline[-2:]] == [
        ("order.cancelled", "stolen card"),
        ("order.hold_cancelled", "stolen card"),
    ]
    work(api, clock)
    assert order_of(api, order["id"])["fulfillments"] == []


@pytest.mark.parametrize("how", ["cancel", "cancellations"])
def test_cancelling_a_held_order_ends_its_holds_on_its_timeline(
    api: TestClient, clock: Clock, stocked: None, how: str
) -> None:
    _rule(api, "big-spender", BIG_SPENDER)
    order = place(api, ("SKU-1", 10))
    work(api, clock)
    assert [h["order_id"] for h in api.get("/v1/exceptions").json()["holds"]] == [order["id"]]

    clock.advance(minutes=5)
    body: dict[str, Any] = {"reason": "the customer changed their mind"}
    if how == "cancellations":  # every unit, line by line: the order ends cancelled
        body["lines"] = [{"line_no": 1, "quantity": 10}]
    response = api.post(f"/v1/orders/{order['id']}/{how}", json=body)

    assert response.status_code == 200, response.text
    cancelled = order_of(api, order["id"])
    [hold] = cancelled["holds"]
    caller = events_of(api, order["id"])[0]["data"]["by"]
    assert (cancelled["status"], cancelled["on_hold"]) == ("cancelled", False)
    assert (hold["status"], hold["resolved_by"], hold["note"], hold["resolved_at"]) == (
        "cancelled",
        caller,
        "the customer changed their mind",
        "2026-11-02T09:05:00+00:00",
    )
    assert api.get("/v1/exceptions").json()["holds"] == []
    timeline = api.get(f"/v1/orders/{order['id']}/timeline").json()["items"]
    assert [(e["type"], e["by"], e["why"]) for e in timeline[-2:]] == [
        ("order.cancelled", caller, "the customer changed their mind"),
        ("order.hold_cancelled", caller, "the customer changed their mind"),
    ]
    work(api, clock)  # nothing of it is released after all
    assert order_of(api, order["id"])["fulfillments"] == []


def test_velocity_and_address_mismatch_rules_see_the_facts_of_the_order(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    _rule(
        api,
        "velocity",
        {"expression": "customer.orders_24h >= 2", "reason": "third order in a day"},
    )
    _rule(
        api,
        "bill-to-abroad",
        {
            "expression": "has(order.bill_to) && order.bill_to.country != order.ship_to.country",
            "reason": "billed in another country",
        },
    )
    bill_to = {"line1": "Rue de Rivoli 1", "city": "Paris", "postal_code": "75001", "country": "FR"}
    first = place(api, ("SKU-1", 1), external_id="W-1", bill_to=bill_to)
    clock.advance(hours=1)
    second = place(api, ("SKU-1", 1), external_id="W-2")
    clock.advance(hours=1)
    third = place(api, ("SKU-1", 1), external_id="W-3")
    work(api, clock)

    reasons = {
        name: [h["reason"] for h in order_of(api, o["id"])["holds"]]
        for name, o in (("first", first), ("second", second), ("third", third))
    }
    assert reasons == {
        "first": ["billed in another country"],
        "second": [],
        "third": ["third order in a day"],
    }


def test_a_rule_that_cannot_be_stored_is_refused_and_one_that_fails_on_an_order_holds_it(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    assert fields(
        api.put("/v1/hold-rules/typo", json=BIG_SPENDER | {"expression": "order.totl > 1.0"})
    ) == ["expression"]
    assert fields(
        api.put("/v1/hold-rules/broken", json=BIG_SPENDER | {"expression": "order.total >"})
    ) == ["expression"]
    assert fields(
        api.put("/v1/hold-rules/value", json=BIG_SPENDER | {"expression": "order.total"})
    ) == ["expression"]
    assert fields(api.put("/v1/hold-rules/types", json=BIG_SPENDER | {"order_types": ["b2c"]})) == [
        "order_types"
    ]
    assert api.get("/v1/hold-rules").json()["items"] == []
    # A rule on a fact an order may lack, without has(): orders without it are held.
    _rule(api, "b2b-po", {"expression": "order.b2b.purchase_order == 'X'", "reason": "po"})

    order = place(api, ("SKU-1", 1))
    work(api, clock)

    [hold] = order_of(api, order["id"])["holds"]
    assert hold["reason"].startswith("rule b2b-po failed: ")


def test_a_b2b_order_waits_for_its_requested_date_and_ships_complete(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    profile = {
        "channels": ["web"],
        "strategies": [{"name": "any"}, {"name": "wait", "kind": "backorder"}],
    }
    assert api.put("/v1/sourcing-profiles/web", json=profile).status_code == 201
    b2b = {"purchase_order": "PO-7781", "requested_date": "2026-11-10", "ship_complete": True}
    order = place(api, ("SKU-1", 25), ("SKU-2", 5), b2b=b2b)
    assert (order["type"], order["b2b"]) == ("b2b", b2b)

    work(api, clock)
    assert order_of(api, order["id"])["pipeline"]["next"] == "requested_date"
    clock.advance(days=6)  # Sunday 8 November: two days (the lead) before the date
    work(api, clock)
    waiting = order_of(api, order["id"])
    assert waiting["pipeline"]["next"] == "ship_complete"
    assert (waiting["status"], waiting["fulfillments"]) == ("backordered", [])

    assert api.post("/v1/supply", json=a_purchase_order_body()).status_code == 201
    receipt = {"receipt_id": "GRN-1", "lines": [{"sku": "SKU-1", "quantity": 5}]}
    assert api.post("/v1/supply/PO-1/receipts", json=receipt).status_code == 200
    work(api, clock)  # the backorder is filled, and the advance it queues releases it all

    complete = order_of(api, order["id"])
    assert complete["status"] == "released"
    [fo] = complete["fulfillments"]
    assert [(line["line_no"], line["quantity"]) for line in fo["lines"]] == [(1, 25), (2, 5)]


def test_order_types_are_configured_and_an_order_names_one(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    _rule(api, "big-spender", BIG_SPENDER | {"order_types": ["ship_to_home"]})
    created = api.put(
        "/v1/order-types/marketplace",
        json={"steps": ["release"], "description": "the marketplace checked it"},
    )
    assert created.status_code == 201, created.text
    assert fields(api.put("/v1/order-types/bad", json={"steps": ["release", "checks"]})) == [
        "steps"
    ]
    assert fields(api.post("/v1/orders", json=an_order_body(type="no_such_type"))) == ["type"]

    order = place(api, ("SKU-1", 10), type="marketplace")
    work(api, clock)

    placed = order_of(api, order["id"])
    assert (placed["type"], placed["pipeline"]["steps"], placed["holds"]) == (
        "marketplace",
        ["release"],
        [],
    )
    assert placed["status"] == "released"
    names = [t["name"] for t in api.get("/v1/order-types").json()["items"]]
    assert names == [
        "b2b",
        "drop_ship",
        "exchange",
        "marketplace",
        "pickup_in_store",
        "ship_from_store",
        "ship_to_home",
        "ship_to_store",
    ]


def _promised(api: TestClient, external_id: str) -> dict[str, Any]:
    """An order promised by DHL from DC-BER: it takes a unit of the day's capacity."""
    promise = {"option_id": "ship:dhl-standard"}
    return place(api, ("SKU-1", 1), external_id=external_id, promise=promise)


def _capacity_used(api: TestClient) -> list[tuple[str, int]]:
    engine = api.app.state.engine  # type: ignore[attr-defined]
    return [(row["location_id"], row["used"]) for row in rows(engine, capacity_use)]


def test_cancelling_from_the_hold_of_an_order_cancelled_already_ends_the_hold_only(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """Orders cancelled while held, before cancelling ended holds, kept an active hold
    (the upgrade ends them; a database restored from before may still hold some).
    Cancelling from such a hold ends it and gives back nothing: the order's capacity
    went back when it was cancelled, and what is used now is other orders'."""
    assert api.put("/v1/locations/DC-BER/operations", json=an_operations_body()).status_code == 201
    service = a_carrier_service_body()
    assert api.put("/v1/carrier-services/dhl-standard", json=service).status_code == 201
    cancelled, other = _promised(api, "W-OLD-BUG"), _promised(api, "W-OTHER")
    hold = api.post(f"/v1/orders/{cancelled['id']}/holds", json={"reason": "check"}).json()
    assert api.post(f"/v1/orders/{cancelled['id']}/cancel").status_code == 200
    engine = api.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:  # the old bug's data: the hold left active
        connection.execute(update(holds).where(holds.c.id == hold["id"]).values(status="active"))
    assert _capacity_used(api) == [("DC-BER", 1)]  # the other order's

    first = api.post(f"/v1/orders/{cancelled['id']}/holds/{hold['id']}/cancel")
    again = api.post(f"/v1/orders/{cancelled['id']}/holds/{hold['id']}/cancel")

    assert first.status_code == 200, first.text
    assert (first.json()["status"], first.json()["order"]["status"]) == ("cancelled", "cancelled")
    refused(again, 409, "illegal-transition")
    assert _capacity_used(api) == [("DC-BER", 1)]
    assert order_of(api, cancelled["id"])["on_hold"] is False
    assert order_of(api, other["id"])["status"] == "placed"
    ended = [e for e in events_of(api, cancelled["id"]) if e["type"] == "order.hold_cancelled"]
    assert len(ended) == 2  # with the order, then again from the hold left active

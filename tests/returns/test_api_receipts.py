"""Returned goods received over HTTP, at a store or a warehouse: found by the code the
customer shows, counted, each unit's condition and what becomes of it; the stock
that follows (restocked on hand at once, sent on as a transfer, nothing for what is
written off), the orders waiting for the SKU served from it; what is refused, and
changes nothing; two receipts of the same units give one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from ordino.kernel.domain import Role
from tests.conftest import Clock
from tests.returns.test_api_returns import (
    bearer,
    counters,
    deliver,
    return_events,
    start,
)
from tests.support.api import fields, levels, network, order_of, place, refused, stock, work
from tests.support.builders import a_location_body

HAMBURG = {"latitude": 53.55, "longitude": 9.99}


@pytest.fixture
def at_store(api: TestClient, clock: Clock) -> tuple[str, dict[str, Any]]:
    """SKU-1 x3 delivered from DC-BER to Hamburg; the Hamburg store ST-HAM sells SKU-1
    (5 on hand) and takes returns: a return of 2 units to drop off there, routed to
    it (the nearest place that sells it)."""
    network(api)
    store = a_location_body(name="Hamburg store", type="store", ships=False, **HAMBURG)
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "ST-HAM", "SKU-1", 5)
    order_id: str = place(api, ("SKU-1", 3))["id"]
    deliver(api, clock, order_id)
    ra = start(api, order_id, (1, 2)).json()
    assert [(li["destination"], li["route"]) for li in ra["lines"]] == [("ST-HAM", "cheapest")]
    return order_id, ra


def receive(
    api: TestClient,
    ra: dict[str, Any],
    *units: dict[str, Any],
    key: str = "rc-1",
    headers: dict[str, str] | None = None,
    **body: Any,
) -> Response:
    sent = {"lines": list(units)} | body
    return api.post(
        f"/v1/returns/{ra['id']}/receipts",
        json=sent,
        headers={"Idempotency-Key": key} | (headers or {}),
    )


def units(quantity: int = 1, disposition: str = "restock", **more: Any) -> dict[str, Any]:
    return {
        "line_no": 1,
        "quantity": quantity,
        "condition": "new",
        "disposition": disposition,
    } | more


def test_a_store_receives_a_return_by_its_code_and_restocks_it(
    api: TestClient, clock: Clock, at_store: tuple[str, dict[str, Any]]
) -> None:
    order_id, ra = at_store
    till = bearer(api, clock, Role.STORE, location_id="ST-HAM")
    shown = ra["code"].lower()[:5] + "-" + ra["code"].lower()[5:]  # as typed at the counter

    found = api.get(f"/v1/return-codes/{shown}", headers=till)
    response = receive(api, ra, units(2), headers=till, code=shown)

    assert found.json()["id"] == ra["id"]
    assert response.status_code == 201, response.text
    received = response.json()
    assert received["status"] == "received"
    assert (received["receipt"]["location_id"], received["receipt"]["lines"][0]["disposition"]) == (
        "ST-HAM",
        "restock",
    )
    assert levels(api, "ST-HAM", "SKU-1") == (7, 7, 0, 0)  # on hand again, at once
    assert counters(api, order_id) == [(1, 0, 2)]
    assert order_of(api, order_id)["return_state"] == "partially_returned"
    assert return_events(api, order_id)[-1] == "return.received"
    [receipt] = api.get(f"/v1/returns/{ra['id']}/receipts").json()["items"]
    assert receipt["id"] == received["receipt"]["id"]


def test_a_retried_receipt_gets_the_first_answer_and_a_second_one_is_refused(
    api: TestClient, at_store: tuple[str, dict[str, Any]]
) -> None:
    _, ra = at_store
    first = receive(api, ra, units(2), location_id="ST-HAM")
    again = receive(api, ra, units(2), location_id="ST-HAM")
    other = receive(api, ra, units(1), key="rc-2", location_id="ST-HAM")

    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
    assert again.json() == first.json()
    assert refused(other, 409, "illegal-transition")["from"] == "received"
    assert levels(api, "ST-HAM", "SKU-1") == (7, 7, 0, 0)
    assert len(api.get(f"/v1/returns/{ra['id']}/receipts").json()["items"]) == 1


def test_two_receipts_of_the_same_units_at_once_restock_once(
    api: TestClient, at_store: tuple[str, dict[str, Any]]
) -> None:
    _, ra = at_store

    def send(n: int) -> int:
        client = TestClient(api.app, headers=dict(api.headers))
        return receive(client, ra, units(2), key=f"rc-{n}", location_id="ST-HAM").status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(send, range(2)))

    assert answers[0] == 201 and answers[1] in (409, 422)
    assert levels(api, "ST-HAM", "SKU-1") == (7, 7, 0, 0)


def test_a_partial_receipt_with_units_missing_and_written_off(
    api: TestClient, at_store: tuple[str, dict[str, Any]]
) -> None:
    order_id, ra = at_store
    broken = units(1, "write_off", condition="damaged")

    part = receive(api, ra, broken, location_id="ST-HAM")
    rest = receive(
        api, ra, key="rc-2", location_id="ST-HAM", missing=[{"line_no": 1, "quantity": 1}]
    )

    assert part.json()["status"] == "received_in_part"
    assert rest.json()["status"] == "received"
    assert (rest.json()["lines"][0]["received"], rest.json()["lines"][0]["missing"]) == (1, 1)
    assert levels(api, "ST-HAM", "SKU-1") == (5, 5, 0, 0)  # nothing back on the shelf
    assert counters(api, order_id) == [(1, 0, 2)]


def test_units_sent_on_leave_as_a_transfer_to_where_the_return_was_routed(
    api: TestClient, at_store: tuple[str, dict[str, Any]]
) -> None:
    _, ra = at_store

    response = receive(api, ra, units(2, "send_on", to="DC-BER"), location_id="ST-HAM")

    assert response.status_code == 201, response.text
    assert levels(api, "ST-HAM", "SKU-1") == (5, 5, 0, 0)  # in and out again
    [transfer] = api.get("/v1/supply", params={"location_id": "DC-BER"}).json()["items"]
    assert (transfer["kind"], transfer["source_location_id"], transfer["status"]) == (
        "transfer",
        "ST-HAM",
        "in_transit",
    )
    assert transfer["lines"][0]["quantity"] == 2


def test_units_sent_on_from_a_place_whose_stock_is_all_reserved(
    api: TestClient, clock: Clock, at_store: tuple[str, dict[str, Any]]
) -> None:
    """Returned goods were never on the shelf where they arrive: what is reserved
    there does not hold them back."""
    _, ra = at_store
    stock(api, "DC-BER", "SKU-1", 7)
    place(api, ("SKU-1", 7), external_id="W-ALL")  # every unit at DC-BER reserved
    work(api, clock)
    assert levels(api, "DC-BER", "SKU-1") == (0, 7, 7, 0)

    response = receive(api, ra, units(2, "send_on", to="ST-HAM"), location_id="DC-BER")

    assert response.status_code == 201, response.text
    assert levels(api, "DC-BER", "SKU-1") == (0, 7, 7, 0)


def test_units_back_to_their_vendor_leave_the_stock(
    api: TestClient, clock: Clock, at_store: tuple[str, dict[str, Any]]
) -> None:
    _, ra = at_store
    vendor = a_location_body(name="Acme", type="supplier", ships=False)
    assert api.put("/v1/locations/SUP-ACME", json=vendor).status_code == 201
    product = api.get("/v1/products/SKU-1").json()
    body = {k: product[k] for k in ("name", "weight_kg") if product.get(k) is not None}
    body["attributes"] = {"vendor": "SUP-ACME"}
    assert api.put("/v1/products/SKU-1", json=body).status_code == 200

    to_vendor = units(2, "return_to_vendor", condition="damaged")
    response = receive(api, ra, to_vendor, location_id="ST-HAM")

    assert response.status_code == 201, response.text
    assert response.json()["receipt"]["lines"][0]["to"] == "SUP-ACME"  # the product's vendor
    assert levels(api, "ST-HAM", "SKU-1") == (5, 5, 0, 0)
    assert api.get("/v1/supply", params={"location_id": "SUP-ACME"}).json()["items"] == []


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"lines": [units(3)]}, "lines[0].quantity"),  # 2 awaited
        ({"lines": [units(1, line_no=2)]}, "lines[0].line_no"),
        ({"lines": [units(1, "send_on")]}, "lines[0].to"),  # routed here: say where
        ({"lines": [units(1, "write_off", to="DC-BER")]}, "lines[0].to"),
        ({"lines": [units(1, "send_on", to="NOWHERE")]}, "lines[0].to"),
        ({"lines": [units(1, "return_to_vendor", to="DC-BER")]}, "lines[0].to"),  # not a vendor
        ({"lines": [units(1, "return_to_vendor")]}, "lines[0].to"),  # SKU-1 names none
        ({"lines": [units(1)], "location_id": "NOWHERE"}, "location_id"),
        ({"lines": [], "missing": [{"line_no": 1, "quantity": 3}]}, "missing[0]"),
        ({"lines": [units(1)], "code": "R000000000"}, "code"),  # another return's, or none
        ({"lines": []}, "lines"),
    ],
)
def test_a_bad_receipt_is_refused_naming_its_field_and_changes_nothing(
    api: TestClient, at_store: tuple[str, dict[str, Any]], sent: dict[str, Any], field: str
) -> None:
    order_id, ra = at_store
    body = {"location_id": "ST-HAM"} | sent

    response = api.post(
        f"/v1/returns/{ra['id']}/receipts", json=body, headers={"Idempotency-Key": "bad"}
    )

    assert fields(response) == [field]
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "authorised"
    assert levels(api, "ST-HAM", "SKU-1") == (5, 5, 0, 0)
    assert counters(api, order_id) == [(1, 2, 0)]


def test_a_store_receives_only_at_its_own_store_and_by_the_right_code(
    api: TestClient, clock: Clock, at_store: tuple[str, dict[str, Any]]
) -> None:
    _, ra = at_store
    api.put("/v1/locations/ST-MUC", json=a_location_body(name="Munich", type="store"))
    munich = bearer(api, clock, Role.STORE, location_id="ST-MUC")

    elsewhere = receive(api, ra, units(1), headers=munich, location_id="ST-HAM")
    unseen = receive(api, ra, units(1), key="rc-2", headers=munich)  # no code shown

    assert refused(elsewhere, 403, "forbidden")
    assert refused(unseen, 404, "not-found")
    shown = receive(api, ra, units(1), key="rc-3", headers=munich, code=ra["code"])
    assert shown.status_code == 201, shown.text  # returned anywhere, with its code
    assert levels(api, "ST-MUC", "SKU-1") == (1, 1, 0, 0)


def test_a_code_is_found_as_typed_and_a_wrong_one_is_named(
    api: TestClient, at_store: tuple[str, dict[str, Any]]
) -> None:
    assert refused(api.get("/v1/return-codes/R000000000"), 404, "not-found")
    wrong = refused(api.get("/v1/return-codes/hello"), 404, "not-found")
    assert "a return code is R and nine letters or digits" in wrong["detail"]


def test_a_restocked_unit_serves_an_order_waiting_for_it(
    api: TestClient, clock: Clock, at_store: tuple[str, dict[str, Any]]
) -> None:
    _, ra = at_store
    stock(api, "DC-BER", "SKU-1", 0)
    stock(api, "ST-HAM", "SKU-1", 0)
    backorders = {
        "channels": ["web"],
        "strategies": [{"name": "any"}, {"name": "wait", "kind": "backorder"}],
    }
    assert api.put("/v1/sourcing-profiles/web", json=backorders).status_code == 201
    waiting = place(api, ("SKU-1", 1), external_id="W-WAIT")
    assert order_of(api, waiting["id"])["status"] == "backordered"

    # Received at the warehouse (the store ships nothing): on its shelf, it ships.
    assert receive(api, ra, units(1), location_id="DC-BER").status_code == 201
    work(api, clock)

    served = order_of(api, waiting["id"])
    assert (served["status"], served["lines"][0]["backordered"]) == ("released", 0)
    assert levels(api, "DC-BER", "SKU-1") == (0, 1, 1, 0)

"""Backorders over HTTP: units that wait for supply are dated by the supply on its
way and filled as it arrives, in the queue's order (higher priority first, then the
oldest order), and the customer is told each new date. The clock stands at Monday
2 November 2026; the worker runs when the tests say so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.support.api import events_of, fields, network, order_of, stock, work
from tests.support.builders import a_purchase_order_body, an_order_body

BACKORDER = {
    "channels": ["web"],
    "strategies": [{"name": "any"}, {"name": "wait", "kind": "backorder"}],
}


@pytest.fixture
def backordering(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 1)
    assert api.put("/v1/sourcing-profiles/web", json=BACKORDER).status_code == 201


def _place(api: TestClient, quantity: int, **changes: Any) -> dict[str, Any]:
    response = api.post("/v1/orders", json=an_order_body(("SKU-1", quantity), **changes))
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def _po(api: TestClient, po: str, quantity: int, expected_at: str) -> None:
    body = a_purchase_order_body(
        id=po, expected_at=expected_at, lines=[{"sku": "SKU-1", "quantity": quantity}]
    )
    assert api.post("/v1/supply", json=body).status_code == 201


def _waiting(api: TestClient, order_id: str) -> tuple[int, str | None]:
    [line] = order_of(api, order_id)["lines"]
    return line["backordered"], line["expected_on"]


def test_waiting_units_are_dated_by_supply_on_its_way_in_priority_then_age(
    api: TestClient, clock: Clock, backordering: None
) -> None:
    first = _place(api, 3, external_id="A")  # takes the 1 in stock, 2 wait
    clock.advance(minutes=1)
    urgent = _place(api, 2, external_id="B", priority=5)  # 2 wait, ahead of the first
    work(api, clock)
    assert (_waiting(api, first["id"]), _waiting(api, urgent["id"])) == ((2, None), (2, None))
    assert urgent["priority"] == 5

    _po(api, "PO-1", 3, "2026-11-09T08:00:00+01:00")
    work(api, clock)
    # PO-1's 3: 2 for the urgent order, 1 left for the first, which waits for 2.
    assert _waiting(api, urgent["id"]) == (2, "2026-11-09")
    assert _waiting(api, first["id"]) == (2, None)

    _po(api, "PO-2", 5, "2026-11-20T08:00:00+01:00")
    work(api, clock)
    assert _waiting(api, first["id"]) == (2, "2026-11-20")

    told = [e for e in events_of(api, first["id"]) if e["type"] == "order.backorder_expected"]
    [dated] = [e["data"]["backordered"] for e in told]
    assert dated == [{"line_no": 1, "sku": "SKU-1", "quantity": 2, "expected_on": "2026-11-20"}]


def test_supply_received_fills_the_urgent_order_first(
    api: TestClient, clock: Clock, backordering: None
) -> None:
    first = _place(api, 3, external_id="A")
    clock.advance(minutes=1)
    urgent = _place(api, 2, external_id="B", priority=5)
    _po(api, "PO-1", 3, "2026-11-09T08:00:00+01:00")
    _po(api, "PO-2", 5, "2026-11-20T08:00:00+01:00")
    work(api, clock)

    receipt = {"receipt_id": "GRN-1", "lines": [{"sku": "SKU-1", "quantity": 3}]}
    assert api.post("/v1/supply/PO-1/receipts", json=receipt).status_code == 200
    work(api, clock)

    assert _waiting(api, urgent["id"]) == (0, None)
    assert order_of(api, urgent["id"])["status"] == "released"
    # The first got PO-1's third unit; its last waits for PO-2.
    assert _waiting(api, first["id"]) == (1, "2026-11-20")


def test_a_priority_out_of_range_is_refused(api: TestClient, backordering: None) -> None:
    response = api.post("/v1/orders", json=an_order_body(("SKU-1", 1), priority=10))

    assert fields(response) == ["priority"]
    assert api.get("/v1/orders").json()["items"] == []

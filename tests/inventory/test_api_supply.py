"""Inbound supply over HTTP: create, read, list, receive, cancel, reschedule; refusals
are problem documents and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api import fields, network, refused, stock
from tests.support.builders import a_location_body, a_purchase_order_body


@pytest.fixture(autouse=True)
def stocked(api: TestClient) -> None:
    network(api)
    assert api.put("/v1/locations/ST-HAM", json=a_location_body(type="store")).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)


def _on_hand(api: TestClient, location_id: str, sku: str = "SKU-1") -> int:
    response = api.get(f"/v1/inventory/{location_id}/{sku}/movements", params={"limit": 1})
    assert response.status_code == 200, response.text
    return int(response.json()["position"]["on_hand"])


def test_a_purchase_order_is_created_read_and_listed(api: TestClient) -> None:
    created = api.post("/v1/supply", json=a_purchase_order_body())

    assert created.status_code == 201
    assert created.headers["location"] == "/v1/supply/PO-1"
    assert (created.json()["status"], created.json()["expected_at"]) == (
        "open",
        "2026-11-09T07:00:00+00:00",
    )
    assert api.get("/v1/supply/PO-1").json() == created.json()
    listed = api.get("/v1/supply", params={"sku": "SKU-2", "open": "true"}).json()
    assert ([s["id"] for s in listed["items"]], listed["next_cursor"]) == (["PO-1"], None)


def test_receipts_put_supply_on_hand_once(api: TestClient) -> None:
    api.post("/v1/supply", json=a_purchase_order_body())
    receipt = {"receipt_id": "GRN-1", "lines": [{"sku": "SKU-1", "quantity": 12}]}

    first = api.post("/v1/supply/PO-1/receipts", json=receipt)
    again = api.post("/v1/supply/PO-1/receipts", json=receipt)

    assert (first.status_code, first.json()["receipt"], first.json()["status"]) == (
        200,
        "applied",
        "partially_received",
    )
    assert again.json()["receipt"] == "duplicate"
    assert _on_hand(api, "DC-BER") == 22


def test_a_transfer_ships_and_is_received(api: TestClient) -> None:
    body = a_purchase_order_body(
        id="TR-1",
        kind="transfer",
        location_id="ST-HAM",
        source_location_id="DC-BER",
        lines=[{"sku": "SKU-1", "quantity": 4}],
    )

    shipped = api.post("/v1/supply", json=body)
    received = api.post(
        "/v1/supply/TR-1/receipts",
        json={"receipt_id": "IN-1", "lines": [{"sku": "SKU-1", "quantity": 4}]},
    )

    assert (shipped.json()["status"], received.json()["status"]) == ("in_transit", "received")
    assert (_on_hand(api, "DC-BER"), _on_hand(api, "ST-HAM")) == (6, 4)


def test_a_transfer_of_more_than_is_free_is_409_and_ships_nothing(api: TestClient) -> None:
    body = a_purchase_order_body(
        id="TR-1",
        kind="transfer",
        location_id="ST-HAM",
        source_location_id="DC-BER",
        lines=[{"sku": "SKU-1", "quantity": 11}],
    )

    problem = refused(api.post("/v1/supply", json=body), 409, "below-reserved")

    assert (problem["field"], problem["free"]) == ("lines[0].quantity", 10)
    assert _on_hand(api, "DC-BER") == 10
    refused(api.get("/v1/supply/TR-1"), 404, "not-found")


def test_what_has_not_arrived_can_be_cancelled_or_rescheduled(api: TestClient) -> None:
    api.post("/v1/supply", json=a_purchase_order_body())

    later = api.patch("/v1/supply/PO-1", json={"expected_at": "2026-11-12T08:00:00Z"})
    partly = api.post("/v1/supply/PO-1/cancel", json={"skus": ["SKU-2"], "reason": "discontinued"})
    whole = api.post("/v1/supply/PO-1/cancel")

    assert later.json()["expected_at"] == "2026-11-12T08:00:00+00:00"
    assert [line["open"] for line in partly.json()["lines"]] == [20, 0]
    assert whole.json()["status"] == "cancelled"
    problem = refused(
        api.patch("/v1/supply/PO-1", json={"expected_at": "2026-11-13T08:00:00Z"}),
        409,
        "conflict",
    )
    assert problem["status"] == 409


def test_the_same_id_twice_is_409_and_a_retried_key_replays(api: TestClient) -> None:
    headers = {"Idempotency-Key": "po-1-try-1"}
    first = api.post("/v1/supply", json=a_purchase_order_body(), headers=headers)

    retried = api.post("/v1/supply", json=a_purchase_order_body(), headers=headers)
    other = api.post("/v1/supply", json=a_purchase_order_body())

    assert (retried.status_code, retried.headers["idempotent-replayed"]) == (201, "true")
    assert retried.json() == first.json()
    assert refused(other, 409, "already-exists")["supply_id"] == "PO-1"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "gift"}, "kind"),
        ({"expected_at": "2026-11-09T08:00:00"}, "expected_at"),
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "SKU-1", "quantity": 0}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "SKU-404", "quantity": 1}]}, "lines[0].sku"),
        ({"location_id": "DC-404"}, "location_id"),
        ({"kind": "transfer"}, "source_location_id"),
        ({"id": "PO 1"}, "id"),
    ],
)
def test_a_bad_supply_order_is_refused_naming_the_field(
    api: TestClient, changes: dict[str, Any], field: str
) -> None:
    assert fields(api.post("/v1/supply", json=a_purchase_order_body(**changes))) == [field]
    assert api.get("/v1/supply").json()["items"] == []


@pytest.mark.parametrize(
    ("receipt", "field"),
    [
        ({"lines": [{"sku": "SKU-1", "quantity": 1}]}, "receipt_id"),
        ({"receipt_id": "G", "lines": [{"sku": "SKU-1", "quantity": -1}]}, "lines[0].quantity"),
        ({"receipt_id": "G", "lines": [{"sku": "SKU-3", "quantity": 1}]}, "lines[0].sku"),
        (
            {
                "receipt_id": "G",
                "received_at": "2030-01-01T00:00:00Z",
                "lines": [{"sku": "SKU-1", "quantity": 1}],
            },
            "received_at",
        ),
    ],
)
def test_a_bad_receipt_changes_nothing(
    api: TestClient, receipt: dict[str, Any], field: str
) -> None:
    api.post("/v1/supply", json=a_purchase_order_body())

    assert fields(api.post("/v1/supply/PO-1/receipts", json=receipt)) == [field]
    assert _on_hand(api, "DC-BER") == 10


def test_a_receipt_for_unknown_supply_is_404(api: TestClient) -> None:
    receipt = {"receipt_id": "G", "lines": [{"sku": "SKU-1", "quantity": 1}]}

    refused(api.post("/v1/supply/PO-404/receipts", json=receipt), 404, "not-found")

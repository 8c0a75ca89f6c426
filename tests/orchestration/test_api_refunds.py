"""Refunds over HTTP, against the sandbox gateway: what the card paid refunded in
part or whole, made by the worker once per Idempotency-Key; never more than was
captured less what was refunded or is being refunded; refused, changing nothing,
for a wrong currency, amount, key or an order not paid by card."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from ordino.payments.adapters.sandbox_tables import sandbox_authorisations
from tests.conftest import Clock
from tests.support.api import events_of, fields, network, order_of, refused, stock, work
from tests.support.builders import an_order_body
from tests.support.storage import rows

APPROVES = "4242424242424242"


@pytest.fixture
def shipped(api: TestClient, clock: Clock) -> str:
    """An order paid by card, 2 x 59.90, shipped and captured: 119.80."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 20)
    body = an_order_body(("SKU-1", 2), payment={"method": "card", "token": APPROVES})
    order_id: str = api.post("/v1/orders", json=body).json()["id"]
    work(api, clock)
    [fo] = order_of(api, order_id)["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    work(api, clock)
    assert order_of(api, order_id)["tenders"][0]["captured"] == "119.80"
    return order_id


def _refund(api: TestClient, order_id: str, amount: str, key: str, **changes: Any) -> Response:
    body = {"amount": amount, "currency": "EUR", "reason": "parcel arrived late"} | changes
    return api.post(f"/v1/orders/{order_id}/refunds", json=body, headers={"Idempotency-Key": key})


def _at_gateway(api: TestClient) -> tuple[int, int]:
    [authorisation] = rows(api.app.state.engine, sandbox_authorisations)  # type: ignore[attr-defined]
    return authorisation["captured_minor"], authorisation["refunded_minor"]


def test_a_refund_is_asked_then_made_by_the_worker(
    api: TestClient, clock: Clock, shipped: str
) -> None:
    asked = _refund(api, shipped, "20.00", "r-1")

    assert asked.status_code == 202, asked.text
    refund = asked.json()
    assert (refund["status"], refund["amount"], refund["refunded"]) == ("pending", "20.00", "0.00")
    assert _at_gateway(api) == (11980, 0)

    work(api, clock)

    assert order_of(api, shipped)["tenders"][0]["refunded"] == "20.00"
    assert _at_gateway(api) == (11980, 2000)
    [made] = api.get(f"/v1/orders/{shipped}/refunds").json()["items"]
    assert (made["id"], made["status"], made["refunded"]) == (refund["id"], "refunded", "20.00")
    types = [e["type"] for e in events_of(api, shipped) if "refund" in e["type"]]
    assert types == ["payment.refund_requested", "payment.refunded"]


def test_a_retried_refund_gets_the_first_answer_and_refunds_once(
    api: TestClient, clock: Clock, shipped: str
) -> None:
    first = _refund(api, shipped, "20.00", "r-1")
    again = _refund(api, shipped, "20.00", "r-1")
    work(api, clock)

    assert again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _at_gateway(api) == (11980, 2000)
    assert len(api.get(f"/v1/orders/{shipped}/refunds").json()["items"]) == 1
    other = _refund(api, shipped, "30.00", "r-1")
    assert refused(other, 409, "idempotency-key-reused")


def test_refunds_never_take_more_than_was_captured(
    api: TestClient, clock: Clock, shipped: str
) -> None:
    assert _refund(api, shipped, "100.00", "r-1").status_code == 202  # pending: counts already

    over = _refund(api, shipped, "19.81", "r-2")

    problem = refused(over, 409, "over-refund")
    assert (problem["field"], problem["refundable"]) == ("amount", "19.80")
    assert _refund(api, shipped, "19.80", "r-3").status_code == 202
    work(api, clock)
    assert order_of(api, shipped)["tenders"][0]["refunded"] == "119.80"
    assert _at_gateway(api) == (11980, 11980)
    refused(_refund(api, shipped, "0.01", "r-4"), 409, "over-refund")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "USD"}, "currency"),
        ({"amount": "0"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"reason": ""}, "reason"),
    ],
)
def test_a_bad_refund_is_refused_naming_its_field(
    api: TestClient, clock: Clock, shipped: str, changes: dict[str, str], field: str
) -> None:
    body = {"amount": "5.00"} | changes
    response = _refund(api, shipped, body.pop("amount"), "r-1", **body)

    assert response.status_code == 422, response.text
    assert fields(response) == [field]
    work(api, clock)
    assert api.get(f"/v1/orders/{shipped}/refunds").json()["items"] == []
    assert _at_gateway(api) == (11980, 0)


def test_a_refund_needs_an_idempotency_key(api: TestClient, shipped: str) -> None:
    body = {"amount": "5.00", "currency": "EUR", "reason": "late"}
    response = api.post(f"/v1/orders/{shipped}/refunds", json=body)

    assert response.status_code == 422
    assert fields(response) == ["idempotency-key"]
    assert api.get(f"/v1/orders/{shipped}/refunds").json()["items"] == []


def test_an_order_paid_by_invoice_has_nothing_to_refund(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 20)
    order_id = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()["id"]

    problem = refused(_refund(api, order_id, "5.00", "r-1"), 409, "over-refund")
    assert (problem["field"], problem["refundable"]) == ("amount", "0.00")


def test_an_admin_refunds_and_neither_an_agent_nor_a_channel_may(
    api: TestClient, shipped: str, key_for: Any
) -> None:
    """Customer service gives goodwill within its role's limit (appeasements,
    tests/returns); any refund is an admin's."""
    channel = {"Authorization": f"Bearer {key_for('channel')}"}
    agent = {"Authorization": f"Bearer {key_for('agent')}"}
    body = {"amount": "5.00", "currency": "EUR", "reason": "late"}
    path = f"/v1/orders/{shipped}/refunds"

    denied = api.post(path, json=body, headers=channel | {"Idempotency-Key": "c-1"})
    limited = api.post(path, json=body, headers=agent | {"Idempotency-Key": "g-1"})
    allowed = api.post(path, json=body, headers={"Idempotency-Key": "a-1"})

    assert (denied.status_code, limited.status_code, allowed.status_code) == (403, 403, 202)
    assert len(api.get(path).json()["items"]) == 1


def test_a_key_used_for_one_orders_refund_is_refused_for_another_orders(
    api: TestClient, clock: Clock, shipped: str
) -> None:
    """The key is the request's, path and body: the same body sent to another order
    under it is another request, refused, not answered with the first order's refund."""
    body = an_order_body(
        ("SKU-1", 1), external_id="W-2", payment={"method": "card", "token": APPROVES}
    )
    other = api.post("/v1/orders", json=body).json()["id"]
    assert _refund(api, shipped, "5.00", "r-1").status_code == 202

    again = _refund(api, other, "5.00", "r-1")

    assert refused(again, 409, "idempotency-key-reused")
    assert api.get(f"/v1/orders/{other}/refunds").json()["items"] == []

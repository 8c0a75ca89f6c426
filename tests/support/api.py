"""Helpers of the HTTP tests: problem documents, and a small network to stock."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from ordino.app.job_handlers import handlers
from ordino.orchestration.services.worker import Worker
from ordino.store.tables import outbox
from tests.conftest import Clock
from tests.support.builders import a_location_body, a_product_body, an_order_body
from tests.support.storage import rows

PROBLEM = "application/problem+json"


def refused(response: Response, status: int, problem: str) -> dict[str, Any]:
    """The problem document of a refusal, checked to be one."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{problem}"
    assert body["status"] == status
    return body


def fields(response: Response) -> list[str]:
    """The fields a 422 names."""
    return [error["field"] for error in refused(response, 422, "invalid-input")["errors"]]


def network(api: TestClient) -> None:
    """DC-BER and SKU-1, SKU-2: the places and things the tests stock."""
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    for sku in ("SKU-1", "SKU-2"):
        assert api.put(f"/v1/products/{sku}", json=a_product_body()).status_code == 201


def stock(api: TestClient, location_id: str, sku: str, on_hand: int, safety: int = 0) -> None:
    body = {"on_hand": on_hand, "safety_stock": safety}
    response = api.put(f"/v1/inventory/{location_id}/{sku}", json=body)
    assert response.status_code in (200, 201), response.text  # replaced, or created


def position(api: TestClient, location_id: str, sku: str) -> dict[str, Any] | None:
    """The position as the API shows it, or None where there is none."""
    response = api.get(f"/v1/inventory/{location_id}/{sku}")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def levels(api: TestClient, location_id: str, sku: str) -> tuple[int, int, int, int] | None:
    """(available, on hand, reserved, safety stock) of a position, or None."""
    p = position(api, location_id, sku)
    return None if p is None else (p["available"], p["on_hand"], p["reserved"], p["safety_stock"])


def locations_of(api: TestClient, sku: str, **params: str) -> dict[str, dict[str, Any]]:
    """A SKU's availability per location, by location id."""
    query = {"skus": sku, "include": "locations", **params}
    response = api.get("/v1/availability", params=query)
    assert response.status_code == 200, response.text
    return {at["location_id"]: at for at in response.json()["items"][0]["locations"]}


def work(api: TestClient, clock: Clock) -> None:
    """The worker runs what is due (advances of orders, releases, fills)."""
    state: Any = api.app.state  # type: ignore[attr-defined]
    uow_of = state.uow
    jobs = handlers(uow_of, state.capture, state.outside, clock)
    Worker("test", uow_of, clock, jobs).run_until_idle()


def events_of(api: TestClient, order_id: str) -> list[dict[str, Any]]:
    """The order's events in the outbox, in the order written."""
    engine = api.app.state.engine  # type: ignore[attr-defined]
    found = [e for e in rows(engine, outbox) if e["subject"] == f"order/{order_id}"]
    return sorted(found, key=lambda e: e["seq"])


def place(api: TestClient, *lines: tuple[str, int], **changes: Any) -> dict[str, Any]:
    """An order placed over HTTP (`an_order_body` with `changes`), as answered."""
    response = api.post("/v1/orders", json=an_order_body(*lines, **changes))
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def order_of(api: TestClient, order_id: str) -> dict[str, Any]:
    """The order as GET /v1/orders/{id} shows it."""
    response = api.get(f"/v1/orders/{order_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found

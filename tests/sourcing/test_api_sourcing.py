"""Sourcing over HTTP: a promised order sourced at the least cost among the locations
that keep its date, its explanation, and a location turning an allocation down."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.keys import create_key
from ordino.app.server import create_app
from ordino.config import Settings
from ordino.kernel.domain.jobs import Job
from ordino.kernel.domain.roles import Role
from ordino.orchestration.services.worker import Worker, enqueue
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import fields, network, refused, stock
from tests.support.builders import (
    a_carrier_service_body,
    a_location_body,
    a_purchase_order_body,
    an_operations_body,
    an_order_body,
)

MUNICH = a_location_body(
    name="Munich DC",
    address={"line1": "Marienplatz 8", "city": "München", "postal_code": "80331", "country": "DE"},
    latitude=48.14,
    longitude=11.58,
)
ANYWHERE_NEXT_DAY = a_carrier_service_body(transit=[{"min_days": 1, "max_days": 2}])


@pytest.fixture
def two_dcs(api: TestClient) -> None:
    network(api)
    assert api.put("/v1/locations/DC-MUC", json=MUNICH).status_code == 201
    for location_id in ("DC-BER", "DC-MUC"):
        response = api.put(f"/v1/locations/{location_id}/operations", json=an_operations_body())
        assert response.status_code == 201
        stock(api, location_id, "SKU-1", 10)
    # Berlin is nearer to Hamburg but dearer to ship from.
    assert api.put("/v1/locations/DC-BER/costs", json={"per_order": "6.00"}).status_code == 201


def _order(**overrides: Any) -> dict[str, Any]:
    body = an_order_body(("SKU-1", 2), **overrides)
    body["ship_to"] |= {"postal_code": "20095", "latitude": 53.55, "longitude": 10.0}
    return body | {"promise": {"option_id": "ship:dhl"}}


def _place(api: TestClient, **overrides: Any) -> dict[str, Any]:
    response = api.post("/v1/orders", json=_order(**overrides))
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def _sourcing(api: TestClient, order_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/v1/orders/{order_id}/sourcing")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["decisions"]
    return found


@pytest.mark.usefixtures("two_dcs")
def test_a_promised_order_ships_from_the_cheapest_location_that_keeps_the_date(
    api: TestClient,
) -> None:
    assert api.put("/v1/carrier-services/dhl", json=ANYWHERE_NEXT_DAY).status_code == 201

    order = _place(api)

    assert order["lines"][0]["allocations"] == [
        {"location_id": "DC-MUC", "quantity": 2, "ship_date": "2026-11-02"}
    ]
    [decision] = _sourcing(api, order["id"])
    assert decision["candidates"]["count"] == 2
    assert [c["location_id"] for c in decision["candidates"]["nearest"]] == ["DC-BER", "DC-MUC"]
    assert decision["alternatives"][0]["location_ids"] == ["DC-BER"]
    chosen, other = decision["chosen"]["cost"]["total"], decision["alternatives"][0]["total"]
    assert float(chosen) < float(other)


@pytest.mark.usefixtures("two_dcs")
def test_a_cheaper_location_that_would_miss_the_date_is_not_a_candidate(api: TestClient) -> None:
    # Within 400 km (Berlin) 1-2 days, beyond (Munich) 2-4 days.
    assert api.put("/v1/carrier-services/dhl", json=a_carrier_service_body()).status_code == 201

    order = _place(api)

    assert order["lines"][0]["allocations"][0]["location_id"] == "DC-BER"
    [decision] = _sourcing(api, order["id"])
    assert [c["location_id"] for c in decision["candidates"]["nearest"]] == ["DC-BER"]


@pytest.mark.usefixtures("two_dcs")
def test_an_option_only_excluded_locations_could_keep_is_neither_offered_nor_taken(
    api: TestClient,
) -> None:
    assert api.put("/v1/carrier-services/dhl", json=ANYWHERE_NEXT_DAY).status_code == 201
    profile = {
        "channels": ["web"],
        "filters": {"exclude": ["DC-BER", "DC-MUC"]},
        "strategies": [{"name": "nowhere"}],
    }
    assert api.put("/v1/sourcing-profiles/web", json=profile).status_code == 201

    cart = {"lines": [{"sku": "SKU-1", "quantity": 2}], "channel": "web"}
    quote = api.post("/v1/promises", json=cart | {"destination": {"country": "DE"}})
    response = api.post("/v1/orders", json=_order())

    assert [o["id"] for o in quote.json()["options"]] == []
    assert refused(response, 409, "promise-unavailable")["offered"] == []
    assert api.get("/v1/orders").json()["items"] == []
    assert api.get("/v1/inventory/DC-MUC/SKU-1").json()["reserved"] == 0


@pytest.mark.usefixtures("two_dcs")
def test_a_rejection_reroutes_keeping_the_promised_date(api: TestClient) -> None:
    assert api.put("/v1/carrier-services/dhl", json=ANYWHERE_NEXT_DAY).status_code == 201
    order = _place(api)

    response = api.post(
        f"/v1/orders/{order['id']}/rejections",
        json={"location_id": "DC-MUC", "reason": "damaged"},
    )

    assert response.status_code == 200, response.text
    rerouted = response.json()
    assert rerouted["order"]["lines"][0]["allocations"] == [
        {"location_id": "DC-BER", "quantity": 2, "ship_date": "2026-11-02"}
    ]
    assert rerouted["sourcing"]["promise_kept"] is True
    assert api.get("/v1/inventory/DC-MUC/SKU-1").json()["reserved"] == 0
    assert api.get("/v1/inventory/DC-BER/SKU-1").json()["reserved"] == 2
    assert [d["reason"] for d in _sourcing(api, order["id"])] == ["capture", "reroute"]


@pytest.mark.usefixtures("two_dcs")
def test_bad_rejections_are_refused_and_change_nothing(api: TestClient, clock: Clock) -> None:
    assert api.put("/v1/carrier-services/dhl", json=ANYWHERE_NEXT_DAY).status_code == 201
    order = _place(api)
    path = f"/v1/orders/{order['id']}/rejections"
    uow = api.app.state.uow()  # type: ignore[attr-defined]
    berlin_key = create_key(Role.STORE, "Berlin", uow, clock(), None, "DC-BER")

    assert fields(api.post(path, json={"location_id": "DC-MUC", "reason": "bored"})) == ["reason"]
    assert fields(api.post(path, json={"reason": "damaged"})) == ["location_id"]
    refused(api.post(path, json={"location_id": "DC-BER", "reason": "damaged"}), 404, "not-found")
    refused(
        api.post("/v1/orders/NOPE/rejections", json={"location_id": "DC-MUC", "reason": "damaged"}),
        404,
        "not-found",
    )
    other = api.post(
        path,
        json={"location_id": "DC-MUC", "reason": "damaged"},
        headers={"Authorization": f"Bearer {berlin_key}"},  # acts for Berlin only
    )
    refused(other, 403, "forbidden")
    assert api.get(f"/v1/orders/{order['id']}").json() == order
    assert len(_sourcing(api, order["id"])) == 1
    refused(api.get("/v1/orders/NOPE/sourcing"), 404, "not-found")


@pytest.mark.usefixtures("two_dcs")
def test_a_quote_promises_only_from_locations_the_channels_profile_allows(
    api: TestClient,
) -> None:
    assert api.put("/v1/carrier-services/dhl", json=ANYWHERE_NEXT_DAY).status_code == 201
    profile = {
        "channels": ["web"],
        "filters": {"exclude": ["DC-BER"], "min_stock_left": 9},
        "strategies": [{"name": "any"}],
    }
    assert api.put("/v1/sourcing-profiles/web", json=profile).status_code == 201
    to = {"country": "DE", "latitude": 53.55, "longitude": 10.0}

    def sources(channel: str, quantity: int) -> list[str]:
        cart = {"lines": [{"sku": "SKU-1", "quantity": quantity}], "channel": channel}
        answer = api.post("/v1/promises", json=cart | {"destination": to}).json()
        ship = [o for o in answer["options"] if o["id"] == "ship:dhl"]
        return [s["location_id"] for o in ship for s in o["sources"]]

    assert sources("web", 1) == ["DC-MUC"]  # Berlin, nearer, is excluded
    assert sources("web", 2) == []  # Munich keeps 9 of its 10
    assert sources("app", 2) == ["DC-BER"]  # no profile: the soonest


def test_the_server_fills_a_backorder_by_itself_when_supply_is_received(
    database_url: str, clock: Clock
) -> None:
    settings = Settings(
        database_url=database_url,
        admin_key=ADMIN_KEY,
        signal_seconds=0,  # only the job a receipt enqueues
        worker_seconds=0.02,
    )
    app = create_app(settings, clock=clock)
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        network(client)
        stock(client, "DC-BER", "SKU-1", 1)
        profile = {
            "channels": ["web"],
            "strategies": [{"name": "any"}, {"name": "wait", "kind": "backorder"}],
        }
        assert client.put("/v1/sourcing-profiles/web", json=profile).status_code == 201
        order = client.post("/v1/orders", json=an_order_body(("SKU-1", 3))).json()
        assert order["lines"][0]["backordered"] == 2
        assert client.post("/v1/supply", json=a_purchase_order_body()).status_code == 201
        receipt = {"receipt_id": "GRN-1", "lines": [{"sku": "SKU-1", "quantity": 5}]}
        assert client.post("/v1/supply/PO-1/receipts", json=receipt).status_code == 200

        deadline, waiting = time.monotonic() + 10, 2
        while waiting and time.monotonic() < deadline:
            time.sleep(0.02)
            waiting = client.get(f"/v1/orders/{order['id']}").json()["lines"][0]["backordered"]
    app.state.engine.dispose()

    assert waiting == 0


def test_a_dead_job_is_listed_with_its_error_and_can_be_requeued(
    api: TestClient, clock: Clock
) -> None:
    uow = api.app.state.uow()  # type: ignore[attr-defined]
    enqueue(uow, Job.new("no.such.kind", {"n": 1}, clock()), clock())
    Worker("w", api.app.state.uow, clock, {}).run_once()  # type: ignore[attr-defined]

    [dead] = api.get("/v1/jobs/dead").json()["items"]
    requeued = api.post(f"/v1/jobs/{dead['id']}/requeue")

    assert (dead["kind"], dead["payload"], dead["error"]) == (
        "no.such.kind",
        {"n": 1},
        "no handler for jobs of kind no.such.kind",
    )
    assert requeued.json() == {"id": dead["id"], "status": "queued"}
    assert api.get("/v1/jobs/dead").json()["items"] == []
    refused(api.post(f"/v1/jobs/{dead['id']}/requeue"), 404, "not-found")  # waits: not dead

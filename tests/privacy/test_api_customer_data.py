"""A customer's personal data over HTTP (admins only): exported as JSON, and erased
from every place Ordino keeps it — orders, their events (the outbox, so the
timeline), webhook deliveries, idempotency records, holds, free texts about the
order — keeping what accounting needs, the erasure itself recorded and announced
(`customer.erased`) without the data. The erasure test seeds the customer through
every path that stores personal data, then reads every column of every table."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from ordino.app.schema import metadata
from ordino.events.services.relay import relay_all
from ordino.events.store.tables import webhook_deliveries
from ordino.kernel.domain.roles import Role
from ordino.orders.store.tables import orders
from ordino.pricing.store import bills
from ordino.sourcing.store.tables import sourcing_decisions
from ordino.store.tables import idempotency_keys, outbox
from tests.conftest import Clock
from tests.support.api import events_of, network, order_of, refused, stock, work
from tests.support.builders import a_carrier_service_body, a_location_body, an_operations_body
from tests.support.storage import rows

EMAIL, NAME, PHONE = "grace@example.org", "Grace Hopper", "+49 40 5550123"
HOME = {
    "name": NAME,
    "line1": "Elbchaussee 42",
    "line2": "Hinterhaus",
    "city": "Hamburg-Othmarschen",
    "postal_code": "22763",
    "country": "DE",
    "latitude": 53.5481,
    "longitude": 9.8765,
}
MOVED = {
    "name": NAME,
    "line1": "Blankeneser Hauptstr. 7",
    "city": "Hamburg-Blankenese",
    "postal_code": "22587",
    "country": "DE",
    "latitude": 53.5625,
    "longitude": 9.8123,
}
BILL_TO = {"name": NAME, "line1": "Rechnungsweg 9", "city": "Hamburg", "postal_code": "22767"}
BILL_TO |= {"country": "DE"}
# What must be nowhere once the customer is erased (digits alone match as a number).
PERSONAL = [
    EMAIL,
    NAME,
    PHONE,
    "Elbchaussee 42",
    "Hinterhaus",
    "Hamburg-Othmarschen",
    "Blankeneser Hauptstr. 7",
    "Hamburg-Blankenese",
    "Rechnungsweg 9",
    "53.5481",
    "9.8765",
    "53.5625",
    "9.8123",
    "22763",
    "22587",
    "22767",
]


@pytest.fixture
def stocked(api: TestClient) -> None:
    """DC-BER ships SKU-1 and SKU-2; the Hamburg store ST-HAM takes pickups."""
    network(api)
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    assert api.put("/v1/locations/DC-BER/operations", json=an_operations_body()).status_code == 201
    service = a_carrier_service_body()
    assert api.put("/v1/carrier-services/dhl-standard", json=service).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-BER", "SKU-2", 10)
    stock(api, "ST-HAM", "SKU-1", 2)


def _engine(api: TestClient) -> Engine:
    return api.app.state.engine  # type: ignore[attr-defined,no-any-return]


def _order_body(external_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "channel": "web",
        "external_id": external_id,
        "currency": "EUR",
        "customer": {"email": EMAIL, "name": NAME, "phone": PHONE},
        "ship_to": HOME,
        "lines": [{"sku": "SKU-1", "quantity": 1, "unit_price": "59.90"}],
    } | changes


def _placed(api: TestClient, body: dict[str, Any], key: str) -> dict[str, Any]:
    response = api.post("/v1/orders", json=body, headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def _delivered_home(api: TestClient) -> dict[str, Any]:
    """Placed (with an idempotency key), moved by the customer's own link, held and
    released, noted, cancelled with a reason that names them, told again."""
    order = _placed(api, _order_body("W-GRACE-1", bill_to=BILL_TO), "grace-try-1")
    path = f"/v1/orders/{order['id']}"
    token = api.get(f"{path}/self-service-link").json()["token"]
    moved = api.post(f"/v1/self-service/orders/{token}/address", json={"ship_to": MOVED})
    assert moved.status_code == 200, moved.text
    held = api.post(f"{path}/holds", json={"reason": f"{NAME} asked us to wait"})
    assert held.status_code == 201, held.text
    note = {"note": f"Released: {NAME} called from {PHONE}"}
    released = api.post(f"{path}/holds/{held.json()['id']}/release", json=note)
    assert released.status_code == 200, released.text
    noted = api.post(f"{path}/notes", json={"note": f"{NAME} lives at Elbchaussee 42"})
    assert noted.status_code == 201
    cancelled = api.post(f"{path}/cancel", json={"reason": f"{NAME} changed her mind"})
    assert cancelled.status_code == 200, cancelled.text
    assert api.post(f"{path}/notifications").status_code == 201
    return order


def _collected(api: TestClient, clock: Clock) -> dict[str, Any]:
    """Collected at the store: the e-mail travels with the pickup code."""
    body = _order_body("W-GRACE-2", promise={"option_id": "pickup:ST-HAM"})
    order = _placed(api, body, "grace-try-2")
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert api.post(f"/v1/fulfillments/{fo['id']}/ready").status_code == 200
    [ready] = [e for e in events_of(api, order["id"]) if e["type"].endswith("ready_for_pickup")]
    code = ready["data"]["pickup_code"]
    assert ready["data"]["customer_email"] == EMAIL
    picked = api.post(f"/v1/fulfillments/{fo['id']}/picked-up", json={"code": code})
    assert picked.status_code == 200, picked.text
    assert api.post(f"/v1/orders/{order['id']}/notifications").status_code == 201
    return order


def _relayed(api: TestClient, clock: Clock) -> None:
    """The events leave: a delivery of each to a webhook subscription that wants all."""
    state = api.app.state  # type: ignore[attr-defined]
    relay_all(state.uow(), None, clock())


def _seeded(api: TestClient, clock: Clock) -> list[dict[str, Any]]:
    """Two orders of the customer, closed (cancelled; collected), their events relayed."""
    hook = {"url": "http://127.0.0.1:9/hook", "event_types": ["*"]}
    assert api.post("/v1/webhooks", json=hook).status_code == 201
    home = _delivered_home(api)
    clock.advance(minutes=1)  # the second is the newer
    seeded = [home, _collected(api, clock)]
    _relayed(api, clock)
    return seeded


def _found(engine: Engine, value: str) -> list[str]:
    """Where `value` is, as table.column, looking at every column of every row."""
    pattern = re.escape(value)
    if value.isdigit():  # not inside a longer number or an id
        pattern = rf"(?<![0-9a-f]){pattern}(?![0-9a-f])"
    where = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for column, cell in row._mapping.items():
                    text = cell if isinstance(cell, str) else json.dumps(cell, default=str)
                    if re.search(pattern, text, re.IGNORECASE):
                        where.append(f"{table.name}.{column}")
    return sorted(set(where))


def test_an_erased_customers_data_is_nowhere_and_accounting_keeps_its_facts(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    home, collected = _seeded(api, clock)
    engine = _engine(api)
    assert _found(engine, EMAIL)  # the seeding did store it
    ids = [home["id"], collected["id"]]
    events = [e for order_id in ids for e in events_of(api, order_id)]
    event_ids = {e["id"] for e in events}
    delivered = [d for d in rows(engine, webhook_deliveries) if d["event_id"] in event_ids]
    clock.advance(days=30)

    response = api.post("/v1/customer-data/erasures", json={"email": EMAIL.upper()})

    assert response.status_code == 201, response.text
    erasure = response.json()
    assert erasure["orders"] == sorted(ids)
    assert erasure["by"] == "key:environment"
    assert erasure["at"] == clock().isoformat()
    decisions = [d for d in rows(engine, sourcing_decisions) if d["order_id"] in ids]
    assert erasure["records"] == {
        "orders": 2,
        "holds": 1,
        "fulfillments": 0,
        "sourcing_decisions": len(decisions),
        "events": len(events),
        "webhook_deliveries": len(delivered),
        "idempotency_keys": 2,
        "jobs": 0,
        "inventory_movements": 0,
        "payments": 0,
        "promotion_uses": 0,
        "balances": 0,
        "bills": len(rows(engine, bills)),
        "customs_declarations": 0,
        "returns": 0,
    }
    assert len(delivered) == len(events) > 10
    leaks = {value: _found(engine, value) for value in PERSONAL}
    assert leaks == {value: [] for value in PERSONAL}
    # Distances to the customer from known locations would place them: gone too.
    explained = [d["document"].get("candidates", {}) for d in rows(engine, sourcing_decisions)]
    nearest = [c for candidates in explained for c in candidates.get("nearest", [])]
    assert nearest and all(c["distance_km"] is None for c in nearest)


def test_an_erased_order_keeps_amounts_skus_dates_and_the_postal_area(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    home, collected = _seeded(api, clock)
    before = order_of(api, home["id"])

    assert api.post("/v1/customer-data/erasures", json={"order_id": home["id"]}).status_code == 201

    after = order_of(api, home["id"])
    assert after["customer"] == {
        "email": "erased@erased.invalid",
        "name": "[erased]",
        "phone": None,
        "vat_id": None,
        "group": None,
    }
    assert after["ship_to"] == {
        "name": "[erased]",
        "line1": "[erased]",
        "line2": None,
        "city": "[erased]",
        "region": None,
        "postal_code": "225",
        "country": "DE",
        "latitude": None,
        "longitude": None,
    }
    assert after["bill_to"]["postal_code"] == "227"
    kept = ("id", "external_id", "channel", "status", "total", "currency", "created_at", "lines")
    assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
    assert after["holds"][0]["reason"] == "[erased]"
    assert after["holds"][0]["placed_by"] == before["holds"][0]["placed_by"]
    timeline = api.get(f"/v1/orders/{home['id']}/timeline").json()["items"]
    assert [e["type"] for e in timeline][-1] == "order.notification_resent"
    assert [e["why"] for e in timeline if e["type"] == "order.note_added"] == ["[erased]"]
    assert order_of(api, collected["id"])["customer"]["email"] == "erased@erased.invalid"


def test_an_erased_customer_is_not_found_by_their_email_and_the_erasure_is_told(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    home, _ = _seeded(api, clock)
    token = api.get(f"/v1/orders/{home['id']}/self-service-link").json()["token"]

    erased = api.post("/v1/customer-data/erasures", json={"email": EMAIL}).json()

    lookup = {"number": "W-GRACE-1", "email": EMAIL}
    refused(api.post("/v1/self-service/lookup", json=lookup), 404, "not-found")
    tombstone = {"number": "W-GRACE-1", "email": "erased@erased.invalid"}
    assert api.post("/v1/self-service/lookup", json=tombstone).status_code in (404, 422)
    refused(api.get(f"/v1/self-service/orders/{token}"), 404, "not-found")
    listed = api.get("/v1/orders", params={"customer_email": EMAIL}).json()
    assert listed["items"] == []
    [told] = [e for e in rows(_engine(api), outbox) if e["type"] == "customer.erased"]
    assert told["subject"] == f"erasure/{erased['id']}"
    assert told["data"] == {
        "erasure_id": erased["id"],
        "orders": erased["orders"],
        "records": erased["records"],
        "by": "key:environment",
    }
    listed_erasures = api.get("/v1/customer-data/erasures").json()["items"]
    assert listed_erasures == [erased]
    again = api.post("/v1/customer-data/erasures", json={"email": EMAIL})
    refused(again, 404, "not-found")


def test_a_customer_with_an_open_order_is_not_erased_and_nothing_changes(
    api: TestClient, stocked: None
) -> None:
    _placed(api, _order_body("W-GRACE-3"), "grace-try-3")
    engine = _engine(api)
    before = {table: rows(engine, table) for table in (orders, outbox, idempotency_keys)}

    response = api.post("/v1/customer-data/erasures", json={"email": EMAIL})

    problem = refused(response, 409, "conflict")
    opened = [(o["external_id"], o["status"]) for o in problem["open_orders"]]
    assert opened == [("W-GRACE-3", "placed")]
    assert {table: rows(engine, table) for table in before} == before
    assert api.get("/v1/customer-data/erasures").json()["items"] == []


def test_only_admins_export_or_erase_and_a_request_names_one_customer(
    api: TestClient, clock: Clock, stocked: None, key_for: Callable[[Role], str]
) -> None:
    home, _ = _seeded(api, clock)
    agent = {"Authorization": f"Bearer {key_for(Role.AGENT)}"}
    before = rows(_engine(api), orders)

    denied = api.post("/v1/customer-data/erasures", json={"email": EMAIL}, headers=agent)
    not_shown = api.post("/v1/customer-data/exports", json={"email": EMAIL}, headers=agent)
    both = api.post("/v1/customer-data/erasures", json={"email": EMAIL, "order_id": home["id"]})
    neither = api.post("/v1/customer-data/exports", json={})
    unknown = api.post("/v1/customer-data/exports", json={"email": "nobody@example.org"})

    assert (denied.status_code, not_shown.status_code) == (403, 403)
    assert refused(both, 422, "invalid-input")["errors"][0]["field"] == "body"
    assert refused(neither, 422, "invalid-input")["errors"][0]["field"] == "body"
    refused(unknown, 404, "not-found")
    assert rows(_engine(api), orders) == before


def test_an_export_holds_every_order_of_the_customer_with_its_timeline(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    home, collected = _seeded(api, clock)

    by_email = api.post("/v1/customer-data/exports", json={"email": EMAIL})
    by_order = api.post("/v1/customer-data/exports", json={"order_id": collected["id"]})

    assert by_email.status_code == 200, by_email.text
    exported = by_email.json()
    assert exported["email"] == EMAIL
    assert exported["exported_at"] == clock().isoformat()
    assert [o["id"] for o in exported["orders"]] == [collected["id"], home["id"]]
    first = exported["orders"][1]
    assert first["customer"] == {
        "email": EMAIL,
        "name": NAME,
        "phone": PHONE,
        "vat_id": None,
        "group": None,
    }
    assert first["ship_to"]["line1"] == "Blankeneser Hauptstr. 7"
    assert first["bill_to"]["line1"] == "Rechnungsweg 9"
    assert [e["type"] for e in first["timeline"]] == [e["type"] for e in events_of(api, home["id"])]
    [moved] = [e for e in first["timeline"] if e["type"] == "order.address_changed"]
    assert moved["details"]["ship_to"]["line1"] == "Blankeneser Hauptstr. 7"
    assert by_order.json()["orders"] == exported["orders"]


def test_an_order_shipped_but_never_marked_delivered_does_not_block_the_erasure(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """Many carriers never confirm a delivery: an order whose every unit left is
    closed for the erasure; one with units still at a location is not."""
    shipped = _placed(api, _order_body("W-GRACE-4"), "grace-try-4")
    work(api, clock)
    [fo] = order_of(api, shipped["id"])["fulfillments"]
    parcel = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=parcel).status_code == 200
    assert order_of(api, shipped["id"])["status"] == "shipped"

    response = api.post("/v1/customer-data/erasures", json={"email": EMAIL})

    assert response.status_code == 201, response.text
    assert response.json()["orders"] == [shipped["id"]]
    assert order_of(api, shipped["id"])["customer"]["email"] == "erased@erased.invalid"


CARD = "4242424242424242"  # the sandbox's stand-in for a gateway's reusable card token


def _paid(api: TestClient, external_id: str) -> dict[str, Any]:
    body = _order_body(external_id, payment={"method": "card", "token": CARD})
    return _placed(api, body, f"{external_id}-try")


def _ship(api: TestClient, order_id: str) -> None:
    [fo] = order_of(api, order_id)["fulfillments"]
    parcel = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=parcel).status_code == 200


def test_an_erasure_clears_the_card_token_of_payments_nothing_more_is_asked_of(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """Once a payment is closed, or its order cancelled, the card is never charged
    again: its token (a gateway's reusable one; the sandbox's is a whole test card
    number) goes with the customer. The amounts stay."""
    cancelled = _paid(api, "W-GRACE-5")
    assert api.post(f"/v1/orders/{cancelled['id']}/cancel").status_code == 200
    shipped = _paid(api, "W-GRACE-6")
    work(api, clock)
    _ship(api, shipped["id"])
    work(api, clock)  # captured, the payment closed
    statuses = [order_of(api, o["id"])["tenders"][0]["status"] for o in (cancelled, shipped)]
    assert statuses == ["pending", "closed"]
    assert _found(_engine(api), CARD) == ["payments.token"]

    response = api.post("/v1/customer-data/erasures", json={"email": EMAIL})

    assert response.status_code == 201, response.text
    assert response.json()["records"]["payments"] == 2
    assert _found(_engine(api), CARD) == []
    assert order_of(api, shipped["id"])["tenders"][0]["captured"] == "59.90"


def test_a_payment_still_to_be_captured_makes_the_erasure_wait(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """A shipped order whose capture has not run yet may still need its card (an
    expired authorisation is made again with it): refused, changing nothing."""
    shipped = _paid(api, "W-GRACE-7")
    work(api, clock)
    _ship(api, shipped["id"])  # the capture waits for the worker
    before = rows(_engine(api), orders)

    response = api.post("/v1/customer-data/erasures", json={"email": EMAIL})

    problem = refused(response, 409, "conflict")
    assert problem["unsettled_payments"] == [
        {"id": shipped["id"], "external_id": "W-GRACE-7", "payment": "authorised"}
    ]
    assert rows(_engine(api), orders) == before
    assert _found(_engine(api), CARD) == ["payments.token"]


def test_each_export_is_recorded_with_who_asked_and_whose_orders(
    api: TestClient, clock: Clock, stocked: None, key_for: Callable[[Role], str]
) -> None:
    home, collected = _seeded(api, clock)
    assert api.post("/v1/customer-data/exports", json={"email": EMAIL}).status_code == 200
    clock.advance(minutes=1)
    by_order = {"order_id": home["id"]}
    assert api.post("/v1/customer-data/exports", json=by_order).status_code == 200
    agent = {"Authorization": f"Bearer {key_for(Role.AGENT)}"}

    listed = api.get("/v1/customer-data/exports")
    denied = api.get("/v1/customer-data/exports", headers=agent)

    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [(e["by"], e["at"], e["orders"]) for e in items] == [
        ("key:environment", clock().isoformat(), sorted([home["id"], collected["id"]])),
        (
            "key:environment",
            (clock() - timedelta(minutes=1)).isoformat(),
            sorted([home["id"], collected["id"]]),
        ),
    ]
    assert listed.json()["next_cursor"] is None
    assert denied.status_code == 403


def _erased_customer(api: TestClient, email: str, external_id: str) -> str:
    order = _placed(api, _order_body(external_id, customer={"email": email}), f"{external_id}-k")
    assert api.post(f"/v1/orders/{order['id']}/cancel").status_code == 200
    erased = api.post("/v1/customer-data/erasures", json={"email": email})
    assert erased.status_code == 201, erased.text
    erasure_id: str = erased.json()["id"]
    return erasure_id


def test_the_erasures_come_a_page_at_a_time_newest_first(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    made = []
    for n in range(3):
        made.append(_erased_customer(api, f"customer{n}@example.org", f"W-C{n}"))
        clock.advance(minutes=1)

    first = api.get("/v1/customer-data/erasures", params={"limit": 2}).json()
    cursor = first["next_cursor"]
    second = api.get("/v1/customer-data/erasures", params={"limit": 2, "cursor": cursor}).json()
    too_many = api.get("/v1/customer-data/erasures", params={"limit": 201})

    assert [e["id"] for e in first["items"]] == [made[2], made[1]]
    assert cursor == made[1]
    assert ([e["id"] for e in second["items"]], second["next_cursor"]) == ([made[0]], None)
    assert refused(too_many, 422, "invalid-input")["errors"][0]["field"] == "limit"

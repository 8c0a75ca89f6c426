"""0030_privacy_fixes: stored answers name their order and webhook deliveries their
event's subject; the rows written before the upgrade get them from their bodies (a
capture's answer is the order, a refund's is found by its payment operation), the
same as new rows are written with; the active holds of cancelled orders end."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, update

from ordino.events.services.relay import relay_all
from ordino.events.store.tables import webhook_deliveries
from ordino.orders.store.tables import holds
from ordino.pricing.store.tables import bills
from ordino.store import migrate
from ordino.store.tables import idempotency_keys
from tests.conftest import Clock
from tests.support.api import network, order_of, stock, work
from tests.support.builders import an_order_body
from tests.support.storage import rows

APPROVES = "4242424242424242"


def _named(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    answers = [(k["key"], k["status"], k["order_id"]) for k in rows(engine, idempotency_keys)]
    deliveries = sorted((d["event_type"], d["subject"]) for d in rows(engine, webhook_deliveries))
    return sorted(answers), deliveries


def test_answers_and_deliveries_written_before_name_their_order_after_the_upgrade(
    api: TestClient, clock: Clock
) -> None:
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    network(api)
    stock(api, "DC-BER", "SKU-1", 20)
    hook = {"url": "http://127.0.0.1:9/hook", "event_types": ["order.created"]}
    assert api.post("/v1/webhooks", json=hook).status_code == 201
    body = an_order_body(("SKU-1", 1), payment={"method": "card", "token": APPROVES})
    placed = api.post("/v1/orders", json=body, headers={"Idempotency-Key": "place-1"})
    order_id = placed.json()["id"]
    work(api, clock)
    [fo] = order_of(api, order_id)["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    work(api, clock)
    refund = {"amount": "10.00", "currency": "EUR", "reason": "late"}
    asked = api.post(
        f"/v1/orders/{order_id}/refunds", json=refund, headers={"Idempotency-Key": "refund-1"}
    )
    assert asked.status_code == 202, asked.text
    relay_all(api.app.state.uow(), None, clock())  # type: ignore[attr-defined]
    written = _named(engine)
    with engine.begin() as connection:  # the invoice would be lost: 0042 refuses that
        connection.execute(delete(bills))

    migrate.downgrade(engine, "0029_product_search")
    migrate.upgrade(engine)

    assert written == (
        [("place-1", 201, order_id), ("refund-1", 202, order_id)],
        [("order.created", f"order/{order_id}")],
    )
    assert _named(engine) == written


def test_the_upgrade_ends_the_active_holds_of_cancelled_orders(
    api: TestClient, clock: Clock
) -> None:
    """Orders cancelled while held, before cancelling ended holds, kept an active
    hold: the upgrade ends it as cancelling does now (by Ordino, when the order was
    last changed: its cancellation). A held order not cancelled keeps its hold."""
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    network(api)
    stock(api, "DC-BER", "SKU-1", 20)
    cancelled = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()
    held = api.post("/v1/orders", json=an_order_body(("SKU-1", 1), external_id="W-2")).json()
    for order in (cancelled, held):
        assert api.post(f"/v1/orders/{order['id']}/holds", json={"reason": "check"}).is_success
    clock.advance(minutes=5)
    assert api.post(f"/v1/orders/{cancelled['id']}/cancel").status_code == 200
    with engine.begin() as connection:  # the old bug's data
        old = {"status": "active", "resolved_at": None, "resolved_by": None, "note": None}
        connection.execute(update(holds).values(**old))
    migrate.downgrade(engine, "0029_product_search")

    migrate.upgrade(engine)

    found = {h["order_id"]: h for h in rows(engine, holds)}
    ended, kept = found[cancelled["id"]], found[held["id"]]
    assert (ended["status"], ended["resolved_by"], ended["resolved_at"]) == (
        "cancelled",
        "ordino",
        clock(),
    )
    assert (kept["status"], kept["resolved_by"], kept["resolved_at"]) == ("active", None, None)

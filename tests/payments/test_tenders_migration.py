"""0045_tenders: an order paid on invoice before it (never authorised: nothing to
ask a gateway) is authorised by Ordino as it upgrades, so its shipments are captured
from it; balance entries made before are numbered in the order made; going back is
refused while a tender or a credit account the older schema cannot read exists."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from ordino.store import migrate
from tests.support.api import network, order_of, stock, work
from tests.support.builders import an_order_body

AN_HOUR = "2026-11-02 10:00:00+00:00"


def test_an_order_on_invoice_from_before_is_captured_as_it_ships(
    api: TestClient, clock: object
) -> None:
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    order = api.post("/v1/orders", json=an_order_body(payment={"method": "invoice"})).json()
    migrate.downgrade(engine, "0044_balances")  # an invoice's tender the old code reads
    with engine.begin() as connection:  # as the old code left it: pending, never authorised
        connection.execute(text("DELETE FROM payment_operations"))
        connection.execute(
            text("UPDATE payments SET status = 'pending', authorisation = NULL, "
                 "authorised_minor = 0")
        )  # fmt: skip
        for n, (at, amount) in enumerate([(AN_HOUR, 500), ("2026-11-02 09:00:00+00:00", 2000)]):
            if n == 0:
                connection.execute(
                    text("INSERT INTO balances VALUES ('gift_card:GC-OLD-0001', 'gift_card', "
                         "'EUR', 2500, :at)"), {"at": at}
                )  # fmt: skip
            connection.execute(
                text("INSERT INTO balance_entries VALUES (:id, 'gift_card:GC-OLD-0001', "
                     "'issued', :amount, NULL, NULL, :at)"),
                {"id": f"e{n}", "amount": amount, "at": at},
            )  # fmt: skip

    migrate.upgrade(engine)

    [tender] = order_of(api, order["id"])["tenders"]
    assert (tender["method"], tender["status"], tender["authorised"]) == (
        "invoice", "authorised", "119.80"
    )  # fmt: skip
    card = api.get("/v1/gift-cards/GC-OLD-0001").json()
    assert [e["amount"] for e in card["entries"]] == ["20.00", "5.00"]  # oldest first
    work(api, clock)  # type: ignore[arg-type]
    [fo] = order_of(api, order["id"])["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    assert order_of(api, order["id"])["tenders"][0]["captured"] == "119.80"


def test_going_back_is_refused_while_a_tender_the_old_schema_cannot_read_exists(
    api: TestClient,
) -> None:
    engine: Engine = api.app.state.engine  # type: ignore[attr-defined]
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    gift = {"amount": "50.00", "currency": "EUR", "code": "GC-NEW-0001"}
    assert api.post("/v1/gift-cards", json=gift, headers={"Idempotency-Key": "g"}).status_code
    tenders = [{"method": "gift_card", "code": "GC-NEW-0001", "amount": "10.00"},
               {"method": "invoice"}]  # fmt: skip
    assert api.post("/v1/orders", json=an_order_body(tenders=tenders)).status_code == 201

    with pytest.raises(RuntimeError, match="2 tenders the old code cannot read"):
        migrate.downgrade(engine, "0044_balances")

    assert migrate.current(engine) == migrate.head()

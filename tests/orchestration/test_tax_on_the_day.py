"""The tax of a shipment is the one of the day it leaves: a rate that changed since
the order was placed applies to the units leaving (and the shipping, with the first
parcel), told as `order.tax_adjusted`; the units invoiced before keep theirs; the
invoice and its capture follow."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient

from ordino.pricing.services import load_rates
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import events_of, network, order_of, stock, work
from tests.support.builders import an_order_body

# 19 % until the order's day (2026-11-02), 16 % from the next: a rate cut.
RATES = """country,tax_class,rate,valid_from,valid_until
DE,standard,19,2021-01-01,2026-11-02
DE,standard,16,2026-11-03,
"""
CARD = {"method": "card", "token": "4242424242424242"}


def _ship(api: TestClient, fo_id: str, n: int, **only: object) -> None:
    shipped = {"carrier": "dhl", "tracking_number": f"JD{n}"} | only
    answer = api.post(f"/v1/fulfillments/{fo_id}/shipped", json=shipped)
    assert answer.status_code == 200, answer.text


def test_a_rate_cut_after_the_order_applies_to_the_units_that_leave_after_it(
    api: TestClient, clock: Clock
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    assert api.put("/v1/tax-settings", json={"seller_country": "DE"}).status_code == 201
    assert api.put("/v1/channels/web", json={"pricing": {"prices": "net"}}).status_code == 200
    load_rates(RATES, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    order = api.post("/v1/orders", json=an_order_body(("SKU-1", 3), tenders=[CARD])).json()
    assert (order["money"]["tax"], order["total"]) == ("34.14", "213.84")  # 179.70 + 19 %
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    _ship(api, fo["id"], 1, lines=[{"line_no": 1, "quantity": 1}])  # the order's day: 19 %
    work(api, clock)
    clock.advance(days=1)
    [rest] = [f for f in order_of(api, order["id"])["fulfillments"] if f["id"] != fo["id"]]
    _ship(api, rest["id"], 2)  # the day after: 16 %
    work(api, clock)

    invoices = api.get(f"/v1/orders/{order['id']}/invoices").json()["items"]
    assert [[(t["rate"], t["amount"]) for t in i["taxes"]] for i in invoices] == [
        [("0.19", "11.38")], [("0.16", "19.17")]
    ]  # fmt: skip
    after = order_of(api, order["id"])
    assert [(t["rate"], t["amount"]) for t in after["lines"][0]["taxes"]] == [
        ("0.19", "11.38"), ("0.16", "19.17")
    ]  # fmt: skip
    assert after["total"] == "210.25"  # 179.70 + 11.38 + 19.17 (placed at 213.84)
    assert sum(Decimal(i["total"]) for i in invoices) == Decimal(after["total"])
    [paid] = after["tenders"]
    assert (paid["captured"], paid["voided"]) == ("210.25", "3.59")
    [adjusted] = [e for e in events_of(api, order["id"]) if e["type"] == "order.tax_adjusted"]
    assert adjusted["data"]["reason"] == "taxed at the rates of 2026-11-03, the day it left"
    assert adjusted["data"]["from_units"] == {"1": 1}  # line 1, from its second unit on
    # Kept for good beside the order (events are pruned in time): the money as placed.
    with api.app.state.uow() as uow:  # type: ignore[attr-defined]
        [kept] = uow.orders.adjustments(order["id"])
    assert (kept.kind, kept.before["money"]["tax"], kept.after["money"]["tax"]) == (
        "tax", "34.14", "30.55"
    )  # fmt: skip
    assert kept.before["lines"][0]["taxes"][0]["amount"] == "34.14"
    console = TestClient(api.app)
    found = re.search(r'name="csrf" value="([^"]+)"', console.get("/console/sign-in").text)
    assert found is not None
    form = {"password": ADMIN_KEY, "csrf": found.group(1)}
    assert console.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    page = console.get(f"/console/orders/{order['id']}").text
    assert "Money adjusted" in page and "taxed at the rates of 2026-11-03" in page
    refund = {"amount": "50.00", "currency": "EUR", "reason": "late"}
    asked = api.post(f"/v1/orders/{order['id']}/refunds", json=refund,
                     headers={"Idempotency-Key": "r-1"})  # fmt: skip
    assert asked.status_code == 202, asked.text
    work(api, clock)
    note = api.get(f"/v1/orders/{order['id']}/invoices").json()["items"][-1]
    assert note["kind"] == "credit_note"
    # Each rate credits what it taxed: the bases add up to the note's, not twice it.
    assert sum(Decimal(t["base"]) for t in note["taxes"]) == Decimal(note["base"])


def test_a_gross_order_taxed_again_keeps_its_total_whatever_its_channel_says_since(
    api: TestClient, clock: Clock
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    assert api.put("/v1/tax-settings", json={"seller_country": "DE"}).status_code == 201
    load_rates(RATES, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    order = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()  # 19 % inside
    work(api, clock)
    assert api.put("/v1/channels/web", json={"pricing": {"prices": "net"}}).status_code == 200
    clock.advance(days=1)
    [fo] = order_of(api, order["id"])["fulfillments"]
    _ship(api, fo["id"], 1)

    [invoice] = api.get(f"/v1/orders/{order['id']}/invoices").json()["items"]
    assert invoice["total"] == order["total"] == "59.90"  # 16 % inside it now: 8.26
    assert [(t["rate"], t["amount"]) for t in invoice["taxes"]] == [("0.16", "8.26")]


def test_a_day_later_with_the_same_rates_changes_nothing(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    assert api.put("/v1/tax-settings", json={"seller_country": "DE"}).status_code == 201
    load_rates(RATES, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    clock.advance(days=1)  # placed on the 3rd, at 16 %, as it leaves on the 5th
    order = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()
    work(api, clock)
    clock.advance(days=2)
    [fo] = order_of(api, order["id"])["fulfillments"]
    _ship(api, fo["id"], 1)

    [invoice] = api.get(f"/v1/orders/{order['id']}/invoices").json()["items"]
    assert [(t["rate"], t["amount"]) for t in invoice["taxes"]] == [("0.16", "8.26")]
    assert not [e for e in events_of(api, order["id"]) if e["type"] == "order.tax_adjusted"]

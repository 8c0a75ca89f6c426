"""Orders paid with several tenders, over HTTP against the sandbox gateway: a gift
card or store credit held as the order is placed (refused by its field when it holds
too little, changing nothing), a card for the rest; each shipment's invoice shared
among them in the channel's order (gift card first) and saying which paid it; what
a cancelled order held put back on the card's balance; a refund given back card
first, then onto the gift card, its credit note saying which took it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from ordino.app.check import check_balances, check_tenders
from tests.conftest import Clock
from tests.support.api import events_of, fields, network, order_of, refused, stock, work
from tests.support.builders import a_location_body, an_order_body

APPROVES = "4242424242424242"
CARD = {"method": "card", "token": APPROVES}


def _gift_card(api: TestClient, code: str, amount: str, currency: str = "EUR") -> None:
    body = {"amount": amount, "currency": currency, "code": code}
    made = api.post("/v1/gift-cards", json=body, headers={"Idempotency-Key": f"gc-{code}"})
    assert made.status_code == 201, made.text


def _card(api: TestClient, code: str) -> tuple[str, list[tuple[str, str]]]:
    card = api.get(f"/v1/gift-cards/{code}").json()
    return card["balance"], [(e["kind"], e["amount"]) for e in card["entries"]]


def _tenders(order: dict[str, Any]) -> list[tuple[str, str | None, str, str, str, str]]:
    return [
        (t["method"], t["reference"], t["status"], t["authorised"], t["captured"], t["voided"])
        for t in order["tenders"]
    ]


def _ship_all(api: TestClient, clock: Clock, order_id: str) -> None:
    work(api, clock)
    for n, fo in enumerate(order_of(api, order_id)["fulfillments"]):
        shipped = {"carrier": "dhl", "tracking_number": f"JD{n}"}
        answer = api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped)
        assert answer.status_code == 200, answer.text
    work(api, clock)


@pytest.fixture
def shop(api: TestClient) -> TestClient:
    network(api)
    stock(api, "DC-BER", "SKU-1", 20)
    stock(api, "DC-BER", "SKU-2", 20)
    _gift_card(api, "GC-AUNT-0042", "50.00")
    return api


def test_a_gift_card_pays_its_part_and_the_card_the_rest_each_captured_as_invoiced(
    shop: TestClient, clock: Clock
) -> None:
    tenders = [{"method": "gift_card", "code": "gc-aunt-0042", "amount": "20.00"}, CARD]
    placed = shop.post("/v1/orders", json=an_order_body(("SKU-1", 2), tenders=tenders))

    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert _tenders(order) == [
        ("gift_card", "…0042", "authorised", "20.00", "0.00", "0.00"),
        ("card", None, "pending", "0.00", "0.00", "0.00"),
    ]
    assert _card(shop, "GC-AUNT-0042") == ("30.00", [("issued", "50.00"), ("held", "-20.00")])

    _ship_all(shop, clock, order["id"])

    assert _tenders(order_of(shop, order["id"])) == [
        ("gift_card", "…0042", "closed", "20.00", "20.00", "0.00"),
        ("card", None, "closed", "99.80", "99.80", "0.00"),
    ]
    [invoice] = shop.get(f"/v1/orders/{order['id']}/invoices").json()["items"]
    assert invoice["total"] == "119.80"
    assert invoice["tenders"] == [
        {"method": "gift_card", "reference": "…0042", "amount": "20.00"},
        {"method": "card", "reference": None, "amount": "99.80"},
    ]
    captured = [e["data"]["payment"] for e in events_of(shop, order["id"])
                if e["type"] == "payment.captured"]  # fmt: skip
    assert [(c["method"], c["amount"]) for c in captured] == [
        ("gift_card", "20.00"), ("card", "99.80")
    ]  # fmt: skip
    assert _card(shop, "GC-AUNT-0042")[0] == "30.00"  # spent: nothing goes back


def test_a_shipment_takes_the_gift_card_first_and_what_is_not_shipped_is_voided(
    shop: TestClient, clock: Clock
) -> None:
    tenders = [CARD, {"method": "gift_card", "code": "GC-AUNT-0042", "amount": "50.00"}]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), ("SKU-2", 1),
                      tenders=tenders)).json()  # fmt: skip
    _cancel_line_2(shop, order["id"])

    _ship_all(shop, clock, order["id"])

    assert _tenders(order_of(shop, order["id"])) == [
        ("card", None, "closed", "69.80", "9.90", "59.90"),
        ("gift_card", "…0042", "closed", "50.00", "50.00", "0.00"),
    ]


def _cancel_line_2(api: TestClient, order_id: str) -> None:
    cancel = {"lines": [{"line_no": 2, "quantity": 1}]}
    answer = api.post(f"/v1/orders/{order_id}/cancellations", json=cancel)
    assert answer.status_code == 200, answer.text


def test_a_cancelled_order_puts_what_the_gift_card_held_back_on_it(
    shop: TestClient, clock: Clock
) -> None:
    tenders = [{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "20.00"}, CARD]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 2), tenders=tenders)).json()
    work(shop, clock)

    assert shop.post(f"/v1/orders/{order['id']}/cancel", json={}).status_code == 200
    work(shop, clock)
    work(shop, clock)

    assert _card(shop, "GC-AUNT-0042") == (
        "50.00", [("issued", "50.00"), ("held", "-20.00"), ("released", "20.00")]
    )  # fmt: skip
    assert [t[:3] + t[5:] for t in _tenders(order_of(shop, order["id"]))] == [
        ("gift_card", "…0042", "closed", "20.00"),
        ("card", None, "closed", "99.80"),
    ]


def test_a_gift_card_that_holds_too_little_refuses_the_order_and_changes_nothing(
    shop: TestClient,
) -> None:
    too_much = [{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "60.00"}, CARD]
    unknown = [{"method": "gift_card", "code": "GC-NONE-0000", "amount": "10.00"}, CARD]
    _gift_card(shop, "GC-FRANC-0001", "30.00", "CHF")
    francs = [{"method": "gift_card", "code": "GC-FRANC-0001", "amount": "10.00"}, CARD]

    short = shop.post("/v1/orders", json=an_order_body(tenders=too_much))
    missing = shop.post("/v1/orders", json=an_order_body(tenders=unknown, external_id="W-2"))
    other = shop.post("/v1/orders", json=an_order_body(tenders=francs, external_id="W-3"))

    assert "holds 50.00 EUR" in str(refused(short, 422, "invalid-input"))
    assert fields(short) == ["tenders[0].amount"]
    assert fields(missing) == ["tenders[0].code"]
    assert fields(other) == ["tenders[0].amount"]
    assert shop.get("/v1/orders").json()["items"] == []
    assert _card(shop, "GC-AUNT-0042") == ("50.00", [("issued", "50.00")])


@pytest.mark.parametrize(
    ("tenders", "field"),
    [
        ([{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "20.00"}], "tenders[0].amount"),
        ([CARD, CARD], "tenders[1].method"),
        ([{"method": "gift_card", "amount": "5.00"}, CARD], "tenders[0]"),
        ([{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "5.001"}, CARD],
         "tenders[0].amount"),
        ([{"method": "store_credit", "email": "nobody", "amount": "5.00"}, CARD],
         "tenders[0].email"),
        ([{"method": "card", "token": APPROVES, "code": "GC-AUNT-0042"}], "tenders[0]"),
    ],
)  # fmt: skip
def test_tenders_that_cannot_pay_the_order_are_refused_by_their_field(
    shop: TestClient, tenders: list[dict[str, str]], field: str
) -> None:
    answer = shop.post("/v1/orders", json=an_order_body(("SKU-1", 2), tenders=tenders))

    assert answer.status_code == 422, answer.text
    assert field in fields(answer)
    assert _card(shop, "GC-AUNT-0042")[0] == "50.00"


def test_payment_and_tenders_together_are_refused(shop: TestClient) -> None:
    both = an_order_body(payment=CARD, tenders=[CARD])

    assert fields(shop.post("/v1/orders", json=both)) == ["payment"]


def test_a_refund_goes_to_the_card_first_then_back_onto_the_gift_card(
    shop: TestClient, clock: Clock
) -> None:
    tenders = [{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "20.00"}, CARD]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 2), tenders=tenders)).json()
    _ship_all(shop, clock, order["id"])
    ask = {"amount": "109.80", "currency": "EUR", "reason": "arrived broken"}

    asked = shop.post(f"/v1/orders/{order['id']}/refunds", json=ask,
                      headers={"Idempotency-Key": "r-1"})  # fmt: skip
    work(shop, clock)

    assert asked.status_code == 202, asked.text
    assert asked.json()["amount"] == "109.80"
    done = order_of(shop, order["id"])["tenders"]
    assert [(t["method"], t["refunded"]) for t in done] == [("gift_card", "10.00"),
                                                             ("card", "99.80")]  # fmt: skip
    assert _card(shop, "GC-AUNT-0042")[1][-1] == ("refunded", "10.00")
    assert _card(shop, "GC-AUNT-0042")[0] == "40.00"
    [refund] = shop.get(f"/v1/orders/{order['id']}/refunds").json()["items"]
    assert (refund["status"], refund["refunded"]) == ("refunded", "109.80")
    note = shop.get(f"/v1/orders/{order['id']}/invoices").json()["items"][-1]
    assert (note["kind"], note["total"]) == ("credit_note", "109.80")
    assert note["tenders"] == [
        {"method": "gift_card", "reference": "…0042", "amount": "10.00"},
        {"method": "card", "reference": None, "amount": "99.80"},
    ]
    more = {"amount": "10.01", "currency": "EUR", "reason": "again"}
    over = shop.post(f"/v1/orders/{order['id']}/refunds", json=more,
                     headers={"Idempotency-Key": "r-2"})  # fmt: skip
    assert refused(over, 409, "over-refund")["refundable"] == "10.00"


def test_a_refund_only_onto_the_gift_card_is_made_and_credited_at_once(
    shop: TestClient, clock: Clock
) -> None:
    _gift_card(shop, "GC-BIG-0100", "100.00")
    tenders = [{"method": "gift_card", "code": "GC-BIG-0100"}]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), tenders=tenders)).json()
    _ship_all(shop, clock, order["id"])
    assert _card(shop, "GC-BIG-0100")[0] == "40.10"

    ask = {"amount": "5.00", "currency": "EUR", "reason": "late"}
    asked = shop.post(f"/v1/orders/{order['id']}/refunds", json=ask,
                      headers={"Idempotency-Key": "r-1"})  # fmt: skip

    assert (asked.json()["status"], asked.json()["refunded"]) == ("refunded", "5.00")
    assert _card(shop, "GC-BIG-0100")[0] == "45.10"
    note = shop.get(f"/v1/orders/{order['id']}/invoices").json()["items"][-1]
    assert (note["kind"], note["total"], note["tenders"]) == (
        "credit_note", "5.00", [{"method": "gift_card", "reference": "…0100", "amount": "5.00"}]
    )  # fmt: skip


def test_the_channel_may_capture_the_card_first(shop: TestClient, clock: Clock) -> None:
    pricing = {"tenders": {"capture": ["card"], "refund": ["gift_card"]}}
    assert shop.put("/v1/channels/web", json={"pricing": pricing}).status_code in (200, 201)
    assert shop.get("/v1/channels/web").json()["pricing"]["tenders"] == pricing["tenders"]
    tenders = [{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "20.00"}, CARD]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), ("SKU-2", 1),
                      tenders=tenders)).json()  # fmt: skip
    _cancel_line_2(shop, order["id"])

    _ship_all(shop, clock, order["id"])

    assert _tenders(order_of(shop, order["id"])) == [
        ("gift_card", "…0042", "closed", "20.00", "0.00", "20.00"),
        ("card", None, "closed", "99.80", "59.90", "39.90"),
    ]
    assert _card(shop, "GC-AUNT-0042")[0] == "50.00"  # what it held went back on it


def test_a_channels_order_of_tenders_names_each_method_once(api: TestClient) -> None:
    pricing = {"tenders": {"capture": ["card", "card"]}}

    answer = api.put("/v1/channels/web", json={"pricing": pricing})

    assert fields(answer) == ["pricing.tenders.capture[1]"]


def _credit(api: TestClient, key: str, **body: str) -> Any:
    grant = {"email": "Ada@Example.com", "amount": "30.00", "currency": "EUR"} | body
    return api.post("/v1/store-credit", json=grant, headers={"Idempotency-Key": key})


def test_store_credit_is_granted_once_per_key_and_spent_by_the_customers_orders(
    shop: TestClient, clock: Clock
) -> None:
    first = _credit(shop, "sc-1", reason="parcel late")
    again = _credit(shop, "sc-1", reason="parcel late")
    more = _credit(shop, "sc-2", amount="5.00")
    assert first.status_code == 201, first.text
    assert first.headers["location"] == "/v1/store-credit?email=ada%40example.com"
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert more.json()["balance"] == "35.00"
    assert fields(_credit(shop, "sc-3", currency="CHF")) == ["currency"]
    assert fields(_credit(shop, "sc-4", email="nobody")) == ["email"]

    tenders = [{"method": "store_credit", "amount": "35.00"}, CARD]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), tenders=tenders)).json()
    _ship_all(shop, clock, order["id"])

    credit = shop.get("/v1/store-credit", params={"email": "ada@example.com"}).json()
    assert credit["balance"] == "0.00"
    assert [(e["kind"], e["amount"], e["note"]) for e in credit["entries"]] == [
        ("issued", "30.00", "parcel late"), ("issued", "5.00", None), ("held", "-35.00", None)
    ]  # fmt: skip
    assert _tenders(order_of(shop, order["id"]))[0] == (
        "store_credit", "ada@example.com", "closed", "35.00", "35.00", "0.00"
    )  # fmt: skip
    assert shop.get("/v1/store-credit", params={"email": "bob@example.com"}).status_code == 404


def test_an_order_on_account_and_one_paid_on_the_marketplace_are_captured_as_they_ship(
    shop: TestClient, clock: Clock
) -> None:
    on_account = [{"method": "invoice", "account": "ACME-42"}]
    paid_there = [{"method": "marketplace"}]
    billed = shop.post("/v1/orders", json=an_order_body(tenders=on_account)).json()
    elsewhere = shop.post("/v1/orders", json=an_order_body(tenders=paid_there,
                          external_id="W-2")).json()  # fmt: skip

    _ship_all(shop, clock, billed["id"])
    _ship_all(shop, clock, elsewhere["id"])

    assert _tenders(order_of(shop, billed["id"])) == [
        ("invoice", "ACME-42", "closed", "119.80", "119.80", "0.00")
    ]
    assert _tenders(order_of(shop, elsewhere["id"])) == [
        ("marketplace", None, "closed", "119.80", "119.80", "0.00")
    ]
    [invoice] = shop.get(f"/v1/orders/{billed['id']}/invoices").json()["items"]
    assert invoice["tenders"] == [{"method": "invoice", "reference": "ACME-42",
                                   "amount": "119.80"}]  # fmt: skip


def test_erasing_a_customer_waits_for_their_store_credit_to_be_spent_then_forgets_its_email(
    shop: TestClient, clock: Clock
) -> None:
    _credit(shop, "sc-1", amount="20.00")
    erase = {"email": "ada@example.com"}
    tenders = [{"method": "store_credit", "amount": "10.00"}, CARD]
    orders = []
    for n in (1, 2):
        body = an_order_body(("SKU-1", 1), tenders=tenders, external_id=f"W-{n}")
        orders.append(shop.post("/v1/orders", json=body).json()["id"])
        _ship_all(shop, clock, orders[-1])
        if n == 1:
            held = shop.post("/v1/customer-data/erasures", json=erase)
            assert refused(held, 409, "conflict")["store_credit"] == "10.00"

    erased = shop.post("/v1/customer-data/erasures", json=erase)

    assert erased.status_code == 201, erased.text
    assert erased.json()["records"]["balances"] == 1 + 3 + 2  # it, its entries, the tenders
    assert shop.get("/v1/store-credit", params=erase).status_code == 404
    references = [order_of(shop, o)["tenders"][0]["reference"] for o in orders]
    assert all(r.startswith("~erased-") for r in references), references
    bills = [b for o in orders for b in shop.get(f"/v1/orders/{o}/invoices").json()["items"]]
    assert "ada@example.com" not in str(bills)
    whole = {"amount": "59.90", "currency": "EUR", "reason": "late"}  # more than the card took
    over = shop.post(f"/v1/orders/{orders[0]}/refunds", json=whole,
                     headers={"Idempotency-Key": "r-over"})  # fmt: skip
    assert refused(over, 409, "over-refund")["refundable"] == "49.90"  # not to erased credit
    late = {"amount": "5.00", "currency": "EUR", "reason": "late"}  # to the card
    refund = shop.post(f"/v1/orders/{orders[0]}/refunds", json=late,
                       headers={"Idempotency-Key": "r-after"})  # fmt: skip
    assert refund.status_code == 202, refund.text
    work(shop, clock)
    assert [t["refunded"] for t in order_of(shop, orders[0])["tenders"]] == ["0.00", "5.00"]


def test_a_last_parcel_the_gift_card_pays_alone_still_settles_the_rest(
    shop: TestClient, clock: Clock
) -> None:
    _gift_card(shop, "GC-BIG-0100", "100.00")
    tenders = [{"method": "gift_card", "code": "GC-BIG-0100", "amount": "80.00"}, CARD]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), ("SKU-2", 1),
                      tenders=tenders)).json()  # fmt: skip
    _cancel_line_2(shop, order["id"])

    _ship_all(shop, clock, order["id"])

    assert _tenders(order_of(shop, order["id"])) == [
        ("gift_card", "…0100", "closed", "80.00", "59.90", "20.10"),
        ("card", None, "closed", "39.80", "0.00", "39.80"),
    ]
    assert _card(shop, "GC-BIG-0100")[0] == "40.10"


def test_parcels_shipped_before_the_card_is_captured_share_what_it_holds_once(
    shop: TestClient, clock: Clock
) -> None:
    munich = a_location_body(name="Munich DC", latitude=48.14, longitude=11.58)
    assert shop.put("/v1/locations/DC-MUC", json=munich).status_code == 201
    assert shop.put("/v1/products/SKU-3", json={"name": "Boots", "weight_kg": 1,
                    "prices": {"EUR": "59.90"}}).status_code == 201  # fmt: skip
    stock(shop, "DC-MUC", "SKU-3", 5)
    pricing = {"tenders": {"capture": ["card"]}}
    assert shop.put("/v1/channels/web", json={"pricing": pricing}).status_code in (200, 201)
    tenders = [{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "20.00"}, CARD]
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), ("SKU-3", 1),
                      tenders=tenders)).json()  # fmt: skip
    work(shop, clock)
    parcels = order_of(shop, order["id"])["fulfillments"]
    assert len(parcels) == 2

    for n, fo in enumerate(parcels):  # both leave before the worker captures either
        shipped = {"carrier": "dhl", "tracking_number": f"JD{n}"}
        assert shop.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    ask = {"amount": "5.00", "currency": "EUR", "reason": "late"}
    early = shop.post(f"/v1/orders/{order['id']}/refunds", json=ask,
                      headers={"Idempotency-Key": "r-early"})  # fmt: skip
    work(shop, clock)

    assert refused(early, 409, "conflict")
    invoices = shop.get(f"/v1/orders/{order['id']}/invoices").json()["items"]
    assert [[(t["method"], t["amount"]) for t in i["tenders"]] for i in invoices] == [
        [("card", "59.90")], [("gift_card", "20.00"), ("card", "39.90")]
    ]  # fmt: skip
    assert _tenders(order_of(shop, order["id"])) == [
        ("gift_card", "…0042", "closed", "20.00", "20.00", "0.00"),
        ("card", None, "closed", "99.80", "99.80", "0.00"),
    ]


def _account(api: TestClient, limit: str = "150.00", terms: int = 14) -> None:
    body = {"currency": "EUR", "credit_limit": limit, "terms_days": terms}
    answer = api.put("/v1/credit-accounts/ACME-42", json=body)
    assert answer.status_code in (200, 201), answer.text


def test_an_order_that_takes_an_account_past_its_limit_is_placed_and_held(
    shop: TestClient, clock: Clock
) -> None:
    _account(shop)
    on_account = [{"method": "invoice", "account": "ACME-42"}]
    within = shop.post("/v1/orders", json=an_order_body(tenders=on_account)).json()
    past = shop.post("/v1/orders", json=an_order_body(tenders=on_account, external_id="W-2"))

    assert past.status_code == 201, past.text
    assert within["on_hold"] is False
    [held] = past.json()["holds"]
    assert held["rule"] == "credit_limit"
    assert "would owe 239.60 EUR, past its limit of 150.00" in held["reason"]
    account = shop.get("/v1/credit-accounts/ACME-42").json()
    assert (account["open"], account["available"]) == ("239.60", "-89.60")

    assert shop.post(f"/v1/orders/{past.json()['id']}/cancel", json={}).status_code == 200
    work(shop, clock)
    _ship_all(shop, clock, within["id"])
    paid = {"amount": "100.00", "currency": "EUR", "reference": "bank 2026-12-07"}
    first = shop.post("/v1/credit-accounts/ACME-42/payments", json=paid,
                      headers={"Idempotency-Key": "p-1"})  # fmt: skip
    again = shop.post("/v1/credit-accounts/ACME-42/payments", json=paid,
                      headers={"Idempotency-Key": "p-1"})  # fmt: skip

    assert first.status_code == 201, first.text
    assert again.json() == first.json()
    account = shop.get("/v1/credit-accounts/ACME-42").json()
    assert account["open"] == "19.80"
    assert [(e["kind"], e["amount"]) for e in account["entries"]] == [
        ("charged", "119.80"), ("charged", "119.80"), ("released", "-119.80"),
        ("paid", "-100.00"),
    ]  # fmt: skip
    [invoice] = shop.get(f"/v1/orders/{within['id']}/invoices").json()["items"]
    assert invoice["due_on"] == (clock().date() + timedelta(days=14)).isoformat()


def test_credit_accounts_refuse_what_cannot_be_by_field(shop: TestClient) -> None:
    put = "/v1/credit-accounts/ACME-42"

    assert fields(shop.put(put, json={"currency": "EUR", "credit_limit": "-1.00"})) == [
        "credit_limit"
    ]
    assert fields(shop.put(put, json={"currency": "EUR", "credit_limit": "5",
                                      "terms_days": 400})) == ["terms_days"]  # fmt: skip
    assert shop.get(put).status_code == 404
    _account(shop)
    pay = {"amount": "5.00", "currency": "CHF"}
    assert fields(shop.post(f"{put}/payments", json=pay,
                            headers={"Idempotency-Key": "p"})) == ["currency"]  # fmt: skip
    missing = shop.post("/v1/credit-accounts/NOBODY/payments", json=pay,
                        headers={"Idempotency-Key": "q"})  # fmt: skip
    assert missing.status_code == 404
    bad_account = [{"method": "invoice", "account": "no spaces"}]
    assert "tenders[0].account" in fields(
        shop.post("/v1/orders", json=an_order_body(tenders=bad_account))
    )


def test_an_erasure_waits_for_another_customers_order_holding_their_credit(
    shop: TestClient, clock: Clock
) -> None:
    _credit(shop, "sc-1", amount="20.00")
    mine = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), payment=CARD)).json()
    _ship_all(shop, clock, mine["id"])
    theirs = [{"method": "store_credit", "email": "ada@example.com", "amount": "20.00"}, CARD]
    bob = {"email": "bob@example.com", "name": "Bob"}
    body = an_order_body(("SKU-1", 1), tenders=theirs, customer=bob, external_id="W-BOB")
    held = shop.post("/v1/orders", json=body).json()

    refusal = shop.post("/v1/customer-data/erasures", json={"email": "ada@example.com"})

    assert refused(refusal, 409, "conflict")["unsettled_payments"] == [
        {"id": held["id"], "tender": "store_credit"}
    ]
    assert shop.post(f"/v1/orders/{held['id']}/cancel", json={}).status_code == 200
    work(shop, clock)
    credit = shop.get("/v1/store-credit", params={"email": "ada@example.com"}).json()
    assert credit["balance"] == "20.00"  # back on Ada's credit, not on a tombstone


def test_an_order_on_an_account_set_up_later_owes_it_nothing_when_let_go(
    shop: TestClient, clock: Clock
) -> None:
    on_account = [{"method": "invoice", "account": "ACME-42"}]
    order = shop.post("/v1/orders", json=an_order_body(tenders=on_account)).json()
    _account(shop)

    assert shop.post(f"/v1/orders/{order['id']}/cancel", json={}).status_code == 200
    work(shop, clock)

    account = shop.get("/v1/credit-accounts/ACME-42").json()
    assert (account["open"], account["entries"]) == ("0.00", [])


def test_an_account_owing_in_one_currency_takes_no_order_in_another(shop: TestClient) -> None:
    on_account = [{"method": "invoice", "account": "ACME-42"}]
    francs = {"currency": "CHF", "credit_limit": "500.00"}
    assert shop.put("/v1/credit-accounts/ACME-42", json=francs).status_code == 201
    assert fields(shop.post("/v1/orders", json=an_order_body(tenders=on_account))) == [
        "tenders[0].account"
    ]
    _account(shop)  # in euros: it has no entries yet
    assert shop.post("/v1/orders", json=an_order_body(tenders=on_account)).status_code == 201

    assert fields(shop.put("/v1/credit-accounts/ACME-42", json=francs)) == ["currency"]


def test_an_account_named_by_an_email_is_one_in_any_case(shop: TestClient) -> None:
    body = {"currency": "EUR", "credit_limit": "100.00"}
    assert shop.put("/v1/credit-accounts/Ada@Example.COM", json=body).status_code == 201

    order = shop.post("/v1/orders", json=an_order_body(tenders=[{"method": "invoice"}])).json()

    assert [h["rule"] for h in order["holds"]] == ["credit_limit"]
    assert shop.get("/v1/credit-accounts/ada@example.com").json()["open"] == "119.80"


def test_the_same_order_placed_twice_with_a_whole_gift_card_is_named_a_duplicate(
    shop: TestClient,
) -> None:
    _gift_card(shop, "GC-WHOLE-0001", "59.90")
    body = an_order_body(("SKU-1", 1), tenders=[{"method": "gift_card", "code": "GC-WHOLE-0001"}])

    assert shop.post("/v1/orders", json=body).status_code == 201
    again = shop.post("/v1/orders", json=body)

    assert refused(again, 409, "duplicate-order")


def test_ordino_check_holds_tenders_to_their_operations_and_balances_to_their_entries(
    shop: TestClient, clock: Clock
) -> None:
    _account(shop)
    _credit(shop, "sc-1", amount="10.00")
    tenders = [{"method": "gift_card", "code": "GC-AUNT-0042", "amount": "20.00"},
               {"method": "store_credit", "amount": "10.00"},
               {"method": "invoice", "account": "ACME-42"}]  # fmt: skip
    order = shop.post("/v1/orders", json=an_order_body(("SKU-1", 1), ("SKU-2", 1),
                      tenders=tenders)).json()  # fmt: skip
    _cancel_line_2(shop, order["id"])
    _ship_all(shop, clock, order["id"])
    uow = shop.app.state.uow()  # type: ignore[attr-defined]
    assert (check_tenders(uow), check_balances(uow)) == ([], [])

    engine = shop.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(text("UPDATE balances SET balance_minor = balance_minor + 100 "
                                "WHERE account = 'gift_card:GC-AUNT-0042'"))  # fmt: skip
        connection.execute(text("UPDATE credit_accounts SET entry_count = 9"))
        connection.execute(text("UPDATE payments SET captured_minor = 1 WHERE method = 'invoice'"))

    assert check_balances(uow) == [
        ("gift_card:GC-AUNT-0042", "holds 3100 (minor units), its entries add up to 3000"),
        ("invoice:ACME-42", "counts 9 entries, has 2"),  # charged, released
    ]
    [wrong] = check_tenders(uow)
    assert (wrong.order_id, wrong.problem) == (
        order["id"],
        "invoice captured: 0.01, its operations 29.90",
    )

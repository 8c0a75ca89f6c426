"""Exchanges over HTTP, against the sandbox gateway: a return's line asks for another
size or colour; the worker places the linked exchange order (regular: once the goods
are back, paid by their value as store credit, the difference charged to the card or
refunded; advanced: at authorisation, paid by the card, the return refunded as any
when the goods come back); refusals name the rule; a withdrawn return's exchange
order is cancelled; an exchange that cannot be placed is refunded as money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from ordino.returns.domain import split
from tests.conftest import Clock
from tests.pricing.test_api_tax import taxed  # noqa: F401 (a fixture)
from tests.returns.test_api_receipts import receive, units
from tests.returns.test_api_return_refunds import at_gateway, paid  # noqa: F401 (a fixture)
from tests.returns.test_api_returns import POLICY, deliver, return_events
from tests.support.api import order_of, place, refused, stock, work
from tests.support.builders import a_product_body, an_order_body

EXCHANGES = POLICY | {"non_returnable_skus": [], "exchanges": {"allowed": True}}
RETURNS = POLICY | {"non_returnable_skus": []}


@pytest.fixture
def sold(paid: str) -> str:  # noqa: F811 (the fixture imported)
    """SKU-1 x3 at 59.90, paid by card and delivered."""
    return paid


def styled(api: TestClient, **prices: str) -> None:
    """SKU-1 (59.90, as `paid` sold it) and the SKUs named, all of style "jacket",
    each in stock at DC-BER."""
    for sku, price in {"SKU-1": "59.90", **prices}.items():
        body = a_product_body(prices={"EUR": price}, attributes={"style": "jacket"})
        assert api.put(f"/v1/products/{sku.replace('_', '-')}", json=body).status_code in (200, 201)
        if sku != "SKU-1":
            stock(api, "DC-BER", sku.replace("_", "-"), 5)


def exchange(
    api: TestClient, order_id: str, sku: str, quantity: int = 1, key: str = "x-1", **more: Any
) -> Any:
    line = {"line_no": 1, "quantity": quantity, "reason": "wrong_size", "exchange_sku": sku}
    body = {"lines": [line], "method": "store"} | more
    return api.post(f"/v1/orders/{order_id}/returns", json=body, headers={"Idempotency-Key": key})


def exchanges_of(api: TestClient, return_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.get(f"/v1/returns/{return_id}/exchanges").json()["items"]
    return found


def tenders(order: dict[str, Any]) -> list[tuple[str, str]]:
    return [(t["method"], t["amount"]) for t in order["tenders"]]


def test_an_even_regular_exchange_is_placed_on_receipt_paid_by_the_returned_goods(
    api: TestClient, clock: Clock, sold: str
) -> None:
    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200
    styled(api, SKU_3="59.90")
    asked = exchange(api, sold, "SKU-3")
    assert asked.status_code == 201, asked.text
    ra = asked.json()
    assert (ra["exchange_mode"], ra["lines"][0]["exchange_sku"]) == ("regular", "SKU-3")

    work(api, clock)
    assert exchanges_of(api, ra["id"]) == []  # regular: nothing until the goods are back

    receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["status"], placed["mode"], placed["lines"]) == (
        "placed",
        "regular",
        [{"line_no": 1, "sku": "SKU-3", "quantity": 1}],
    )
    assert placed["money"] == {
        "value": "59.90",
        "total": "59.90",
        "credit": "59.90",
        "charge": "0.00",
        "refund": "0.00",
    }
    new = order_of(api, placed["order_id"])
    assert (new["type"], new["channel"], new["customer"]["email"]) == (
        "exchange",
        "web",
        "ada@example.com",
    )
    assert [(line["sku"], line["quantity"]) for line in new["lines"]] == [("SKU-3", 1)]
    assert tenders(new) == [("store_credit", "59.90")]
    assert at_gateway(api) == (17970, 0)  # the card gave nothing back: the exchange took it
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"
    assert "return.exchanged" in return_events(api, sold)
    assert api.get(f"/v1/orders/{placed['order_id']}/allocations").status_code in (200, 404)


def test_a_dearer_exchange_charges_the_difference_to_the_card(
    api: TestClient, clock: Clock, sold: str
) -> None:
    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200
    styled(api, SKU_4="79.90")
    ra = exchange(api, sold, "SKU-4").json()

    receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["money"]["credit"], placed["money"]["charge"], placed["money"]["refund"]) == (
        "59.90",
        "20.00",
        "0.00",
    )
    new = order_of(api, placed["order_id"])
    assert tenders(new) == [("store_credit", "59.90"), ("card", "20.00")]
    assert new["tenders"][1]["status"] == "authorised"  # the same card, charged as it ships
    assert order_of(api, sold)["tenders"][0]["refunded"] == "0.00"


def test_a_cheaper_exchange_refunds_the_difference_with_the_return(
    api: TestClient, clock: Clock, sold: str
) -> None:
    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200
    styled(api, SKU_5="49.90")
    ra = exchange(api, sold, "SKU-5").json()

    receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["money"]["credit"], placed["money"]["refund"]) == ("49.90", "10.00")
    assert tenders(order_of(api, placed["order_id"])) == [("store_credit", "49.90")]
    assert at_gateway(api) == (17970, 1000)  # the difference, back on the card
    refunds = api.get(f"/v1/returns/{ra['id']}/refund-preview").json()["refunds"]
    assert sorted(r["amount"] for r in refunds) == ["10.00", "49.90"]
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"


def test_an_advanced_exchange_is_placed_at_authorisation_and_the_return_refunded_on_receipt(
    api: TestClient, clock: Clock, sold: str
) -> None:
    advanced = EXCHANGES | {"exchanges": {"allowed": True, "mode": "advanced"}}
    assert api.put("/v1/return-policy", json=advanced).status_code == 200
    styled(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()

    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["status"], placed["mode"], placed["money"]) == ("placed", "advanced", None)
    new = order_of(api, placed["order_id"])
    assert tenders(new) == [("card", "59.90")]  # the deposit: the card pays until they are back
    assert new["status"] != "cancelled"

    receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    assert order_of(api, sold)["tenders"][0]["refunded"] == "59.90"  # refunded as any
    assert len(exchanges_of(api, ra["id"])) == 1  # not placed twice


def test_a_withdrawn_return_cancels_its_advanced_exchange_order(
    api: TestClient, clock: Clock, sold: str
) -> None:
    advanced = EXCHANGES | {"exchanges": {"allowed": True, "mode": "advanced"}}
    assert api.put("/v1/return-policy", json=advanced).status_code == 200
    styled(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()
    work(api, clock)
    [placed] = exchanges_of(api, ra["id"])

    assert api.post(f"/v1/returns/{ra['id']}/cancel", json={}).status_code == 200
    work(api, clock)

    [cancelled] = exchanges_of(api, ra["id"])
    assert cancelled["status"] == "cancelled"
    assert order_of(api, placed["order_id"])["status"] == "cancelled"


def test_an_exchange_out_of_stock_is_refunded_as_money_instead(
    api: TestClient, clock: Clock, sold: str
) -> None:
    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200
    styled(api, SKU_3="59.90")
    stock(api, "DC-BER", "SKU-3", 0)
    ra = exchange(api, sold, "SKU-3").json()

    receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    [refused_] = exchanges_of(api, ra["id"])
    assert (refused_["status"], refused_["order_id"]) == ("refused", None)
    assert refused_["reason"]
    assert at_gateway(api) == (17970, 5990)
    assert "return.exchange_refused" in return_events(api, sold)
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"


def test_goods_the_customer_keeps_are_exchanged_when_the_return_is_authorised(
    api: TestClient, clock: Clock, sold: str
) -> None:
    kept = EXCHANGES | {"routing": {"parcel_cost": "500.00"}}  # dearer to send than to keep
    assert api.put("/v1/return-policy", json=kept).status_code == 200
    styled(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()
    assert (ra["status"], ra["lines"][0]["route"]) == ("authorised", "returnless")

    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["status"], placed["money"]["credit"]) == ("placed", "59.90")
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"
    assert at_gateway(api) == (17970, 0)


def test_exchanges_not_offered_or_of_another_style_are_refused_naming_the_line(
    api: TestClient, sold: str
) -> None:
    styled(api, SKU_3="59.90")
    body = a_product_body(attributes={"style": "boots"})
    assert api.put("/v1/products/SKU-6", json=body).status_code == 201
    assert api.put("/v1/return-policy", json=RETURNS).status_code == 200

    not_offered = exchange(api, sold, "SKU-3")
    assert refused(not_offered, 409, "not-allowed")
    assert (not_offered.json()["rule"], not_offered.json()["field"]) == (
        "exchanges",
        "lines[0].exchange_sku",
    )

    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200
    for sku in ("SKU-6", "SKU-1", "NOPE"):
        response = exchange(api, sold, sku, key=f"k-{sku}")
        assert refused(response, 422, "invalid-input")
        assert [e["field"] for e in response.json()["errors"]] == ["lines[0].exchange_sku"]
    assert api.get(f"/v1/orders/{sold}/returns").json()["items"] == []  # nothing changed


def test_an_even_exchange_of_a_discounted_taxed_unit_costs_what_it_paid(
    taxed: TestClient,  # noqa: F811 (the fixture imported)
    clock: Clock,
) -> None:
    api = taxed
    spring = {"name": "Spring", "benefit": "order_percent", "value": "10"}
    assert api.put("/v1/promotions/spring", json=spring).status_code == 201
    rates = {"pricing": {"shipping": [{"currency": "EUR", "price": "4.90"}]}}
    assert api.put("/v1/channels/web", json=rates).status_code == 200
    styled(api, SKU_3="59.90")
    stock(api, "DC-BER", "SKU-1", 5)
    order = place(api, ("SKU-1", 2), payment={"method": "card", "token": "4242424242424242"})
    deliver(api, clock, order["id"])
    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200
    [line] = order_of(api, order["id"])["lines"]
    assert line["discount"] != "0.00" and line["tax"] != "0.00"  # 10 % off, VAT on the rest
    ra = exchange(api, order["id"], "SKU-3").json()

    receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    money = placed["money"]
    assert money["value"] == money["total"] == money["credit"]  # even: to the cent
    assert (money["charge"], money["refund"]) == ("0.00", "0.00")
    new = order_of(api, placed["order_id"])
    [taken] = new["lines"][0]["discounts"]
    assert taken["source"] == "exchange"  # not the promotion again: what the unit had off
    assert [c["kind"] for c in order["charges"]] == ["shipping"]
    assert new["charges"] == []  # the merchant ships an exchange


def test_an_exchange_order_cannot_be_placed_over_the_api(api: TestClient, sold: str) -> None:
    response = api.post(
        "/v1/orders",
        json=an_order_body(("SKU-1", 1), external_id="W-2", type="exchange"),
    )

    assert refused(response, 422, "invalid-input")
    assert [e["field"] for e in response.json()["errors"]] == ["type"]


@given(
    value=st.decimals(min_value=0, max_value=10_000, places=2),
    total=st.decimals(min_value=0, max_value=10_000, places=2),
)
def test_a_regular_exchanges_money_balances_to_the_cent(value: Decimal, total: Decimal) -> None:
    money = split(value, total)

    assert money.credit + money.refund == value  # what the goods were worth, all given
    assert money.credit + money.charge == total  # what the exchange costs, all paid
    assert min(money.credit, money.charge, money.refund) >= 0
    assert money.charge == 0 or money.refund == 0  # a difference goes one way


@pytest.mark.parametrize("mode", ["regular", "advanced"])
def test_the_policy_keeps_its_exchange_terms(api: TestClient, mode: str) -> None:
    policy = EXCHANGES | {"exchanges": {"allowed": True, "mode": mode, "group_attribute": "model"}}
    assert api.put("/v1/return-policy", json=policy).status_code == 200

    kept = api.get("/v1/return-policy").json()["exchanges"]

    assert kept == {"allowed": True, "mode": mode, "group_attribute": "model"}

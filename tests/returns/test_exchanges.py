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

from ordino.kernel.domain import Conflict
from ordino.returns.domain import split
from ordino.returns.services import exchanges, settle_exchanges
from tests.conftest import Clock
from tests.pricing.test_api_tax import taxed  # noqa: F401 (a fixture)
from tests.returns.test_api_receipts import receive, units
from tests.returns.test_api_return_refunds import at_gateway, paid  # noqa: F401 (a fixture)
from tests.returns.test_api_returns import POLICY, deliver, return_events
from tests.support.api import network, order_of, place, refused, stock, work
from tests.support.builders import a_product_body, an_order_body

EXCHANGES = POLICY | {"non_returnable_skus": [], "exchanges": {"allowed": True}}
ADVANCED = EXCHANGES | {"exchanges": {"allowed": True, "mode": "advanced"}}
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


def offered(api: TestClient, policy: dict[str, Any] = EXCHANGES, **prices: str) -> None:
    """The policy offering exchanges, and the products `styled` names."""
    assert api.put("/v1/return-policy", json=policy).status_code == 200
    styled(api, **prices)


def back(api: TestClient, clock: Clock, ra: dict[str, Any], key: str = "rc-1") -> None:
    """A unit of the return's first line received at DC-BER, and the worker run."""
    assert receive(api, ra, units(1), key=key, location_id="DC-BER").status_code == 201
    work(api, clock)


def exchange(
    api: TestClient, order_id: str, sku: str, quantity: int = 1, key: str = "x-1", **more: Any
) -> Any:
    line = {"line_no": 1, "quantity": quantity, "reason": "wrong_size", "exchange_sku": sku}
    body = {"lines": [line], "method": "store"} | more
    return api.post(f"/v1/orders/{order_id}/returns", json=body, headers={"Idempotency-Key": key})


def credit_of(api: TestClient) -> tuple[str, list[str]]:
    """The customer's store credit, and what was done to it."""
    found = api.get("/v1/store-credit", params={"email": "ada@example.com"}).json()
    return found["balance"], [e["kind"] for e in found["entries"]]


def exchanges_of(api: TestClient, return_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.get(f"/v1/returns/{return_id}/exchanges").json()["items"]
    return found


def tenders(order: dict[str, Any]) -> list[tuple[str, str]]:
    return [(t["method"], t["amount"]) for t in order["tenders"]]


def test_an_even_regular_exchange_is_placed_on_receipt_paid_by_the_returned_goods(
    api: TestClient, clock: Clock, sold: str
) -> None:
    offered(api, SKU_3="59.90")
    asked = exchange(api, sold, "SKU-3")
    assert asked.status_code == 201, asked.text
    ra = asked.json()
    assert (ra["exchange_mode"], ra["lines"][0]["exchange_sku"]) == ("regular", "SKU-3")

    work(api, clock)
    assert exchanges_of(api, ra["id"]) == []  # regular: nothing until the goods are back

    back(api, clock, ra)

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
    assert new["status"] != "cancelled" and new["lines"][0]["allocated"] == 1  # reserved
    assert credit_of(api) == ("0.00", ["credited", "held"])  # given, and spent on it at once


def test_a_dearer_exchange_charges_the_difference_to_the_card(
    api: TestClient, clock: Clock, sold: str
) -> None:
    offered(api, SKU_4="79.90")
    ra = exchange(api, sold, "SKU-4").json()

    back(api, clock, ra)

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
    offered(api, SKU_5="49.90")
    ra = exchange(api, sold, "SKU-5").json()

    back(api, clock, ra)

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
    offered(api, ADVANCED, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()

    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["status"], placed["mode"], placed["money"]) == ("placed", "advanced", None)
    new = order_of(api, placed["order_id"])
    assert tenders(new) == [("card", "59.90")]  # the deposit: the card pays until they are back
    assert new["status"] != "cancelled"

    back(api, clock, ra)

    assert order_of(api, sold)["tenders"][0]["refunded"] == "59.90"  # refunded as any
    assert len(exchanges_of(api, ra["id"])) == 1  # the receipt placed no second one


def test_a_withdrawn_return_cancels_its_advanced_exchange_order(
    api: TestClient, clock: Clock, sold: str
) -> None:
    offered(api, ADVANCED, SKU_3="59.90")
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
    offered(api, SKU_3="59.90")
    stock(api, "DC-BER", "SKU-3", 0)
    ra = exchange(api, sold, "SKU-3").json()

    back(api, clock, ra)

    [refused_] = exchanges_of(api, ra["id"])
    assert (refused_["status"], refused_["order_id"]) == ("refused", None)
    assert "SKU-3" in refused_["reason"]  # the stock it lacks
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

    back(api, clock, ra)

    [placed] = exchanges_of(api, ra["id"])
    money = placed["money"]
    # The unit paid 59.90 less 5.99 (10 % off), VAT in the price: so does its exchange.
    assert money == {"value": "53.91", "total": "53.91", "credit": "53.91", "charge": "0.00",
                     "refund": "0.00"}  # fmt: skip
    new = order_of(api, placed["order_id"])
    [taken] = new["lines"][0]["discounts"]
    assert (taken["source"], taken["amount"]) == ("exchange", "5.99")  # not the promotion
    assert (new["lines"][0]["net"], new["lines"][0]["tax"]) == ("53.91", "8.61")
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


@pytest.fixture
def two_lines(api: TestClient, clock: Clock) -> str:
    """SKU-1 x2 and SKU-2 x1 (59.90 each, style jacket) paid by card and delivered;
    SKU-3, another size, in stock."""
    network(api)
    styled(api, SKU_2="59.90", SKU_3="59.90")
    stock(api, "DC-BER", "SKU-1", 5)
    order = place(api, ("SKU-1", 2), ("SKU-2", 1), payment={"method": "card", "token": APPROVES})
    deliver(api, clock, order["id"])
    work(api, clock)  # captured
    order_id: str = order["id"]
    return order_id


APPROVES = "4242424242424242"


def test_a_kept_exchange_waits_for_its_order_before_the_return_closes(
    api: TestClient, clock: Clock, two_lines: str
) -> None:
    """Returnless: the money line is refunded at once, the exchange line waits for its
    order, and only then does the return close."""
    kept = EXCHANGES | {"routing": {"parcel_cost": "500.00"}, "auto_approve": "true"}
    assert api.put("/v1/return-policy", json=kept).status_code == 200
    lines = [{"line_no": 1, "quantity": 1, "reason": "wrong_size", "exchange_sku": "SKU-3"},
             {"line_no": 2, "quantity": 1, "reason": "wrong_size"}]  # fmt: skip
    asked = api.post(f"/v1/orders/{two_lines}/returns", json={"lines": lines, "method": "store"},
                     headers={"Idempotency-Key": "mixed"})  # fmt: skip
    assert asked.status_code == 201, asked.text
    ra = asked.json()
    assert ra["status"] == "authorised"  # line 2 refunded; line 1's exchange waits
    withdrawn = api.post(f"/v1/returns/{ra['id']}/cancel", json={})
    assert refused(withdrawn, 409, "illegal-transition")  # refunded: never returned again

    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["status"], placed["money"]["credit"]) == ("placed", "59.90")
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"
    assert order_of(api, two_lines)["tenders"][0]["refunded"] == "59.90"  # line 2 only


def test_partial_receipts_place_an_exchange_order_for_each(
    api: TestClient, clock: Clock, sold: str
) -> None:
    at_once = EXCHANGES | {"auto_approve": "true"}
    assert api.put("/v1/return-policy", json=at_once).status_code == 200
    styled(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3", quantity=2).json()

    back(api, clock, ra)
    receive(api, ra, units(1), key="rc-2", location_id="DC-BER")
    work(api, clock)

    found = exchanges_of(api, ra["id"])
    assert [(x["seq"], x["lines"][0]["quantity"], x["money"]["credit"]) for x in found] == [
        (1, 1, "59.90"),
        (2, 1, "59.90"),
    ]
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"
    assert at_gateway(api) == (17970, 0)


def test_a_cheaper_exchanges_difference_goes_to_store_credit_when_the_return_says_so(
    api: TestClient, clock: Clock, sold: str
) -> None:
    offered(api, SKU_5="49.90")
    ra = exchange(api, sold, "SKU-5", refund_to="store_credit").json()

    back(api, clock, ra)

    assert at_gateway(api) == (17970, 0)
    assert credit_of(api) == ("10.00", ["credited", "credited", "held"])


def test_an_order_without_a_card_cannot_exchange(api: TestClient, clock: Clock) -> None:
    network(api)
    styled(api, SKU_3="59.90")
    stock(api, "DC-BER", "SKU-1", 5)
    order = place(api, ("SKU-1", 1))  # paid elsewhere
    deliver(api, clock, order["id"])
    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200

    response = exchange(api, order["id"], "SKU-3")

    assert refused(response, 409, "not-allowed")
    assert (response.json()["rule"], response.json()["field"]) == (
        "exchanges",
        "lines[0].exchange_sku",
    )


def test_an_exchanges_number_taken_by_another_order_refunds_it_as_money(
    api: TestClient, clock: Clock, sold: str
) -> None:
    offered(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()
    place(api, ("SKU-1", 1), external_id=f"exchange-{ra['code']}-1")  # a channel's, by chance

    back(api, clock, ra)

    [refused_] = exchanges_of(api, ra["id"])
    assert refused_["status"] == "refused" and "another order's" in refused_["reason"]
    assert at_gateway(api) == (17970, 5990)


def test_a_passing_trouble_is_tried_again_not_refused(
    api: TestClient, clock: Clock, sold: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A capture of the card on its way (a Conflict) fails the job, which the worker
    tries again later: the exchange is placed then, never refused for it."""
    offered(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()
    receive(api, ra, units(1), location_id="DC-BER")

    def busy(*_: Any) -> Any:
        raise Conflict("a capture of the order's card is on its way")

    monkeypatch.setattr(exchanges, "give_as_store_credit", busy)
    work(api, clock)
    assert exchanges_of(api, ra["id"]) == []  # neither placed nor refused

    monkeypatch.undo()
    clock.advance(minutes=5)
    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert placed["status"] == "placed"
    assert at_gateway(api) == (17970, 0)


def test_the_exchange_job_run_again_places_nothing_more(
    api: TestClient, clock: Clock, sold: str
) -> None:
    offered(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()
    back(api, clock, ra)
    state: Any = api.app.state  # type: ignore[attr-defined]

    for _ in range(2):  # the worker died before it said the job was done: it runs again
        settle_exchanges(ra["id"], state.uow(), state.capture, clock())

    assert len(exchanges_of(api, ra["id"])) == 1
    assert credit_of(api) == ("0.00", ["credited", "held"])


def test_customer_service_refunds_an_exchange_that_cannot_be_placed_as_money(
    api: TestClient, clock: Clock, sold: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The way out of an exchange whose job keeps failing: asked, the refund gives up
    the exchange (refused, told) and refunds the units; the job places nothing then."""
    offered(api, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3").json()

    def busy(*_: Any) -> Any:
        raise Conflict("a capture of the order's card is on its way")

    monkeypatch.setattr(exchanges, "give_as_store_credit", busy)
    back(api, clock, ra)
    asked = api.post(f"/v1/returns/{ra['id']}/refunds", headers={"Idempotency-Key": "out"})
    monkeypatch.undo()
    clock.advance(minutes=5)
    work(api, clock)

    assert asked.status_code == 202, asked.text
    [given_up] = exchanges_of(api, ra["id"])
    assert (given_up["status"], given_up["reason"]) == (
        "refused",
        "refunded as money instead, as customer service asked",
    )
    assert at_gateway(api) == (17970, 5990)
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"


def test_a_kept_exchange_closed_by_hand_and_refused_is_refunded_as_money(
    api: TestClient, clock: Clock, sold: str
) -> None:
    offered(api, EXCHANGES | {"routing": {"parcel_cost": "500.00"}}, SKU_3="59.90")
    stock(api, "DC-BER", "SKU-3", 0)
    ra = exchange(api, sold, "SKU-3").json()
    assert api.post(f"/v1/returns/{ra['id']}/close", json={}).status_code == 200

    work(api, clock)

    [refused_] = exchanges_of(api, ra["id"])
    assert refused_["status"] == "refused"
    assert at_gateway(api) == (17970, 5990)  # the unit kept, refunded


def test_an_exchange_refunded_on_drop_off_is_placed_though_the_parcel_was_lost(
    api: TestClient, clock: Clock, sold: str
) -> None:
    drop_off = EXCHANGES | {"methods": ["store", "carrier_drop_off"],
                           "refunds": {"refund_on": "drop_off"}}  # fmt: skip
    offered(api, drop_off, SKU_3="59.90")
    ra = exchange(api, sold, "SKU-3", method="carrier_drop_off").json()
    assert api.post(f"/v1/returns/{ra['id']}/in-transit", json={}).status_code == 200
    lost = {"location_id": "DC-BER", "missing": [{"line_no": 1, "quantity": 1}]}
    assert api.post(f"/v1/returns/{ra['id']}/receipts", json=lost,
                    headers={"Idempotency-Key": "lost"}).status_code == 201  # fmt: skip

    work(api, clock)

    [placed] = exchanges_of(api, ra["id"])
    assert (placed["status"], placed["money"]["credit"]) == ("placed", "59.90")
    assert at_gateway(api) == (17970, 0)

"""Refunds of returns over HTTP, against the sandbox gateway: what the returned units
paid, given back by themselves on receipt (or drop-off, or authorisation for what
the customer keeps), less what the policy keeps; previewed; asked by an agent when
the policy's moment passed; never twice, never above what was captured."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.payments.adapters.sandbox_tables import sandbox_authorisations
from ordino.payments.store.tables import payment_operations, payments
from tests.conftest import Clock
from tests.orchestration.test_api_invoices import bills, placed, ship, shop  # noqa: F401
from tests.pricing.test_api_tax import taxed  # noqa: F401 (a fixture)
from tests.returns.test_api_receipts import receive, units
from tests.returns.test_api_returns import POLICY, return_events, start
from tests.support.api import events_of, network, order_of, refused, stock, work
from tests.support.builders import an_order_body
from tests.support.storage import rows

APPROVES = "4242424242424242"
KEEPS_FEES = POLICY | {
    "non_returnable_skus": [],
    "reasons": [
        {"code": "wrong_size", "label": "Wrong size", "restocking_fee": "0.10"},
        {"code": "damaged", "label": "Damaged", "merchant_fault": True},
    ],
    "refunds": {"return_shipping_fee": "4.95"},
}


@pytest.fixture
def paid(api: TestClient, clock: Clock) -> str:
    """SKU-1 x3 at 59.90 paid by card, shipped (179.70 captured) and delivered."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 20)
    body = an_order_body(("SKU-1", 3), payment={"method": "card", "token": APPROVES})
    order_id: str = api.post("/v1/orders", json=body).json()["id"]
    work(api, clock)
    [fo] = order_of(api, order_id)["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "JD1"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    work(api, clock)
    delivered_at = clock.advance(days=1).isoformat()
    done = {"delivered_at": delivered_at}
    assert api.post(f"/v1/fulfillments/{fo['id']}/delivered", json=done).status_code == 200
    assert order_of(api, order_id)["tenders"][0]["captured"] == "179.70"
    return order_id


def at_gateway(api: TestClient) -> tuple[int, int]:
    [authorisation] = rows(api.app.state.engine, sandbox_authorisations)  # type: ignore[attr-defined]
    return authorisation["captured_minor"], authorisation["refunded_minor"]


def test_a_return_received_is_refunded_by_itself_and_closed(
    api: TestClient, clock: Clock, paid: str
) -> None:
    ra = start(api, paid, (1, 2)).json()

    got = receive(api, ra, units(2), location_id="DC-BER").json()
    work(api, clock)

    assert got["status"] == "closed"  # received, and refunded
    assert at_gateway(api) == (17970, 11980)
    assert order_of(api, paid)["tenders"][0]["refunded"] == "119.80"
    preview = api.get(f"/v1/returns/{ra['id']}/refund-preview").json()
    [refund] = preview["refunds"]
    assert (refund["amount"], refund["lines"][0]["paid"], refund["lines"][0]["units"]) == (
        "119.80",
        "119.80",
        [0, 1],
    )
    assert preview["now"]["lines"] == []  # owes nothing more
    events = return_events(api, paid)
    assert events[-3:] == ["return.received", "return.refunded", "return.closed"]
    asked = api.post(f"/v1/returns/{ra['id']}/refunds", headers={"Idempotency-Key": "r"})
    assert refused(asked, 409, "conflict")  # it owes nothing


def test_the_policy_keeps_its_fees_and_the_merchants_fault_keeps_none(
    api: TestClient, clock: Clock, paid: str
) -> None:
    assert api.put("/v1/return-policy", json=KEEPS_FEES).status_code == 200
    too_small = start(api, paid, (1, 1), key="a", method="mail").json()
    preview = api.get(f"/v1/returns/{too_small['id']}/refund-preview").json()["when_all_back"]
    assert (preview["goods"], preview["restocking_fees"], preview["return_shipping_fee"]) == (
        "59.90",
        "5.99",
        "4.95",
    )
    assert preview["amount"] == "48.96"

    receive(api, too_small, units(1), location_id="DC-BER")
    work(api, clock)

    assert at_gateway(api) == (17970, 4896)


def test_a_return_refunded_on_drop_off_is_not_refunded_again_on_receipt(
    api: TestClient, clock: Clock, paid: str
) -> None:
    drop_off = POLICY | {
        "non_returnable_skus": [],
        "methods": ["store", "carrier_drop_off"],
        "refunds": {"refund_on": "drop_off"},
    }
    assert api.put("/v1/return-policy", json=drop_off).status_code == 200
    ra = start(api, paid, (1, 1), method="carrier_drop_off").json()

    carried = api.post(f"/v1/returns/{ra['id']}/in-transit", json={})
    received = receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    assert carried.status_code == 200 and received.status_code == 201
    assert at_gateway(api) == (17970, 5990)
    assert received.json()["status"] == "closed"
    assert return_events(api, paid).count("return.refunded") == 1


def test_goods_the_customer_keeps_are_refunded_when_the_return_is_authorised(
    api: TestClient, clock: Clock, paid: str
) -> None:
    returnless = POLICY | {"non_returnable_skus": [], "routing": {"parcel_cost": "500.00"}}
    assert api.put("/v1/return-policy", json=returnless).status_code == 200

    ra = start(api, paid, (1, 1)).json()
    work(api, clock)

    assert (ra["status"], ra["lines"][0]["route"]) == ("closed", "returnless")
    assert at_gateway(api) == (17970, 5990)
    assert order_of(api, paid)["lines"][0]["returnable"] == 2


def owing(api: TestClient, clock: Clock, order_id: str) -> dict[str, Any]:
    """A return received while a capture of the card was on its way (here: a second
    capture written and not made yet): its refund waits for someone to ask."""
    ra = start(api, order_id, (1, 1)).json()
    engine: Any = api.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        payment_id = connection.execute(payments.select()).first().id
        connection.execute(
            payment_operations.insert().values(
                key="pending-capture",
                payment_id=payment_id,
                kind="capture",
                amount_minor=1,
                currency="EUR",
                done_minor=0,
                created_at=clock(),
            )
        )
    got = receive(api, ra, units(1), location_id="DC-BER").json()
    assert got["status"] == "received"  # not refunded: the card's capture is on its way
    with engine.begin() as connection:
        connection.execute(
            payment_operations.delete().where(payment_operations.c.key == "pending-capture")
        )
    return ra


def test_an_agent_asks_for_a_refund_once_the_tenders_can_give_back(
    api: TestClient, clock: Clock, paid: str
) -> None:
    ra = owing(api, clock, paid)

    first = api.post(f"/v1/returns/{ra['id']}/refunds", headers={"Idempotency-Key": "r-1"})
    again = api.post(f"/v1/returns/{ra['id']}/refunds", headers={"Idempotency-Key": "r-1"})
    work(api, clock)

    assert (first.status_code, first.json()["amount"]) == (202, "59.90")
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert at_gateway(api) == (17970, 5990)
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "closed"


def test_refunds_of_a_return_asked_at_once_give_back_once(
    api: TestClient, clock: Clock, paid: str
) -> None:
    ra = owing(api, clock, paid)

    def ask(n: int) -> int:
        client = TestClient(api.app, headers=dict(api.headers))
        path = f"/v1/returns/{ra['id']}/refunds"
        return client.post(path, headers={"Idempotency-Key": f"r-{n}"}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = sorted(pool.map(ask, range(4)))
    work(api, clock)

    assert answers == [202, 409, 409, 409]
    assert at_gateway(api) == (17970, 5990)


def test_customer_service_gives_goodwill_within_its_roles_limit(
    api: TestClient, clock: Clock, paid: str, key_for: Any
) -> None:
    """The agent's limit: 20 % of the order's 179.70, 35.94, all appeasements on it
    together; an admin's: none set, any; the refunds' endpoint is the admin's."""
    agent = {"Authorization": f"Bearer {key_for('agent')}"}
    path = f"/v1/orders/{paid}/appeasements"

    def give(amount: str, key: str, headers: dict[str, str] | None = None) -> Any:
        clock.advance(seconds=1)  # listed in the order given
        body = {"amount": amount, "currency": "EUR", "reason": "parcel arrived late"}
        return api.post(path, json=body, headers={"Idempotency-Key": key} | (headers or {}))

    first = give("30.00", "a-1", agent)
    over = give("6.00", "a-2", agent)
    admin = give("50.00", "a-3")
    work(api, clock)

    assert first.status_code == 202, first.text
    problem = refused(over, 409, "not-allowed")
    assert (problem["rule"], problem["left"], problem["field"]) == (
        "appeasement_limit",
        "5.94",
        "amount",
    )
    assert admin.status_code == 202
    assert at_gateway(api) == (17970, 8000)
    listed = api.get(path).json()["items"]
    assert [(a["amount"], a["role"]) for a in listed] == [("30.00", "agent"), ("50.00", "admin")]
    assert "order.appeased" in [e["type"] for e in events_of(api, paid)]
    free = {"amount": "1.00", "currency": "EUR", "reason": "x"}
    refunds = api.post(
        f"/v1/orders/{paid}/refunds", json=free, headers=agent | {"Idempotency-Key": "f"}
    )
    assert refunds.status_code == 403  # past the limits: an admin's


def test_a_parcel_received_in_part_refunds_only_what_came_on_drop_off_terms(
    api: TestClient, clock: Clock, paid: str
) -> None:
    """Refunds on drop-off give back the whole parcel once a carrier has it; a store
    receiving part of it refunds only that part."""
    drop_off = POLICY | {"non_returnable_skus": [], "refunds": {"refund_on": "drop_off"}}
    assert api.put("/v1/return-policy", json=drop_off | {"auto_approve": "true"}).status_code == 200
    ra = start(api, paid, (1, 3)).json()

    part = receive(api, ra, units(1), location_id="DC-BER")
    work(api, clock)

    assert part.json()["status"] == "received_in_part"
    assert at_gateway(api) == (17970, 5990)


def test_goods_kept_returnless_are_refunded_whole_without_fees(
    api: TestClient, clock: Clock, paid: str
) -> None:
    kept = KEEPS_FEES | {"routing": {"parcel_cost": "500.00"}, "auto_approve": "true"}
    assert api.put("/v1/return-policy", json=kept).status_code == 200

    ra = start(api, paid, (1, 1), method="mail").json()
    work(api, clock)

    assert (ra["status"], ra["label"]) == ("closed", None)
    assert at_gateway(api) == (17970, 5990)  # neither restocking nor return shipping


def test_the_preview_owes_nothing_before_anything_came_back(api: TestClient, paid: str) -> None:
    damaged = {"lines": [{"line_no": 1, "quantity": 1, "reason": "damaged"}], "method": "mail"}
    ra = api.post(
        f"/v1/orders/{paid}/returns", json=damaged, headers={"Idempotency-Key": "d"}
    ).json()

    now = api.get(f"/v1/returns/{ra['id']}/refund-preview").json()["now"]

    assert (now["shipping"], now["amount"]) == ("0.00", "0.00")


def test_a_return_whose_units_all_went_missing_closes_saying_so(
    api: TestClient, clock: Clock, paid: str
) -> None:
    ra = start(api, paid, (1, 1)).json()

    lost = receive(api, ra, location_id="DC-BER", missing=[{"line_no": 1, "quantity": 1}])
    work(api, clock)

    assert (lost.json()["status"], lost.json()["reason"]) == (
        "closed",
        "nothing came back to refund",
    )
    assert at_gateway(api) == (17970, 0)


def test_a_returns_credit_note_credits_the_returned_units_with_their_own_tax(
    shop: TestClient,  # noqa: F811 (the fixture imported)
    clock: Clock,
) -> None:
    """SKU-1 (20 % VAT) and two books (5.5 %) to Paris, shipping 4.90; one book back:
    its credit note credits the book at 5.5 %, not a share of everything billed."""
    order_id = placed(shop, clock)
    ship(shop, order_id)
    work(shop, clock)
    [fo] = order_of(shop, order_id)["fulfillments"]
    done = {"delivered_at": clock.advance(days=1).isoformat()}
    assert shop.post(f"/v1/fulfillments/{fo['id']}/delivered", json=done).status_code == 200
    book = {"lines": [{"line_no": 2, "quantity": 1, "reason": "wrong_size"}], "method": "store"}
    ra = shop.post(
        f"/v1/orders/{order_id}/returns", json=book, headers={"Idempotency-Key": "b"}
    ).json()

    receive(shop, ra, units(1, line_no=2), location_id="DC-BER")
    work(shop, clock)

    note = next(b for b in bills(shop, order_id) if b["kind"] == "credit_note")
    assert note["total"] == "10.55"
    assert [(li["sku"], [t["rate"] for t in li["taxes"]]) for li in note["lines"]] == [
        ("SKU-2", ["0.055"])
    ]
    assert note["charges"] == [] and note["tax"] == "0.55"  # 10.55 holds 10.55 - 10.55 / 1.055


def test_a_refund_the_gateway_declined_is_owed_again(
    api: TestClient, clock: Clock, paid: str
) -> None:
    """The card's bank declined the refund of a return received: its units are owed
    again, and an agent asks once more."""
    ra = start(api, paid, (1, 1)).json()
    receive(api, ra, units(1), location_id="DC-BER")
    engine: Any = api.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:  # the gateway's answer, as the worker keeps it
        connection.execute(
            payment_operations.update()
            .where(payment_operations.c.kind == "refund")
            .values(outcome="declined", completed_at=clock())
        )
    now = api.get(f"/v1/returns/{ra['id']}/refund-preview").json()["now"]

    again = api.post(f"/v1/returns/{ra['id']}/refunds", headers={"Idempotency-Key": "again"})
    work(api, clock)

    assert now["amount"] == "59.90"
    assert (again.status_code, again.json()["amount"]) == (202, "59.90")
    assert at_gateway(api) == (17970, 5990)  # once: the first never reached it


def test_a_return_refunded_as_store_credit_counts_against_what_may_be_refunded(
    api: TestClient, clock: Clock, paid: str
) -> None:
    body = {
        "lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}],
        "method": "store",
        "refund_to": "store_credit",
    }
    ra = api.post(f"/v1/orders/{paid}/returns", json=body, headers={"Idempotency-Key": "s"}).json()

    got = receive(api, ra, units(1), location_id="DC-BER").json()
    work(api, clock)

    assert (got["status"], got["refund_to"]) == ("closed", "store_credit")
    credit = api.get("/v1/store-credit", params={"email": "ada@example.com"}).json()
    assert credit["balance"] == "59.90"
    assert at_gateway(api) == (17970, 0)  # the card's money kept
    note = next(b for b in bills(api, paid) if b["kind"] == "credit_note")
    assert [(t["method"], t["amount"]) for t in note["tenders"]] == [("store_credit", "59.90")]
    whole = {"amount": "179.70", "currency": "EUR", "reason": "everything"}
    over = api.post(f"/v1/orders/{paid}/refunds", json=whole, headers={"Idempotency-Key": "w"})
    assert refused(over, 409, "over-refund")["refundable"] == "119.80"

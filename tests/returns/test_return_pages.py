"""Returns' pages over HTTP, without a browser: the customer starts a return on
their page (and a refusal names the policy's rule, changing nothing); customer
service works the queue, authorises, refunds once however often the form is sent,
and gives goodwill within the role's limit; a store finds a return by its code or
the order's number and receives it once, a bad count refused by its field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from ordino.payments.store.tables import payment_operations
from tests.conftest import Clock
from tests.returns.test_api_receipts import HAMBURG
from tests.returns.test_api_return_refunds import at_gateway, owing, paid  # noqa: F401
from tests.returns.test_api_returns import POLICY, deliver, start
from tests.returns.test_exchanges import EXCHANGES, styled
from tests.support.api import order_of, place, stock, work
from tests.support.builders import a_location_body, a_product_body

PASSWORD = "correct horse battery"


def _form(client: TestClient, path: str) -> dict[str, str]:
    """The hidden fields of the page's first form that has them (csrf, once)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return dict(re.findall(r'type="hidden" name="(csrf|once)" value="([^"]+)"', page.text))


def _person(api: TestClient, clock: Clock, name: str, role: Role, at: str | None = None) -> Any:
    """A browser of a person signed in to the console (`at`: a store's associate)."""
    create_user(name, PASSWORD, role, api.app.state.uow(), clock(), at)  # type: ignore[attr-defined]
    client = TestClient(api.app)
    form = {"username": name, "password": PASSWORD} | _form(client, "/console/sign-in")
    assert client.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    return client


def _customer(api: TestClient) -> tuple[TestClient, str]:
    """The customer's browser on their order's page (found by number and e-mail)."""
    client = TestClient(api.app)
    form = {"number": "W-1001", "email": "ada@example.com"} | _form(client, "/my-order")
    found = client.post("/my-order", data=form, follow_redirects=False)
    assert found.status_code == 303, found.text
    return client, found.headers["location"].rsplit("/", 1)[1]


def _find(client: TestClient, **asked: str) -> Any:
    """The store's search for a return (by code, or the order's number and e-mail)."""
    form = _form(client, "/console/store/returns") | asked
    return client.post("/console/store/returns", data=form, follow_redirects=False)


@pytest.fixture
def order_id(paid: str) -> str:  # noqa: F811 (the fixture imported)
    """W-1001: SKU-1 x3 at 59.90 paid by card (179.70 captured) and delivered."""
    return paid


@pytest.fixture
def store(api: TestClient) -> None:
    """The Hamburg store ST-HAM sells SKU-1 and takes returns."""
    body = a_location_body(name="Hamburg store", type="store", ships=False, **HAMBURG)
    assert api.put("/v1/locations/ST-HAM", json=body).status_code == 201
    stock(api, "ST-HAM", "SKU-1", 5)


def test_the_customer_starts_a_return_on_their_page_and_sees_its_code_and_image(
    api: TestClient, order_id: str, store: None
) -> None:
    client, token = _customer(api)
    assert 'href="/my-order/' + token + '/return"' in client.get(f"/my-order/{token}").text

    sent = _form(client, f"/my-order/{token}/return") | {
        "return-1": "2",
        "reason-1": "wrong_size",
        "note": "too small",
        "method": "store",
        "refund_to": "original",
    }
    started = client.post(f"/my-order/{token}/return", data=sent, follow_redirects=False)
    page = client.get(started.headers["location"]).text

    assert started.status_code == 303
    [ra] = api.get(f"/v1/orders/{order_id}/returns").json()["items"]
    assert (ra["initiator"], ra["status"]) == ("customer", "authorised")
    assert ra["lines"][0]["quantity"] == 2
    assert ra["lines"][0]["note"] == "too small"
    assert ra["code"] in page and "<svg" in page  # the code, and its QR image to show
    assert "2 being returned" in page


@pytest.mark.parametrize(
    ("fields", "status", "said"),
    [
        ({"return-1": "x"}, 422, "Please check what you entered."),
        ({"return-1": "0"}, 422, "Choose how many of which items to return"),
        ({"return-1": "9"}, 422, "Please check what you entered."),  # more than delivered
        ({"return-1": "1", "method": "pigeon"}, 422, "Please check what you entered."),
        ({"return-1": "1", "reason-1": "bored"}, 422, "Please check what you entered."),
    ],
)
def test_a_bad_return_form_is_refused_and_changes_nothing(
    api: TestClient, order_id: str, fields: dict[str, str], status: int, said: str
) -> None:
    client, token = _customer(api)
    sent = (
        _form(client, f"/my-order/{token}/return")
        | {"reason-1": "wrong_size", "method": "store", "refund_to": "original"}
        | fields
    )

    refused = client.post(f"/my-order/{token}/return", data=sent, follow_redirects=False)

    assert refused.status_code == status
    assert said in refused.text
    assert api.get(f"/v1/orders/{order_id}/returns").json()["items"] == []


def test_a_return_past_its_window_names_the_rule_on_the_customers_page(
    api: TestClient, clock: Clock, order_id: str
) -> None:
    clock.advance(days=31)
    client, token = _customer(api)
    sent = _form(client, f"/my-order/{token}/return") | {
        "return-1": "1",
        "reason-1": "wrong_size",
        "method": "store",
        "refund_to": "original",
    }

    refused = client.post(f"/my-order/{token}/return", data=sent)

    assert refused.status_code == 409
    assert "The time to return this item has passed." in refused.text
    assert api.get(f"/v1/orders/{order_id}/returns").json()["items"] == []


def test_customer_service_authorises_a_return_from_its_queue(
    api: TestClient, clock: Clock, order_id: str
) -> None:
    assert api.put("/v1/return-policy", json=POLICY).status_code == 200  # < 100.00 at once
    ra = start(api, order_id, (1, 2)).json()
    assert ra["status"] == "requested"
    ada = _person(api, clock, "ada", Role.AGENT)

    queue = ada.get("/console/returns").text
    page = f"/console/returns/{ra['id']}"
    decided = ada.post(f"{page}/authorise", data=_form(ada, page), follow_redirects=False)
    again = ada.post(f"{page}/authorise", data=_form(ada, page))

    assert ra["code"] in queue and "W-1001" in queue
    assert decided.status_code == 303
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "authorised"
    assert again.status_code == 422 and "Not done:" in again.text  # not requested any more
    assert "Authorise" not in ada.get(page).text


def test_a_refund_asked_on_the_return_page_is_made_once_however_often_it_is_sent(
    api: TestClient, clock: Clock, order_id: str
) -> None:
    ra = owing(api, clock, order_id)
    ada = _person(api, clock, "ada", Role.AGENT)
    page = f"/console/returns/{ra['id']}"
    form = _form(ada, page)
    assert "Refund €59.90" in ada.get(page).text

    first = ada.post(f"{page}/refund", data=form, follow_redirects=False)
    again = ada.post(f"{page}/refund", data=form, follow_redirects=False)  # sent twice
    work(api, clock)

    assert (first.status_code, again.status_code) == (303, 303)
    assert at_gateway(api) == (17970, 5990)
    assert re.search(r"Refunded</dt><dd>€59.90", ada.get(page).text)


def test_goodwill_from_the_order_page_within_the_roles_limit(
    api: TestClient, clock: Clock, order_id: str
) -> None:
    ada = _person(api, clock, "ada", Role.AGENT)
    page = f"/console/orders/{order_id}"
    form = _form(ada, page) | {"currency": "EUR", "reason": "late delivery"}

    over = ada.post(f"{page}/appeasements", data=form | {"amount": "40.00"})  # 20 % is 35.94
    ten = form | {"amount": "10.00"}
    given = ada.post(f"{page}/appeasements", data=ten, follow_redirects=False)
    twice = ada.post(f"{page}/appeasements", data=ten, follow_redirects=False)  # sent twice
    unsaid = ada.post(f"{page}/appeasements", data=_form(ada, page) | {"amount": "1.00"})
    work(api, clock)

    assert over.status_code == 422 and "at most 35.94 EUR" in over.text
    assert (given.status_code, twice.status_code) == (303, 303)
    assert unsaid.status_code == 422 and "reason" in unsaid.text
    [appeasement] = api.get(f"/v1/orders/{order_id}/appeasements").json()["items"]
    assert (appeasement["amount"], appeasement["by"]) == ("10.00", "user:ada")
    assert at_gateway(api) == (17970, 1000)
    assert "late delivery" in ada.get(page).text


def test_a_store_receives_a_return_by_its_code_once_and_restocks_it(
    api: TestClient, clock: Clock, order_id: str, store: None
) -> None:
    ra = start(api, order_id, (1, 2)).json()
    sam = _person(api, clock, "sam", Role.STORE, "ST-HAM")

    wrong = sam.get("/console/store/returns", params={"code": "R000000000"})
    found = sam.get("/console/store/returns", params={"code": ra["code"].lower()})
    page = found.text
    form = _form(sam, f"/console/store/returns/{ra['code']}") | {
        "received-1": "2",
        "condition-1": "new",
        "disposition-1": "restock",
    }
    path = f"/console/store/returns/{ra['code']}/receipts"
    first = sam.post(path, data=form, follow_redirects=False)
    again = sam.post(path, data=form, follow_redirects=False)  # sent twice

    assert wrong.status_code == 404 and "No return has this code" in wrong.text
    assert ra["code"] in page and 'value="restock" selected' in page  # it is routed here
    assert (first.status_code, again.status_code) == (303, 303)
    [receipt] = api.get(f"/v1/returns/{ra['id']}/receipts").json()["items"]
    assert (receipt["location_id"], receipt["by"]) == ("ST-HAM", "user:sam")
    assert api.get("/v1/inventory/ST-HAM/SKU-1").json()["on_hand"] == 7
    assert "Nothing more is awaited" in sam.get(f"/console/store/returns/{ra['code']}").text


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"received-1": "3"}, "lines[0]"),  # more than the return awaits
        ({"received-1": "two"}, "received-1"),
        ({"received-1": "1", "condition-1": "soggy"}, "condition-1"),
        ({"received-1": "", "missing-1": ""}, "received"),
    ],
)
def test_a_bad_receipt_on_the_store_page_names_its_field_and_changes_nothing(
    api: TestClient, clock: Clock, order_id: str, store: None, fields: dict[str, str], named: str
) -> None:
    ra = start(api, order_id, (1, 2)).json()
    sam = _person(api, clock, "sam", Role.STORE, "ST-HAM")
    form = _form(sam, f"/console/store/returns/{ra['code']}") | {
        "condition-1": "new",
        "disposition-1": "restock",
    }

    refused = sam.post(f"/console/store/returns/{ra['code']}/receipts", data=form | fields)

    assert refused.status_code == 422
    assert named in refused.text
    assert api.get(f"/v1/returns/{ra['id']}/receipts").json()["items"] == []
    assert api.get("/v1/inventory/ST-HAM/SKU-1").json()["on_hand"] == 5


def test_a_store_finds_an_orders_returns_by_its_number_and_with_the_email_any_orders(
    api: TestClient, clock: Clock, order_id: str, store: None
) -> None:
    ra = start(api, order_id, (1, 1)).json()
    body = a_location_body(name="Munich store", type="store", ships=False)
    assert api.put("/v1/locations/ST-MUC", json=body).status_code == 201
    max_ = _person(api, clock, "max", Role.STORE, "ST-MUC")

    by_number = _find(max_, number="W-1001")
    with_email = _find(max_, number="W-1001", email="ADA@example.com")
    wrong_email = _find(max_, number="W-1001", email="eve@example.com")

    assert by_number.status_code == 404  # not an order of Munich's, nor a return going there
    assert with_email.status_code == 200 and ra["code"] in with_email.text
    assert wrong_email.status_code == 404 and ra["code"] not in wrong_email.text
    assert order_of(api, order_id)["lines"][0]["being_returned"] == 1


def test_the_customers_form_sent_twice_starts_one_return(api: TestClient, order_id: str) -> None:
    client, token = _customer(api)
    sent = _form(client, f"/my-order/{token}/return") | {
        "return-1": "1",
        "reason-1": "wrong_size",
        "method": "store",
        "refund_to": "original",
    }

    first = client.post(f"/my-order/{token}/return", data=sent, follow_redirects=False)
    again = client.post(f"/my-order/{token}/return", data=sent, follow_redirects=False)
    other = client.post(f"/my-order/{token}/return", data=sent | {"return-1": "2"})

    assert (first.status_code, again.status_code) == (303, 303)
    assert other.status_code == 422  # the same form's key with other fields: refused
    assert "This form was sent already" in other.text
    assert len(api.get(f"/v1/orders/{order_id}/returns").json()["items"]) == 1


def test_a_return_waiting_for_a_decision_shows_no_code_to_hand_in(
    api: TestClient, order_id: str
) -> None:
    assert api.put("/v1/return-policy", json=POLICY).status_code == 200  # < 100.00 at once
    ra = start(api, order_id, (1, 2)).json()
    client, token = _customer(api)

    page = client.get(f"/my-order/{token}").text

    assert ra["status"] == "requested" and ra["code"] in page
    assert "<svg" not in page and "Show this code" not in page


def test_a_refund_the_gateway_declined_is_not_shown_as_refunded(
    api: TestClient, clock: Clock, order_id: str
) -> None:
    ra = start(api, order_id, (1, 1)).json()
    received = {
        "lines": [{"line_no": 1, "quantity": 1, "condition": "new", "disposition": "restock"}]
    }
    got = api.post(
        f"/v1/returns/{ra['id']}/receipts",
        json=received | {"location_id": "DC-BER"},
        headers={"Idempotency-Key": "rc-1"},
    )
    assert got.status_code == 201, got.text
    engine: Any = api.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:  # the bank declined the card's refund
        connection.execute(
            payment_operations.update()
            .where(payment_operations.c.kind == "refund")
            .values(outcome="declined", completed_at=clock())
        )
    ada = _person(api, clock, "ada", Role.AGENT)
    client, token = _customer(api)

    page = ada.get(f"/console/returns/{ra['id']}").text
    theirs = client.get(f"/my-order/{token}").text

    assert re.search(r"Refunded</dt><dd>€0.00", page)
    assert re.search(r"Due now</dt><dd><strong>€59.90", page)
    assert "Refunded:" not in theirs


def test_the_store_sends_units_routed_to_their_vendor_back_by_default(
    api: TestClient, clock: Clock, order_id: str, store: None
) -> None:
    vendor = a_location_body(name="Acme", type="supplier", ships=False)
    assert api.put("/v1/locations/SUP-ACME", json=vendor).status_code == 201
    product = api.get("/v1/products/SKU-1").json()
    body = {k: product[k] for k in ("name", "weight_kg") if product.get(k) is not None}
    assert api.put("/v1/products/SKU-1", json=body | {"attributes": {"vendor": "SUP-ACME"}})
    policy = {
        k: v
        for k, v in api.get("/v1/return-policy").json().items()
        if k not in ("version", "default")
    }
    policy["routing"]["vendor_reasons"] = ["wrong_size"]
    assert api.put("/v1/return-policy", json=policy).status_code == 200, policy
    ra = start(api, order_id, (1, 1)).json()
    assert (ra["lines"][0]["destination"], ra["lines"][0]["route"]) == ("SUP-ACME", "vendor")
    sam = _person(api, clock, "sam", Role.STORE, "ST-HAM")
    page = f"/console/store/returns/{ra['code']}"
    shown = sam.get(page).text
    form = _form(sam, page) | {"received-1": "1", "condition-1": "damaged"}
    form["disposition-1"] = re.findall(r'<option value="(\w+)" selected', shown)[0]

    received = sam.post(f"{page}/receipts", data=form, follow_redirects=False)

    assert form["disposition-1"] == "return_to_vendor" and "back to its vendor SUP-ACME" in shown
    assert received.status_code == 303
    [receipt] = api.get(f"/v1/returns/{ra['id']}/receipts").json()["items"]
    assert receipt["lines"][0]["to"] == "SUP-ACME"


def test_guessing_e_mails_for_an_order_number_at_a_store_is_limited(
    api: TestClient, clock: Clock, order_id: str, store: None
) -> None:
    start(api, order_id, (1, 1))
    sam = _person(api, clock, "sam", Role.STORE, "ST-HAM")

    answers = [_find(sam, number="W-1001", email=f"x{n}@example.com") for n in range(12)]

    assert answers[0].status_code == 404
    assert answers[-1].status_code == 429 and "Too many tries" in answers[-1].text
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_the_customers_api_call_sent_again_with_its_key_starts_one_return(
    api: TestClient, clock: Clock, order_id: str
) -> None:
    _, token = _customer(api)
    body = {"lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}], "method": "store"}
    path = f"/v1/self-service/orders/{token}/returns"
    public = TestClient(api.app)  # no API key: the link is the customer's

    first = public.post(path, json=body, headers={"Idempotency-Key": "ret-1"})
    again = public.post(path, json=body, headers={"Idempotency-Key": "ret-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert len(api.get(f"/v1/orders/{order_id}/returns").json()["items"]) == 1

    # Another customer's key of the same name is theirs: their return starts too.
    bob = place(api, ("SKU-1", 1), external_id="W-2002", customer={"email": "bob@example.com"})
    deliver(api, clock, bob["id"])
    client = TestClient(api.app)
    form = {"number": "W-2002", "email": "bob@example.com"} | _form(client, "/my-order")
    their = client.post("/my-order", data=form, follow_redirects=False).headers["location"]
    theirs = public.post(
        f"/v1/self-service/orders/{their.rsplit('/', 1)[1]}/returns",
        json=body,
        headers={"Idempotency-Key": "ret-1"},
    )
    assert theirs.status_code == 201, theirs.text


def test_a_store_starts_a_return_at_its_counter_of_an_order_it_did_not_serve(
    api: TestClient, clock: Clock, order_id: str, store: None
) -> None:
    body = a_location_body(name="Munich store", type="store", ships=False)
    assert api.put("/v1/locations/ST-MUC", json=body).status_code == 201
    max_ = _person(api, clock, "max", Role.STORE, "ST-MUC")
    counter = f"/console/store/returns/orders/{order_id}"
    csrf = _form(max_, "/console/store/returns")["csrf"]
    unproven = max_.post(f"{counter}/lines", data={"csrf": csrf})

    found = _find(max_, number="W-1001", email="ada@example.com")
    page = max_.post(f"{counter}/lines", data={"csrf": csrf, "email": "ada@example.com"})
    shown = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    started = max_.post(
        counter, data=shown | {"return-1": "1", "reason-1": "wrong_size"}, follow_redirects=False
    )

    assert unproven.status_code == 404  # no e-mail said for it
    assert f'action="{counter}/lines"' in found.text
    assert "ada@example.com" not in str(found.url) + found.headers.get("set-cookie", "")
    assert "of 3 they may return" in page.text
    assert started.status_code == 303, started.text
    [ra] = api.get(f"/v1/orders/{order_id}/returns").json()["items"]
    assert (ra["initiator"], ra["location_id"], ra["method"]) == ("store", "ST-MUC", "store")
    assert started.headers["location"].startswith(f"/console/store/returns/{ra['code']}")
    assert ra["code"] in max_.get(started.headers["location"]).text  # to receive it now


def test_the_customer_exchanges_for_another_size_on_their_page_and_sees_the_exchange_order(
    api: TestClient, clock: Clock, order_id: str, store: None
) -> None:
    assert api.put("/v1/return-policy", json=EXCHANGES).status_code == 200
    styled(api, SKU_3="59.90")
    sold_out = a_product_body(name="Rain jacket XL", attributes={"style": "jacket"})
    assert api.put("/v1/products/SKU-7", json=sold_out).status_code == 201  # none in stock
    client, token = _customer(api)
    form = client.get(f"/my-order/{token}/return").text
    assert 'name="exchange-1"' in form and 'value="SKU-3"' in form  # the size picker
    assert 'value="SKU-7"' not in form  # what the shop cannot sell now is not offered

    sent = _form(client, f"/my-order/{token}/return") | {
        "return-1": "1",
        "reason-1": "wrong_size",
        "exchange-1": "SKU-3",
        "method": "store",
        "refund_to": "original",
    }
    started = client.post(f"/my-order/{token}/return", data=sent, follow_redirects=False)
    assert started.status_code == 303, started.text
    [ra] = api.get(f"/v1/orders/{order_id}/returns").json()["items"]
    assert ra["lines"][0]["exchange_sku"] == "SKU-3"
    received = {"lines": [{"line_no": 1, "quantity": 1, "condition": "new",
                           "disposition": "restock"}], "location_id": "DC-BER"}  # fmt: skip
    headers = {"Idempotency-Key": "rc"}
    assert (
        api.post(f"/v1/returns/{ra['id']}/receipts", json=received, headers=headers).status_code
        == 201
    )
    work(api, clock)

    page = client.get(f"/my-order/{token}").text
    [placed] = api.get(f"/v1/returns/{ra['id']}/exchanges").json()["items"]
    number = order_of(api, placed["order_id"])["external_id"]
    assert "exchanged for Rain jacket" in page  # the product's name
    assert f"Exchange order {number} placed" in page
    assert "paid by the return: €59.90" in page
    assert "Refunded" not in page  # the goods paid for the exchange: nothing came back to the card
    agent = _person(api, clock, "ann", Role.AGENT)
    file = agent.get(f"/console/returns/{ra['id']}").text
    assert f'href="/console/orders/{placed["order_id"]}"' in file  # the exchange order, linked
    assert 'data-label="Paid by the return">€59.90</td>' in file  # the exchange's row
    assert f">{number}</a>" in file
    linked = agent.get(f"/console/orders/{placed['order_id']}").text
    assert f'href="/console/returns/{ra["id"]}"' in linked  # and back: whose exchange it is

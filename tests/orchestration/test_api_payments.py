"""Payments over HTTP, against the sandbox gateway: a card authorised by the
pipeline and captured parcel by parcel as it ships, the rest voided; a declined
card holds the order; a lost answer retried by its key; an expired authorisation
made again; pickup captured at handover. The clock stands at Monday 2 November
2026, 10:00 in Berlin; the worker runs when the tests say so."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.app.check import check_payments
from ordino.app.job_handlers import handlers
from ordino.kernel.domain.jobs import settle_job
from ordino.orchestration.services.worker import Worker, enqueue
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.payments.adapters.sandbox_tables import sandbox_authorisations
from ordino.payments.domain.payments import GatewayTimeout, OperationKind, PaymentOperation
from ordino.payments.store.tables import payment_operations
from tests.conftest import Clock
from tests.support.api import events_of, fields, network, order_of, stock, work
from tests.support.builders import a_location_body, an_order_body
from tests.support.storage import rows

APPROVES = "4242424242424242"
DECLINES = "4000000000000002"
LOSES_ANSWER = "4000000000003220"
DECLINES_CAPTURES = "4000000000000341"


@pytest.fixture
def stocked(api: TestClient) -> None:
    network(api)
    store = a_location_body(
        name="Hamburg store", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    stock(api, "DC-BER", "SKU-1", 20)
    stock(api, "DC-BER", "SKU-2", 20)
    stock(api, "ST-HAM", "SKU-1", 2)


def _place(api: TestClient, card: str, *lines: tuple[str, int], **changes: Any) -> dict[str, Any]:
    body = an_order_body(*lines, payment={"method": "card", "token": card}, **changes)
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def _money(payment: dict[str, Any]) -> tuple[str, str, str, str]:
    return (payment["status"], payment["authorised"], payment["captured"], payment["voided"])


def _ship(api: TestClient, fulfillment_id: str, **body: Any) -> None:
    shipped = {"carrier": "dhl", "tracking_number": "JD1"} | body
    response = api.post(f"/v1/fulfillments/{fulfillment_id}/shipped", json=shipped)
    assert response.status_code == 200, response.text


def test_a_card_is_authorised_then_captured_parcel_by_parcel(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 2), ("SKU-2", 1))  # 3 x 59.90
    assert _money(order["tenders"][0]) == ("pending", "0.00", "0.00", "0.00")

    work(api, clock)
    authorised = order_of(api, order["id"])
    assert _money(authorised["tenders"][0]) == ("authorised", "179.70", "0.00", "0.00")
    assert authorised["status"] == "released"
    [fo] = authorised["fulfillments"]

    _ship(api, fo["id"], lines=[{"line_no": 1, "quantity": 1}])
    work(api, clock)
    assert _money(order_of(api, order["id"])["tenders"][0]) == (
        "authorised",
        "179.70",
        "59.90",
        "0.00",
    )
    rest = order_of(api, order["id"])["fulfillments"][1]
    _ship(api, rest["id"], tracking_number="JD2")
    work(api, clock)

    assert _money(order_of(api, order["id"])["tenders"][0]) == (
        "closed",
        "179.70",
        "179.70",
        "0.00",
    )
    types = [e["type"] for e in events_of(api, order["id"]) if e["type"].startswith("payment.")]
    assert types == ["payment.authorised", "payment.captured", "payment.captured"]
    told = [
        (e["data"]["by"], e["data"]["payment"])
        for e in events_of(api, order["id"])
        if e["type"].startswith("payment.")
    ]
    assert told == [
        ("gateway", _told("authorised", "179.70", "0.00", "authorise", "179.70")),
        ("gateway", _told("authorised", "179.70", "59.90", "capture", "59.90")),
        ("gateway", _told("closed", "179.70", "179.70", "capture", "119.80")),
    ]


def _told(
    status: str, authorised: str, captured: str, operation: str, amount: str
) -> dict[str, str | int | None]:
    """A payment event's account of the payment (nothing voided or refunded)."""
    return {
        "method": "card",
        "tender": 0,
        "status": status,
        "authorised": authorised,
        "captured": captured,
        "voided": "0.00",
        "refunded": "0.00",
        "message": None,
        "operation": operation,
        "amount": amount,
    }


def test_a_declined_capture_holds_the_shipped_order_for_someone_to_settle(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, DECLINES_CAPTURES, ("SKU-1", 1))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]

    _ship(api, fo["id"])
    work(api, clock)

    held = order_of(api, order["id"])
    assert (held["status"], held["on_hold"]) == ("shipped", True)
    assert [(h["rule"], h["reason"]) for h in held["holds"]] == [
        ("payment", "capture declined: card declined")
    ]
    assert _money(held["tenders"][0]) == ("authorised", "59.90", "0.00", "0.00")
    [declined] = [e for e in events_of(api, order["id"]) if e["type"] == "payment.capture_declined"]
    assert declined["data"]["payment"]["message"] == "capture declined: card declined"


def test_a_declined_card_holds_the_order_and_cancelling_from_the_hold_ends_it(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, DECLINES, ("SKU-1", 2))
    work(api, clock)

    held = order_of(api, order["id"])
    assert (held["status"], held["on_hold"], held["fulfillments"]) == ("placed", True, [])
    [hold] = held["holds"]
    assert (hold["rule"], hold["reason"]) == ("payment", "payment declined: card declined")
    assert _money(held["tenders"][0]) == ("declined", "0.00", "0.00", "0.00")

    response = api.post(f"/v1/orders/{order['id']}/holds/{hold['id']}/cancel")
    assert response.status_code == 200, response.text
    work(api, clock)
    cancelled = order_of(api, order["id"])
    assert cancelled["status"] == "cancelled"
    assert _money(cancelled["tenders"][0]) == ("declined", "0.00", "0.00", "0.00")


def test_releasing_a_payment_hold_with_a_new_card_authorises_that_card(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, DECLINES, ("SKU-1", 2))
    work(api, clock)
    [hold] = order_of(api, order["id"])["holds"]

    path = f"/v1/orders/{order['id']}/holds/{hold['id']}/release"
    response = api.post(path, json={"note": "new card by phone", "token": APPROVES})
    assert response.status_code == 200, response.text
    work(api, clock)

    paid = order_of(api, order["id"])
    assert (paid["status"], paid["on_hold"]) == ("released", False)
    assert _money(paid["tenders"][0]) == ("authorised", "119.80", "0.00", "0.00")
    assert paid["holds"][0]["note"] == "new card by phone"


def test_releasing_a_payment_hold_without_a_new_card_tries_the_same_card_again(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, DECLINES, ("SKU-1", 2))
    work(api, clock)
    [hold] = order_of(api, order["id"])["holds"]

    path = f"/v1/orders/{order['id']}/holds/{hold['id']}/release"
    response = api.post(path, json={"note": "the bank says yes now"})
    assert response.status_code == 200, response.text
    retrying = order_of(api, order["id"])["tenders"][0]
    work(api, clock)

    again = order_of(api, order["id"])
    assert (retrying["status"], retrying["message"]) == ("pending", None)
    assert sorted((h["reason"], h["status"]) for h in again["holds"]) == [
        ("payment declined: card declined", "active"),  # the same card, declined again
        ("payment declined: card declined", "released"),
    ]
    assert _money(again["tenders"][0]) == ("declined", "0.00", "0.00", "0.00")


def test_a_new_card_is_refused_for_a_hold_that_is_not_the_payments(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 1))
    held = api.post(f"/v1/orders/{order['id']}/holds", json={"reason": "call the customer"})
    assert held.status_code == 201, held.text
    hold_id = held.json()["id"]

    path = f"/v1/orders/{order['id']}/holds/{hold_id}/release"
    response = api.post(path, json={"token": APPROVES})

    assert response.status_code == 422
    assert fields(response) == ["token"]
    assert order_of(api, order["id"])["holds"][0]["status"] == "active"


def test_a_lost_answer_is_asked_again_by_its_key_and_authorised_once(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, LOSES_ANSWER, ("SKU-1", 1))
    work(api, clock)  # the gateway authorised it, but its answer never came
    assert _money(order_of(api, order["id"])["tenders"][0]) == ("pending", "0.00", "0.00", "0.00")

    clock.advance(seconds=30)  # the job's retry is due
    work(api, clock)

    assert _money(order_of(api, order["id"])["tenders"][0]) == (
        "authorised",
        "59.90",
        "0.00",
        "0.00",
    )
    assert order_of(api, order["id"])["status"] == "released"
    engine = api.app.state.engine  # type: ignore[attr-defined]
    assert len(rows(engine, sandbox_authorisations)) == 1


def test_cancelling_after_a_parcel_left_voids_the_rest(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 3))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    _ship(api, fo["id"], lines=[{"line_no": 1, "quantity": 1}])

    response = api.post(f"/v1/orders/{order['id']}/cancel", json={"reason": "changed mind"})
    assert response.status_code == 200, response.text
    work(api, clock)  # the capture first, then the void of what will not ship

    done = order_of(api, order["id"])
    assert done["status"] == "shipped"
    assert _money(done["tenders"][0]) == ("closed", "179.70", "59.90", "119.80")


def test_an_expired_authorisation_is_made_again_before_capturing(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 1))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    first = order_of(api, order["id"])["tenders"][0]["expires_at"]

    clock.advance(days=8)
    _ship(api, fo["id"])
    work(api, clock)

    payment = order_of(api, order["id"])["tenders"][0]
    assert _money(payment) == ("closed", "59.90", "59.90", "0.00")
    assert payment["expires_at"] > first
    engine = api.app.state.engine  # type: ignore[attr-defined]
    assert len(rows(engine, sandbox_authorisations)) == 2


def test_a_pickup_is_captured_when_it_is_handed_over(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 2), promise={"option_id": "pickup:ST-HAM"})
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    assert api.post(f"/v1/fulfillments/{fo['id']}/ready").status_code == 200
    [ready] = [
        e for e in events_of(api, order["id"]) if e["type"] == "fulfillment.ready_for_pickup"
    ]
    assert _money(order_of(api, order["id"])["tenders"][0])[2] == "0.00"

    code = ready["data"]["pickup_code"]
    assert (
        api.post(f"/v1/fulfillments/{fo['id']}/picked-up", json={"code": code}).status_code == 200
    )
    work(api, clock)

    assert _money(order_of(api, order["id"])["tenders"][0]) == (
        "closed",
        "119.80",
        "119.80",
        "0.00",
    )


def test_a_card_without_its_token_is_refused(api: TestClient, stocked: None) -> None:
    body = an_order_body(("SKU-1", 1), payment={"method": "card"})
    assert fields(api.post("/v1/orders", json=body)) == ["payment"]
    invoice = an_order_body(("SKU-1", 1), payment={"method": "invoice", "token": APPROVES})
    assert fields(api.post("/v1/orders", json=invoice)) == ["payment"]
    assert api.get("/v1/orders").json()["items"] == []


def test_an_authorisation_whose_answer_was_lost_is_voided_when_the_order_is_cancelled(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, LOSES_ANSWER, ("SKU-1", 1))
    work(api, clock)  # authorised at the gateway, the answer lost: the payment waits
    response = api.post(f"/v1/orders/{order['id']}/cancel", json={"reason": "changed mind"})
    assert response.status_code == 200, response.text

    clock.advance(seconds=30)
    work(api, clock)

    payment = order_of(api, order["id"])["tenders"][0]
    assert _money(payment) == ("closed", "59.90", "0.00", "59.90")
    engine = api.app.state.engine  # type: ignore[attr-defined]
    [held] = rows(engine, sandbox_authorisations)
    assert (held["authorised_minor"], held["captured_minor"], held["voided"]) == (5990, 0, True)
    uow = api.app.state.uow  # type: ignore[attr-defined]
    assert check_payments(uow(), SandboxGateway(engine), clock()) == []


def test_an_orphaned_authorisation_is_reported_then_voided(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    """Before payment operations were recoverable, a retry after a lost record made a
    second authorisation, held by no payment: `ordino check` reports it and the
    payment's settling voids it; the payment tells both."""
    order = _place(api, APPROVES, ("SKU-1", 1))
    work(api, clock)
    engine, uow = api.app.state.engine, api.app.state.uow  # type: ignore[attr-defined]
    gateway = SandboxGateway(engine)
    key = f"{order['id']}:authorise:0"
    answer = gateway.authorise(APPROVES, Decimal("59.90"), "EUR", key, clock())
    with uow() as u:
        (payment,) = u.payments.of_order(order["id"])
        op = PaymentOperation(key, payment.id, OperationKind.AUTHORISE, Decimal("59.90"), clock())
        u.payments.begin(op, "EUR")
        u.payments.complete(op.answered(answer), "EUR", clock())
        u.commit()

    [orphan] = check_payments(uow(), gateway, clock())
    assert (orphan.order_id, orphan.subject) == (order["id"], answer.reference)
    assert orphan.problem == "holds money at the gateway for no payment (to void)"

    enqueue(uow(), settle_job(order["id"], clock()), clock())
    work(api, clock)

    assert check_payments(uow(), gateway, clock()) == []
    voided = {row["id"]: row["voided"] for row in rows(engine, sandbox_authorisations)}
    assert voided == {payment.authorisation: False, answer.reference: True}
    after = order_of(api, order["id"])["tenders"][0]
    assert (_money(after), after["message"]) == (("authorised", "119.80", "0.00", "59.90"), None)


class Racing:
    """The sandbox; while the first authorisation is on its way, `meanwhile` runs;
    then the answer is lost (after the sandbox did it, if `arrives`)."""

    def __init__(self, sandbox: SandboxGateway, meanwhile: Any, arrives: bool) -> None:
        self.sandbox, self.meanwhile, self.arrives = sandbox, meanwhile, arrives
        self.first = True

    def authorise(self, token: str, amount: Decimal, currency: str, key: str, now: Any) -> Any:
        if not self.first:
            return self.sandbox.authorise(token, amount, currency, key, now)
        self.first = False
        self.meanwhile()
        if self.arrives:
            self.sandbox.authorise(token, amount, currency, key, now)
        raise GatewayTimeout("no answer in time")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sandbox, name)


def _cancelled_while_authorising(api: TestClient, clock: Clock, arrives: bool) -> str:
    """An order cancelled (and its payment settled) while its card's authorisation is
    on its way; then the worker goes on for a day."""
    order_id: str = _place(api, APPROVES, ("SKU-1", 1))["id"]
    state: Any = api.app.state  # type: ignore[attr-defined]
    sandbox = SandboxGateway(state.engine)

    def meanwhile() -> None:
        response = api.post(f"/v1/orders/{order_id}/cancel", json={"reason": "changed mind"})
        assert response.status_code == 200, response.text
        plain = handlers(state.uow, state.capture, replace(state.outside, gateway=sandbox), clock)
        Worker("other", state.uow, clock, plain).run_until_idle()

    racing = Racing(sandbox, meanwhile, arrives)
    jobs = handlers(state.uow, state.capture, replace(state.outside, gateway=racing), clock)
    for _ in range(24):
        Worker("first", state.uow, clock, jobs).run_until_idle()
        clock.advance(hours=1)
    return order_id


def test_an_authorisation_on_its_way_when_the_order_is_cancelled_is_voided(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order_id = _cancelled_while_authorising(api, clock, arrives=True)

    assert _money(order_of(api, order_id)["tenders"][0]) == ("closed", "59.90", "0.00", "59.90")
    engine = api.app.state.engine  # type: ignore[attr-defined]
    [held] = rows(engine, sandbox_authorisations)
    assert (held["authorised_minor"], held["voided"]) == (5990, True)
    assert check_payments(api.app.state.uow(), SandboxGateway(engine), clock()) == []  # type: ignore[attr-defined]


def test_an_authorisation_that_never_reached_the_gateway_is_given_up(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order_id = _cancelled_while_authorising(api, clock, arrives=False)

    assert _money(order_of(api, order_id)["tenders"][0]) == ("pending", "0.00", "0.00", "0.00")
    engine = api.app.state.engine  # type: ignore[attr-defined]
    assert rows(engine, sandbox_authorisations) == []
    [op] = rows(engine, payment_operations)
    assert (op["kind"], op["outcome"]) == ("authorise", "abandoned")
    later = clock() + timedelta(days=30)
    assert check_payments(api.app.state.uow(), SandboxGateway(engine), later) == []  # type: ignore[attr-defined]


class Unreachable:
    """The sandbox, but captures never reach it while `down`."""

    def __init__(self, sandbox: SandboxGateway) -> None:
        self.sandbox, self.down = sandbox, True

    def capture(self, *args: Any) -> Any:
        if self.down:
            raise GatewayTimeout("the gateway is unreachable")
        return self.sandbox.capture(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sandbox, name)


def test_a_capture_that_never_reached_the_gateway_is_made_once_on_the_retry(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 1))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    _ship(api, fo["id"])
    state: Any = api.app.state  # type: ignore[attr-defined]
    gateway = Unreachable(SandboxGateway(state.engine))
    jobs = handlers(state.uow, state.capture, replace(state.outside, gateway=gateway), clock)
    Worker("w", state.uow, clock, jobs).run_until_idle()  # begun, never made

    gateway.down = False
    clock.advance(minutes=1)
    Worker("w", state.uow, clock, jobs).run_until_idle()

    assert _money(order_of(api, order["id"])["tenders"][0]) == ("closed", "59.90", "59.90", "0.00")
    [held] = rows(state.engine, sandbox_authorisations)
    assert held["captured_minor"] == 5990


def test_a_capture_retried_after_its_authorisation_expired_is_made_on_a_new_one(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 1))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    clock.advance(days=6, hours=23, minutes=50)
    _ship(api, fo["id"])
    state: Any = api.app.state  # type: ignore[attr-defined]
    gateway = Unreachable(SandboxGateway(state.engine))
    jobs = handlers(state.uow, state.capture, replace(state.outside, gateway=gateway), clock)
    Worker("w", state.uow, clock, jobs).run_until_idle()  # begun on the old one, never made

    gateway.down = False
    clock.advance(minutes=30)  # the authorisation expired meanwhile
    Worker("w", state.uow, clock, jobs).run_until_idle()

    done = order_of(api, order["id"])
    assert (done["on_hold"], _money(done["tenders"][0])) == (
        False,
        ("closed", "59.90", "59.90", "0.00"),
    )
    captured = sorted(row["captured_minor"] for row in rows(state.engine, sandbox_authorisations))
    assert captured == [0, 5990]


def test_a_renewed_authorisation_settles_without_touching_the_expired_one(
    api: TestClient, clock: Clock, stocked: None
) -> None:
    order = _place(api, APPROVES, ("SKU-1", 2))
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    clock.advance(days=8)
    _ship(api, fo["id"])
    work(api, clock)

    payment = order_of(api, order["id"])["tenders"][0]
    assert (_money(payment), payment["message"]) == (("closed", "119.80", "119.80", "0.00"), None)
    types = [e["type"] for e in events_of(api, order["id"]) if e["type"].startswith("payment.")]
    assert types == ["payment.authorised", "payment.authorised", "payment.captured"]

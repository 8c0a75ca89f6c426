"""The payment use cases over real storage and the sandbox gateway, one call at a
time: what each leaves on the payment, its operations and the order's events; a
declined card tried again; captures that must renew their authorisation first and
give up when no authorisation will do; what settling voids and when it must wait;
refunds made part by part, once; answers the gateway lost or failed to give."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.jobs import SETTLE_PAYMENT
from ordino.network.services.catalogue import put_product
from ordino.orchestration.services import payments
from ordino.orchestration.services.refunds import RefundRequest, request_refund
from ordino.orders.domain.commands import LineRequest
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.orders import cancel_order
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.payments.domain.payments import (
    GatewayAnswer,
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
)
from ordino.payments.domain.tenders import TenderAsked
from ordino.payments.store.tables import payment_operations
from ordino.sourcing.domain.profiles import SourcingProfile, Strategy, StrategyKind
from ordino.sourcing.services.profiles import put_profile
from ordino.store.tables import jobs
from tests.conftest import Clock
from tests.support.builders import a_place_order, a_product
from tests.support.storage import rows, with_stock

APPROVES = "4242424242424242"
DECLINES = "4000000000000002"
FAILS = "4000000000000119"
DECLINES_CAPTURES = "4000000000000341"


@dataclass
class Gateway:
    """The sandbox, with the calls made to it counted; `lookups` answers in place of
    the sandbox's record for the keys it names; `expiring` makes every authorisation
    it approves expire at once."""

    sandbox: SandboxGateway
    calls: list[str] = field(default_factory=list)
    lookups: dict[str, GatewayAnswer | None] = field(default_factory=dict)
    expiring: bool = False
    declining: bool = False

    def authorise(
        self, token: str, amount: Decimal, currency: str, key: str, now: datetime
    ) -> GatewayAnswer:
        self.calls.append(f"authorise {key}")
        if self.declining:
            return GatewayAnswer(Outcome.DECLINED, None, Decimal(0), None, "do not honour")
        answer = self.sandbox.authorise(token, amount, currency, key, now)
        if self.expiring and answer.outcome is Outcome.APPROVED:
            return GatewayAnswer(answer.outcome, answer.reference, answer.amount, now)
        return answer

    def capture(
        self, authorisation: str, amount: Decimal, key: str, now: datetime
    ) -> GatewayAnswer:
        self.calls.append(f"capture {key}")
        return self.sandbox.capture(authorisation, amount, key, now)

    def void(self, authorisation: str, key: str, now: datetime) -> GatewayAnswer:
        self.calls.append(f"void {key}")
        return self.sandbox.void(authorisation, key, now)

    def refund(self, authorisation: str, amount: Decimal, key: str, now: datetime) -> GatewayAnswer:
        self.calls.append(f"refund {key}")
        return self.sandbox.refund(authorisation, amount, key, now)

    def lookup(self, key: str) -> GatewayAnswer | None:
        self.calls.append(f"lookup {key}")
        if key in self.lookups:
            return self.lookups[key]
        return self.sandbox.lookup(key)

    def authorisation(self, reference: str) -> Any:
        return self.sandbox.authorisation(reference)


@pytest.fixture
def gateway(uow: SqlUnitOfWork) -> Gateway:
    return Gateway(SandboxGateway(uow.engine))


def placed(
    uow: SqlUnitOfWork, clock: Clock, card: str = APPROVES, stocked: bool = False, **fields: Any
) -> str:
    """An order of two SKU-1 (59.90 each) paid by `card`; ten in stock unless `stocked`."""
    if not stocked:
        with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10})
    choice = (TenderAsked(PaymentMethod.CARD, None, card),)
    answer = place_order(a_place_order(tenders=choice, **fields), uow, Capture(), clock())
    return str(answer.body["id"])


def payment_of(uow: SqlUnitOfWork, order_id: str) -> Payment:
    with uow:
        (payment,) = uow.payments.of_order(order_id)
    assert payment is not None
    return payment


def operations(uow: SqlUnitOfWork, order_id: str) -> list[PaymentOperation]:
    payment_id = payment_of(uow, order_id).id
    with uow:
        return uow.payments.operations(payment_id)


def money(payment: Payment) -> tuple[str, str, str, str, str]:
    return (
        str(payment.status),
        str(payment.authorised),
        str(payment.captured),
        str(payment.voided),
        str(payment.refunded),
    )


def authorising(uow: SqlUnitOfWork, clock: Clock, order_id: str) -> str:
    """The order's first authorisation written pending (a worker died after writing
    it, before or after calling the gateway): its key."""
    payment = payment_of(uow, order_id)
    key = f"{order_id}:authorise:1"
    op = PaymentOperation(key, payment.id, OperationKind.AUTHORISE, payment.amount, clock())
    begun(uow, order_id, op)
    return key


def begun(uow: SqlUnitOfWork, order_id: str, op: PaymentOperation) -> None:
    """`op` written pending, as a worker that died after writing it left it."""
    currency = payment_of(uow, order_id).currency
    with uow:
        uow.payments.begin(op, currency)
        uow.commit()


# -- authorising ---------------------------------------------------------------------------


def test_an_authorisation_is_recorded_with_its_answer_and_time(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock)
    later = clock.advance(minutes=5)

    payments.authorise(order_id, uow, gateway, later)

    payment = payment_of(uow, order_id)
    assert money(payment) == ("authorised", "119.80", "0.00", "0.00", "0.00")
    assert payment.updated_at == later
    [op] = rows(uow.engine, payment_operations)
    assert (op["key"], op["outcome"], op["completed_at"]) == (
        f"{order_id}:authorise:1",
        "approved",
        later,
    )
    assert gateway.calls == [f"authorise {order_id}:authorise:1"]


def test_yen_are_authorised_and_kept_in_whole_yen(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10})
    put_product(a_product(prices={"JPY": Decimal(5000)}), uow, clock())
    lines = (LineRequest("SKU-1", 2, Decimal(5000)),)
    order_id = placed(uow, clock, currency="JPY", lines=lines, stocked=True)

    payments.authorise(order_id, uow, gateway, clock())

    assert money(payment_of(uow, order_id)) == ("authorised", "10000", "0", "0", "0")
    [op] = operations(uow, order_id)
    assert op.done == Decimal(10000)


def test_a_declined_card_tried_again_is_authorised_anew_with_the_new_card(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock, DECLINES)
    payments.authorise(order_id, uow, gateway, clock())
    assert (payment_of(uow, order_id).status, payment_of(uow, order_id).message) == (
        PaymentStatus.DECLINED,
        "card declined",
    )
    later = clock.advance(hours=1)

    with uow:
        payments.try_again(uow, order_id, later, APPROVES)
        uow.commit()
    again = payment_of(uow, order_id)
    payments.authorise(order_id, uow, gateway, later)

    assert (again.status, again.token, again.message, again.updated_at) == (
        PaymentStatus.PENDING,
        APPROVES,
        None,
        later,
    )
    assert payment_of(uow, order_id).status is PaymentStatus.AUTHORISED
    assert gateway.calls[-1] == f"authorise {order_id}:authorise:2"


def test_trying_again_leaves_a_payment_that_was_not_declined_alone(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock)
    payments.authorise(order_id, uow, gateway, clock())
    before = payment_of(uow, order_id)

    with uow:
        payments.try_again(uow, order_id, clock.advance(hours=1), DECLINES)
        uow.commit()

    assert payment_of(uow, order_id) == before


def test_a_resumed_call_the_gateway_failed_to_make_is_made_again(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock)
    key = authorising(uow, clock, order_id)
    gateway.lookups[key] = GatewayAnswer(Outcome.FAILED, message="timeout upstream")

    payments.authorise(order_id, uow, gateway, clock())

    assert gateway.calls == [f"lookup {key}", f"authorise {key}"]
    assert payment_of(uow, order_id).status is PaymentStatus.AUTHORISED


def test_a_resumed_call_the_gateway_made_is_recorded_not_made_again(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock)
    key = authorising(uow, clock, order_id)
    total = payment_of(uow, order_id).amount
    made = gateway.sandbox.authorise(APPROVES, total, "EUR", key, clock())  # then it died

    payments.authorise(order_id, uow, gateway, clock())

    assert gateway.calls == [f"lookup {key}"]
    assert payment_of(uow, order_id).authorisation == made.reference


def test_a_pending_authorisation_the_gateway_never_got_is_made_however_old(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock)
    key = authorising(uow, clock, order_id)

    payments.authorise(order_id, uow, gateway, clock.advance(hours=1))

    assert gateway.calls == [f"lookup {key}", f"authorise {key}"]
    assert payment_of(uow, order_id).status is PaymentStatus.AUTHORISED


def test_a_gateway_failing_fails_the_call_and_says_why(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock, FAILS)

    with pytest.raises(payments.PaymentFailed) as failed:
        payments.authorise(order_id, uow, gateway, clock())

    assert str(failed.value) == "the gateway failed to authorise: processing error"
    assert payment_of(uow, order_id).status is PaymentStatus.PENDING


# -- capturing -----------------------------------------------------------------------------


def test_a_capture_declined_renewal_fails_the_capture_and_says_why(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock)
    payments.authorise(order_id, uow, gateway, clock())
    gateway.declining = True

    with pytest.raises(payments.PaymentFailed) as failed:
        payments.capture(order_id, "F-1", Decimal("59.90"), uow, gateway, clock.advance(days=8))

    assert str(failed.value) == f"the expired authorisation of order {order_id} was refused"


def test_a_capture_renews_at_most_four_times_then_fails(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    """A gateway whose authorisations expire the moment they are made: the capture
    renews, finds the renewal expired too, and stops after four calls."""
    order_id = placed(uow, clock)
    gateway.expiring = True
    payments.authorise(order_id, uow, gateway, clock())

    with pytest.raises(payments.PaymentFailed) as failed:
        payments.capture(order_id, "F-1", Decimal("59.90"), uow, gateway, clock())

    assert str(failed.value) == f"the capture F-1 of order {order_id} found no authorisation to use"
    assert gateway.calls[1:] == [f"authorise {order_id}:authorise:{n}" for n in (2, 3, 4, 5)]


def test_a_capture_declined_holds_the_order_by_the_gateway(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock, DECLINES_CAPTURES)
    payments.authorise(order_id, uow, gateway, clock())

    payments.capture(order_id, "F-1", Decimal("59.90"), uow, gateway, clock())

    with uow:
        order = uow.orders.get(order_id)
    assert order is not None
    [hold] = order.holds
    assert (hold.rule, hold.placed_by, hold.active) == ("payment", "gateway", True)


# -- settling ------------------------------------------------------------------------------


def cancelled(uow: SqlUnitOfWork, clock: Clock, gateway: Gateway) -> str:
    order_id = placed(uow, clock)
    payments.authorise(order_id, uow, gateway, clock())
    cancel_order(order_id, uow, clock(), "changed mind")
    taken(uow)
    return order_id


def taken(uow: SqlUnitOfWork) -> None:
    """The settling jobs queued so far taken by a worker (gone from the queue)."""
    with uow.engine.begin() as connection:
        connection.execute(delete(jobs).where(jobs.c.kind == SETTLE_PAYMENT))


def settling(uow: SqlUnitOfWork) -> list[tuple[dict[str, Any], datetime]]:
    found = [row for row in rows(uow.engine, jobs) if row["kind"] == SETTLE_PAYMENT]
    return [(row["payload"], row["run_at"]) for row in found]


def test_settling_a_cancelled_order_voids_its_authorisation_once(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = cancelled(uow, clock, gateway)
    reference = payment_of(uow, order_id).authorisation

    payments.settle(order_id, uow, gateway, clock())
    payments.settle(order_id, uow, gateway, clock())

    assert gateway.calls[1:] == [f"void {order_id}:void:{reference}"]
    assert money(payment_of(uow, order_id)) == ("closed", "119.80", "0.00", "119.80", "0.00")
    assert settling(uow) == []  # a void answered settles nothing more


def test_an_authorisation_answered_after_the_order_was_cancelled_queues_its_void(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    live = placed(uow, clock)
    payments.authorise(live, uow, gateway, clock())
    assert settling(uow) == []  # an order that goes on keeps its authorisation
    late = placed(uow, clock, external_id="W-2")
    authorising(uow, clock, late)
    cancel_order(late, uow, clock(), "changed mind")
    taken(uow)

    payments.authorise(late, uow, gateway, clock.advance(minutes=1))

    assert settling(uow) == [({"order_id": late}, clock())]


def test_an_order_paid_elsewhere_has_nothing_to_settle(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10})
    answer = place_order(a_place_order(), uow, Capture(), clock())
    order_id = str(answer.body["id"])
    cancel_order(order_id, uow, clock(), "changed mind")

    payments.settle(order_id, uow, gateway, clock())

    assert gateway.calls == []


def test_settling_waits_for_a_capture_on_its_way_but_not_for_a_refund(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = cancelled(uow, clock, gateway)
    payment = payment_of(uow, order_id)
    on_its_way = PaymentOperation(
        "F-1:capture:1",
        payment.id,
        OperationKind.CAPTURE,
        Decimal("59.90"),
        clock(),
        authorisation=payment.authorisation,
    )
    refund = PaymentOperation(
        "R-1:1",
        payment.id,
        OperationKind.REFUND,
        Decimal("1.00"),
        clock(),
        authorisation=payment.authorisation,
    )
    begun(uow, order_id, refund)
    begun(uow, order_id, on_its_way)

    payments.settle(order_id, uow, gateway, clock())
    waited = list(gateway.calls)
    with uow:
        uow.payments.complete(on_its_way.abandoned(), "EUR", clock())
        uow.commit()
    payments.settle(order_id, uow, gateway, clock())

    assert waited == [f"authorise {order_id}:authorise:1"]
    assert gateway.calls[-1] == f"void {order_id}:void:{payment.authorisation}"


def test_settling_keeps_the_authorisation_while_units_wait_for_supply(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 1})
    wait = Strategy("wait", StrategyKind.BACKORDER)
    profile = SourcingProfile("web-rules", frozenset({"web"}), (Strategy("nearest"), wait))
    put_profile(profile, uow, clock())
    order_id = placed(uow, clock, stocked=True)  # one unit allocated, one waiting
    payments.authorise(order_id, uow, gateway, clock())

    payments.settle(order_id, uow, gateway, clock())

    assert gateway.calls == [f"authorise {order_id}:authorise:1"]


def test_an_authorisation_of_a_cancelled_order_unanswered_for_the_grace_is_given_up(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = placed(uow, clock)
    key = authorising(uow, clock, order_id)
    cancel_order(order_id, uow, clock(), "changed mind")

    with pytest.raises(payments.PaymentFailed) as failed:
        payments.settle(
            order_id, uow, gateway, clock.advance(minutes=10) - timedelta(microseconds=1)
        )
    assert str(failed.value) == f"the gateway has not answered {key} yet"
    at_grace = clock()
    payments.settle(order_id, uow, gateway, at_grace)

    [op] = rows(uow.engine, payment_operations)
    assert (op["outcome"], op["completed_at"]) == ("abandoned", at_grace)
    assert f"authorise {key}" not in gateway.calls


def test_settling_asks_nothing_of_an_authorisation_already_answered(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id = cancelled(uow, clock, gateway)

    payments.settle(order_id, uow, gateway, clock())

    assert not [call for call in gateway.calls if call.startswith("lookup")]


# -- refunds -------------------------------------------------------------------------------


def refunded(uow: SqlUnitOfWork, clock: Clock, gateway: Gateway) -> tuple[str, str]:
    """An order captured on two authorisations (the first expired after its first
    parcel), and a refund asked that takes from both."""
    order_id = placed(uow, clock)
    payments.authorise(order_id, uow, gateway, clock())
    payments.capture(order_id, "F-1", Decimal("59.90"), uow, gateway, clock())
    payments.capture(order_id, "F-2", Decimal("59.90"), uow, gateway, clock.advance(days=8))
    answer = request_refund(RefundRequest(order_id, "100.00", "EUR", "damaged"), uow, clock())
    return order_id, str(answer.body["id"])


def test_a_refund_is_made_part_by_part_in_one_go_and_not_again(
    uow: SqlUnitOfWork, clock: Clock, gateway: Gateway
) -> None:
    order_id, refund_id = refunded(uow, clock, gateway)
    before = len(gateway.calls)

    payments.refund(order_id, refund_id, uow, gateway, clock())
    in_one_go = money(payment_of(uow, order_id))
    payments.refund(order_id, refund_id, uow, gateway, clock())

    made = [call.split()[0] for call in gateway.calls[before:]]
    assert made == ["lookup", "refund", "lookup", "refund"]  # asked first: written pending
    assert in_one_go[4] == "100.00"

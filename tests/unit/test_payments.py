"""The payment's arithmetic: an answer applied once moves the payment; orphans are
the authorisations the payment does not hold; refunds are taken from what each
authorisation captured and never exceed it; the books against the gateway's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.domain.payments import (
    GatewayAnswer,
    GatewayAuthorisation,
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
    apply,
    discrepancies,
    orphans,
    refund_parts,
    refundable,
)
from ordino.errors import OverRefund

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
D = Decimal


def a_payment(**changes: object) -> Payment:
    values: dict[str, object] = {
        "id": "P-1",
        "order_id": "O-1",
        "method": PaymentMethod.CARD,
        "token": "4242424242424242",
        "currency": "EUR",
        "amount": D("100.00"),
        "status": PaymentStatus.AUTHORISED,
        "created_at": T0,
        "updated_at": T0,
        "authorisation": "A-1",
        "authorised": D("100.00"),
    }
    return Payment(**(values | changes))  # type: ignore[arg-type]


def an_op(
    kind: OperationKind, done: str, authorisation: str = "A-1", **changes: object
) -> PaymentOperation:
    values: dict[str, object] = {
        "key": f"{kind}:{authorisation}:{done}",
        "payment_id": "P-1",
        "kind": kind,
        "amount": D(done),
        "created_at": T0,
        "outcome": Outcome.APPROVED,
        "authorisation": authorisation,
        "done": D(done),
    }
    return PaymentOperation(**(values | changes))  # type: ignore[arg-type]


def approved(amount: str, reference: str = "R-1") -> GatewayAnswer:
    return GatewayAnswer(Outcome.APPROVED, reference, D(amount), T0 + timedelta(days=7))


def test_a_first_authorisation_authorises_and_a_renewal_keeps_what_was_captured() -> None:
    pending = a_payment(status=PaymentStatus.PENDING, authorisation=None, authorised=D(0))
    first = apply(pending, an_op(OperationKind.AUTHORISE, "100.00"), approved("100.00", "A-1"))
    assert (first.status, first.authorisation, first.authorised) == (
        PaymentStatus.AUTHORISED,
        "A-1",
        D("100.00"),
    )

    captured = apply(first, an_op(OperationKind.CAPTURE, "30.00"), approved("30.00"))
    renewed = apply(captured, an_op(OperationKind.AUTHORISE, "70.00"), approved("70.00", "A-2"))

    assert (renewed.authorisation, renewed.authorised, renewed.open) == (
        "A-2",
        D("100.00"),
        D("70.00"),
    )


def test_captures_close_the_payment_when_nothing_is_left_open() -> None:
    part = apply(a_payment(), an_op(OperationKind.CAPTURE, "40.00"), approved("40.00"))
    whole = apply(part, an_op(OperationKind.CAPTURE, "60.00"), approved("60.00"))

    assert (part.status, part.captured) == (PaymentStatus.AUTHORISED, D("40.00"))
    assert (whole.status, whole.captured) == (PaymentStatus.CLOSED, D("100.00"))


def test_a_declined_capture_moves_nothing_and_says_why() -> None:
    declined = GatewayAnswer(Outcome.DECLINED, None, D(0), None, "card declined")

    after = apply(a_payment(), an_op(OperationKind.CAPTURE, "40.00"), declined)

    assert (after.captured, after.status, after.message) == (
        D(0),
        PaymentStatus.AUTHORISED,
        "capture declined: card declined",
    )


def test_an_orphans_void_leaves_the_payment_as_it_was() -> None:
    payment = a_payment()

    after = apply(payment, an_op(OperationKind.VOID, "100.00", "A-9"), approved("100.00"))
    own = apply(payment, an_op(OperationKind.VOID, "100.00"), approved("100.00"))

    assert after == payment
    assert (own.voided, own.status) == (D("100.00"), PaymentStatus.CLOSED)


def test_orphans_are_authorisations_held_by_no_payment_and_not_yet_settled() -> None:
    ops = [
        an_op(OperationKind.AUTHORISE, "100.00", "A-0"),  # the one a lost record left
        an_op(OperationKind.AUTHORISE, "100.00", "A-1"),
        an_op(OperationKind.AUTHORISE, "100.00", "A-2"),  # voided since
        an_op(OperationKind.VOID, "100.00", "A-2"),
        an_op(OperationKind.AUTHORISE, "100.00", "A-3", outcome=Outcome.DECLINED),
    ]

    assert orphans(a_payment(), ops) == ["A-0"]


def test_a_refund_is_taken_from_the_newest_authorisation_first() -> None:
    ops = [
        an_op(OperationKind.CAPTURE, "30.00", "A-1"),
        an_op(OperationKind.CAPTURE, "50.00", "A-2"),
        an_op(OperationKind.REFUND, "10.00", "A-2"),
        an_op(OperationKind.REFUND, "5.00", "A-2", outcome=None),  # on its way: counts
    ]

    assert refundable(a_payment(), ops) == {"A-1": D("30.00"), "A-2": D("35.00")}
    assert refund_parts(a_payment(), ops, D("40.00")) == [("A-2", D("35.00")), ("A-1", D("5.00"))]
    with pytest.raises(OverRefund) as refused:
        refund_parts(a_payment(), ops, D("65.01"))
    assert refused.value.extra == {"field": "amount", "refundable": "65.00"}


cents = st.integers(min_value=0, max_value=100_000)


@given(st.lists(st.tuples(cents, cents), min_size=1, max_size=4), cents)
def test_refund_parts_add_up_and_no_authorisation_gives_more_than_it_holds(
    captures: list[tuple[int, int]], asked: int
) -> None:
    ops: list[PaymentOperation] = []
    for n, (captured, refund) in enumerate(captures):
        ops.append(an_op(OperationKind.CAPTURE, str(D(captured) / 100), f"A-{n}"))
        ops.append(an_op(OperationKind.REFUND, str(D(min(refund, captured)) / 100), f"A-{n}"))
    left = refundable(a_payment(), ops)
    amount = D(asked) / 100

    if amount > sum(left.values()):
        with pytest.raises(OverRefund):
            refund_parts(a_payment(), ops, amount)
        return
    parts = refund_parts(a_payment(), ops, amount)

    assert sum(part for _, part in parts) == amount
    assert all(0 < part <= left[reference] for reference, part in parts)
    assert len({reference for reference, _ in parts}) == len(parts)


def _at_gateway(**changes: object) -> GatewayAuthorisation:
    values: dict[str, object] = {
        "reference": "A-1",
        "currency": "EUR",
        "authorised": D("100.00"),
        "captured": D("40.00"),
        "refunded": D(0),
        "voided": False,
        "expires_at": T0 + timedelta(days=7),
    }
    return GatewayAuthorisation(**(values | changes))  # type: ignore[arg-type]


def test_the_books_agree_or_say_where_they_do_not() -> None:
    payment = a_payment(captured=D("40.00"))
    ops = [an_op(OperationKind.AUTHORISE, "100.00"), an_op(OperationKind.CAPTURE, "40.00")]

    agree = discrepancies(payment, ops, {"A-1": _at_gateway()}, T0)
    more = discrepancies(payment, ops, {"A-1": _at_gateway(captured=D("50.00"))}, T0)
    missing = discrepancies(payment, ops, {"A-1": None}, T0)

    assert agree == []
    assert [d.problem for d in more] == ["captured: Ordino 40.00, gateway 50.00"]
    assert [d.problem for d in missing] == ["the gateway has no such authorisation"]


def test_an_orphan_and_an_old_unanswered_call_are_reported() -> None:
    payment = a_payment()
    ops = [
        an_op(OperationKind.AUTHORISE, "100.00", "A-0"),
        an_op(OperationKind.AUTHORISE, "100.00"),
        an_op(OperationKind.CAPTURE, "40.00", outcome=None, key="F-1:capture"),
    ]
    gateway = {
        "A-0": _at_gateway(reference="A-0", captured=D(0)),
        "A-1": _at_gateway(captured=D(0)),
    }

    soon = discrepancies(payment, ops, gateway, T0 + timedelta(minutes=5))
    later = discrepancies(payment, ops, gateway, T0 + timedelta(hours=2))
    expired = discrepancies(payment, ops, gateway, T0 + timedelta(days=8))

    assert [(d.authorisation, d.problem) for d in soon] == [
        ("A-0", "held at the gateway for no payment (an orphan: to void)")
    ]
    assert [d.authorisation for d in later] == ["F-1:capture", "A-0"]
    assert [d.authorisation for d in expired] == ["F-1:capture"]

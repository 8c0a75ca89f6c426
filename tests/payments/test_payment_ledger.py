"""The payment's ledger: its amounts summed from what the gateway did under each
authorisation, whatever order the answers came in; which call a payment needs
next; what must be voided; refunds taken from what each authorisation captured,
never more; the books against the gateway's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain.errors import OverRefund
from ordino.payments.domain.ledger import (
    PaymentDiscrepancy,
    discrepancies,
    given_up,
    next_authorisation,
    next_capture,
    next_void,
    recorded,
    refund_parts,
    refundable,
    summed,
    to_void,
)
from ordino.payments.domain.payments import (
    GatewayAnswer,
    GatewayAuthorisation,
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WEEK = T0 + timedelta(days=7)
D = Decimal
AUTHORISE, CAPTURE, VOID, REFUND = (
    OperationKind.AUTHORISE,
    OperationKind.CAPTURE,
    OperationKind.VOID,
    OperationKind.REFUND,
)


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
        "expires_at": WEEK,
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
        "expires_at": WEEK if kind is OperationKind.AUTHORISE else None,
    }
    return PaymentOperation(**(values | changes))  # type: ignore[arg-type]


def approved(amount: str, reference: str = "R-1") -> GatewayAnswer:
    return GatewayAnswer(Outcome.APPROVED, reference, D(amount), WEEK)


def money(payment: Payment) -> tuple[PaymentStatus, Decimal, Decimal, Decimal, Decimal]:
    return (
        payment.status,
        payment.authorised,
        payment.captured,
        payment.voided,
        payment.refunded,
    )


def test_an_authorisation_then_captures_close_the_payment_when_nothing_is_left() -> None:
    pending = a_payment(status=PaymentStatus.PENDING, authorisation=None, authorised=D(0))
    auth = PaymentOperation("O-1:authorise:1", "P-1", AUTHORISE, D("100.00"), T0)
    first = recorded(
        pending, [auth], auth.answered(approved("100.00", "A-1")), approved("100.00", "A-1")
    )
    ops = [auth.answered(approved("100.00", "A-1"))]
    part = an_op(CAPTURE, "40.00")
    after_part = recorded(first, ops, part, approved("40.00"))
    whole = an_op(CAPTURE, "60.00")
    after_whole = recorded(after_part, [*ops, part], whole, approved("60.00"))

    assert (first.authorisation, first.expires_at) == ("A-1", WEEK)
    assert money(after_part) == (PaymentStatus.AUTHORISED, D("100.00"), D("40.00"), D(0), D(0))
    assert money(after_whole) == (PaymentStatus.CLOSED, D("100.00"), D("100.00"), D(0), D(0))


def test_a_renewal_counts_what_the_expired_authorisation_captured_and_lets_the_rest_go() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "30.00")]
    before = summed(a_payment(), ops)
    renewal = an_op(AUTHORISE, "70.00", "A-2")

    renewed = recorded(before, ops, renewal, approved("70.00", "A-2"))

    assert renewed.authorisation == "A-2"
    assert money(renewed) == (PaymentStatus.AUTHORISED, D("100.00"), D("30.00"), D(0), D(0))
    assert renewed.open == D("70.00")


def test_a_capture_recorded_late_on_the_expired_authorisation_still_counts() -> None:
    """The capture's answer was lost before the renewal; found later, it is money
    taken, and the renewal's remainder is then more than the order needs."""
    ops = [
        an_op(AUTHORISE, "100.00", expires_at=T0),
        an_op(AUTHORISE, "100.00", "A-2"),
        an_op(CAPTURE, "60.00", "A-2"),
    ]
    payment = summed(a_payment(authorisation="A-2"), ops)
    late = an_op(CAPTURE, "40.00")

    after = recorded(payment, ops, late, approved("40.00"))

    assert money(after) == (PaymentStatus.AUTHORISED, D("140.00"), D("100.00"), D(0), D(0))
    assert to_void(after, [*ops, late], T0 + timedelta(hours=1), settling=True) == ["A-2"]


def test_a_declined_capture_moves_nothing_and_says_why() -> None:
    declined = GatewayAnswer(Outcome.DECLINED, None, D(0), None, "card declined")
    op = an_op(CAPTURE, "0", outcome=Outcome.DECLINED, amount=D("40.00"))

    after = recorded(a_payment(), [an_op(AUTHORISE, "100.00")], op, declined)

    assert money(after) == (PaymentStatus.AUTHORISED, D("100.00"), D(0), D(0), D(0))
    assert after.message == "capture declined: card declined"


def test_an_orphans_void_voids_its_money_but_says_nothing_of_the_payments() -> None:
    ops = [an_op(AUTHORISE, "100.00", "A-0"), an_op(AUTHORISE, "100.00")]
    declined = GatewayAnswer(Outcome.DECLINED, None, D(0), None, "authorisation expired")

    voided = recorded(a_payment(), ops, an_op(VOID, "100.00", "A-0"), approved("100.00"))
    refused = recorded(
        a_payment(), ops, an_op(VOID, "0", "A-0", outcome=Outcome.DECLINED), declined
    )

    assert money(voided) == (PaymentStatus.AUTHORISED, D("200.00"), D(0), D("100.00"), D(0))
    assert (voided.message, refused.message) == (None, None)


def test_what_is_voided_holds_money_the_order_will_not_take() -> None:
    ops = [
        an_op(AUTHORISE, "100.00", "A-0"),  # an orphan: to void
        an_op(AUTHORISE, "100.00", "A-9", expires_at=T0),  # expired: nothing held
        an_op(AUTHORISE, "100.00", "A-8"),
        an_op(VOID, "100.00", "A-8"),  # voided already
        an_op(AUTHORISE, "100.00"),  # the payment's own
    ]

    assert to_void(a_payment(), ops, T0 + timedelta(hours=1), settling=False) == ["A-0"]
    assert to_void(a_payment(), ops, T0 + timedelta(hours=1), settling=True) == ["A-0", "A-1"]
    void = next_void(a_payment(), ops, T0, settling=False)
    assert void is not None
    assert (void.key, void.authorisation, void.amount) == ("O-1:void:A-0", "A-0", D("100.00"))


def test_a_pending_call_is_resumed_rather_than_a_new_one_planned() -> None:
    pending = a_payment(status=PaymentStatus.PENDING, authorisation=None)
    waiting = an_op(AUTHORISE, "100.00", outcome=None, key="O-1:authorise:2")
    declined = an_op(AUTHORISE, "100.00", outcome=Outcome.DECLINED, key="O-1:authorise:1")

    assert next_authorisation(pending, [declined, waiting], D("100.00"), T0) == waiting
    fresh = next_authorisation(pending, [declined], D("100.00"), T0)
    assert (fresh.key, fresh.pending) == ("O-1:authorise:2", True)
    void = an_op(VOID, "100.00", outcome=None)
    assert next_void(a_payment(), [an_op(AUTHORISE, "100.00"), void], T0, settling=True) == void


def test_a_capture_is_planned_once_renewing_an_expired_authorisation_first() -> None:
    ops = [an_op(AUTHORISE, "100.00")]
    capture = next_capture(a_payment(), ops, "F-1", D("40.00"), T0)
    assert capture is not None
    assert (capture.key, capture.amount, capture.authorisation) == (
        "F-1:capture:1",
        D("40.00"),
        "A-1",
    )

    answered = [*ops, an_op(CAPTURE, "40.00", key="F-1:capture:1")]
    assert next_capture(a_payment(), answered, "F-1", D("40.00"), T0) is None

    renewal = next_capture(a_payment(), ops, "F-1", D("40.00"), WEEK)
    assert renewal is not None
    assert (renewal.kind, renewal.key, renewal.amount) == (
        AUTHORISE,
        "O-1:authorise:2",
        D("100.00"),
    )

    gave_up = [*ops, an_op(CAPTURE, "0", key="F-1:capture:1", outcome=Outcome.ABANDONED)]
    again = next_capture(a_payment(), gave_up, "F-1", D("40.00"), T0)
    assert again is not None and again.key == "F-1:capture:2"


def test_only_a_capture_on_an_authorisation_gone_is_given_up() -> None:
    capture = an_op(CAPTURE, "40.00", outcome=None)

    assert not given_up(capture, a_payment(), T0)
    assert given_up(capture, a_payment(), WEEK)
    assert given_up(capture, a_payment(authorisation="A-2"), T0)
    assert not given_up(an_op(REFUND, "5.00", outcome=None), a_payment(), WEEK)


def test_a_refund_is_taken_from_the_newest_authorisation_first() -> None:
    ops = [
        an_op(CAPTURE, "30.00", "A-1"),
        an_op(CAPTURE, "50.00", "A-2"),
        an_op(REFUND, "10.00", "A-2"),
        an_op(REFUND, "5.00", "A-2", outcome=None),  # on its way: counts
    ]

    assert refundable(ops) == {"A-1": D("30.00"), "A-2": D("35.00")}
    assert refund_parts("EUR", ops, D("40.00")) == [("A-2", D("35.00")), ("A-1", D("5.00"))]
    with pytest.raises(OverRefund) as refused:
        refund_parts("EUR", ops, D("65.01"))
    assert refused.value.extra == {"field": "amount", "refundable": "65.00"}


cents = st.integers(min_value=0, max_value=100_000)


@given(st.lists(st.tuples(cents, cents), min_size=1, max_size=4), cents)
def test_refund_parts_add_up_and_no_authorisation_gives_more_than_it_holds(
    captures: list[tuple[int, int]], asked: int
) -> None:
    ops: list[PaymentOperation] = []
    for n, (captured, refund) in enumerate(captures):
        ops.append(an_op(CAPTURE, str(D(captured) / 100), f"A-{n}"))
        ops.append(an_op(REFUND, str(D(min(refund, captured)) / 100), f"A-{n}"))
    left = refundable(ops)
    amount = D(asked) / 100

    if amount > sum(left.values()):
        with pytest.raises(OverRefund):
            refund_parts("EUR", ops, amount)
        return
    parts = refund_parts("EUR", ops, amount)

    assert sum(part for _, part in parts) == amount
    assert all(0 < part <= left[reference] for reference, part in parts)
    assert len({reference for reference, _ in parts}) == len(parts)


@given(st.permutations(range(4)))
def test_the_payment_is_the_same_whatever_order_its_answers_are_recorded_in(
    order: list[int],
) -> None:
    answers = [
        (an_op(CAPTURE, "10.00", key="F-1"), approved("10.00")),
        (an_op(CAPTURE, "20.00", key="F-2"), approved("20.00")),
        (an_op(REFUND, "5.00", key="R-1"), approved("5.00")),
        (an_op(CAPTURE, "30.00", key="F-3"), approved("30.00")),
    ]
    payment, ops = a_payment(), [an_op(AUTHORISE, "100.00")]
    for n in order:
        op, answer = answers[n]
        payment = recorded(payment, ops, op, answer)
        ops.append(op)

    assert money(payment) == (PaymentStatus.AUTHORISED, D("100.00"), D("60.00"), D(0), D("5.00"))


def _at_gateway(**changes: object) -> GatewayAuthorisation:
    values: dict[str, object] = {
        "reference": "A-1",
        "currency": "EUR",
        "authorised": D("100.00"),
        "captured": D("40.00"),
        "refunded": D(0),
        "voided": False,
        "expires_at": WEEK,
    }
    return GatewayAuthorisation(**(values | changes))  # type: ignore[arg-type]


def test_the_books_agree_or_say_where_they_do_not() -> None:
    payment = a_payment(captured=D("40.00"))
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "40.00")]

    agree = discrepancies(payment, ops, {"A-1": _at_gateway()}, T0)
    more = discrepancies(payment, ops, {"A-1": _at_gateway(captured=D("50.00"))}, T0)
    missing = discrepancies(payment, ops, {"A-1": None}, T0)
    said = discrepancies(a_payment(captured=D("45.00")), ops, {"A-1": _at_gateway()}, T0)

    assert agree == []
    assert [d.problem for d in more] == ["captured: Ordino 40.00, gateway 50.00"]
    assert [d.problem for d in missing] == ["the gateway has no such authorisation"]
    assert [d.problem for d in said] == ["captured: the payment says 45.00, its operations 40.00"]


def test_money_held_for_no_payment_and_an_old_unanswered_call_are_reported() -> None:
    ops = [
        an_op(AUTHORISE, "100.00", "A-0"),
        an_op(AUTHORISE, "100.00"),
        an_op(CAPTURE, "40.00", outcome=None, key="F-1:capture:1"),
    ]
    payment = summed(a_payment(), ops)
    gateway = {
        "A-0": _at_gateway(reference="A-0", captured=D(0)),
        "A-1": _at_gateway(captured=D(0)),
    }

    soon = discrepancies(payment, ops, gateway, T0 + timedelta(minutes=5))
    later = discrepancies(payment, ops, gateway, T0 + timedelta(hours=2))
    expired = discrepancies(payment, ops, gateway, T0 + timedelta(days=8))

    assert [(d.subject, d.problem) for d in soon] == [
        ("A-0", "holds money at the gateway for no payment (to void)")
    ]
    assert [d.subject for d in later] == ["F-1:capture:1", "A-0"]
    assert [d.subject for d in expired] == ["F-1:capture:1"]


def test_the_gateway_disagreeing_on_any_amount_is_told_by_name() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "40.00"), an_op(REFUND, "10.00")]
    theirs = _at_gateway(authorised=D("90.00"), refunded=D("5.00"), voided=True)

    found = discrepancies(summed(a_payment(), ops), ops, {"A-1": theirs}, T0)

    assert [(d.order_id, d.subject, d.problem) for d in found] == [
        ("O-1", "A-1", "authorised: Ordino 100.00, gateway 90.00"),
        ("O-1", "A-1", "refunded: Ordino 10.00, gateway 5.00"),
        ("O-1", "A-1", "voided: Ordino False, gateway True"),
    ]


def test_an_unanswered_call_is_reported_on_its_order() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "40.00", outcome=None, key="F-1:capture:1")]

    [found] = discrepancies(a_payment(), ops, {"A-1": _at_gateway(captured=D(0))}, WEEK)

    assert found == PaymentDiscrepancy(
        "O-1", "F-1:capture:1", "capture unanswered since 2026-11-02 09:00:00+00:00"
    )


def test_yen_are_told_and_refunded_in_whole_yen() -> None:
    ops = [an_op(AUTHORISE, "5000"), an_op(CAPTURE, "3000")]
    payment = a_payment(currency="JPY", amount=D(5000), authorised=D(5000), captured=D(3500))

    [found] = discrepancies(
        payment, ops, {"A-1": _at_gateway(authorised=D(5000), captured=D(3000))}, T0
    )
    with pytest.raises(OverRefund) as refused:
        refund_parts("JPY", ops, D(3001))

    assert found.problem == "captured: the payment says 3500, its operations 3000"
    assert refused.value.extra == {"field": "amount", "refundable": "3000"}


def test_a_payment_not_authorised_plans_no_capture() -> None:
    for status in (PaymentStatus.DECLINED, PaymentStatus.CLOSED):
        assert next_capture(a_payment(status=status), [], "F-1", D("10.00"), T0) is None


def test_an_authorisation_stops_holding_money_the_moment_it_expires() -> None:
    ops = [an_op(AUTHORISE, "100.00", "A-0"), an_op(AUTHORISE, "100.00")]

    assert to_void(a_payment(), ops, WEEK - timedelta(microseconds=1), settling=False) == ["A-0"]
    assert to_void(a_payment(), ops, WEEK, settling=False) == []


def test_an_orphan_holding_less_than_a_unit_is_still_voided() -> None:
    ops = [an_op(AUTHORISE, "100.00", "A-0"), an_op(CAPTURE, "99.50", "A-0")]

    assert to_void(a_payment(), ops, T0, settling=False) == ["A-0"]
    void = next_void(a_payment(), ops, T0, settling=False)
    assert void is not None and void.amount == D("0.50")


def test_a_void_answered_either_way_ends_what_there_is_to_void_and_one_pending_does_not() -> None:
    orphan = an_op(AUTHORISE, "100.00", "A-0")
    refused = an_op(VOID, "0", "A-0", outcome=Outcome.DECLINED)
    waiting = an_op(VOID, "100.00", "A-0", outcome=None)
    abandoned = an_op(VOID, "0", "A-0", outcome=Outcome.ABANDONED)
    own = an_op(AUTHORISE, "100.00")

    assert to_void(a_payment(), [orphan, refused, own], T0, settling=False) == []
    assert to_void(a_payment(), [orphan, waiting, own], T0, settling=False) == ["A-0"]
    assert to_void(a_payment(), [orphan, abandoned, own], T0, settling=False) == ["A-0"]


def test_an_approved_authorisation_clears_the_decline_it_follows() -> None:
    declined = a_payment(
        status=PaymentStatus.DECLINED, authorisation=None, authorised=D(0), message="no funds"
    )
    auth = PaymentOperation("O-1:authorise:2", "P-1", AUTHORISE, D("100.00"), T0)
    answer = approved("100.00", "A-1")

    after = recorded(declined, [], auth.answered(answer), answer)

    assert (after.status, after.message, after.authorisation) == (
        PaymentStatus.AUTHORISED,
        None,
        "A-1",
    )


def test_a_late_answer_leaves_a_closed_payment_closed() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "100.00")]
    closed = summed(a_payment(), ops)
    void = an_op(VOID, "0", outcome=Outcome.DECLINED)
    refused = GatewayAnswer(Outcome.DECLINED, None, D(0), None, "nothing to void")

    after = recorded(closed, ops, void, refused)

    assert closed.status is PaymentStatus.CLOSED
    assert (after.status, after.message) == (PaymentStatus.CLOSED, "void declined: nothing to void")


def test_a_capture_declined_on_an_older_authorisation_still_says_why() -> None:
    ops = [an_op(AUTHORISE, "100.00", "A-0", expires_at=T0), an_op(AUTHORISE, "100.00")]
    declined = GatewayAnswer(Outcome.DECLINED, None, D(0), None, "authorisation expired")
    late = an_op(CAPTURE, "0", "A-0", outcome=Outcome.DECLINED, amount=D("40.00"))

    after = recorded(a_payment(), ops, late, declined)

    assert after.message == "capture declined: authorisation expired"


def test_an_approved_capture_clears_the_decline_and_a_refund_does_not() -> None:
    said = a_payment(message="capture declined: card declined")
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "40.00")]

    captured = recorded(said, ops[:1], an_op(CAPTURE, "40.00", key="F-2"), approved("40.00"))
    refunded = recorded(said, ops, an_op(REFUND, "10.00"), approved("10.00"))

    assert captured.message is None
    assert refunded.message == "capture declined: card declined"


def test_amounts_are_told_in_the_currencys_digits_whatever_the_gateway_said() -> None:
    yen = [an_op(AUTHORISE, "5000.0"), an_op(CAPTURE, "3000.0"), an_op(REFUND, "1000.0")]
    euro = [an_op(AUTHORISE, "100"), an_op(CAPTURE, "40"), an_op(VOID, "60")]

    in_yen = summed(a_payment(currency="JPY", amount=D(5000)), yen)
    in_euro = summed(a_payment(), euro)

    assert [str(amount) for amount in money(in_yen)[1:]] == ["5000", "3000", "0", "1000"]
    assert [str(amount) for amount in money(in_euro)[1:]] == ["100.00", "40.00", "60.00", "0.00"]


def test_a_payment_with_less_than_a_unit_open_is_not_closed() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "99.50")]

    assert summed(a_payment(), ops).status is PaymentStatus.AUTHORISED


def test_a_capture_of_nothing_is_not_made_and_one_of_less_than_a_unit_is() -> None:
    ops = [an_op(AUTHORISE, "100.00")]

    small = next_capture(a_payment(), ops, "F-1", D("0.50"), T0)

    assert next_capture(a_payment(), ops, "F-1", D(0), T0) is None
    assert small is not None and small.amount == D("0.50")


def test_a_refund_on_its_way_counts_against_an_authorisation_with_no_capture_known() -> None:
    assert refundable([an_op(REFUND, "5.00", "A-9", outcome=None)]) == {"A-9": D("-5.00")}


def test_an_over_refund_says_how_much_may_still_be_refunded() -> None:
    with pytest.raises(OverRefund) as refused:
        refund_parts("EUR", [an_op(CAPTURE, "30.00")], D("30.01"))

    assert str(refused.value) == "amount: at most 30.00 EUR may still be refunded"


def test_a_call_is_unanswered_only_once_more_than_the_hour_has_passed() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "40.00", outcome=None, key="F-1:capture:1")]
    gateway = {"A-1": _at_gateway(captured=D(0))}

    on_the_hour = discrepancies(a_payment(), ops, gateway, T0 + timedelta(hours=1))
    just_after = discrepancies(a_payment(), ops, gateway, T0 + timedelta(hours=1, microseconds=1))

    assert on_the_hour == []
    assert [d.subject for d in just_after] == ["F-1:capture:1"]


def test_the_payment_disagreeing_with_its_operations_names_its_order_and_authorisation() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "40.00")]

    found = discrepancies(a_payment(captured=D("45.00")), ops, {"A-1": _at_gateway()}, T0)

    assert found == [
        PaymentDiscrepancy("O-1", "A-1", "captured: the payment says 45.00, its operations 40.00")
    ]


def test_a_void_of_less_than_a_unit_agrees_with_the_gateways_void() -> None:
    ops = [an_op(AUTHORISE, "100.00"), an_op(CAPTURE, "99.50"), an_op(VOID, "0.50")]
    theirs = _at_gateway(captured=D("99.50"), voided=True)

    assert discrepancies(summed(a_payment(), ops), ops, {"A-1": theirs}, T0) == []


def test_an_older_authorisation_holds_nothing_once_all_captured_or_expired() -> None:
    ops = [an_op(AUTHORISE, "100.00", "A-0"), an_op(CAPTURE, "100.00", "A-0")]
    ops += [an_op(AUTHORISE, "100.00")]
    payment = summed(a_payment(), ops)
    all_taken = _at_gateway(reference="A-0", captured=D("100.00"))
    holding = _at_gateway(reference="A-0", captured=D(0))
    gateway = {"A-1": _at_gateway(captured=D(0))}
    books = [an_op(AUTHORISE, "100.00", "A-0"), ops[-1]]

    assert discrepancies(payment, ops, gateway | {"A-0": all_taken}, T0) == []
    at_expiry = discrepancies(summed(a_payment(), books), books, gateway | {"A-0": holding}, WEEK)
    assert at_expiry == []


def test_a_declined_authorisation_declines_a_new_payment_but_not_one_it_would_renew() -> None:
    refused = GatewayAnswer(Outcome.DECLINED, None, D(0), None, "insufficient funds")
    pending = a_payment(status=PaymentStatus.PENDING, authorisation=None, authorised=D(0))
    first = PaymentOperation("O-1:authorise:1", "P-1", AUTHORISE, D("100.00"), T0)
    renewal = PaymentOperation("O-1:authorise:2", "P-1", AUTHORISE, D("60.00"), WEEK)

    new = recorded(pending, [], first.answered(refused), refused)
    ops = [an_op(AUTHORISE, "100.00")]
    renewed = recorded(a_payment(), ops, renewal.answered(refused), refused)

    assert (new.status, new.message) == (PaymentStatus.DECLINED, "insufficient funds")
    assert (renewed.status, renewed.message) == (
        PaymentStatus.AUTHORISED,
        "authorise declined: insufficient funds",
    )

"""Tenders as a pure model: what each pays of an order (as given, one taking what
the others leave), and how a capture or a refund is shared among them (in the
channel's order of methods, none past what it has open)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain import InvalidInput
from ordino.payments.domain import PaymentMethod
from ordino.payments.domain.tenders import (
    CAPTURE_ORDER,
    REFUND_ORDER,
    TenderAsked,
    allot,
    take,
)

CENTS = st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c).scaleb(-2))
METHODS = st.sampled_from(list(PaymentMethod))


def test_a_gift_card_pays_its_amount_and_the_card_the_rest() -> None:
    asked = [TenderAsked(PaymentMethod.GIFT_CARD, Decimal("20.00"), "GC-1"),
             TenderAsked(PaymentMethod.CARD, None, "tok")]  # fmt: skip
    assert allot(Decimal("59.90"), "EUR", asked) == (Decimal("20.00"), Decimal("39.90"))


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ([TenderAsked(PaymentMethod.GIFT_CARD, Decimal("20.00"))], "tenders[0].amount"),
        ([TenderAsked(PaymentMethod.CARD), TenderAsked(PaymentMethod.INVOICE)],
         "tenders[1].amount"),
        ([TenderAsked(PaymentMethod.GIFT_CARD, Decimal("70.00")), TenderAsked(PaymentMethod.CARD)],
         "tenders[1].amount"),
        ([TenderAsked(PaymentMethod.GIFT_CARD, Decimal("0.00")), TenderAsked(PaymentMethod.CARD)],
         "tenders[0].amount"),
        ([], "tenders"),
    ],
)  # fmt: skip
def test_tenders_that_do_not_come_to_the_total_are_refused_by_their_field(
    asked: list[TenderAsked], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        allot(Decimal("59.90"), "EUR", asked)
    assert refused.value.errors[0].field == field


def test_a_capture_takes_the_gift_card_first_and_a_refund_gives_to_the_card_first() -> None:
    open_ = [(PaymentMethod.CARD, Decimal("39.90")), (PaymentMethod.GIFT_CARD, Decimal("20.00"))]

    assert take(Decimal("30.00"), open_) == (Decimal("10.00"), Decimal("20.00"))
    assert take(Decimal("30.00"), open_, REFUND_ORDER) == (Decimal("30.00"), Decimal(0))
    with pytest.raises(ValueError, match="less than"):
        take(Decimal("60.00"), open_)


@given(st.lists(st.tuples(METHODS, CENTS), min_size=1, max_size=6), st.data())
def test_what_is_taken_adds_up_and_keeps_to_the_order_of_methods(
    open_: list[tuple[PaymentMethod, Decimal]], data: st.DataObject
) -> None:
    left = sum((amount for _, amount in open_), Decimal(0))
    amount = Decimal(data.draw(st.integers(0, int(left * 100)))).scaleb(-2)
    order = data.draw(st.sampled_from([CAPTURE_ORDER, REFUND_ORDER]))

    parts = take(amount, open_, order)

    assert sum(parts, Decimal(0)) == amount
    assert all(0 <= part <= have for part, (_, have) in zip(parts, open_, strict=True))
    # A tender later in the order takes something only once every earlier one is empty.
    rank = {method: n for n, method in enumerate(order)}
    for i, (method, _) in enumerate(open_):
        if parts[i]:
            earlier = [j for j, (m, _) in enumerate(open_) if (rank[m], j) < (rank[method], i)]
            assert all(parts[j] == open_[j][1] for j in earlier)


@given(st.lists(CENTS.filter(bool), max_size=4), CENTS, st.booleans())
def test_what_the_tenders_pay_comes_to_the_total(
    amounts: list[Decimal], extra: Decimal, open_ended: bool
) -> None:
    asked = [TenderAsked(PaymentMethod.GIFT_CARD, a) for a in amounts]
    total = sum(amounts, Decimal(0)) + (extra if open_ended else Decimal(0))
    if open_ended:
        asked.append(TenderAsked(PaymentMethod.CARD))
    if not asked or (open_ended and not extra and amounts):  # nothing left for the card
        with pytest.raises(InvalidInput):
            allot(total, "EUR", asked)
        return
    # A card alone pays an order of nothing (every unit free): nothing.
    assert sum(allot(total, "EUR", asked), Decimal(0)) == total

"""Codes and limits in the engine: a code unlocks its promotion whatever its case; a
code no promotion has, or whose promotion does not apply, says why; a promotion used
up in all or by this customer, or whose budget the cart would exceed, does not
apply and says so; what one with limits gives is handed back as its use."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from ordino.kernel.domain import InvalidInput
from ordino.pricing.domain import Benefit, Limits, Promotion
from ordino.pricing.engine import (
    EVERYONE,
    BuiltInPromotions,
    CartFacts,
    CodeOutcome,
    PromotionUse,
    Usage,
)
from tests.pricing.test_promotions import a_cart

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
ADA = CartFacts("web", "Ada@Example.com", None, "DE")
WELCOME = Promotion(
    "welcome",
    "welcome",
    Benefit.ORDER_AMOUNT,
    Decimal("10.00"),
    "EUR",
    codes=frozenset({"WELCOME10"}),
    limits=Limits(uses=100, uses_per_customer=1, budget=Decimal("500.00")),
)


def apply(*codes: str, usage: dict[Any, Usage] | None = None, facts: CartFacts = ADA) -> Any:
    return BuiltInPromotions([WELCOME], usage or {}).apply(a_cart(), facts, codes, NOW)


def test_a_code_takes_one_use_in_all_and_one_of_the_customer_and_what_it_gave() -> None:
    promoted = apply("welcome10")

    assert promoted.money.discount == Decimal("10.00")
    assert promoted.uses == (
        PromotionUse(
            "welcome", "welcome@1", "ada@example.com", Decimal("10.00"), "EUR",
            WELCOME.limits, "WELCOME10",
        ),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("usage", "facts", "reason"),
    [
        ({("welcome", EVERYONE): Usage(100, Decimal(0))}, ADA, "used up: 100 of 100 uses"),
        (
            {("welcome", "ada@example.com"): Usage(1, Decimal("10.00"))},
            ADA,
            "used up by this customer: 1 of 1 uses",
        ),
        (
            {("welcome", EVERYONE): Usage(50, Decimal("495.00"))},
            ADA,
            "its budget is spent: 495.00 of 500.00 given, this cart would take 10.00",
        ),
        ({}, CartFacts("web"), "its uses are counted per customer"),
    ],
)
def test_a_promotion_past_a_limit_does_not_apply_and_its_code_says_why(
    usage: dict[Any, Usage], facts: CartFacts, reason: str
) -> None:
    promoted = apply("WELCOME10", usage=usage, facts=facts)

    assert promoted.money.discount == 0 and promoted.uses == ()
    [outcome] = promoted.codes
    assert outcome.code == "WELCOME10" and not outcome.applied
    assert outcome.reason is not None and outcome.reason.startswith(reason)
    assert promoted.refused_codes() == [(0, outcome)]


def test_a_code_no_promotion_has_and_a_promotion_without_its_code_say_why() -> None:
    promoted = apply("NOPE")

    assert promoted.codes == (CodeOutcome("NOPE", None, False, "no promotion has this code"),)
    assert promoted.passed[0].reason == "its code was not given"


def test_what_the_budget_still_holds_is_given_to_the_last_cart_that_fits() -> None:
    promoted = apply("WELCOME10", usage={("welcome", EVERYONE): Usage(49, Decimal("490.00"))})

    assert promoted.money.discount == Decimal("10.00")


@pytest.mark.parametrize(
    ("limits", "field"),
    [
        (Limits(uses=0), "limits.uses"),
        (Limits(uses_per_customer=0), "limits.uses_per_customer"),
        (Limits(budget=Decimal("0")), "limits.budget"),
        (Limits(budget=Decimal("1.001")), "limits.budget"),
    ],
)
def test_limits_that_cannot_hold_are_refused_by_their_field(limits: Limits, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Promotion(
            "p", "p", Benefit.ORDER_PERCENT, Decimal(10), "EUR", limits=limits
        ).refuse_problems()

    assert [e.field for e in refused.value.errors] == [field]


def test_a_budget_needs_its_currency_and_a_code_its_letters() -> None:
    budget = Promotion(
        "p", "p", Benefit.ORDER_PERCENT, Decimal(10), limits=Limits(budget=Decimal(5))
    )
    spaced = Promotion("p", "p", Benefit.ORDER_PERCENT, Decimal(10), codes=frozenset({"A B"}))

    for promotion, field in ((budget, "currency"), (spaced, "codes")):
        with pytest.raises(InvalidInput) as refused:
            promotion.refuse_problems()
        assert [e.field for e in refused.value.errors] == [field]

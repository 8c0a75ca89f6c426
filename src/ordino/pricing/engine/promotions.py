"""Promotions applied to a cart's money, the same way in a quote and at capture on
every channel, behind one interface (`PromotionEngine`) so that a retailer may plug
in an engine of its own.

The built-in engine (`BuiltInPromotions`) takes the promotions that run now, in the
cart's currency, whose code the cart gives (when they need one), whose condition
holds, whose eligible lines reach their threshold and whose limits are not reached
(uses in all and by this customer, budget: by the uses it is given, as read before
the decision), in order of priority (then id); the first exclusive one applies
alone, and stackable ones apply one after another, each on what the goods sell for
after the ones before. Every discount names the promotion's version that gave it,
its name and the code that unlocked it; every promotion that did not apply says why
(`Promoted.passed`), and so does every code given (`Promoted.codes`). What the
promotions with limits take (`Promoted.uses`) the caller writes conditionally, so
that no race exceeds a limit. Discounts come before taxes.

Pure: the same cart, promotions, uses, codes and `now` give the same money."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from ordino.kernel.domain import Unevaluable, UnitAmounts, activation, holds, quantize
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Benefit,
    Charge,
    Limits,
    OrderMoney,
    PricedLine,
    Promotion,
    Stacking,
    code_of,
    discount_order,
    discount_units,
)


@dataclass(frozen=True)
class CartFacts:
    """What a promotion's condition may name besides the cart's lines."""

    channel: str
    customer_email: str | None = None
    customer_group: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Passed:
    reference: str  # the promotion's id@version
    reason: str


EVERYONE = ""  # the customer of a promotion's uses counted in all
# Why a promotion that would apply does not: there is nothing for it to take off (its
# code is no mistake: an order giving it is not refused).
GIVES_NOTHING = "gives nothing to this cart"


@dataclass(frozen=True)
class Usage:
    """How often a promotion was used (by everyone, or by one customer) and what it
    gave, as read before the decision."""

    used: int = 0
    given: Decimal = Decimal(0)


UsageKey = tuple[str, str]  # the promotion's id, and EVERYONE or a customer's email
NO_USE = Usage()


@dataclass(frozen=True)
class PromotionUse:
    """What an order takes from a promotion's limits: one use (in all, and by the
    customer when it counts them per customer) and what it gave; written with the
    order by a conditional write, given back when the order is cancelled."""

    promotion_id: str
    reference: str
    customer: str  # EVERYONE: its uses are not counted per customer
    given: Decimal
    currency: str
    limits: Limits
    code: str | None = None  # the code that unlocked it
    version: int = 1  # of the promotion that decided: the write checks it is current


@dataclass(frozen=True)
class CodeOutcome:
    """A code the cart gave: the promotion it unlocks, whether it applied, why not."""

    code: str  # as kept: in capitals
    reference: str | None  # the promotion's id@version; None: no promotion has it
    applied: bool
    reason: str | None = None


@dataclass(frozen=True)
class Promoted:
    money: OrderMoney  # with the promotions' discounts
    applied: tuple[str, ...] = ()  # the references of those that applied, in order
    passed: tuple[Passed, ...] = ()  # those that did not, and why
    uses: tuple[PromotionUse, ...] = ()  # what those with limits take
    codes: tuple[CodeOutcome, ...] = ()  # each code given, in order

    def refused_codes(self) -> list[tuple[int, CodeOutcome]]:
        """The codes given that cannot apply, by their place among those given (not
        one whose promotion finds nothing to take off: free shipping on a cart whose
        shipping is free already)."""
        return [
            (i, outcome)
            for i, outcome in enumerate(self.codes)
            if not outcome.applied and outcome.reason != GIVES_NOTHING
        ]


class PromotionEngine(Protocol):
    def apply(
        self, money: OrderMoney, facts: CartFacts, codes: Sequence[str], now: datetime
    ) -> Promoted:
        """The money with the promotions' discounts; `codes`: as the cart gives them."""
        ...


@dataclass(frozen=True)
class BuiltInPromotions:
    promotions: Sequence[Promotion]
    usage: Mapping[UsageKey, Usage] = field(default_factory=dict)  # of those with limits

    def apply(
        self, money: OrderMoney, facts: CartFacts, codes: Sequence[str], now: datetime
    ) -> Promoted:
        given_codes = [code_of(code) for code in codes]
        applied: list[str] = []
        passed: list[Passed] = []
        uses: list[PromotionUse] = []
        exclusive = False
        for promotion in sorted(self.promotions, key=lambda p: (p.priority, p.id)):
            code = next((c for c in given_codes if c in promotion.codes), None)
            why = _why_not(promotion, money, facts, code, now) or self._used_up(promotion, facts)
            if why is None and (exclusive or (applied and _alone(promotion))):
                why = f"not combined with {', '.join(applied)}"
            given = money if why is not None else _give(promotion, money, code)
            amount = given.discount - money.discount
            if why is None and not amount:
                why = GIVES_NOTHING  # nor keeps others from applying
            why = why or self._over_budget(promotion, amount)
            if why is not None:
                passed.append(Passed(promotion.reference, why))
                continue
            money = given
            applied.append(promotion.reference)
            exclusive = _alone(promotion)
            if promotion.limits.counted:
                uses.append(_use(promotion, facts, amount, money.currency, code))
        outcomes = _code_outcomes(given_codes, self.promotions, applied, passed)
        return Promoted(money, tuple(applied), tuple(passed), tuple(uses), outcomes)

    def _used_up(self, promotion: Promotion, facts: CartFacts) -> str | None:
        """Why its limits of uses keep it from this cart; None: they do not."""
        limits = promotion.limits
        if limits.uses is not None:
            used = self.usage.get((promotion.id, EVERYONE), NO_USE).used
            if used >= limits.uses:
                return f"used up: {used} of {limits.uses} uses"
        if limits.uses_per_customer is not None:
            customer = _customer(promotion, facts)
            if customer is None:
                return "its uses are counted per customer: the cart names no customer's email"
            used = self.usage.get((promotion.id, customer), NO_USE).used
            if used >= limits.uses_per_customer:
                return f"used up by this customer: {used} of {limits.uses_per_customer} uses"
        return None

    def _over_budget(self, promotion: Promotion, amount: Decimal) -> str | None:
        budget = promotion.limits.budget
        if budget is None:
            return None
        spent = self.usage.get((promotion.id, EVERYONE), NO_USE).given
        if spent + amount > budget:
            return f"its budget is spent: {spent} of {budget} given, this cart would take {amount}"
        return None


def _use(
    promotion: Promotion, facts: CartFacts, amount: Decimal, currency: str, code: str | None
) -> PromotionUse:
    """What the cart takes of the promotion's limits. What it gave counts in the
    promotion's own currency only (a budget has one)."""
    return PromotionUse(
        promotion.id,
        promotion.reference,
        _customer(promotion, facts) or EVERYONE,
        amount if promotion.currency else Decimal(0),
        currency,
        promotion.limits,
        code,
        promotion.version,
    )


def customer_key(email: str) -> str:
    """Whom a promotion's uses are counted for: the email, whatever its case."""
    return email.strip().casefold()


def _customer(promotion: Promotion, facts: CartFacts) -> str | None:
    """Whom its uses are counted for, when it counts them per customer."""
    if promotion.limits.uses_per_customer is None or not facts.customer_email:
        return None
    return customer_key(facts.customer_email)


def _code_outcomes(
    codes: Sequence[str],
    promotions: Sequence[Promotion],
    applied: Sequence[str],
    passed: Sequence[Passed],
) -> tuple[CodeOutcome, ...]:
    why = {p.reference: p.reason for p in passed}
    outcomes = []
    for code in codes:
        unlocked = [p for p in promotions if code in p.codes]
        if not unlocked:
            outcomes.append(CodeOutcome(code, None, False, "no promotion has this code"))
            continue
        # A code two promotions share (changed at once) is good when one applies.
        done = next((p for p in unlocked if p.reference in applied), unlocked[0])
        reason = None if done.reference in applied else why.get(done.reference)
        outcomes.append(CodeOutcome(code, done.reference, reason is None, reason))
    return tuple(outcomes)


def _alone(promotion: Promotion) -> bool:
    return promotion.stacking is Stacking.EXCLUSIVE


def _why_not(
    promotion: Promotion,
    money: OrderMoney,
    facts: CartFacts,
    code: str | None,
    now: datetime,
) -> str | None:
    """Why the promotion does not apply to the cart now; None: it does."""
    eligible = _eligible(promotion, money)
    worth = sum((line.net for line in eligible), Decimal(0))
    threshold = promotion.threshold
    shipping = promotion.benefit is Benefit.SHIPPING_PERCENT
    checks = (
        (not promotion.runs_at(now), "not running now"),
        (promotion.currency not in (None, money.currency), f"for {promotion.currency} carts"),
        (promotion.requires_code and code is None, "its code was not given"),
        (not eligible and (promotion.skus or not shipping), "no line it takes"),
        (
            threshold is not None and worth < threshold,
            f"its lines come to {worth}, below {threshold}",
        ),
    )
    found = next((why for failed, why in checks if failed), None)
    if found is not None or promotion.condition is None:
        return found
    try:
        if not holds(promotion.condition, activation(_facts(money, facts, now))):
            return "its condition does not hold"
    except Unevaluable as error:
        return f"its condition cannot be evaluated: {error}"
    return None


def _facts(money: OrderMoney, facts: CartFacts, now: datetime) -> dict[str, Any]:
    return {
        "cart": {
            "channel": facts.channel,
            "currency": money.currency,
            "subtotal": float(sum((line.net for line in money.lines), Decimal(0))),
            "units": sum(line.quantity for line in money.lines),
            "skus": sorted({line.sku for line in money.lines}),
        },
        "customer": {"email": facts.customer_email, "group": facts.customer_group},
        "ship_to": {"country": facts.country},
        "now": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _eligible(promotion: Promotion, money: OrderMoney) -> list[PricedLine]:
    return [
        line
        for line in money.lines
        if (not promotion.skus or line.sku in promotion.skus) and line.net > 0
    ]


def _give(promotion: Promotion, money: OrderMoney, code: str | None) -> OrderMoney:
    """The money with the promotion's discounts on its lines or charges (their reason
    its name, and the code that unlocked it)."""
    reason = promotion.name if code is None else f"{promotion.name} (code {code})"
    why = Adjustment(AdjustmentSource.PROMOTION, promotion.reference, reason)
    eligible = _eligible(promotion, money)
    currency, value = money.currency, promotion.value
    taken: dict[int, PricedLine] = {}
    if promotion.benefit in (Benefit.ORDER_PERCENT, Benefit.ORDER_AMOUNT):
        worth = sum((line.net for line in eligible), Decimal(0))
        amount = (
            quantize(worth * value / 100, currency)
            if promotion.benefit is Benefit.ORDER_PERCENT
            else min(value, worth)
        )
        taken = {line.line_no: line for line in discount_order(eligible, amount, why, "value")}
    elif promotion.benefit is Benefit.LINE_PERCENT:
        taken = {
            line.line_no: _off(line, quantize(line.net * value / 100, currency), why)
            for line in eligible
        }
    elif promotion.benefit is Benefit.UNIT_AMOUNT:
        taken = {
            line.line_no: _off(line, min(value * line.quantity, line.net), why) for line in eligible
        }
    elif promotion.benefit is Benefit.BUY_X_GET_Y:
        taken = _buy_x_get_y(promotion, eligible, why)
    lines = tuple(taken.get(line.line_no, line) for line in money.lines)
    charges = money.charges
    if promotion.benefit is Benefit.SHIPPING_PERCENT:
        charges = tuple(_shipping_off(charge, value, why) for charge in charges)
    return replace(money, lines=lines, charges=charges)


def _buy_x_get_y(
    promotion: Promotion, eligible: list[PricedLine], why: Adjustment
) -> dict[int, PricedLine]:
    """Of every `buy` + `get` eligible units, the `get` cheapest are `value` % off:
    the cheapest units of the cheapest lines, each line's discount spread over its
    units."""
    units = sum(line.quantity for line in eligible)
    free = units // (promotion.buy + promotion.get) * promotion.get
    taken: dict[int, PricedLine] = {}
    for line in sorted(eligible, key=lambda line: (line.net / line.quantity, line.line_no)):
        if not free:
            break
        n = min(free, line.quantity)
        cheapest = _cheapest(line.unit_nets(), n)
        amount = quantize(cheapest * promotion.value / 100, line.currency)
        taken[line.line_no] = _off(line, amount, why)
        free -= n
    return taken


def _cheapest(nets: UnitAmounts, n: int) -> Decimal:
    """What the `n` cheapest units sell for together."""
    total, left = Decimal(0), n
    for amount, units in sorted(nets.runs):
        take = min(left, units)
        total, left = total + amount * take, left - take
    return total


def _off(line: PricedLine, amount: Decimal, why: Adjustment) -> PricedLine:
    return replace(line, discounts=(*line.discounts, discount_units(line, amount, why, "value")))


def _shipping_off(charge: Charge, percent: Decimal, why: Adjustment) -> Charge:
    if charge.kind != "shipping" or charge.net <= 0:
        return charge
    amount = quantize(charge.net * percent / 100, charge.currency)
    return replace(
        charge, discounts=(*charge.discounts, discount_units(charge, amount, why, "value"))
    )

"""Promotions applied to a cart's money, the same way in a quote and at capture on
every channel, behind one interface (`PromotionEngine`) so that a retailer may plug
in an engine of its own.

The built-in engine (`BuiltInPromotions`) takes the promotions that run now, in the
cart's currency, whose code the cart gives (when they need one), whose condition
holds and whose eligible lines reach their threshold, in order of priority (then
id); the first exclusive one applies alone, and stackable ones apply one after
another, each on what the goods sell for after the ones before. Every discount names
the promotion's version that gave it and its name; every promotion that did not
apply says why (`Promoted.passed`). Discounts come before taxes.

Pure: the same cart, promotions, codes and `now` give the same money."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from ordino.kernel.domain import Unevaluable, UnitAmounts, activation, holds, quantize
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Benefit,
    Charge,
    OrderMoney,
    PricedLine,
    Promotion,
    Stacking,
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


@dataclass(frozen=True)
class Promoted:
    money: OrderMoney  # with the promotions' discounts
    applied: tuple[str, ...] = ()  # the references of those that applied, in order
    passed: tuple[Passed, ...] = ()  # those that did not, and why


class PromotionEngine(Protocol):
    def apply(
        self, money: OrderMoney, facts: CartFacts, codes: frozenset[str], now: datetime
    ) -> Promoted:
        """The money with the promotions' discounts; `codes`: the ids of the
        promotions the cart's codes unlock."""
        ...


@dataclass(frozen=True)
class BuiltInPromotions:
    promotions: Sequence[Promotion]

    def apply(
        self, money: OrderMoney, facts: CartFacts, codes: frozenset[str], now: datetime
    ) -> Promoted:
        applied: list[str] = []
        passed: list[Passed] = []
        exclusive = False
        for promotion in sorted(self.promotions, key=lambda p: (p.priority, p.id)):
            why = _why_not(promotion, money, facts, codes, now)
            if why is None and (exclusive or (applied and _alone(promotion))):
                why = f"not combined with {', '.join(applied)}"
            given = money if why is not None else _give(promotion, money)
            if why is None and given.discount == money.discount:
                why = "gives nothing to this cart"  # nor keeps others from applying
            if why is not None:
                passed.append(Passed(promotion.reference, why))
                continue
            money = given
            applied.append(promotion.reference)
            exclusive = _alone(promotion)
        return Promoted(money, tuple(applied), tuple(passed))


def _alone(promotion: Promotion) -> bool:
    return promotion.stacking is Stacking.EXCLUSIVE


def _why_not(
    promotion: Promotion,
    money: OrderMoney,
    facts: CartFacts,
    codes: frozenset[str],
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
        (promotion.requires_code and promotion.id not in codes, "its code was not given"),
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


def _give(promotion: Promotion, money: OrderMoney) -> OrderMoney:
    """The money with the promotion's discounts on its lines or charges."""
    why = Adjustment(AdjustmentSource.PROMOTION, promotion.reference, promotion.name)
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

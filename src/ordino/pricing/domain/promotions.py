"""Promotions as data: what a promotion gives (a percent or an amount off the order,
off lines, off each unit, off shipping; or buy X get Y), to which lines (by SKU),
when (its dates), to whom (a CEL condition over the cart's facts), from which
goods' value on (a threshold), in what order (priority, lower first) and with what
else (stackable, or alone), for which codes (none: every cart), and how often and
how much (its uses in all and per customer, its budget). Each change of a promotion
is a new version; an order's discount names the version that gave it
(`id@version`).

Invariants: a percent is above 0 and at most 100; an amount, a threshold are in the
promotion's currency's digits (and a promotion with either has a currency); buy X
get Y has both at least 1; it ends after it starts; its condition compiles and
evaluates to true or false on a cart with every fact (`CART_FACTS`); a code is
letters, digits, '-' and '_' (kept in capitals: codes are read whatever their case);
limits are at least 1, a budget above 0 in the promotion's currency."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import (
    FieldError,
    InvalidInput,
    fits,
    is_currency,
    minor_digits,
    quantize,
    refuse_bad_condition,
)


class Benefit(StrEnum):
    ORDER_PERCENT = "order_percent"  # `value` % off the eligible lines together
    ORDER_AMOUNT = "order_amount"  # `value` off the eligible lines, spread over them
    LINE_PERCENT = "line_percent"  # `value` % off each eligible line
    UNIT_AMOUNT = "unit_amount"  # `value` off each eligible unit
    SHIPPING_PERCENT = "shipping_percent"  # `value` % off the shipping (100: free)
    BUY_X_GET_Y = "buy_x_get_y"  # of every `buy` + `get` eligible units, the `get`
    # cheapest `value` % off (100: free)


PERCENTS = {
    Benefit.ORDER_PERCENT,
    Benefit.LINE_PERCENT,
    Benefit.SHIPPING_PERCENT,
    Benefit.BUY_X_GET_Y,
}


class Stacking(StrEnum):
    STACKABLE = "stackable"  # combines with the other stackable ones
    EXCLUSIVE = "exclusive"  # applies alone, or not at all


# A cart as a promotion's condition sees it: every fact there is.
CART_FACTS = {
    "cart": {
        "channel": "web",
        "currency": "EUR",
        "subtotal": 100.0,  # the goods' value after earlier promotions
        "units": 2,
        "skus": ["SKU-1"],
    },
    "customer": {"email": "ada@example.com", "group": "vip"},
    "ship_to": {"country": "DE"},
    "now": "2026-12-06T12:00:00Z",  # UTC, to the second: compare it with "…Z" text
}


CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,63}")


def code_of(text: str) -> str:
    """A code as it is kept and compared: without spaces around, in capitals."""
    return text.strip().upper()


@dataclass(frozen=True)
class Limits:
    """How often and how much a promotion gives; none: without limit. A use is an
    order it applied to; `budget`: what its discounts may come to in all, in the
    promotion's currency."""

    uses: int | None = None
    uses_per_customer: int | None = None  # by the customer's email
    budget: Decimal | None = None

    @property
    def counted(self) -> bool:
        return self.uses is not None or self.uses_per_customer is not None or bool(self.budget)


@dataclass(frozen=True)
class Promotion:
    id: str
    name: str  # what the customer reads on the order's discount
    benefit: Benefit
    value: Decimal  # a percent (0 to 100) or an amount, by the benefit
    currency: str | None = None  # of its amounts; none: percents only, any currency
    skus: frozenset[str] = field(default_factory=frozenset)  # the lines it takes; none: all
    threshold: Decimal | None = None  # the eligible lines must reach it (net)
    buy: int = 0
    get: int = 0
    condition: str | None = None  # CEL over `CART_FACTS`' names
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int = 100  # lower first
    stacking: Stacking = Stacking.STACKABLE
    codes: frozenset[str] = frozenset()  # a cart must give one of them; none: any cart
    limits: Limits = Limits()
    enabled: bool = True
    version: int = 1

    @property
    def requires_code(self) -> bool:
        return bool(self.codes)

    @property
    def reference(self) -> str:
        return f"{self.id}@{self.version}"

    def runs_at(self, now: datetime) -> bool:
        started = self.starts_at is None or self.starts_at <= now
        return self.enabled and started and (self.ends_at is None or now < self.ends_at)

    def refuse_problems(self) -> None:
        """InvalidInput naming each field that makes it no promotion."""
        errors = self._value_problems() + self._amount_problems() + self._limit_problems()
        if self.benefit is Benefit.BUY_X_GET_Y and (self.buy < 1 or self.get < 1):
            errors.append(FieldError("buy", "buy X get Y takes both, each at least 1"))
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.append(FieldError("ends_at", "must be after starts_at"))
        if errors:
            raise InvalidInput("the promotion cannot apply", errors=errors)
        if self.condition is not None:
            refuse_bad_condition(self.condition, CART_FACTS, "condition")

    def _value_problems(self) -> list[FieldError]:
        if not self.value.is_finite() or self.value <= 0:
            return [FieldError("value", "must be above 0")]
        if self.benefit in PERCENTS and self.value > 100:
            return [FieldError("value", "a percent is at most 100")]
        return []

    def _limit_problems(self) -> list[FieldError]:
        errors = [
            FieldError("codes", f"{code!r} is not letters, digits, '-' and '_' (at most 64)")
            for code in sorted(self.codes)
            if not CODE.fullmatch(code)
        ]
        counts = [("limits.uses", self.limits.uses)]
        counts.append(("limits.uses_per_customer", self.limits.uses_per_customer))
        errors += [
            FieldError(name, "must be at least 1")
            for name, count in counts
            if count is not None and count < 1
        ]
        budget = self.limits.budget
        if budget is not None and (not budget.is_finite() or budget <= 0):
            errors.append(FieldError("limits.budget", "must be above 0"))
        return errors

    def _amount_problems(self) -> list[FieldError]:
        amounts = [("threshold", self.threshold), ("limits.budget", self.limits.budget)]
        if self.benefit not in PERCENTS:
            amounts.append(("value", self.value))
        named = [(name, amount) for name, amount in amounts if amount is not None]
        if not named:
            return []
        if self.currency is None or not is_currency(self.currency):
            return [FieldError("currency", "an amount, a threshold or a budget needs its currency")]
        digits, currency = minor_digits(self.currency), self.currency
        too_large = [name for name, amount in named if not fits(amount, currency)]
        if too_large:
            return [FieldError(name, f"too large for {currency}") for name in too_large]
        return [
            FieldError(name, f"{currency} has {digits} decimal places")
            for name, amount in named
            if amount.is_finite() and quantize(amount, currency) != amount
        ]


def promotion_document(promotion: Promotion) -> dict[str, Any]:
    limits = promotion.limits
    return {
        "name": promotion.name,
        "benefit": str(promotion.benefit),
        "value": str(promotion.value),
        "currency": promotion.currency,
        "skus": sorted(promotion.skus),
        "threshold": None if promotion.threshold is None else str(promotion.threshold),
        "buy": promotion.buy,
        "get": promotion.get,
        "condition": promotion.condition,
        "starts_at": None if promotion.starts_at is None else promotion.starts_at.isoformat(),
        "ends_at": None if promotion.ends_at is None else promotion.ends_at.isoformat(),
        "priority": promotion.priority,
        "stacking": str(promotion.stacking),
        "codes": sorted(promotion.codes),
        "limits": {
            "uses": limits.uses,
            "uses_per_customer": limits.uses_per_customer,
            "budget": None if limits.budget is None else str(limits.budget),
        },
        "enabled": promotion.enabled,
    }


def promotion_from_document(id_: str, document: dict[str, Any], version: int) -> Promotion:
    threshold, starts, ends = document["threshold"], document["starts_at"], document["ends_at"]
    limits = document.get("limits") or {}
    budget = limits.get("budget")
    return Promotion(
        id_,
        document["name"],
        Benefit(document["benefit"]),
        Decimal(document["value"]),
        document["currency"],
        frozenset(document["skus"]),
        None if threshold is None else Decimal(threshold),
        document["buy"],
        document["get"],
        document["condition"],
        None if starts is None else datetime.fromisoformat(starts),
        None if ends is None else datetime.fromisoformat(ends),
        document["priority"],
        Stacking(document["stacking"]),
        frozenset(document.get("codes", ())),
        Limits(
            limits.get("uses"),
            limits.get("uses_per_customer"),
            None if budget is None else Decimal(budget),
        ),
        # A version written before codes were that required one had none: it gave nothing.
        document["enabled"] and not (document.get("requires_code") and not document.get("codes")),
        version,
    )

"""Hold rules evaluated: the facts of an order, and which rules they make true.

Rules are CEL (Common Expression Language) expressions
(`ordino.kernel.domain.expressions`).
The facts an expression may name (a field that is absent, such as `order.bill_to`
of an order without one, is tested with `has(...)`):

    order.id, order.type, order.channel, order.total (double), order.currency,
    order.lines (count), order.units, order.customer.email,
    order.ship_to.{country, postal_code, city},
    order.bill_to.{country, postal_code, city}            (when given)
    order.b2b.{purchase_order, requested_date, ship_complete}  (B2B orders)
    customer.orders_24h, customer.value_24h   (the customer's orders in the 24
                                               hours before this one: velocity)
    address.known   (the ship-to postal code is one Ordino knows)

A rule that cannot be evaluated on an order (it names a fact the order lacks
without `has`, compares a number with a string) holds the order, with the error
as its reason: a broken rule stops orders for a person to look at rather than let
them through unchecked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import Unevaluable, activation, holds, refuse_bad_condition
from ordino.network.domain import Address
from ordino.orders.domain import HoldRule, Order

# An order as a rule sees it when the rule is stored: every fact there is.
SAMPLE_FACTS: dict[str, Any] = {
    "order": {
        "id": "0" * 32,
        "type": "ship_to_home",
        "channel": "web",
        "total": 100.0,
        "currency": "EUR",
        "lines": 1,
        "units": 1,
        "customer": {"email": "ada@example.com"},
        "ship_to": {"country": "DE", "postal_code": "10115", "city": "Berlin"},
        "bill_to": {"country": "DE", "postal_code": "10115", "city": "Berlin"},
        "b2b": {"purchase_order": "PO-1", "requested_date": "2026-12-01", "ship_complete": True},
    },
    "customer": {"orders_24h": 0, "value_24h": 0.0},
    "address": {"known": True},
}


@dataclass(frozen=True)
class Verdict:
    rule: HoldRule
    reason: str  # the rule's, or why it could not be evaluated


def refuse_bad_rule(expression: str) -> None:
    """A rule is stored only if it compiles and evaluates, to a boolean, on an order
    with every fact: a typo in a field name is found now, not on the next order."""
    refuse_bad_condition(expression, SAMPLE_FACTS, "expression")


def holding(rules: Sequence[HoldRule], facts: dict[str, Any]) -> list[Verdict]:
    """The rules, in the order given, that hold an order with these facts."""
    known = activation(facts)
    verdicts = []
    for rule in rules:
        try:
            held = holds(rule.expression, known)
        except Unevaluable as error:
            verdicts.append(Verdict(rule, f"rule {rule.name} failed: {error}"))
            continue
        if held:
            verdicts.append(Verdict(rule, rule.reason))
    return verdicts


@dataclass(frozen=True)
class Velocity:
    """The customer's orders in the 24 hours before this one."""

    orders: int = 0
    value: Decimal = Decimal(0)


def order_facts(order: Order, velocity: Velocity, address_known: bool) -> dict[str, Any]:
    """The facts of an order a rule may name (the module's docstring lists them)."""
    b2b = order.b2b
    return {
        "order": {
            "id": order.id,
            "type": order.type,
            "channel": order.channel,
            "total": float(order.total.amount),
            "currency": order.currency,
            "lines": len(order.lines),
            "units": sum(line.quantity for line in order.lines),
            "customer": {"email": order.customer.email},
            "ship_to": _place(order.ship_to),
            "bill_to": None if order.bill_to is None else _place(order.bill_to),
            "b2b": None
            if b2b is None
            else {
                "purchase_order": b2b.purchase_order,
                "requested_date": b2b.requested_date.isoformat() if b2b.requested_date else None,
                "ship_complete": b2b.ship_complete,
            },
        },
        "customer": {"orders_24h": velocity.orders, "value_24h": float(velocity.value)},
        "address": {"known": address_known},
    }


def _place(address: Address) -> dict[str, str]:
    return {
        "country": address.country,
        "postal_code": address.postal_code,
        "city": address.city,
    }

"""The return policy: one document saying what may be returned, until when, how, why,
and which returns go ahead without a person looking at them.

    windows          days to return, per channel and product class (the most
                     specific row that matches applies: channel and class, then
                     class, then channel, then the row that names neither)
    non_returnable   SKUs and product classes that are never taken back
    class_attribute  the product attribute that holds its class ("category")
    reasons          the reason codes a return may give (reasons are data)
    methods          how the goods may travel back
    auto_approve     a CEL condition over the return's facts (`facts`); true: the
                     return is authorised at once by the policy, else it waits for
                     a person
    routing          where returned goods go (`ordino.returns.domain.routing`)
    refunds          when and what a return refunds (`ordino.returns.domain.refunds`)
    exchanges        whether a line may ask for another size or colour instead of
                     its money, and when the exchange order is placed
                     (`ordino.returns.domain.exchanges`)

Invariants:
  * every refusal is a `NotAllowed` naming the line (`field`) and the rule it broke
    (`rule`: "window", "non_returnable", "method"), before anything changes;
  * a policy is stored only when it can apply: a window's days from 1 to 3650, at
    least one reason and one method, an auto-approval condition that evaluates to
    true or false on a sample of every fact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import (
    FieldError,
    InvalidInput,
    NotAllowed,
    Unevaluable,
    activation,
    holds,
    refuse_bad_condition,
)
from ordino.orders.domain import FulfillmentStatus, Order
from ordino.returns.domain.exchanges import (
    ExchangeTerms,
    exchange_terms_document,
    exchange_terms_from_document,
)
from ordino.returns.domain.refunds import RefundTerms, terms_document, terms_from_document
from ordino.returns.domain.returns import (
    Initiator,
    ReturnLineRequest,
    ReturnMethod,
    refuse_bad_lines,
)
from ordino.returns.domain.routing import (
    RoutingProfile,
    routing_document,
    routing_from_document,
)

POLICY_NAME = "default"  # the one policy document's key
APPROVED_BY_POLICY = "policy:auto_approve"  # who authorised a return the rule approved


@dataclass(frozen=True)
class ReturnWindow:
    days: int
    channel: str | None = None  # None: every channel
    product_class: str | None = None  # None: every class

    @property
    def specificity(self) -> int:
        return (2 if self.product_class else 0) + (1 if self.channel else 0)


@dataclass(frozen=True)
class ReturnReason:
    code: str  # what a return gives: "wrong_size"
    label: str  # what a person reads: "Wrong size"
    restocking_fee: Decimal = Decimal(0)  # the share of the units' paid kept (0 to 1)
    merchant_fault: bool = False  # the merchant's doing: no return shipping fee


DEFAULT_REASONS = (
    ReturnReason("changed_mind", "Changed my mind"),
    ReturnReason("wrong_size", "Wrong size or fit"),
    ReturnReason("damaged", "Arrived damaged", merchant_fault=True),
    ReturnReason("wrong_item", "Wrong item sent", merchant_fault=True),
    ReturnReason("not_as_described", "Not as described", merchant_fault=True),
)


@dataclass(frozen=True)
class ReturnPolicy:
    windows: tuple[ReturnWindow, ...] = (ReturnWindow(30),)
    non_returnable_skus: tuple[str, ...] = ()
    non_returnable_classes: tuple[str, ...] = ()
    class_attribute: str = "category"
    reasons: tuple[ReturnReason, ...] = DEFAULT_REASONS
    methods: tuple[ReturnMethod, ...] = tuple(ReturnMethod)
    auto_approve: str = "true"
    routing: RoutingProfile = field(default_factory=RoutingProfile)
    refunds: RefundTerms = field(default_factory=RefundTerms)
    exchanges: ExchangeTerms = field(default_factory=ExchangeTerms)
    version: int = 0  # 0: the default (none stored)

    def problems(self) -> list[FieldError]:
        problems = [
            FieldError(f"windows[{i}].days", "must be from 1 to 3650")
            for i, w in enumerate(self.windows)
            if not 1 <= w.days <= 3650
        ]
        keys = [(w.channel, w.product_class) for w in self.windows]
        problems += [
            FieldError(f"windows[{i}]", "another window names the same channel and class")
            for i, key in enumerate(keys)
            if key in keys[:i]
        ]
        codes = [r.code for r in self.reasons]
        if not codes:
            problems.append(FieldError("reasons", "give at least one reason"))
        problems += [
            FieldError(f"reasons[{i}].code", "named twice")
            for i, code in enumerate(codes)
            if code in codes[:i]
        ]
        if not self.methods:
            problems.append(FieldError("methods", "offer at least one method"))
        problems += [
            FieldError(f"reasons[{i}].restocking_fee", "a share: from 0 to 1")
            for i, reason in enumerate(self.reasons)
            if not 0 <= reason.restocking_fee <= 1
        ]
        problems += self.routing.problems() + self.refunds.problems()
        return problems + self.exchanges.problems()

    def refuse_bad_condition(self) -> None:
        refuse_bad_condition(self.auto_approve, SAMPLE_FACTS, "auto_approve")

    def window(self, channel: str, product_class: str | None) -> ReturnWindow | None:
        """The most specific window that applies (None: none does: not returnable)."""
        matching = [
            w
            for w in self.windows
            if w.channel in (None, channel) and w.product_class in (None, product_class)
        ]
        return max(matching, key=lambda w: w.specificity, default=None)

    def reason_codes(self) -> set[str]:
        return {r.code for r in self.reasons}


@dataclass(frozen=True)
class ProductClasses:
    """What the policy reads of the products returned: each SKU's class (its
    `class_attribute`; None: it has none)."""

    by_sku: Mapping[str, str | None] = field(default_factory=dict)


def refuse_return(
    order: Order,
    asked: Sequence[ReturnLineRequest],
    method: ReturnMethod,
    classes: ProductClasses,
    policy: ReturnPolicy,
    now: datetime,
) -> None:
    """InvalidInput for lines the order cannot return (`refuse_bad_lines`) or a reason
    the policy does not know; NotAllowed naming the line and the rule for a product
    never taken back, a window passed, a method not offered. Nothing changed."""
    refuse_bad_lines(order, asked)
    known = policy.reason_codes()
    bad = [
        FieldError(f"lines[{i}].reason", f"not a reason the policy knows: {sorted(known)}")
        for i, a in enumerate(asked)
        if a.reason not in known
    ]
    if bad:
        raise InvalidInput("the return gives a reason the policy does not know", errors=bad)
    if method not in policy.methods:
        offered = [str(m) for m in policy.methods]
        raise NotAllowed(
            f"returns by {method} are not offered: {', '.join(offered)} are",
            extra={"field": "method", "rule": "methods", "offered": offered},
        )
    for i, a in enumerate(asked):
        _refuse_line(order, a, f"lines[{i}]", classes, policy, now)


def _refuse_line(
    order: Order,
    asked: ReturnLineRequest,
    where: str,
    classes: ProductClasses,
    policy: ReturnPolicy,
    now: datetime,
) -> None:
    sku = order.line(asked.line_no).sku
    product_class = classes.by_sku.get(sku)
    if sku in policy.non_returnable_skus or (
        product_class is not None and product_class in policy.non_returnable_classes
    ):
        raise NotAllowed(
            f"{sku} is not taken back",
            extra={"field": f"{where}.line_no", "rule": "non_returnable", "sku": sku},
        )
    window = policy.window(order.channel, product_class)
    if window is None:
        raise NotAllowed(
            f"no return window applies to {sku} in channel {order.channel}",
            extra={"field": f"{where}.line_no", "rule": "window", "sku": sku},
        )
    within = min(order.returnable(asked.line_no), _got_since(order, asked.line_no, window, now))
    if asked.quantity > within:
        until = max(_got(order, asked.line_no)) + timedelta(days=window.days)
        raise NotAllowed(
            f"{sku} could be returned within {window.days} days of delivery"
            + (f": {within} of its units still may be" if within else f", until {until.date()}"),
            extra={
                "field": f"{where}.quantity",
                "rule": "window",
                "window": window_document(window),
                "returnable": within,
                "returnable_until": until.isoformat(),
            },
        )


def _got(order: Order, line_no: int) -> list[datetime]:
    """When the customer got each of the line's units they have (delivered, as the
    carrier said, or collected)."""
    done = (FulfillmentStatus.DELIVERED, FulfillmentStatus.PICKED_UP)
    return [
        fo.done_at or fo.updated_at
        for fo in order.fulfillments
        if fo.status in done
        for _ in range(fo.quantity_of(line_no))
    ]


def _got_since(order: Order, line_no: int, window: ReturnWindow, now: datetime) -> int:
    """Units of the line the customer got within the window's days of `now`."""
    return sum(1 for got in _got(order, line_no) if now <= got + timedelta(days=window.days))


def facts(
    order: Order,
    asked: Sequence[ReturnLineRequest],
    how: tuple[Initiator, ReturnMethod],
    now: datetime,
) -> dict[str, Any]:
    """What an auto-approval condition may name: the order, and the return asked
    (`return.value`: what its units paid, in the order's currency)."""
    value = Decimal(0)
    for a in asked:
        line = order.line(a.line_no)
        value += line.price.paid_over(line.returned + line.being_returned, a.quantity)
    return {
        "order": {
            "channel": order.channel,
            "type": order.type,
            "currency": order.currency,
            "total": float(order.total.amount),
            "customer_group": order.customer.group,
            "days_since_placed": (now - order.created_at).days,
        },
        "return": {
            "initiator": str(how[0]),
            "method": str(how[1]),
            "units": sum(a.quantity for a in asked),
            "value": float(value),
            "reasons": sorted({a.reason for a in asked}),
        },
    }


SAMPLE_FACTS: dict[str, Any] = {
    "order": {
        "channel": "web",
        "type": "ship_to_home",
        "currency": "EUR",
        "total": 100.0,
        "customer_group": "retail",
        "days_since_placed": 3,
    },
    "return": {
        "initiator": "customer",
        "method": "store",
        "units": 1,
        "value": 20.0,
        "reasons": ["wrong_size"],
    },
}


def approved(policy: ReturnPolicy, return_facts: dict[str, Any]) -> bool:
    """Whether the policy's rule authorises the return without a person (a rule that
    cannot be evaluated on these facts leaves it to a person)."""
    try:
        return holds(policy.auto_approve, activation(return_facts))
    except Unevaluable:
        return False


def window_document(window: ReturnWindow) -> dict[str, Any]:
    return {"days": window.days, "channel": window.channel, "product_class": window.product_class}


def policy_document(policy: ReturnPolicy) -> dict[str, Any]:
    return {
        "windows": [window_document(w) for w in policy.windows],
        "non_returnable_skus": list(policy.non_returnable_skus),
        "non_returnable_classes": list(policy.non_returnable_classes),
        "class_attribute": policy.class_attribute,
        "reasons": [
            {
                "code": r.code,
                "label": r.label,
                "restocking_fee": str(r.restocking_fee),
                "merchant_fault": r.merchant_fault,
            }
            for r in policy.reasons
        ],
        "methods": [str(m) for m in policy.methods],
        "auto_approve": policy.auto_approve,
        "routing": routing_document(policy.routing),
        "refunds": terms_document(policy.refunds),
        "exchanges": exchange_terms_document(policy.exchanges),
    }


def policy_from_document(_name: str, document: dict[str, Any]) -> ReturnPolicy:
    return ReturnPolicy(
        windows=tuple(ReturnWindow(**w) for w in document["windows"]),
        non_returnable_skus=tuple(document["non_returnable_skus"]),
        non_returnable_classes=tuple(document["non_returnable_classes"]),
        class_attribute=document["class_attribute"],
        reasons=tuple(
            ReturnReason(r["code"], r["label"], Decimal(r["restocking_fee"]), r["merchant_fault"])
            for r in document["reasons"]
        ),
        methods=tuple(ReturnMethod(m) for m in document["methods"]),
        auto_approve=document["auto_approve"],
        routing=routing_from_document(document["routing"]),
        refunds=terms_from_document(document["refunds"]),
        exchanges=exchange_terms_from_document(document.get("exchanges")),
    )

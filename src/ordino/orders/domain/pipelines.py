"""Order types and their pipelines: the steps an order goes through after capture,
as configuration.

An order's type is given at capture (or inferred: `b2b` when it carries a purchase
order, `pickup_in_store` or `ship_to_store` by its promise, else `ship_to_home`);
the type's steps are copied onto the order then, so a type changed later changes
orders placed later, never one half way through. The worker runs the steps in
order (`orders.advance`); a step either passes or makes the order wait (on hold, for
its requested date, for its backorders); whatever makes it wait queues the advance
again when it is over. Once past its last step, units allocated to the order later
(a reroute, a backorder filled) are released as they come.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import FieldError


class Step(StrEnum):
    CHECKS = "checks"  # the hold rules that apply to the type: any match holds the order
    AUTHORISE = "authorise"  # the payment authorised (orders paid by invoice pass)
    REQUESTED_DATE = "requested_date"  # wait until `lead_days` before the requested date
    SHIP_COMPLETE = "ship_complete"  # wait until nothing is backordered
    RELEASE = "release"  # the units go to their locations


@dataclass(frozen=True)
class Slas:
    """What the type's orders are held to once released (`ordino.orchestration.services.timers`):
    a location accepts within `accept_minutes` (None: no limit) — past it the
    breach is flagged, and with `reroute_unaccepted` the fulfillment order is also
    taken from it and sourced elsewhere; it ships by the promised ship date
    (flagged); a customer collects within `pickup_days` of being told (past it:
    not collected, back on the shelf)."""

    accept_minutes: int | None = 120
    reroute_unaccepted: bool = False
    pickup_days: int = 7


@dataclass(frozen=True)
class OrderType:
    name: str
    steps: tuple[Step, ...]
    description: str = ""
    lead_days: int = 0  # `requested_date`: released this many days before the date
    version: int = 0  # 0: built in
    slas: Slas = Slas()

    def problems(self) -> list[FieldError]:
        errors = []
        if Step.RELEASE not in self.steps:
            errors.append(FieldError("steps", "an order type must release its orders"))
        elif self.steps[-1] is not Step.RELEASE:
            errors.append(FieldError("steps", "release must be the last step"))
        if len(set(self.steps)) != len(self.steps):
            errors.append(FieldError("steps", "each step may be given once"))
        return errors


_CARD = (Step.CHECKS, Step.AUTHORISE, Step.RELEASE)
# The built-in types whose customer collects at a store: no carrier goes to them.
COLLECTED = frozenset({"pickup_in_store", "ship_to_store"})
# A return's exchange order (`ordino.returns.domain.exchanges`): the merchant ships it.
EXCHANGE = "exchange"
# The built-in types whose customer pays no shipping: they collect, or it is an exchange.
SHIPPING_FREE = COLLECTED | {EXCHANGE}

BUILT_IN: dict[str, OrderType] = {
    t.name: t
    for t in (
        OrderType("ship_to_home", _CARD, "a carrier delivers to the customer"),
        OrderType(
            "pickup_in_store",
            _CARD,
            "the customer collects at a store that has it",
            slas=Slas(accept_minutes=30, pickup_days=7),
        ),
        OrderType("ship_from_store", _CARD, "a store ships to the customer"),
        OrderType("ship_to_store", _CARD, "shipped to a store, where the customer collects"),
        OrderType("drop_ship", _CARD, "a supplier ships to the customer"),
        OrderType(EXCHANGE, _CARD, "what a return's customer asked instead of the money"),
        OrderType(
            "b2b",
            (Step.CHECKS, Step.REQUESTED_DATE, Step.SHIP_COMPLETE, Step.RELEASE),
            "a business's purchase order: paid by invoice, shipped complete by the requested date",
            lead_days=2,
        ),
    )
}


def order_type_document(order_type: OrderType) -> dict[str, Any]:
    slas = order_type.slas
    return {
        "steps": [str(step) for step in order_type.steps],
        "description": order_type.description,
        "lead_days": order_type.lead_days,
        "slas": {
            "accept_minutes": slas.accept_minutes,
            "reroute_unaccepted": slas.reroute_unaccepted,
            "pickup_days": slas.pickup_days,
        },
    }


def order_type_from_document(name: str, document: dict[str, Any]) -> OrderType:
    slas = document.get("slas") or {}
    return OrderType(
        name,
        tuple(Step(step) for step in document["steps"]),
        document["description"],
        document["lead_days"],
        slas=Slas(
            slas.get("accept_minutes", 120),
            slas.get("reroute_unaccepted", False),
            slas.get("pickup_days", 7),
        ),
    )

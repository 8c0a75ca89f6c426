"""What a customer may do to their own order, and the changes it makes.

The policy is data (one document, `SelfServicePolicy`): cancelling until the order
is released, or within some minutes of placing it, or never; changing the address,
converting a delivery to pickup and changing the pickup store until release.

Invariants:
  * a refusal raises `NotAllowed` before anything changes;
  * "released" means some units went to a location as a fulfillment order: from
    then on a location works on the order, and only cancelling (by the minutes
    policy) may still reach it;
  * a change lets go of every unit held and holds them again as the new plan says,
    recording who asked (`customer`) on the order's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ordino.inventory.domain import Reservation
from ordino.kernel.domain import FieldError, NotAllowed, Point
from ordino.network.domain import Address, ship_to_document
from ordino.orders.domain import Order, OrderStatus, promise_document
from ordino.promising.domain import Method, OrderPromise
from ordino.sourcing.domain import SourcingPlan

CUSTOMER = "customer"  # who the events of a customer's changes name (`by`)
POLICY_NAME = "default"  # the one policy document's key


class CancelUntil(StrEnum):
    RELEASE = "release"  # until the order is released to a location
    MINUTES = "minutes"  # within `cancel_minutes` of placing it
    NEVER = "never"


@dataclass(frozen=True)
class SelfServicePolicy:
    cancel_until: CancelUntil = CancelUntil.RELEASE
    cancel_minutes: int = 30
    change_address: bool = True
    convert_to_pickup: bool = True
    change_pickup_store: bool = True
    link_hours: int = 720  # how long a signed link to the order stays valid
    version: int = 0  # 0: the default (none stored)

    def problems(self) -> list[FieldError]:
        problems = []
        if not 1 <= self.cancel_minutes <= 43_200:
            problems.append(FieldError("cancel_minutes", "must be from 1 to 43200 (30 days)"))
        if not 1 <= self.link_hours <= 8_760:
            problems.append(FieldError("link_hours", "must be from 1 to 8760 (a year)"))
        return problems

    @property
    def link_valid(self) -> timedelta:
        return timedelta(hours=self.link_hours)


def policy_document(policy: SelfServicePolicy) -> dict[str, Any]:
    return {f.name: _plain(getattr(policy, f.name)) for f in fields(policy) if f.name != "version"}


def policy_from_document(_name: str, document: dict[str, Any]) -> SelfServicePolicy:
    known = {f.name for f in fields(SelfServicePolicy)} - {"version"}
    values = {k: v for k, v in document.items() if k in known}
    if "cancel_until" in values:
        values["cancel_until"] = CancelUntil(values["cancel_until"])
    return SelfServicePolicy(**values)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


def released(order: Order) -> bool:
    return bool(order.fulfillments)


def refuse_cancel(order: Order, policy: SelfServicePolicy, now: datetime) -> None:
    """NotAllowed unless the policy lets the customer cancel the order now."""
    _refuse_closed(order)
    if policy.cancel_until is CancelUntil.NEVER:
        raise NotAllowed("orders cannot be cancelled here: ask customer service")
    if policy.cancel_until is CancelUntil.MINUTES:
        until = order.created_at + timedelta(minutes=policy.cancel_minutes)
        if now >= until:
            raise NotAllowed(
                f"an order can be cancelled within {policy.cancel_minutes} minutes of placing it",
                extra={"cancellable_until": until.isoformat()},
            )
    elif released(order):
        raise NotAllowed("the order is being prepared: it can no longer be cancelled")


def refuse_change(order: Order, allowed: bool, change: str) -> None:
    """NotAllowed unless the policy offers `change` and the order is not released."""
    _refuse_closed(order)
    if not allowed:
        raise NotAllowed(f"{change} is not offered: ask customer service")
    if released(order):
        raise NotAllowed(f"the order is being prepared: {change} is no longer possible")


def _refuse_closed(order: Order) -> None:
    if order.status in (OrderStatus.CANCELLED, OrderStatus.FULFILLED):
        raise NotAllowed(f"the order is {order.status}", extra={"status": str(order.status)})


def delivered_to_address(order: Order) -> bool:
    """The order goes to the customer's address (no store to collect at)."""
    return order.promise is None or order.promise.method is Method.SHIP


def open_units(order: Order) -> dict[int, int]:
    """Per line, the units not cancelled and not gone: what a change sources again."""
    return {
        line.line_no: open
        for line in order.lines
        if (open := line.allocated + order.waiting(line)) > 0
    }


def _reallocate(order: Order, plan: SourcingPlan, now: datetime, why: str) -> list[Reservation]:
    """Every unit held is let go (they all wait) and held again as `plan` says; the
    ledger rows that hold them now."""
    for line in order.lines:
        line.allocations.clear()
    return order.allocate(plan, now, why)


def change_address(
    order: Order,
    ship_to: Address,
    point: Point | None,
    plan: SourcingPlan,
    promise: OrderPromise | None,
    now: datetime,
) -> list[Reservation]:
    """The order goes to another address, sourced (and promised) again for it."""
    held = _reallocate(order, plan, now, "the customer changed the address")
    order.ship_to, order.ship_to_point, order.promise = ship_to, point, promise
    order.touch(now)
    details = {"ship_to": ship_to_document(ship_to, point)} | promise_document(promise)
    order.record("order.address_changed", now, details)
    return held


def collect_at(
    order: Order, plan: SourcingPlan, promise: OrderPromise, now: datetime
) -> list[Reservation]:
    """The customer collects the order at `promise`'s store: a delivery converted to
    pickup, or the pickup moved to another store; the units are held at that store."""
    before = order.promise
    converted = delivered_to_address(order)
    held = _reallocate(order, plan, now, f"the customer collects at {promise.store_id}")
    order.promise, order.type = promise, "pickup_in_store"
    waived = order.waive_shipping(f"collected at {promise.store_id}", now) if converted else None
    order.touch(now)
    event = "order.converted_to_pickup" if converted else "order.pickup_store_changed"
    moved = {"store_id": promise.store_id, "from_store_id": before.store_id if before else None}
    if waived:  # the shipping it no longer pays
        moved |= {"shipping_waived": str(waived)}
    order.record(event, now, moved | promise_document(promise))
    return held

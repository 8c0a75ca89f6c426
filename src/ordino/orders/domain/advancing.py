"""An order moving through its pipeline, and the holds that stop it. Pure functions
over the order aggregate: each changes it and records the event that says so."""

from __future__ import annotations

from datetime import datetime, timedelta

from ordino.kernel.domain import IllegalTransition, NotFound, new_id
from ordino.orders.domain.holds import MANUAL, Hold, HoldRule, HoldStatus, hold_document
from ordino.orders.domain.orders import Order
from ordino.orders.domain.pipelines import OrderType, Step
from ordino.orders.domain.status import OrderStatus


def begin(order: Order, order_type: OrderType) -> None:
    """The type's steps, copied onto the order when it first advances."""
    if not order.pipeline:
        order.pipeline = order_type.steps


def next_step(order: Order) -> Step | None:
    """The step to run now; None once every step has passed."""
    return order.pipeline[order.step] if order.step < len(order.pipeline) else None


def passed(order: Order, step: Step, now: datetime) -> None:
    if next_step(order) is not step:
        raise IllegalTransition(
            f"order {order.id} is not at step {step}",
            extra={"step": str(next_step(order)), "to": str(step)},
        )
    order.step += 1
    order.updated_at = now


def release_after(order: Order, lead_days: int) -> datetime | None:
    """When a B2B order with a requested date is due for release: `lead_days` before
    the date (its start, UTC); None when it has no date."""
    if order.b2b is None or order.b2b.requested_date is None:
        return None
    day = order.b2b.requested_date - timedelta(days=lead_days)
    return datetime(day.year, day.month, day.day, tzinfo=order.created_at.tzinfo)


def hold(order: Order, rule: str, reason: str, by: str, now: datetime) -> Hold:
    """Put a hold on the order (by a rule, or by hand: `rule` MANUAL)."""
    if order.status in (OrderStatus.CANCELLED, OrderStatus.FULFILLED):
        raise IllegalTransition(
            f"order {order.id} is {order.status}", extra={"status": str(order.status)}
        )
    placed = Hold(new_id(now), rule, reason, HoldStatus.ACTIVE, now, by)
    order.holds.append(placed)
    order.updated_at = now
    order.record("order.held", now, {"hold": hold_document(placed)})
    return placed


def held_by_rules(order: Order, verdicts: list[tuple[HoldRule, str]], now: datetime) -> list[Hold]:
    return [
        hold(order, rule.name, reason, f"rule:{rule.name}@{rule.version}", now)
        for rule, reason in verdicts
    ]


def rules_to_check(order: Order, rules: list[HoldRule]) -> list[HoldRule]:
    """The rules that apply to the order's type, less those whose hold someone
    released already (released once, an order is not held by the same rule again)."""
    released = {h.rule for h in order.holds if h.status is HoldStatus.RELEASED}
    return [r for r in rules if r.applies_to(order.type) and r.name not in released]


def release_hold(order: Order, hold_id: str, by: str, note: str | None, now: datetime) -> Hold:
    found = _hold(order, hold_id)
    found.resolve(HoldStatus.RELEASED, by, note, now)
    order.updated_at = now
    order.record("order.hold_released", now, {"hold": hold_document(found)})
    return found


def cancel_from_hold(
    order: Order, hold_id: str, by: str, note: str | None, now: datetime
) -> tuple[Hold, bool]:
    """Cancel the order from a hold: the order is cancelled (its units let go), which
    ends this hold and every other active one (`Order.cancel`); whether it was
    cancelled now. An order cancelled already (while held, before cancelling ended
    holds) only has its holds ended: what it let go went back then. `by` is the
    order's actor, who acts on the hold."""
    found = _hold(order, hold_id)
    if not found.active:
        raise IllegalTransition(
            f"hold {hold_id} is {found.status}",
            extra={"from": str(found.status), "to": str(HoldStatus.CANCELLED)},
        )
    order.acting = by
    why = note or found.reason
    if order.cancel(now, why):
        return found, True
    order.end_holds(now, why)
    return found, False


def _hold(order: Order, hold_id: str) -> Hold:
    found = next((h for h in order.holds if h.id == hold_id), None)
    if found is None:
        raise NotFound(f"order {order.id} has no hold {hold_id}", extra={"hold_id": hold_id})
    return found


__all__ = ["MANUAL", "begin", "hold", "hold_document", "next_step", "passed"]

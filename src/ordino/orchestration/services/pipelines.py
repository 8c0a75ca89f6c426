"""Orders through their pipelines: the worker's `orders.advance`, order types as
configuration, hold rules, and the holds people put, release and cancel from.

The steps run in one unit of work, under the order's lock, loading and saving the
order once: the order goes on to the next while steps pass, and stops at the first
that makes it wait. Only a call outside (authorising a card) ends the transaction
before that: the call is made between two.
Whatever ends a wait queues the advance again: releasing the last hold, a backorder
filled (ship complete), the requested date come (a job due then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from ordino.kernel.domain import (
    ConfigurationKind,
    InvalidInput,
    NotFound,
    advance_job,
    from_minor,
    settle_job,
)
from ordino.kernel.services import ORDINO, Changed, record, refuse_unknown_types, with_retries
from ordino.orchestration.engine.hold_rules import Velocity, holding, order_facts, refuse_bad_rule
from ordino.orchestration.services import payments, timers
from ordino.orchestration.services.order_types import order_type_named
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orchestration.services.tenders import PAYMENT_HOLD
from ordino.orders.domain import (
    EVERY_ORDER,
    MANUAL,
    HoldRule,
    Order,
    OrderScope,
    OrderStatus,
    OrderType,
    Step,
    advancing,
    hold_document,
    hold_rule_document,
)
from ordino.orders.domain import release as fulfilling
from ordino.orders.services import existing_order, give_back, order_view
from ordino.payments.domain import PaymentGateway, PaymentStatus, card_of

VELOCITY_WINDOW = timedelta(hours=24)
_CLOSED = (OrderStatus.CANCELLED, OrderStatus.FULFILLED)


class Next(Enum):
    STEP = "step"  # go on to the next step
    STOP = "stop"  # the order waits
    AUTHORISE = "authorise"  # the card must be authorised first (outside a transaction)


def advance_order(
    order_id: str, uow: OrchestrationWork, gateway: PaymentGateway, now: datetime
) -> None:
    """Run the order's steps from where it stands until one makes it wait; past the
    last, release whatever was allocated since."""
    while (next_ := with_retries(lambda _: _steps(order_id, uow, now))) is not Next.STOP:
        if next_ is Next.AUTHORISE:
            payments.authorise(order_id, uow, gateway, now)


def _steps(order_id: str, uow: OrchestrationWork, now: datetime) -> Next:
    """The steps from where the order stands until one makes it wait or calls
    outside, in one transaction."""
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        if order is None or order.status in _CLOSED or order.on_hold:
            return Next.STOP
        order_type = order_type_named(uow, order.type)
        before = (order.pipeline, order.step, len(order.pending_events))
        advancing.begin(order, order_type)
        next_ = Next.STEP
        while next_ is Next.STEP:
            next_ = _run(advancing.next_step(order), order, order_type, uow, now)
        # Every change of the order records an event, or moves its pipeline: with
        # neither (past its last step, nothing new to release) there is nothing to save.
        if (order.pipeline, order.step, len(order.pending_events)) != before:
            uow.orders.save(order)
        uow.commit()
    return next_


def _run(
    step: Step | None, order: Order, order_type: OrderType, uow: OrchestrationWork, now: datetime
) -> Next:
    if step is None:  # every step passed: what was allocated since goes out too
        timers.after_release(uow, order, fulfilling.release(order, now), order_type, now)
        return Next.STOP
    if step is Step.CHECKS and _held(order, uow, now):
        return Next.STOP
    if step is Step.AUTHORISE and (waits := _paying(order, uow, now)) is not None:
        return waits
    if step is Step.REQUESTED_DATE:
        due = advancing.release_after(order, order_type.lead_days)
        if due is not None and now < due:
            uow.jobs.add(advance_job(order.id, now, run_at=due), now)
            return Next.STOP
    ship_complete = order.b2b is not None and order.b2b.ship_complete
    if step is Step.SHIP_COMPLETE and ship_complete and order.backordered:
        return Next.STOP  # the filling of its backorders queues the advance again
    if step is Step.RELEASE:
        timers.after_release(uow, order, fulfilling.release(order, now), order_type, now)
    advancing.passed(order, step, now)
    return Next.STEP


def _paying(order: Order, uow: OrchestrationWork, now: datetime) -> Next | None:
    """What the authorise step waits for (None: it passes: authorised, an invoice,
    or no payment to take). A declined card holds the order."""
    payment = card_of(uow.payments.of_order(order.id))
    if payments.needs_authorising(payment):
        return Next.AUTHORISE
    if payment is not None and payment.status is PaymentStatus.DECLINED:
        reason = f"payment declined: {payment.message}"
        advancing.hold(order, PAYMENT_HOLD, reason, "gateway", now)
        return Next.STOP
    return None


def _held(order: Order, uow: OrchestrationWork, now: datetime) -> bool:
    """Evaluate the hold rules that apply; hold the order for each that is true."""
    rules = advancing.rules_to_check(order, [rule for rule, _ in uow.hold_rules.all()])
    if not rules:
        return False
    count, value_minor = uow.orders.velocity(
        order.customer.email, order.created_at - VELOCITY_WINDOW, order.created_at
    )
    velocity = Velocity(count, from_minor(value_minor, order.currency))
    known = uow.geo.locate(order.ship_to.country, order.ship_to.postal_code) is not None
    verdicts = holding(rules, order_facts(order, velocity, known))
    advancing.held_by_rules(order, [(v.rule, v.reason) for v in verdicts], now)
    return bool(verdicts)


def put_hold_rule(
    rule: HoldRule, uow: OrchestrationWork, now: datetime, by: str = ORDINO
) -> tuple[dict[str, Any], bool]:
    """Create or replace the rule, the change recorded as `by`'s."""
    refuse_bad_rule(rule.expression)
    with uow:
        refuse_unknown_types(uow, rule.order_types)
        before = uow.hold_rules.get(rule.name)
        created = uow.hold_rules.put(rule, now)
        stored = uow.hold_rules.get(rule.name)
        assert stored is not None
        record(
            uow,
            (ConfigurationKind.HOLD_RULE, rule.name, stored[1]),
            None if before is None else hold_rule_document(before[0]),
            hold_rule_document(rule),
            Changed(by, now),
        )
        uow.commit()
    return hold_rule_view(*stored), created


def list_hold_rules(uow: OrchestrationWork) -> list[dict[str, Any]]:
    with uow:
        return [hold_rule_view(rule, version) for rule, version in uow.hold_rules.all()]


def remove_hold_rule(name: str, uow: OrchestrationWork, now: datetime, by: str = ORDINO) -> None:
    with uow:
        before = uow.hold_rules.get(name)
        if before is None or not uow.hold_rules.remove(name):
            raise NotFound(f"no hold rule {name}", extra={"name": name})
        what = (ConfigurationKind.HOLD_RULE, name, None)
        record(uow, what, hold_rule_document(before[0]), None, Changed(by, now))
        uow.commit()


def hold_rule_view(rule: HoldRule, version: int) -> dict[str, Any]:
    return {"name": rule.name, **hold_rule_document(rule), "version": version}


def hold_order(
    order_id: str,
    reason: str,
    by: str,
    uow: OrchestrationWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """Hold the order by hand: nothing more of it is released until it is released."""

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = existing_order(uow, order_id, scope, for_update=True)
            placed = advancing.hold(order, MANUAL, reason, by, now)
            uow.orders.save(order)
            uow.commit()
        return hold_document(placed) | {"order": order_view(order)}

    return with_retries(attempt)


@dataclass(frozen=True)
class HoldAction:
    """Someone (`by`) acts on a hold of an order, saying why (`note`); releasing a
    payment hold, they may give the token of the customer's new card (`token`)."""

    order_id: str
    hold_id: str
    by: str
    note: str | None = None
    token: str | None = None


def release_hold(
    action: HoldAction, uow: OrchestrationWork, now: datetime, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """Release the hold; with none left the order goes on (the advance is queued)."""

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = existing_order(uow, action.order_id, scope, for_update=True)
            released = advancing.release_hold(order, action.hold_id, action.by, action.note, now)
            if action.token is not None and released.rule != PAYMENT_HOLD:
                raise InvalidInput.of("token", "a new card is given only for a payment hold")
            uow.orders.save(order)
            if released.rule == PAYMENT_HOLD:
                payments.try_again(uow, order.id, now, action.token)
            if not order.on_hold:
                uow.jobs.add(advance_job(order.id, now), now)
            uow.commit()
        return hold_document(released) | {"order": order_view(order)}

    return with_retries(attempt)


def _let_go(uow: OrchestrationWork, order: Order, now: datetime) -> None:
    """What a cancellation frees: the reservations, the promise's capacity and the
    promotions' uses (when the whole order went), the payment (settled by a job)."""
    give_back(uow, order)  # before the stock, as capture takes them
    uow.inventory.release(order.id, now)
    uow.jobs.add(settle_job(order.id, now), now)


def cancel_from_hold(
    action: HoldAction, uow: OrchestrationWork, now: datetime, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """Cancel the order from its hold: every unit not gone is let go, its capacity
    given back, once (an order cancelled already only has its holds ended)."""

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = existing_order(uow, action.order_id, scope, for_update=True)
            resolved, cancelled = advancing.cancel_from_hold(
                order, action.hold_id, action.by, action.note, now
            )
            uow.orders.save(order)
            if cancelled:
                _let_go(uow, order, now)
            uow.commit()
        return hold_document(resolved) | {"order": order_view(order)}

    return with_retries(attempt)

"""Service levels, kept by timers: jobs queued for when each is due, which check it
was met and act when it was not (`ordino.orchestration.domain.breaches`).

  accept     a location accepts a fulfillment order within the type's
             `accept_minutes` of its release: else flagged, and with
             `reroute_unaccepted` taken from it and sourced elsewhere;
  ship       it ships by the end of its promised ship date where the location
             is (its time zone): else flagged;
  pickup     the customer collects within the type's `pickup_days` of being told:
             else not collected (cancelled, back on the shelf);
  backorder  units waiting on a backorder are filled within the profile's
             `cancel_after_days`: else they are cancelled.

Each breach is an event (`fulfillment.sla_breached`, `order.sla_breached`) and a
row of the exceptions list; a flagged one closes when what breached moves on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ordino.inventory.domain import Source
from ordino.kernel.domain import Timer, new_id, settle_job, timer_job
from ordino.orchestration.domain.breaches import Action, Breach, breach_document
from ordino.orchestration.services import fulfillment
from ordino.orchestration.services.order_types import order_type_named
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import (
    EVERY_ORDER,
    Fulfillment,
    FulfillmentStatus,
    Order,
    OrderType,
    StockChange,
    hold_document,
)
from ordino.orders.domain import release as fulfilling
from ordino.orders.services import Capture, give_back

SYSTEM = "ordino"


def after_release(
    uow: OrchestrationWork,
    order: Order,
    made: Sequence[Fulfillment],
    order_type: OrderType,
    now: datetime,
) -> None:
    """In the releasing unit of work: the accept and ship timers of what went out."""
    accept_minutes = order_type.slas.accept_minutes
    for fo in made:
        if accept_minutes is not None:
            due = now + timedelta(minutes=accept_minutes)
            uow.jobs.add(timer_job(Timer.ACCEPT, order.id, fo.id, due, now), now)
        if (day := _ship_date(order, fo)) is not None:
            location = uow.network.get(fo.location_id)
            zone = ZoneInfo(location.time_zone) if location is not None else UTC
            ship_by = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
            uow.jobs.add(timer_job(Timer.SHIP, order.id, fo.id, ship_by, now), now)


def _ship_date(order: Order, fo: Fulfillment) -> date | None:
    """The fulfillment order's promised ship date: it ships by the end of that day
    where the location is."""
    dates = [
        held.ship_date
        for line in fo.lines
        if (held := order.line(line.line_no).allocation_at(fo.location_id)) and held.ship_date
    ]
    return min(dates) if dates else (order.promise.ship_date if order.promise else None)


def check(
    payload: Mapping[str, Any], uow: OrchestrationWork, capture: Capture, now: datetime
) -> None:
    """The timer's time came: act if its service level was missed."""
    timer, order_id, subject = Timer(payload["timer"]), payload["order_id"], payload["subject"]
    source = Source(SYSTEM, now, f"{timer} service level missed")
    if timer is Timer.BACKORDER:
        _backorder(order_id, uow, source)
        return

    def step(order: Order, fo: Fulfillment) -> list[StockChange]:
        return _fulfillment_timer(timer, order, fo, uow, now)

    reroute = capture if timer is Timer.ACCEPT else None
    fulfillment.update(subject, uow, source, EVERY_ORDER, step, reroute=reroute)


def _fulfillment_timer(
    timer: Timer, order: Order, fo: Fulfillment, uow: OrchestrationWork, now: datetime
) -> list[StockChange]:
    if timer is Timer.ACCEPT and fo.status is FulfillmentStatus.RELEASED:
        reroute = order_type_named(uow, order.type).slas.reroute_unaccepted
        action = Action.REROUTED if reroute else Action.FLAGGED
        _breached(uow, order, fo, timer, action, now)
        return fulfilling.reject(order, fo.id, now, "not accepted in time") if reroute else []
    if timer is Timer.SHIP and fo.holds_stock:
        _breached(uow, order, fo, timer, Action.FLAGGED, now)
    if timer is Timer.PICKUP and fo.status is FulfillmentStatus.READY:
        _breached(uow, order, fo, timer, Action.NOT_COLLECTED, now)
        uow.jobs.add(settle_job(order.id, now), now)
        changes = fulfilling.not_collected(order, fo.id, now)
        give_back(uow, order, capacity=False)  # its promotions' uses; its day was used
        return changes
    return []


def _breached(
    uow: OrchestrationWork,
    order: Order,
    fo: Fulfillment,
    timer: Timer,
    action: Action,
    now: datetime,
) -> None:
    breach = Breach(new_id(now), order.id, fo.id, timer, fo.location_id, now, now, action)
    uow.breaches.add(breach)
    order.record("fulfillment.sla_breached", now, {"breach": breach_document(breach)})


def _backorder(order_id: str, uow: OrchestrationWork, source: Source) -> None:
    """Cancel what still waits for supply past the backorder's deadline."""
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        waiting = (
            {}
            if order is None
            else {line.line_no: order.waiting(line) for line in order.lines if order.waiting(line)}
        )
    if order is None or not waiting:
        return
    now = source.now
    fulfillment.cancel_units(order_id, waiting, uow, source, EVERY_ORDER)
    with uow:
        breach = Breach(
            new_id(now), order_id, None, Timer.BACKORDER, None, now, now, Action.CANCELLED
        )
        uow.breaches.add(breach)
        uow.commit()


def exceptions(uow: OrchestrationWork, limit: int = 100) -> dict[str, Any]:
    """What needs a person: service levels missed and still open, orders on hold,
    orders waiting for supply (in the queue's order), and jobs the worker gave up on
    (how many: `GET /v1/jobs/dead` lists them)."""
    with uow:
        breaches = uow.breaches.open(limit)
        held = uow.orders.active_holds(limit)
        waiting = uow.orders.backordered(limit)
        dead = len(uow.jobs.dead(limit))
        ids = [b.order_id for b in breaches] + [i for i, _ in held] + [i for _, i in waiting]
        numbers = uow.orders.numbers(ids)

    def of(order_id: str) -> dict[str, Any]:
        return {"order_id": order_id, "order_number": numbers.get(order_id)}

    return {
        "breaches": [of(b.order_id) | breach_document(b) for b in breaches],
        "holds": [of(order_id) | hold_document(hold) for order_id, hold in held],
        "backordered": [of(order_id) | {"priority": p} for p, order_id in waiting],
        "dead_jobs": dead,
    }

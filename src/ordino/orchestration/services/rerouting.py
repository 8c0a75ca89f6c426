"""Sourcing again after capture: a location turns down an order's allocations (not
found, damaged, no capacity), or supply arrives for units waiting on backorder.

Either way the units are sourced by the profile version that sourced the order at
capture, never from a location that turned the order down, keeping the order's
promised date when a location can; each decision is recorded beside the first.
Units no location can take wait for supply (the line is `backordered`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from ordino.inventory.domain import Floor
from ordino.inventory.engine import sourcing_stock
from ordino.inventory.services import order_stock
from ordino.kernel.domain import Change, NotFound, advance_job
from ordino.kernel.services import with_retries
from ordino.network.domain import PromiseDestination
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import EVERY_ORDER, Order, OrderScope, WaitingLine, expected_dates
from ordino.orders.services import Capture, existing_order, order_view
from ordino.promising.domain import CartLine, Method
from ordino.promising.engine import delivery_sites, keeping
from ordino.promising.services import PromiseQuery, promise_with_floors
from ordino.sourcing.domain import CAPTURE, REROUTE, SUPPLY, LineToSource, SourcingPlan, ToSource
from ordino.sourcing.engine import (
    Decision,
    Outcome,
    SourcingRequest,
    SourcingSite,
    plan_of,
    record_of,
    stock_sites,
)
from ordino.sourcing.services import profile_named, sourcing_request

REJECTION_REASONS = ("not-found", "damaged", "no-capacity", "other")


@dataclass(frozen=True)
class Rejection:
    order_id: str
    location_id: str
    reason: str  # one of REJECTION_REASONS


def reject_allocation(
    rejection: Rejection,
    uow: OrchestrationWork,
    capture: Capture,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """The location turns down what the order allocated there: it is released, and
    the units are sourced again without it."""
    order_id, location_id, reason = rejection.order_id, rejection.location_id, rejection.reason

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = existing_order(uow, order_id, scope, for_update=True)
            if not order.allocations_at(location_id):
                raise NotFound(
                    f"order {order_id} has nothing allocated at {location_id}",
                    extra={"order_id": order_id, "location_id": location_id},
                )
            order.withdraw(location_id, now, reason)
            uow.inventory.release(order.id, now, location_id)
            decision = source_waiting(uow, capture, order, now, REROUTE, also=location_id)
            uow.jobs.add(advance_job(order.id, now), now)
            uow.commit()
        return {"order": order_view(order), "sourcing": decision}

    return with_retries(attempt)


def fill_backorders(
    uow: OrchestrationWork, capture: Capture, now: datetime, page: int = 100
) -> list[str]:
    """Source the units of backordered orders from the stock there is now, in the
    queue's order (higher priority first, then the oldest order), every backordered
    order looked at once (`page` at a time); then expect what still waits. The
    orders that got some."""
    filled: list[str] = []
    for order_id in _queue(uow, page):
        if with_retries(partial(_fill, uow, capture, order_id, now)):
            filled.append(order_id)
    expect_backorders(uow, now, page)
    return filled


def expect_backorders(uow: OrchestrationWork, now: datetime, page: int = 100) -> int:
    """Date every backordered line by the supply on its way to locations that ship
    (`ordino.orders.domain.backorders.expected_dates`); the orders whose dates changed
    record it (their customers are told). How many changed."""
    queue = _queue(uow, page)
    waiting: list[WaitingLine] = []
    for start in range(0, len(queue), page):
        ids = queue[start : start + page]
        with uow:
            found = uow.orders.waiting_lines(ids)
        place = {order_id: n for n, order_id in enumerate(ids)}
        waiting += sorted(found, key=lambda w: (place[w.order_id], w.line_no))
    with uow:
        shipping = {location.id for location in uow.network.all() if location.ships}
        coming = uow.supply.inbound({w.sku for w in waiting})
    dates = expected_dates(waiting, [c for c in coming if c.location_id in shipping])
    by_order: dict[str, dict[int, date | None]] = defaultdict(dict)
    for w in waiting:
        if dates[(w.order_id, w.line_no)] != w.expected_on:
            by_order[w.order_id][w.line_no] = dates[(w.order_id, w.line_no)]
    changed = 0
    for order_id, lines in by_order.items():
        changed += with_retries(partial(_expect, uow, order_id, lines, now))
    return changed


def _expect(
    uow: OrchestrationWork, order_id: str, lines: dict[int, date | None], now: datetime, _: int
) -> bool:
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        if order is None or not order.expect(lines, now):
            return False
        uow.orders.save(order)
        uow.commit()
        return True


def _queue(uow: OrchestrationWork, page: int) -> list[str]:
    """The backordered orders, in the queue's order."""
    found: list[str] = []
    after: tuple[int, str] | None = None
    while True:
        with uow:
            waiting = uow.orders.backordered(page, after)
        found += [order_id for _, order_id in waiting]
        if len(waiting) < page:
            return found
        after = waiting[-1]


def _fill(uow: OrchestrationWork, capture: Capture, order_id: str, now: datetime, _: int) -> bool:
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        if order is None or not order.backordered:
            return False
        before = _allocated(order)
        decision = source_waiting(uow, capture, order, now, SUPPLY)
        if decision is None or _allocated(order) == before:
            return False  # nothing new: no decision recorded, nothing written
        uow.jobs.add(advance_job(order.id, now), now)
        uow.commit()
        return True


def _allocated(order: Order) -> int:
    return sum(a.quantity for line in order.lines for a in line.allocations)


def source_waiting(
    uow: OrchestrationWork,
    capture: Capture,
    order: Order,
    now: datetime,
    reason: str,
    *,
    also: str | None = None,
) -> dict[str, Any] | None:
    """Source the order's waiting units; allocate and reserve what is found, record
    the decision (and return its explanation). `also`: a location that just turned
    the order down."""
    lines = [
        LineToSource(line.line_no, line.sku, order.waiting(line), line.price.sale_price)
        for line in order.lines
        if order.waiting(line)
    ]
    if not lines:
        return None
    records = uow.sourcing.of_order(order.id)
    first = next((r for _, _, r in records if r.reason == CAPTURE), None)
    rejected = {loc for _, _, r in records for loc in r.explanation.get("rejected", [])}
    rejected |= {also} if also else set()
    profile = None if first is None else profile_named(uow, first.profile, first.profile_version)
    skus = [line.sku for line in lines]
    capture.picture.forget(Change(frozenset(skus)))  # decide from the database
    to = PromiseDestination(order.ship_to.country, order.ship_to_point, order.ship_to.postal_code)
    service = order.promise.service if order.promise else None

    to_source = ToSource(order.channel, order.currency, service, lines, order.type)

    def request(sites: Sequence[SourcingSite]) -> SourcingRequest:
        return sourcing_request(
            uow, capture.picture, to_source, sites, profile=profile, rejected=frozenset(rejected)
        )

    kept = _keeping_promise(uow, capture, order, now, request)
    if kept is not None:
        asked, decision, plan, floors = kept
    else:
        stock = order_stock(uow, capture.picture, order.channel, skus, fresh=True)
        at_locations, floors = sourcing_stock(stock.view, stock.positions, stock.locations)
        asked = request(stock_sites(at_locations, stock.locations, to))
        decision = capture.engine.decide(asked)
        plan = plan_of(asked, decision)
    if plan.allocations:
        uow.inventory.reserve(order.allocate(plan, now, reason), now, floors)
    record = record_of(asked, decision, reason)
    if order.promise is not None:
        kept_date = {"promise_kept": kept is not None}
        record = replace(record, explanation=record.explanation | kept_date)
    if reason == SUPPLY and not plan.allocations:
        return None
    uow.orders.save(order)
    uow.sourcing.add(order.id, (records[-1][0] if records else 0) + 1, record, now)
    return {"seq": (records[-1][0] if records else 0) + 1, **record.explanation}


def _keeping_promise(
    uow: OrchestrationWork,
    capture: Capture,
    order: Order,
    now: datetime,
    request: Callable[[Sequence[SourcingSite]], SourcingRequest],
) -> tuple[SourcingRequest, Decision, SourcingPlan, Mapping[tuple[str, str], Floor]] | None:
    """The waiting units sourced among the locations that still deliver by the
    order's promised date; None when it has no shipped promise or none can."""
    promise = order.promise
    if promise is None or promise.method is not Method.SHIP or promise.service is None:
        return None
    to = order.ship_to
    carts = tuple(
        CartLine(line.sku, order.waiting(line)) for line in order.lines if order.waiting(line)
    )
    query = PromiseQuery(carts, to.country, order.ship_to_point, to.postal_code, order.channel)
    promised = promise_with_floors(query, uow, capture.promises(), now)
    deliveries = keeping(promised, promise.service, promise.delivery_latest)
    sites, ship_dates = delivery_sites(deliveries)
    asked = request(sites)
    decision = capture.engine.decide(asked)
    if decision.outcome is not Outcome.SOURCED:
        return None
    plan = plan_of(asked, decision)
    dated = tuple(replace(a, ship_date=ship_dates[a.location_id]) for a in plan.allocations)
    return asked, decision, SourcingPlan(dated, ()), promised.floors

"""Order use cases: place, cancel, read, list."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from ordino.inventory.domain.positions import Floor, Position
from ordino.inventory.engine.availability import sourcing_stock
from ordino.inventory.services.availability import resolve_view
from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.domain.changes import Change
from ordino.kernel.domain.errors import (
    DuplicateOrder,
    InsufficientStock,
    InvalidInput,
    LostRace,
    NotFound,
    PromiseUnavailable,
)
from ordino.kernel.domain.idempotency import IdempotencyKey
from ordino.kernel.domain.ids import is_id
from ordino.kernel.domain.jobs import Timer, advance_job, expect_job, settle_job, timer_job
from ordino.kernel.domain.money import Money
from ordino.kernel.services.idempotency import CREATED, Answer, remember, replay
from ordino.kernel.services.retry import with_retries
from ordino.network.domain.locations import PromiseDestination
from ordino.network.domain.products import refuse_unknown_skus
from ordino.network.services.channels import channels_of, known_channel
from ordino.orders.domain.commands import (
    LineRequest,
    OrderQuery,
    PlaceOrder,
    order_problems,
)
from ordino.orders.domain.orders import EVERY_ORDER, Order, OrderScope, order_type_of
from ordino.orders.services.answers import order_view
from ordino.orders.services.capture_rules import refuse_what_cannot_be_placed
from ordino.orders.services.ports import OrdersWork
from ordino.payments.domain.payments import Payment, new_payment, payment_document
from ordino.promising.domain.promises import (
    CartLine,
    Method,
    OrderPromise,
    Promise,
    PromiseChoice,
    PromiseOption,
    Source,
    capacity_needed,
)
from ordino.promising.domain.promises import plan_of as plan_of_option
from ordino.promising.engine.sites import chosen_by_customer, delivery_sites
from ordino.promising.services.promises import (
    Promised,
    PromiseQuery,
    Promising,
    keeping,
    promise_with_floors,
)
from ordino.sourcing.domain.plans import CAPTURE, LineDemand, SourcingPlan, SourcingRecord
from ordino.sourcing.engine.choice import RulesEngine, SourcingEngine, plan_of, record_of
from ordino.sourcing.engine.rules import Decision, Outcome
from ordino.sourcing.services.requests import LineToSource, ToSource, sourcing_request, stock_sites


@dataclass(frozen=True)
class Capture:
    """What order capture works with besides the unit of work."""

    engine: SourcingEngine = field(default_factory=RulesEngine)
    picture: StockPicture = field(default_factory=StockPicture)
    promising: Promising | None = None  # None: promises from the same picture

    def promises(self) -> Promising:
        return self.promising or Promising(self.picture)


@dataclass(frozen=True)
class Sourced:
    """An order's plan, the floor each position must keep, and the decision's record."""

    plan: SourcingPlan
    floors: Mapping[tuple[str, str], Floor]
    record: SourcingRecord
    backorder: bool = False  # what the plan lacks waits for supply


def place_order(
    cmd: PlaceOrder,
    uow: OrdersWork,
    capture: Capture | SourcingEngine,
    now: datetime,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Place the order, sourced by its profile and reserved. The first attempt plans
    from the process's picture of stock; a retry (the reservation lost its race: the
    picture may be stale) plans from the database."""
    if problems := order_problems(cmd):
        raise InvalidInput("the order cannot be placed as given", errors=problems)
    if not isinstance(capture, Capture):
        capture = Capture(capture)
    return with_retries(lambda n: _place_once(cmd, uow, capture, now, idempotency, retry=n > 0))


def _place_once(
    cmd: PlaceOrder,
    uow: OrdersWork,
    capture: Capture,
    now: datetime,
    idempotency: IdempotencyKey | None,
    *,
    retry: bool,
) -> Answer:
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        if retry:  # the first attempt leaves duplicates to the unique constraint
            _refuse_duplicate(uow, cmd)
        refuse_what_cannot_be_placed(uow, capture.picture, cmd, now)
        sourced, promise = plan_order(uow, capture, cmd, now, fresh=retry)
        if promise is not None:
            uow.capacity.take(promise.capacity)  # LostRace when a day filled up
        order = Order.place(cmd, sourced.plan, now, promise, backorder=sourced.backorder)
        payment = (
            None
            if cmd.payment is None
            else new_payment(order.id, order.currency, order.total.amount, cmd.payment, now)
        )
        answer = Answer(CREATED, with_payment(order, payment))
        uow.orders.add(order)
        if payment is not None:
            uow.payments.add(payment)
        uow.sourcing.add(order.id, 1, sourced.record, now)
        remember(uow, idempotency, answer, now, order.id)
        uow.inventory.reserve(order.reservations(now), now, sourced.floors)
        uow.jobs.add_at_commit(advance_job(order.id, now), now)
        if order.backordered:  # its waiting units are dated by the supply on its way
            uow.jobs.add(expect_job(now), now)  # (one waits for every order: not at commit)
        if (days := sourced.record.explanation.get("cancel_after_days")) and order.backordered:
            due = now + timedelta(days=days)
            uow.jobs.add_at_commit(timer_job(Timer.BACKORDER, order.id, order.id, due, now), now)
        # The store writes all of it here. LostRace when the stock went to another
        # order (the retry re-plans) or the order or key arrived twice (the retry
        # names the duplicate or replays the first answer).
        uow.commit()
        return answer


def plan_order(
    uow: OrdersWork, capture: Capture, cmd: PlaceOrder, now: datetime, *, fresh: bool
) -> tuple[Sourced, OrderPromise | None]:
    """The order sourced by its profile, or, with a promise chosen, promised again and
    sourced to keep it: how capture plans, and how a customer's change plans again.
    `fresh`: from the database, not the picture."""
    if cmd.promise is None:
        return _sourced(uow, capture, cmd, fresh=fresh), None
    return _promised(uow, capture, cmd, now, fresh=fresh)


def _refuse_duplicate(uow: OrdersWork, cmd: PlaceOrder) -> None:
    existing = uow.orders.id_for_external(cmd.channel, cmd.external_id)
    if existing is not None:
        raise DuplicateOrder(
            f"channel {cmd.channel} already placed order {cmd.external_id}",
            extra={"order_id": existing},
        )


def _refuse_unknown_skus(uow: OrdersWork, lines: Sequence[LineRequest]) -> None:
    skus = [line.sku for line in lines]
    refuse_unknown_skus(skus, uow.catalog.known(skus), "the order")


def _to_source(cmd: PlaceOrder, service: str | None) -> ToSource:
    lines = [
        LineToSource(no, line.sku, line.quantity, line.unit_price)
        for no, line in enumerate(cmd.lines, start=1)
    ]
    return ToSource(cmd.channel, cmd.currency, service, lines, cmd.type or order_type_of(cmd, None))


def _sourced(uow: OrdersWork, capture: Capture, cmd: PlaceOrder, *, fresh: bool) -> Sourced:
    """The order sourced by its profile over what the channel's view lets it sell,
    and the floor each position must keep (so the reservation leaves what the view
    holds back)."""
    picture = capture.picture
    view = resolve_view(picture.views(uow), None, cmd.channel)
    positions = _positions(uow, picture, [line.sku for line in cmd.lines], fresh=fresh)
    locations = picture.locations(uow)
    stock, floors = sourcing_stock(view, positions, locations)
    to = PromiseDestination(cmd.ship_to.country, cmd.ship_to_point, cmd.ship_to.postal_code)
    sites = stock_sites(stock, locations, to)
    request = sourcing_request(uow, picture, _to_source(cmd, cmd.service), sites)
    decision = capture.engine.decide(request)
    plan = plan_of(request, decision)
    if decision.outcome is not Outcome.SOURCED:
        if not fresh:  # the picture may be behind another process's commit: ask again
            raise LostRace("the picture of stock is short; the database may not be")
        _refuse_unknown_skus(uow, cmd.lines)
        if decision.outcome is Outcome.REFUSED:
            _refuse_shortfalls(plan, decision)
    record = record_of(request, decision, CAPTURE)
    return Sourced(plan, floors, record, backorder=decision.outcome is Outcome.BACKORDERED)


def _promised(
    uow: OrdersWork, capture: Capture, cmd: PlaceOrder, now: datetime, *, fresh: bool
) -> tuple[Sourced, OrderPromise]:
    """The delivery option the customer chose, made again now: the option must still
    be offered, and no later than the date they were shown. A shipped option is
    sourced by the order's profile among the locations that deliver by its date; a
    pickup is at the store the customer chose."""
    assert cmd.promise is not None
    choice, skus = cmd.promise, [line.sku for line in cmd.lines]
    if fresh:
        capture.picture.forget(Change(frozenset(skus)))
    query = PromiseQuery(
        tuple(CartLine(line.sku, line.quantity) for line in cmd.lines),
        cmd.ship_to.country,
        cmd.ship_to_point,
        cmd.ship_to.postal_code,
        cmd.channel,
    )
    promising = capture.promises()
    promised = promise_with_floors(query, uow, promising, now)
    option = promised.answer.option(choice.option_id)
    if option is None or (choice.deliver_by and option.delivery_latest > choice.deliver_by):
        if not fresh:  # the picture may be behind another process's commit: ask again
            raise LostRace("the picture does not keep the promise; the database may")
        _refuse_promise(choice, option, promised.answer)
    assert option is not None
    if option.method is Method.SHIP and option.service is not None:
        option, sourced = _ship_sourced(uow, capture, cmd, option, promised, fresh=fresh)
    else:
        demands = [LineDemand(n, line.sku, line.quantity) for n, line in enumerate(cmd.lines, 1)]
        plan = plan_of_option(demands, option)
        sourced = Sourced(plan, promised.floors, chosen_by_customer(option, plan))
    taken = capacity_needed(option, promising.picture.operations(uow))
    return sourced, OrderPromise.of(option, taken, now)


def _ship_sourced(
    uow: OrdersWork,
    capture: Capture,
    cmd: PlaceOrder,
    option: PromiseOption,
    promised: Promised,
    *,
    fresh: bool,
) -> tuple[PromiseOption, Sourced]:
    """The shipped option sourced by the profile among the locations that deliver by
    its latest date; the option with the sources chosen."""
    assert option.service is not None
    deliveries = keeping(promised, option.service, option.delivery_latest)
    sites, ship_dates = delivery_sites(deliveries)
    request = sourcing_request(uow, capture.picture, _to_source(cmd, option.service), sites)
    decision = capture.engine.decide(request)
    if decision.outcome is not Outcome.SOURCED:
        if not fresh:
            raise LostRace("the picture does not keep the promise; the database may")
        raise PromiseUnavailable(
            f"sourcing profile {decision.profile} keeps option {option.id} from no location",
            extra={"option_id": option.id, "profile": decision.profile},
        )
    plan = plan_of(request, decision)
    dated = tuple(replace(a, ship_date=ship_dates[a.location_id]) for a in plan.allocations)
    sources = tuple(
        Source(a.location_id, a.sku, a.quantity, a.ship_date) for a in dated if a.ship_date
    )
    packages = len({a.location_id for a in dated})
    option = replace(
        option,
        sources=sources,
        cost=Money(option.cost.amount / option.packages, option.cost.currency).times(packages),
        packages=packages,
    )
    record = record_of(request, decision, CAPTURE)
    return option, Sourced(SourcingPlan(dated, ()), promised.floors, record)


def _refuse_promise(choice: PromiseChoice, option: PromiseOption | None, answer: Promise) -> None:
    offered = [promise_option.id for promise_option in answer.options]
    if option is None:
        raise PromiseUnavailable(
            f"option {choice.option_id} is not offered now",
            extra={"option_id": choice.option_id, "offered": offered},
        )
    raise PromiseUnavailable(
        f"option {choice.option_id} now delivers by {option.delivery_latest}, "
        f"not by {choice.deliver_by}",
        extra={
            "option_id": choice.option_id,
            "delivery_latest": option.delivery_latest.isoformat(),
            "offered": offered,
        },
    )


def _positions(
    uow: OrdersWork, picture: StockPicture, skus: list[str], *, fresh: bool
) -> list[Position]:
    """The SKUs' positions: from the picture when it holds them all, else from the
    database in one query (loading the picture would take three, and the order's own
    commit makes it forget them again); `fresh`: from the database, and the picture
    forgets them, as it proved stale."""
    if fresh:
        picture.forget(Change(frozenset(skus)))
    else:
        held = picture.cached(skus)
        if len(held) == len(set(skus)):
            return [p for entry in held.values() for p in entry.positions]
    return uow.inventory.sourcing_positions(skus)


def _refuse_shortfalls(plan: SourcingPlan, decision: Decision) -> None:
    short = [
        {
            "line_no": s.line_no,
            "sku": s.sku,
            "requested": s.requested,
            "available": s.available,
            "short": s.short,
        }
        for s in plan.shortfalls
    ]
    skus = ", ".join(sorted({s.sku for s in plan.shortfalls}))
    raise InsufficientStock(
        f"not enough stock of {skus}",
        extra={
            "shortfalls": short,
            "sourcing": {
                "profile": decision.profile,
                "version": decision.version,
                "strategy": decision.strategy,
            },
        },
    )


Guard = Callable[[OrdersWork, Order], None]  # raises when the change is not allowed


def _anything(_uow: OrdersWork, _order: Order) -> None:
    return None


def cancel_order(
    order_id: str,
    uow: OrdersWork,
    now: datetime,
    reason: str | None = None,
    scope: OrderScope = EVERY_ORDER,
    guard: Guard = _anything,
) -> dict[str, Any]:
    """Cancel and release every reservation; cancelling a cancelled order changes nothing.

    An order outside `scope` (the caller's channel or store) is not found; `guard`
    refuses (raises) on the order as read under its lock (a customer's policy)."""
    return with_retries(lambda _: _cancel_once(order_id, uow, now, reason, scope, guard))


def _cancel_once(
    order_id: str,
    uow: OrdersWork,
    now: datetime,
    reason: str | None,
    scope: OrderScope,
    guard: Guard,
) -> dict[str, Any]:
    with uow:
        order = existing_order(uow, order_id, scope, for_update=True)
        guard(uow, order)
        if order.cancel(now, reason):
            uow.orders.save(order)  # first: a concurrent cancel loses here
            uow.inventory.release(order.id, now)
            uow.jobs.add(settle_job(order.id, now), now)
            if order.promise is not None:
                uow.capacity.give_back(order.promise.capacity)
            uow.commit()
        return with_payment(order, uow.payments.of_order(order.id))


def get_order(order_id: str, uow: OrdersWork, scope: OrderScope = EVERY_ORDER) -> dict[str, Any]:
    """The order, with its payment."""
    with uow:
        order = existing_order(uow, order_id, scope)
        payment = uow.payments.of_order(order_id)
    return with_payment(order, payment)


def with_payment(order: Order, payment: Payment | None) -> dict[str, Any]:
    return order_view(order) | {"payment": payment_document(payment) if payment else None}


def list_orders(
    query: OrderQuery, limit: int, uow: OrdersWork
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of orders, newest first, and the cursor of the next page (None at the end).
    A channel named is a known one; a cursor is an order's id (a page's `next_cursor`)."""
    if query.before_id is not None and not is_id(query.before_id):
        raise InvalidInput.of("cursor", "not a cursor: give the next_cursor of a page")
    with uow:
        if query.channel is not None:
            known_channel(channels_of(uow), query.channel)
        found = uow.orders.find(query, limit + 1)
    page = found[:limit]
    cursor = page[-1].id if len(found) > limit else None
    return [order_view(order) for order in page], cursor


def existing_order(
    uow: OrdersWork, order_id: str, scope: OrderScope = EVERY_ORDER, *, for_update: bool = False
) -> Order:
    """The order, or NotFound: an order outside `scope` is not found, not forbidden, so
    a scoped key learns nothing of other channels' or stores' orders."""
    order = uow.orders.get(order_id, for_update=for_update)
    if order is None or not scope.admits(order):
        raise NotFound(f"no order {order_id}", extra={"order_id": order_id})
    order.acting = scope.actor
    return order

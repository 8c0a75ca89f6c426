"""Order use cases: place, cancel, read, list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ordino.domain.catalog import refuse_unknown_skus
from ordino.domain.changes import Change
from ordino.domain.idempotency import IdempotencyKey
from ordino.domain.inventory import Floor, Position
from ordino.domain.orders import (
    EVERY_ORDER,
    LineRequest,
    Order,
    OrderQuery,
    OrderScope,
    PlaceOrder,
    order_problems,
)
from ordino.domain.promising import (
    CartLine,
    OrderPromise,
    Promise,
    PromiseChoice,
    PromiseOption,
    capacity_needed,
    plan_of,
)
from ordino.domain.sourcing import Destination, LineDemand, SourcingPlan
from ordino.engines.availability import sourcing_stock
from ordino.engines.sourcing import SourcingEngine
from ordino.errors import (
    DuplicateOrder,
    InsufficientStock,
    InvalidInput,
    LostRace,
    NotFound,
    PromiseUnavailable,
)
from ordino.services.answers import CREATED, Answer, remember, replay
from ordino.services.availability import resolve_view
from ordino.services.picture import StockPicture
from ordino.services.promising import PromiseQuery, Promising, promise_with_floors
from ordino.services.retry import with_retries
from ordino.services.unit_of_work import UnitOfWork
from ordino.services.views import order_view


@dataclass(frozen=True)
class Capture:
    """What order capture works with besides the unit of work."""

    engine: SourcingEngine
    picture: StockPicture = field(default_factory=StockPicture)
    promising: Promising | None = None  # None: promises from the same picture

    def promises(self) -> Promising:
        return self.promising or Promising(self.picture)


def place_order(
    cmd: PlaceOrder,
    uow: UnitOfWork,
    capture: Capture | SourcingEngine,
    now: datetime,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Place the order, sourced and reserved. The first attempt plans from the process's
    picture of stock; a retry (the reservation lost its race: the picture may be stale)
    plans from the database."""
    if problems := order_problems(cmd):
        raise InvalidInput("the order cannot be placed as given", errors=problems)
    if not isinstance(capture, Capture):
        capture = Capture(capture)
    return with_retries(lambda n: _place_once(cmd, uow, capture, now, idempotency, retry=n > 0))


def _place_once(
    cmd: PlaceOrder,
    uow: UnitOfWork,
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
        if cmd.promise is None:
            plan, floors = _plan(uow, capture, cmd, fresh=retry)
            promise = None
        else:
            plan, floors, promise = _promised_plan(uow, capture, cmd, now, fresh=retry)
            uow.capacity.take(promise.capacity)  # LostRace when a day filled up
        order = Order.place(cmd, plan, now, promise)
        answer = Answer(CREATED, order_view(order))
        uow.orders.add(order)
        remember(uow, idempotency, answer, now)
        uow.inventory.reserve(order.reservations(now), now, floors)
        # The store writes all of it here. LostRace when the stock went to another
        # order (the retry re-plans) or the order or key arrived twice (the retry
        # names the duplicate or replays the first answer).
        uow.commit()
        return answer


def _refuse_duplicate(uow: UnitOfWork, cmd: PlaceOrder) -> None:
    existing = uow.orders.id_for_external(cmd.channel, cmd.external_id)
    if existing is not None:
        raise DuplicateOrder(
            f"channel {cmd.channel} already placed order {cmd.external_id}",
            extra={"order_id": existing},
        )


def _refuse_unknown_skus(uow: UnitOfWork, lines: Sequence[LineRequest]) -> None:
    skus = [line.sku for line in lines]
    refuse_unknown_skus(skus, uow.catalog.known(skus), "the order")


def _plan(
    uow: UnitOfWork, capture: Capture, cmd: PlaceOrder, *, fresh: bool
) -> tuple[SourcingPlan, Mapping[tuple[str, str], Floor]]:
    """The plan over what the channel's view lets it sell, and the floor each position
    must keep (so the reservation leaves what the view holds back)."""
    demands = [
        LineDemand(no, line.sku, line.quantity) for no, line in enumerate(cmd.lines, start=1)
    ]
    picture = capture.picture
    view = resolve_view(picture.views(uow), None, cmd.channel)
    positions = _positions(uow, picture, [line.sku for line in cmd.lines], fresh=fresh)
    stock, floors = sourcing_stock(view, positions, picture.locations(uow))
    destination = Destination(cmd.ship_to.country, cmd.ship_to_point)
    plan = capture.engine.plan(demands, destination, stock)
    if not plan.complete:
        if not fresh:  # the picture may be behind another process's commit: ask again
            raise LostRace("the picture of stock is short; the database may not be")
        _refuse_unknown_skus(uow, cmd.lines)
        _refuse_shortfalls(plan)
    return plan, floors


def _promised_plan(
    uow: UnitOfWork, capture: Capture, cmd: PlaceOrder, now: datetime, *, fresh: bool
) -> tuple[SourcingPlan, Mapping[tuple[str, str], Floor], OrderPromise]:
    """The plan of the delivery option the customer chose, made again now: the
    option must still be offered, and no later than the date they were shown."""
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
    answer, floors = promise_with_floors(query, uow, promising, now)
    option = answer.option(choice.option_id)
    if option is None or (choice.deliver_by and option.delivery_latest > choice.deliver_by):
        if not fresh:  # the picture may be behind another process's commit: ask again
            raise LostRace("the picture does not keep the promise; the database may")
        _refuse_promise(choice, option, answer)
    assert option is not None
    demands = [LineDemand(n, line.sku, line.quantity) for n, line in enumerate(cmd.lines, 1)]
    taken = capacity_needed(option, promising.picture.operations(uow))
    return plan_of(demands, option), floors, OrderPromise.of(option, taken, now)


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
    uow: UnitOfWork, picture: StockPicture, skus: list[str], *, fresh: bool
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


def _refuse_shortfalls(plan: SourcingPlan) -> None:
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
    raise InsufficientStock(f"not enough stock of {skus}", extra={"shortfalls": short})


def cancel_order(
    order_id: str,
    uow: UnitOfWork,
    now: datetime,
    reason: str | None = None,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """Cancel and release every reservation; cancelling a cancelled order changes nothing.

    An order outside `scope` (the caller's channel or store) is not found."""
    return with_retries(lambda _: _cancel_once(order_id, uow, now, reason, scope))


def _cancel_once(
    order_id: str, uow: UnitOfWork, now: datetime, reason: str | None, scope: OrderScope
) -> dict[str, Any]:
    with uow:
        order = existing_order(uow, order_id, scope, for_update=True)
        if order.cancel(now, reason):
            uow.orders.save(order)  # first: a concurrent cancel loses here
            uow.inventory.release(order.id, now)
            if order.promise is not None:
                uow.capacity.give_back(order.promise.capacity)
            uow.commit()
        return order_view(order)


def get_order(order_id: str, uow: UnitOfWork, scope: OrderScope = EVERY_ORDER) -> dict[str, Any]:
    with uow:
        return order_view(existing_order(uow, order_id, scope))


def list_orders(
    query: OrderQuery, limit: int, uow: UnitOfWork
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of orders, newest first, and the cursor of the next page (None at the end)."""
    with uow:
        found = uow.orders.find(query, limit + 1)
    page = found[:limit]
    cursor = page[-1].id if len(found) > limit else None
    return [order_view(order) for order in page], cursor


def existing_order(
    uow: UnitOfWork, order_id: str, scope: OrderScope = EVERY_ORDER, *, for_update: bool = False
) -> Order:
    """The order, or NotFound: an order outside `scope` is not found, not forbidden, so
    a scoped key learns nothing of other channels' or stores' orders."""
    order = uow.orders.get(order_id, for_update=for_update)
    if order is None or not scope.admits(order):
        raise NotFound(f"no order {order_id}", extra={"order_id": order_id})
    return order

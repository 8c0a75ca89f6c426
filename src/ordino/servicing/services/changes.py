"""A customer's changes before release: another address, or collecting at a store
(a delivery converted to pickup, or the pickup moved to another store).

Each is planned again by capture's own path (`ordino.orders.services.capture.plan_order`):
within the change's transaction the order's units are let go (its reservations and
the capacity its promise took), the order is sourced and promised again as if
placed now with what is still open, and held as that says, the reservation moving
where the plan sends it. A change that cannot be kept (no location serves the new
address; the store has not the stock) raises, and the transaction is rolled back:
nothing changed. The pickup stores on offer are found the same way, in a
transaction never committed, so the order's own units count as free for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import (
    InsufficientStock,
    InvalidInput,
    NotAllowed,
    Point,
    PromiseUnavailable,
    advance_job,
)
from ordino.kernel.services import with_retries
from ordino.network.domain import Address
from ordino.orders.domain import LineRequest, Order, OrderScope, PlaceOrder
from ordino.orders.engine import Sourced
from ordino.orders.services import Capture, existing_order, plan_order
from ordino.payments.domain import OperationKind, Payment, PaymentStatus, card_of
from ordino.pricing.services import TaxedFor, taxed_again
from ordino.promising.domain import CartLine, Method, OrderPromise, PromiseChoice
from ordino.promising.services import PromiseQuery, make_promise
from ordino.servicing.domain import self_service as policy
from ordino.servicing.services.customer_view import store_document
from ordino.servicing.services.ports import ServicingWork
from ordino.servicing.services.self_service import AS_CUSTOMER, SelfService, order_for, policy_of
from ordino.sourcing.domain import SourcingPlan

CUSTOMER_CHANGE = "customer"  # why the order was sourced again (its sourcing record)


@dataclass(frozen=True)
class Asking:
    """Who asks for a change: the customer (by their link: the self-service policy
    applies), or customer service for them (`scope`'s actor; only the order's state
    limits it)."""

    scope: OrderScope
    by_policy: bool = True


CUSTOMER = Asking(AS_CUSTOMER)


def change_address(
    token: str,
    ship_to: Address,
    point: Point | None,
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
) -> dict[str, Any]:
    """Deliver to another address: sourced and promised again for it (the same
    carrier service, when the order was promised one)."""
    order_id = self_service.links.order_of(token, now)
    move_delivery(order_id, (ship_to, point), uow, self_service, now, CUSTOMER)
    return order_for(token, uow, self_service, now)


def move_delivery(
    order_id: str,
    to: tuple[Address, Point | None],
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
    asking: Asking,
) -> None:
    """`change_address` by the order's id, for whoever asks."""

    def attempt(_: int) -> None:
        with uow:
            order = existing_order(uow, order_id, asking.scope, for_update=True)
            refuse_change(uow, order, "change_address", asking)
            _refuse_other_shipping(uow, order, to[0].country)
            before = order.ship_to.country
            choice = None if order.promise is None else PromiseChoice(order.promise.option_id)
            capture = _let_go(uow, order, self_service, now)
            try:
                sourced, promise = _plan(uow, capture, order, to, choice, now)
            except (InsufficientStock, PromiseUnavailable) as refused:
                detail = f"the new address cannot be served: {refused}"
                raise replace(refused, detail=detail) from None
            held = policy.change_address(order, *to, sourced.plan, promise, now)
            if to[0].country != before:
                _tax_again(uow, order, now)
            _hold(uow, order, held, sourced, now)  # and saved
            uow.commit()

    with_retries(attempt)


def _tax_again(uow: ServicingWork, order: Order, now: datetime) -> None:
    """An order whose tax Ordino worked out, moved to another country, is taxed again
    for it (the provider asked as at capture, at the rates of the order's day;
    nothing was invoiced yet: the change comes before release). InvalidInput
    naming what has no rate there; a marketplace's given taxes stay."""
    country = order.ship_to.country
    if order.tax_treatment is None:
        return
    stored = uow.channels.get(order.channel)
    if stored is None:
        return
    channel = stored[0]
    to = TaxedFor(country, order.customer.vat_id, channel.today(order.created_at))
    money, total = taxed_again(uow, order.money, channel, to), order.money.total
    if money is None or not order.retax(money, f"delivered to {country}", now):
        return
    # A net channel's total moved with its tax: the card, not authorised yet (nor being
    # authorised), is asked for what it now has to pay (once authorised, a shipment
    # the tenders hold too little for holds the order; what they hold beyond is
    # voided as it settles).
    card = card_of(uow.payments.of_order(order.id, for_update=True))
    if card is None or money.total == total or _authorising(uow, card):
        return
    if card.status in (PaymentStatus.PENDING, PaymentStatus.DECLINED):
        paying = max(card.amount + money.total - total, Decimal(0))
        uow.payments.save(replace(card, amount=paying, updated_at=now))


def _authorising(uow: ServicingWork, card: Payment) -> bool:
    """Whether an authorisation of the card is on its way (asked, not answered)."""
    return any(
        op.kind is OperationKind.AUTHORISE and op.pending for op in uow.payments.operations(card.id)
    )


def _refuse_other_shipping(uow: ServicingWork, order: Order, country: str) -> None:
    """An order goes nowhere its channel charges another price for shipping to: its
    shipping is not priced again on a change yet (docs/money.md), so such a change is
    refused rather than leave the order paying another country's shipping."""
    stored = uow.channels.get(order.channel)
    if stored is None or not order.charges or country == order.ship_to.country:
        return
    pricing = stored[0].pricing

    def price(to: str) -> Decimal:
        rate = pricing.shipping_rate(order.currency, to)
        return Decimal(0) if rate is None else rate.price

    if price(country) != price(order.ship_to.country):
        raise InvalidInput.of(
            "ship_to.country",
            f"shipping to {country} is {price(country)} {order.currency}, not the "
            f"{price(order.ship_to.country)} the order paid: not changed here yet",
        )


def pickup_stores(
    token: str, uow: ServicingWork, self_service: SelfService, now: datetime
) -> dict[str, Any]:
    """The stores near the customer's address that can have the whole order ready,
    each with its ready-by time, soonest first."""
    order_id = self_service.links.order_of(token, now)
    return stores_for(order_id, uow, self_service, now, CUSTOMER)


def stores_for(
    order_id: str, uow: ServicingWork, self_service: SelfService, now: datetime, asking: Asking
) -> dict[str, Any]:
    """`pickup_stores` by the order's id, for whoever asks."""
    with uow:  # never committed: the order's units are let go only to be offered back
        order = existing_order(uow, order_id, asking.scope)
        refuse_change(uow, order, _collecting(order), asking)
        capture = _let_go(uow, order, self_service, now)
        lines = tuple(CartLine(order.line(no).sku, n) for no, n in policy.open_units(order).items())
        to = order.ship_to
        query = PromiseQuery(lines, to.country, order.ship_to_point, to.postal_code, order.channel)
        answer = make_promise(query, uow, capture.promises(), now)
        current = None if order.promise is None else order.promise.store_id
        stores = {location.id: location for location in uow.network.all()}
        return {
            "stores": [
                store_document(stores[option.store_id])
                | {"ready_by": option.ready_by.isoformat() if option.ready_by else None}
                for option in answer.options
                if option.method is Method.PICKUP
                and option.store_id in stores
                and option.store_id != current
            ]
        }


def collect_at(
    token: str, store_id: str, uow: ServicingWork, self_service: SelfService, now: datetime
) -> dict[str, Any]:
    """Collect the order at `store_id` (one of `pickup_stores`): a delivery becomes a
    pickup there, or a pickup moves there. The units are held at that store."""
    order_id = self_service.links.order_of(token, now)
    move_collection(order_id, store_id, uow, self_service, now, CUSTOMER)
    return order_for(token, uow, self_service, now)


def move_collection(
    order_id: str,
    store_id: str,
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
    asking: Asking,
) -> None:
    """`collect_at` by the order's id, for whoever asks."""

    def attempt(_: int) -> None:
        with uow:
            order = existing_order(uow, order_id, asking.scope, for_update=True)
            refuse_change(uow, order, _collecting(order), asking)
            _refuse_store(uow, order, store_id)
            capture = _let_go(uow, order, self_service, now)
            choice = PromiseChoice(f"pickup:{store_id}")
            try:
                sourced, promise = _plan(
                    uow, capture, order, (order.ship_to, order.ship_to_point), choice, now
                )
            except PromiseUnavailable as refused:
                raise replace(
                    refused,
                    detail=f"store {store_id} cannot have the order ready",
                    extra=refused.extra | {"store_id": store_id},
                ) from None
            assert promise is not None
            held = policy.collect_at(order, sourced.plan, promise, now)
            _hold(uow, order, held, sourced, now)
            uow.commit()

    with_retries(attempt)


_CHANGES = {
    "change_address": "changing the address",
    "convert_to_pickup": "collecting at a store",
    "change_pickup_store": "changing the pickup store",
}


def refuse_change(uow: ServicingWork, order: Order, change: str, asking: Asking) -> None:
    """NotAllowed unless the order allows the change now, and, for a customer, the
    policy offers it."""
    offered = getattr(policy_of(uow), change) if asking.by_policy else True
    policy.refuse_change(order, offered, _CHANGES[change])
    if change == "change_address" and not policy.delivered_to_address(order):
        raise NotAllowed("the order is collected at a store: choose another store instead")


def _collecting(order: Order) -> str:
    return "convert_to_pickup" if policy.delivered_to_address(order) else "change_pickup_store"


def _refuse_store(uow: ServicingWork, order: Order, store_id: str) -> None:
    store = uow.network.get(store_id)
    if store is None or not store.pickup:
        raise InvalidInput.of("store_id", f"no store {store_id} takes pickups")
    if order.promise is not None and order.promise.store_id == store_id:
        raise InvalidInput.of("store_id", f"the order is collected at {store_id} already")


def _let_go(uow: ServicingWork, order: Order, self_service: SelfService, now: datetime) -> Capture:
    """In the change's transaction: the order's reservations and the capacity its
    promise took are let go, so that planning again may use them. The engines to plan
    with, over a picture that sees this transaction."""
    uow.inventory.release(order.id, now)
    if order.promise is not None:
        uow.capacity.give_back(order.promise.capacity)
    return self_service.deciding()


def _plan(
    uow: ServicingWork,
    capture: Capture,
    order: Order,
    to: tuple[Address, Point | None],
    choice: PromiseChoice | None,
    now: datetime,
) -> tuple[Sourced, OrderPromise | None]:
    """The order's open units planned as capture plans an order placed now; refused
    (InsufficientStock) when it would hold fewer units than it does."""
    units = policy.open_units(order)
    lines = tuple(
        LineRequest(order.line(no).sku, n, order.line(no).price.sale_price)
        for no, n in units.items()
    )
    cmd = PlaceOrder(
        order.channel,
        order.external_id,
        order.currency,
        order.customer,
        *to,
        lines,
        promise=choice,
        service=None if order.promise is None else order.promise.service,
        type=order.type,
    )
    sourced, promise = plan_order(uow, capture, cmd, now, fresh=True)
    numbers = list(units)  # the command's lines are numbered 1.. over the open ones
    plan = SourcingPlan(
        tuple(replace(a, line_no=numbers[a.line_no - 1]) for a in sourced.plan.allocations), ()
    )
    held = sum(line.allocated for line in order.lines)
    if sum(a.quantity for a in plan.allocations) < held:
        raise InsufficientStock(
            f"only {sum(a.quantity for a in plan.allocations)} of the {held} units held "
            "could be held again",
        )
    return replace(sourced, plan=plan), promise


def _hold(
    uow: ServicingWork, order: Order, held: list[Any], sourced: Sourced, now: datetime
) -> None:
    """The new plan's reservations (at commit, conditional: LostRace retries), the
    promise's capacity, the order, its sourcing record, and its advance."""
    uow.inventory.reserve(held, now, sourced.floors)
    if order.promise is not None:
        uow.capacity.take(order.promise.capacity)
    uow.orders.save(order)
    records = uow.sourcing.of_order(order.id)
    record = replace(sourced.record, reason=CUSTOMER_CHANGE)
    uow.sourcing.add(order.id, (records[-1][0] if records else 0) + 1, record, now)
    uow.jobs.add(advance_job(order.id, now), now)

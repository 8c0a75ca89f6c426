"""A customer's personal data, on their request (admins act for them): every order of
theirs exported, or their data erased from all of it (`ordino.privacy.domain.erasure`).

A customer is named by e-mail, or by one of their orders (then by that order's
e-mail). An erasure runs in one unit of work: the orders, their events, the
deliveries and stored answers made of them, the erasure's own record and its event
(`customer.erased`, with no personal data) commit together or not at all. A customer
with an order not finished yet (`Order.finished`: units still at a location, waiting
for supply, or on their way to a store for collection) is refused, changing nothing:
that order still needs the address it goes to. So is one whose card payment may still
be charged (not closed, its order not cancelled): the card's token is erased with
the customer. One that shipped counts as finished,
whether or not a delivery was confirmed. An order placed while the erasure runs is
found before it commits (the customer's orders are read again): refused alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.kernel.domain import Conflict, Event, InvalidInput, NotFound, new_id
from ordino.kernel.services import with_retries
from ordino.orders.domain import ERASED_EMAIL, Order, OrderQuery, OrderStatus
from ordino.orders.services import with_payments
from ordino.payments.domain import (
    BalanceKind,
    Payment,
    PaymentMethod,
    PaymentStatus,
    account_of,
    card_of,
)
from ordino.pricing.engine import customer_key
from ordino.privacy.domain.erasure import (
    Erasure,
    Export,
    PersonalData,
    erase_order,
    erasure_document,
    export_document,
)
from ordino.privacy.services.ports import PrivacyWork
from ordino.returns.domain import return_document
from ordino.servicing.services import entry

_PAGE = 200


@dataclass(frozen=True)
class CustomerRef:
    """Who: by e-mail (any case), or by one of their orders."""

    email: str | None = None
    order_id: str | None = None


def export_customer(ref: CustomerRef, uow: PrivacyWork, now: datetime, by: str) -> dict[str, Any]:
    """Every order of the customer, newest first, as the API shows it (with its
    payment) and with its whole timeline; the export recorded (who, when, the order
    ids). `by` asked for it (`key:<id>`, `cli:<user>`)."""
    with uow:
        email = _email_of(uow, ref)
        found = _orders_of(uow, email)
        exported = [
            with_payments(order, uow.payments.of_order(order.id))
            | {"timeline": [entry(e) for e in uow.outbox.of_subject(f"order/{order.id}")]}
            | {"returns": [return_document(ra) for ra in uow.returns.of_order(order.id)]}
            for order in found
        ]
        orders = tuple(sorted(order.id for order in found))
        uow.erasures.add_export(Export(new_id(now), by, now, orders))
        uow.commit()
    return {"email": email, "exported_at": now.isoformat(), "orders": exported}


def list_exports(uow: PrivacyWork, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """The exports, the newest first, a page at a time (`next_cursor`: the older)."""
    with uow:
        found = uow.erasures.exports(limit + 1, cursor)
    return _page([export_document(e) for e in found], limit)


def erase_customer(ref: CustomerRef, uow: PrivacyWork, now: datetime, by: str) -> dict[str, Any]:
    """Erase the customer's personal data wherever Ordino keeps it; the erasure as
    recorded. `by` asked for it (`key:<id>`, `cli:<user>`)."""

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            uow.erasures.hold_the_relay()
            email = _email_of(uow, ref)
            found = [uow.orders.get(o.id, for_update=True) for o in _orders_of(uow, email)]
            orders = [order for order in found if order is not None]
            _refuse_open(orders)
            _refuse_returning(uow, orders)
            _refuse_unsettled(uow, orders)
            _refuse_unspent(uow, email, orders)
            erasure = _erase(uow, orders, now, by, email)
            _refuse_open(_placed_meanwhile(uow, email))
            uow.commit()
        return erasure_document(erasure)

    return with_retries(attempt)


def list_erasures(uow: PrivacyWork, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """The erasures, the newest first, a page at a time (`next_cursor`: the older)."""
    with uow:
        found = uow.erasures.all(limit + 1, cursor)
    return _page([erasure_document(e) for e in found], limit)


def _page(found: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    page = found[:limit]
    return {"items": page, "next_cursor": page[-1]["id"] if len(found) > limit else None}


def _erase(uow: PrivacyWork, orders: list[Order], now: datetime, by: str, email: str) -> Erasure:
    ids = sorted(order.id for order in orders)
    told_before = [e for order_id in ids for e in uow.outbox.of_subject(f"order/{order_id}")]
    personal = PersonalData.of(orders, told_before)
    emails = sorted(
        {customer_key(o.customer.email) for o in orders if o.customer.email} | {customer_key(email)}
    )
    rejected = sum(1 for order in orders for fo in order.fulfillments if fo.reason is not None)
    for order in orders:
        erase_order(order)
        uow.orders.save(order)
    events = uow.erasures.rewrite_events(ids, personal)  # the timeline
    records = {
        "orders": len(orders),
        "holds": sum(len(order.holds) for order in orders),
        "fulfillments": rejected,
        "sourcing_decisions": uow.erasures.rewrite_decisions(ids, personal),
        "events": len(events),
        "webhook_deliveries": uow.erasures.rewrite_deliveries(ids, personal),
        "idempotency_keys": uow.erasures.rewrite_answers(ids, personal),
        "jobs": uow.erasures.rewrite_job_errors(ids, personal),
        "inventory_movements": uow.erasures.rewrite_movements(ids, personal),
        "payments": uow.erasures.clear_card_tokens(ids),
        "promotion_uses": uow.erasures.forget_promotion_customers(ids, emails),
        "balances": uow.erasures.forget_balances(
            emails, [f"~erased-{new_id(now)}" for _ in emails], personal
        ),
        "bills": uow.erasures.rewrite_bills(ids, personal),
        "customs_declarations": uow.erasures.rewrite_declarations(ids, personal),
        "returns": uow.erasures.rewrite_returns(ids, personal),
    }
    erasure = Erasure(new_id(now), by, now, tuple(ids), records)
    uow.erasures.add(erasure)
    told = {"erasure_id": erasure.id, "orders": ids, "records": records, "by": by}
    uow.events.add([Event(new_id(now), "customer.erased", now, f"erasure/{erasure.id}", told)])
    return erasure


def _email_of(uow: PrivacyWork, ref: CustomerRef) -> str:
    if ref.order_id is not None:
        order = uow.orders.get(ref.order_id)
        if order is None or order.customer.erased:
            raise NotFound(f"no order {ref.order_id}", extra={"order_id": ref.order_id})
        return order.customer.email
    email = (ref.email or "").strip().lower()
    if email == ERASED_EMAIL:  # every erased order has it: it names no one
        raise InvalidInput.of("email", "the tombstone of erased customers names no one")
    return email


def _orders_of(uow: PrivacyWork, email: str) -> list[Order]:
    """Every order placed with the e-mail, newest first; NotFound if none."""
    found: list[Order] = []
    cursor: str | None = None
    while True:
        page = uow.orders.find(OrderQuery(customer_email=email, before_id=cursor), _PAGE)
        found += page
        if len(page) < _PAGE:
            break
        cursor = page[-1].id
    if not found:
        raise NotFound("no order of that customer")
    return found


def _placed_meanwhile(uow: PrivacyWork, email: str) -> list[Order]:
    """Orders of the e-mail placed since the erasure read the customer's (those it
    erased no longer have it): new, so open. Read just before the commit, they leave
    only that instant for an order to come in unseen (after the erasure, then)."""
    return uow.orders.find(OrderQuery(customer_email=email), _PAGE)


def _refuse_returning(uow: PrivacyWork, orders: list[Order]) -> None:
    """A return not ended still needs its customer: goods on their way back, a
    refund to come."""
    returning = [
        {"id": ra.id, "order_id": order.id, "status": str(ra.status)}
        for order in orders
        for ra in uow.returns.of_order(order.id)
        if not ra.ended
    ]
    if returning:
        raise Conflict(
            f"{len(returning)} return(s) of the customer are still open: erase once they "
            "are closed, withdrawn or declined; nothing was erased",
            extra={"open_returns": returning},
        )


def _refuse_unsettled(uow: PrivacyWork, orders: list[Order]) -> None:
    """A card payment may still be charged (a capture to come, an expired
    authorisation made again with the card, a declined one tried again): its token is
    needed until the payment closes, or its order is cancelled."""
    paid = [(order, card_of(uow.payments.of_order(order.id))) for order in orders]
    unsettled = [
        {"id": order.id, "external_id": order.external_id, "payment": str(payment.status)}
        for order, payment in paid
        if payment is not None and payment.token is not None and not _card_done(order, payment)
    ]
    if unsettled:
        raise Conflict(
            f"the payment of {len(unsettled)} order(s) of the customer is still being "
            "settled: erase once it is closed; nothing was erased",
            extra={"unsettled_payments": unsettled},
        )


def _refuse_unspent(uow: PrivacyWork, email: str, orders: list[Order]) -> None:
    """Store credit is money the customer is owed: erased, no one could spend it;
    nor what an order holds of it (whoever's: it names their email) or of a gift card,
    nor what an order on the account their email names may still let go: to be
    captured or given back first."""
    owner = customer_key(email)
    theirs = uow.payments.of_reference(f"store_credit:{owner}")
    theirs += uow.payments.of_reference(f"invoice:{owner}")
    theirs += [p for order in orders for p in uow.payments.of_order(order.id)]
    holding = sorted(
        {
            (payment.order_id, str(payment.method))
            for payment in theirs
            if not payment.method.by_gateway
            and payment.status is PaymentStatus.AUTHORISED
            and payment.method is not PaymentMethod.MARKETPLACE
        }
    )
    if holding:
        raise Conflict(
            f"{len(holding)} tender(s) of the customer's money are still open, to be "
            "captured or given back: erase once they are settled; nothing was erased",
            extra={"unsettled_payments": [{"id": o, "tender": m} for o, m in holding]},
        )
    found = uow.balances.get(account_of(BalanceKind.STORE_CREDIT, email))
    if found is not None and found.balance > 0:
        raise Conflict(
            f"the customer holds {found.balance} {found.currency} of store credit: erase "
            "once it is spent or paid out; nothing was erased",
            extra={"store_credit": str(found.balance), "currency": found.currency},
        )


def _card_done(order: Order, payment: Payment) -> bool:
    return payment.status is PaymentStatus.CLOSED or order.status is OrderStatus.CANCELLED


def _refuse_open(orders: list[Order]) -> None:
    open_ = [order for order in orders if not order.finished]
    if open_:
        raise Conflict(
            f"{len(open_)} order(s) of the customer are still open: cancel them, or erase "
            "once they have shipped; nothing was erased",
            extra={
                "open_orders": [
                    {"id": o.id, "external_id": o.external_id, "status": str(o.status)}
                    for o in open_
                ]
            },
        )

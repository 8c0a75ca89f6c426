"""Customer service on an order: a note for colleagues, and a customer's
notification sent again. Both are events of the order, so they are on its
timeline (who, when) and, for the notification, go out to the webhooks and the
broker like the first time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.kernel.domain import InvalidInput, NotFound
from ordino.kernel.services import with_retries
from ordino.orchestration.services import delivery_answer, order_customs
from ordino.orders.domain import EVERY_ORDER, EXCHANGE, OrderScope
from ordino.orders.services import decisions_view, existing_order, with_payments
from ordino.returns.domain import appeasement_document, return_document
from ordino.servicing.services import timeline
from ordino.servicing.services.ports import ServicingWork

NOTE_LENGTH = 2000
# What the customer is told: the events a notification service sends them.
CUSTOMER_EVENTS = (
    "order.created",
    "order.backorder_expected",
    "fulfillment.shipped",
    "fulfillment.ready_for_pickup",
    "fulfillment.delivered",
    "order.cancelled",
    "order.lines_cancelled",
    # A return: its code to show (or its label), a refusal, its refund.
    "return.authorised",
    "return.label_created",
    "return.declined",
    "return.refunded",
    "return.exchanged",
    "return.exchange_refused",
    "order.appeased",
)


def order_file(
    order_id: str, uow: ServicingWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """Everything customer service looks at on an order, read once: the order with
    its payment, its timeline, why its goods are where they are (the sourcing
    decisions), its deliveries against the promise, its invoices and credit notes,
    the changes of its money since it was placed, its parcels' customs
    declarations, its returns and goodwill refunds (and the return whose exchange it
    is); the names of its products and
    of the keys that acted on it, for people to read."""
    with uow:
        order = existing_order(uow, order_id, scope)
        payments = uow.payments.of_order(order_id)
        events = uow.outbox.of_subject(f"order/{order_id}")
        records = uow.sourcing.of_order(order_id)
        delivered = uow.deliveries.of_order(order_id)
        bills = uow.bills.of_order(order_id)
        adjusted = uow.orders.adjustments(order_id)
        customs = order_customs(uow, order)
        names = uow.catalog.names(line.sku for line in order.lines)
        returns = [return_document(ra) for ra in uow.returns.of_order(order_id)]
        appeasements = [appeasement_document(a) for a in uow.returns.appeasements(order_id)]
        exchange = uow.returns.exchange_of_order(order_id) if order.type == EXCHANGE else None
        exchange_of = None if exchange is None else uow.returns.get(exchange.return_id)
        actors = {str(event.data.get("by", "")) for event in events}
        actors |= {hold.placed_by for hold in order.holds}
        actors |= {hold.resolved_by for hold in order.holds if hold.resolved_by}
        who = timeline.names_of_keys(actors, uow)
    return {
        "order": with_payments(order, payments),
        "events": [timeline.entry(event) for event in events],
        "decisions": decisions_view(records),
        "deliveries": [delivery_answer(record) for record in delivered],
        "bills": bills,
        "adjustments": [
            {
                "kind": a.kind,
                "reason": a.reason,
                "at": a.at.isoformat(),
                "by": a.by,
                "before": a.before["money"],
                "after": a.after["money"],
            }
            for a in adjusted
        ],
        "customs": customs,
        "returns": returns,
        "appeasements": appeasements,
        # The return whose exchange the order is, if it is one.
        "exchange_of": None if exchange_of is None else return_document(exchange_of),
        "names": names,
        "actors": who,
    }


def add_note(
    order_id: str, text: str, uow: ServicingWork, now: datetime, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """A note on the order's timeline (`order.note_added`), by the scope's actor."""
    note = text.strip()
    if not note or len(note) > NOTE_LENGTH:
        raise InvalidInput.of("note", f"1 to {NOTE_LENGTH} characters")
    return _record(order_id, uow, now, scope, "order.note_added", {"reason": note})


def resend_notification(
    order_id: str, uow: ServicingWork, now: datetime, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """Tell the customer again what they were last told: `order.notification_resent`
    carries that event (its type and data) for the notifying service to send."""
    with uow:
        order = existing_order(uow, order_id, scope)
        told = [e for e in uow.outbox.of_subject(f"order/{order_id}") if e.type in CUSTOMER_EVENTS]
    if not told:
        raise NotFound(f"order {order_id} has told its customer nothing yet")
    last = told[-1]
    resent = {
        "event": {"type": last.type, "id": last.id, "data": last.data},
        "language": order.language,  # what to write it in
    }
    return _record(order_id, uow, now, scope, "order.notification_resent", resent)


def _record(
    order_id: str,
    uow: ServicingWork,
    now: datetime,
    scope: OrderScope,
    event: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = existing_order(uow, order_id, scope, for_update=True)
            order.record(event, now, data)
            uow.orders.save(order)
            uow.commit()
        return {"order_id": order_id, "event": event}

    return with_retries(attempt)

"""Domain events, written to the outbox in the transaction that caused them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Every type of event Ordino writes (a webhook subscribes to some of these, or `*`).
# A new event type is added here: tests/events/test_events.py finds any missing.
EVENT_TYPES = frozenset(
    {
        "order.created",
        "order.allocated",
        "order.allocation_rejected",
        "order.backorder_expected",
        "order.held",
        "order.hold_released",
        "order.hold_cancelled",
        "order.cancelled",
        "order.lines_cancelled",
        "order.address_changed",
        "order.tax_adjusted",
        "order.appeased",
        "order.converted_to_pickup",
        "order.pickup_store_changed",
        "order.note_added",
        "order.notification_resent",
        "order.delivered",
        "payment.authorised",
        "payment.declined",
        "payment.captured",
        "payment.capture_declined",
        "payment.voided",
        "payment.void_declined",
        "payment.refund_requested",
        "payment.refunded",
        "payment.refund_declined",
        "return.requested",
        "return.authorised",
        "return.declined",
        "return.cancelled",
        "return.label_created",
        "return.in_transit",
        "return.received",
        "return.refunded",
        "return.exchanged",
        "return.exchange_refused",
        "return.closed",
        "fulfillment.released",
        "fulfillment.accepted",
        "fulfillment.rejected",
        "fulfillment.split",
        "fulfillment.changed",
        "fulfillment.cancelled",
        "fulfillment.picked",  # fulfilling.progress: f"fulfillment.{target}"
        "fulfillment.packed",
        "fulfillment.shipped",
        "fulfillment.delivered",
        "fulfillment.ready_for_pickup",
        "fulfillment.picked_up",
        "fulfillment.not_collected",
        "fulfillment.sla_breached",
        "supply.created",
        "supply.received",
        "supply.rescheduled",
        "supply.cancelled",
        "stock.sold_out",
        "stock.ran_low",
        "stock.restocked",
        "inventory.fell_short",
        "customer.erased",
    }
)


@dataclass(frozen=True)
class Event:
    id: str
    type: str  # past tense: order.created, order.cancelled
    occurred_at: datetime
    subject: str  # the aggregate the event is about, e.g. "order/01J…"
    data: dict[str, Any]
    seq: int | None = None  # its place in the outbox, once written there


def event_document(event: Event) -> dict[str, Any]:
    """An event as it leaves Ordino (broker messages, webhook bodies)."""
    return {
        "id": event.id,
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "subject": event.subject,
        "data": event.data,
    }

"""An order as the API answers with it and the idempotency store keeps it: JSON-ready
(strings for money, RFC 3339 for times), so that an answer is stored and replayed
byte for byte.
"""

from __future__ import annotations

from typing import Any

from ordino.network.domain import ship_to_document
from ordino.orders.domain.advancing import hold_document, next_step
from ordino.orders.domain.fulfillment import fulfillment_document
from ordino.orders.domain.orders import Order, exchange_details
from ordino.orders.domain.status import LineCounts
from ordino.pricing.domain import charge_document, line_money_document, money_document
from ordino.promising.domain import OrderPromise


def order_view(order: Order) -> dict[str, Any]:
    ship_to, point = order.ship_to, order.ship_to_point
    return {
        "id": order.id,
        "channel": order.channel,
        "external_id": order.external_id,
        "status": str(order.status),
        "return_state": str(order.return_state),
        "currency": order.currency,
        "total": str(order.total.amount),
        "money": money_document(order.money),
        "charges": [charge_document(c) for c in order.charges],
        "customer": {
            "email": order.customer.email,
            "name": order.customer.name,
            "phone": order.customer.phone,
            "vat_id": order.customer.vat_id,
            "group": order.customer.group,
        },
        "tax_treatment": order.tax_treatment,
        **exchange_details(order),
        "ship_to": ship_to_document(ship_to, point),
        "type": order.type,
        "language": order.language,
        "priority": order.priority,
        "on_hold": order.on_hold,
        "holds": [hold_document(h) for h in order.holds],
        "pipeline": {
            "steps": [str(step) for step in order.pipeline],
            "next": str(step) if (step := next_step(order)) else None,
        },
        "bill_to": None if order.bill_to is None else ship_to_document(order.bill_to, None),
        "b2b": None
        if order.b2b is None
        else {
            "purchase_order": order.b2b.purchase_order,
            "requested_date": order.b2b.requested_date.isoformat()
            if order.b2b.requested_date
            else None,
            "ship_complete": order.b2b.ship_complete,
        },
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "quantity": line.quantity,
                **line_money_document(line.price),
                "status": str(line.status),
                **counters_view(order.counts(line)),
                "expected_on": line.expected_on.isoformat() if line.expected_on else None,
                "allocations": [  # by location, as the store reads them back
                    {
                        "location_id": a.location_id,
                        "quantity": a.quantity,
                        "ship_date": a.ship_date.isoformat() if a.ship_date else None,
                    }
                    for a in sorted(line.allocations, key=lambda a: a.location_id)
                ],
            }
            for line in order.lines
        ],
        "fulfillments": [fulfillment_document(fo) for fo in order.fulfillments],
        "promise": None if order.promise is None else promise_view(order.promise),
        "created_at": order.created_at.isoformat(),
        "updated_at": order.updated_at.isoformat(),
    }


def counters_view(counts: LineCounts) -> dict[str, int]:
    return {
        "cancelled": counts.cancelled,
        "allocated": counts.allocated,
        "released": counts.released,
        "shipped": counts.shipped,
        "delivered": counts.delivered,
        "picked_up": counts.picked_up,
        "returned": counts.returned,
        "being_returned": counts.being_returned,
        "returnable": counts.returnable,
        "backordered": counts.backordered,
    }


def promise_view(promise: OrderPromise) -> dict[str, Any]:
    return {
        "option_id": promise.option_id,
        "method": str(promise.method),
        "service": promise.service,
        "store_id": promise.store_id,
        "ship_date": promise.ship_date.isoformat(),
        "delivery": {
            "earliest": promise.delivery_earliest.isoformat(),
            "latest": promise.delivery_latest.isoformat(),
        },
        "ready_by": promise.ready_by.isoformat() if promise.ready_by else None,
        "cost": {"amount": str(promise.cost.amount), "currency": promise.cost.currency},
        "promised_at": promise.promised_at.isoformat(),
    }

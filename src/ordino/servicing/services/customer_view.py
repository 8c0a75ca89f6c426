"""An order as its customer sees it: where it stands, what was promised, the parcels
with their tracking, and what happened in the customer's words.

What it never shows: other people (no e-mail but the customer's own), who acted
inside (API keys, rules, holds, reroutes), the locations an order ships from (a
store the customer collects at is shown: they go there), ids other than the order's,
payment details, and the pickup code (sent to the customer alone).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ordino.kernel.domain import Event, distance_km
from ordino.network.domain import Location, address_fields, ship_to_document
from ordino.orders.domain import Fulfillment, FulfillmentStatus, Order
from ordino.promising.domain import OrderPromise

# The events a customer hears of, by what they are called on the page. The rest
# (holds, payments, allocations, acceptance, splits) is the trade's own business.
_SAID: dict[str, str] = {
    "order.created": "placed",
    "order.cancelled": "cancelled",
    "order.lines_cancelled": "items_cancelled",
    "order.backorder_expected": "delayed",
    "order.address_changed": "address_changed",
    "order.converted_to_pickup": "converted_to_pickup",
    "order.pickup_store_changed": "pickup_store_changed",
    "fulfillment.released": "preparing",
    "fulfillment.shipped": "shipped",
    "fulfillment.delivered": "delivered",
    "fulfillment.ready_for_pickup": "ready_for_pickup",
    "fulfillment.picked_up": "picked_up",
    "fulfillment.not_collected": "not_collected",
    "return.requested": "return_requested",
    "return.authorised": "return_authorised",
    "return.declined": "return_declined",
    "return.cancelled": "return_withdrawn",
    "return.received": "return_received",
    "return.refunded": "return_refunded",
    "return.exchanged": "exchange_placed",
    "return.exchange_refused": "exchange_refused",
    "order.appeased": "goodwill_refund",
}


def customer_view(
    order: Order,
    events: Sequence[Event],
    locations: Sequence[Location],
    names: Mapping[str, str],
    allowed: Mapping[str, bool],
    returns: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """`locations`: the network's (the stores the customer may collect at among
    them); `names`: the products' names by SKU; `allowed`: what the self-service
    policy lets the customer do now; `returns`: their returns, as they see them
    (`customer_return`)."""
    stores = {location.id: location for location in locations if location.pickup}
    return {
        "order_id": order.id,
        "number": order.external_id,
        "status": str(order.status),
        "placed_at": order.created_at.isoformat(),
        "currency": order.currency,
        "total": str(order.total.amount),
        "customer": {"email": order.customer.email, "name": order.customer.name},
        "ship_to": ship_to_document(order.ship_to, order.ship_to_point),
        "time_zone": local_zone(order, locations),
        "language": order.language,
        "lines": [_line(order, line.line_no, names) for line in order.lines],
        "promise": _promise(order.promise, stores),
        "parcels": [_parcel(fo, stores) for fo in order.fulfillments if _shown(fo)],
        "timeline": _timeline(events, stores),
        "allowed": dict(allowed),
        "returns": [dict(r) for r in returns],
    }


def store_document(location: Location) -> dict[str, Any]:
    return {
        "store_id": location.id,
        "name": location.name,
        "address": address_fields(location.address),
    }


def local_zone(order: Order, locations: Sequence[Location]) -> str | None:
    """The time zone the customer's times are told in: where they are, known by the
    store they collect at, else by the network's place nearest their address in its
    country (any place there, without a point); None when the network has no place in
    the country."""
    by_id = {location.id: location for location in locations}
    store = by_id.get(order.promise.store_id or "") if order.promise else None
    if store is not None:
        return store.time_zone
    country, point = order.ship_to.country, order.ship_to_point
    there = sorted(
        (place for place in locations if place.address.country == country), key=lambda p: p.id
    )

    def away(place: Location) -> float:
        if point is None or place.point is None:
            return math.inf
        return distance_km(point, place.point)

    there.sort(key=away)  # stable: by id where no distance tells
    return there[0].time_zone if there else None


def _line(order: Order, line_no: int, names: Mapping[str, str]) -> dict[str, Any]:
    line, counts = order.line(line_no), order.counts(order.line(line_no))
    return {
        "line_no": line.line_no,
        "sku": line.sku,
        "name": names.get(line.sku),
        "quantity": line.quantity,
        "status": str(line.status),
        "cancelled": counts.cancelled,
        "shipped": counts.shipped,
        "delivered": counts.delivered,
        "picked_up": counts.picked_up,
        "backordered": counts.backordered,
        "expected_on": line.expected_on.isoformat() if line.expected_on else None,
        "returned": counts.returned,
        "being_returned": line.being_returned,
        "returnable": counts.returnable,
    }


def _promise(promise: OrderPromise | None, stores: Mapping[str, Location]) -> dict[str, Any] | None:
    if promise is None:
        return None
    store = stores.get(promise.store_id or "")
    return {
        "method": str(promise.method),
        "delivery": {
            "earliest": promise.delivery_earliest.isoformat(),
            "latest": promise.delivery_latest.isoformat(),
        },
        "ready_by": promise.ready_by.isoformat() if promise.ready_by else None,
        "store": None if store is None else store_document(store),
    }


def _shown(fo: Fulfillment) -> bool:
    """Parcels the customer hears of: not those turned down or split off inside."""
    return fo.status not in (FulfillmentStatus.REJECTED, FulfillmentStatus.CANCELLED)


def _parcel(fo: Fulfillment, stores: Mapping[str, Location]) -> dict[str, Any]:
    store = stores.get(fo.store_id or "")
    return {
        "method": str(fo.method),
        "status": str(fo.status),
        "carrier": fo.carrier,
        "tracking_number": fo.tracking_number,
        "store": None if store is None else store_document(store),
        "lines": [
            {"line_no": line.line_no, "sku": line.sku, "quantity": line.quantity}
            for line in fo.lines
        ],
    }


def _timeline(events: Sequence[Event], stores: Mapping[str, Location]) -> list[dict[str, Any]]:
    return [
        {"at": event.occurred_at.isoformat(), "what": _SAID[event.type]}
        | _DETAILS.get(event.type, _nothing)(event.data, stores)
        for event in events
        if event.type in _SAID
    ]


def _nothing(_data: dict[str, Any], _stores: Mapping[str, Location]) -> dict[str, Any]:
    return {}


def _tracking(data: dict[str, Any], _stores: Mapping[str, Location]) -> dict[str, Any]:
    fo = data.get("fulfillment") or {}
    return {"carrier": fo.get("carrier"), "tracking_number": fo.get("tracking_number")}


def _cancelled(data: dict[str, Any], _stores: Mapping[str, Location]) -> dict[str, Any]:
    return {"lines": data.get("cancelled", [])}


def _delayed(data: dict[str, Any], _stores: Mapping[str, Location]) -> dict[str, Any]:
    waiting = data.get("backordered", [])
    return {
        "lines": [{k: w[k] for k in ("line_no", "sku", "quantity", "expected_on")} for w in waiting]
    }


def _ready(data: dict[str, Any], _stores: Mapping[str, Location]) -> dict[str, Any]:
    return {"collect_by": data.get("collect_by")}


def _collect(data: dict[str, Any], stores: Mapping[str, Location]) -> dict[str, Any]:
    store = stores.get(data.get("store_id") or "")
    ready_by = (data.get("promise") or {}).get("ready_by")
    return {"store": None if store is None else store_document(store), "ready_by": ready_by}


def _address(data: dict[str, Any], _stores: Mapping[str, Location]) -> dict[str, Any]:
    return {"ship_to": data.get("ship_to")}


_DETAILS: dict[str, Callable[[dict[str, Any], Mapping[str, Location]], dict[str, Any]]] = {
    "order.lines_cancelled": _cancelled,
    "order.cancelled": _cancelled,
    "order.backorder_expected": _delayed,
    "order.address_changed": _address,
    "order.converted_to_pickup": _collect,
    "order.pickup_store_changed": _collect,
    "fulfillment.shipped": _tracking,
    "fulfillment.ready_for_pickup": _ready,
}

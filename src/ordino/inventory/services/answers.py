"""Stock as the API answers with it: positions, supply orders, availability views
and what they compute, JSON-ready.
"""

from __future__ import annotations

from typing import Any

from ordino.inventory.domain.positions import Position
from ordino.inventory.domain.supply import SupplyOrder
from ordino.inventory.domain.views import AvailabilityView, view_document
from ordino.inventory.engine.availability import Nearby, SkuAvailability, SkuSummary


def position_view(position: Position) -> dict[str, Any]:
    return {
        "location_id": position.location_id,
        "sku": position.sku,
        "on_hand": position.on_hand,
        "reserved": position.reserved,
        "safety_stock": position.safety_stock,
        "available": position.available,
        "short": position.short,
        "counted_at": position.counted_at.isoformat() if position.counted_at else None,
    }


def supply_view(order: SupplyOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "kind": str(order.kind),
        "status": str(order.status),
        "location_id": order.location_id,
        "source_location_id": order.source_location_id,
        "expected_at": order.expected_at.isoformat(),
        "reference": order.reference,
        "lines": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "received": line.received,
                "cancelled": line.cancelled,
                "open": line.open,
            }
            for line in order.lines
        ],
        "created_at": order.created_at.isoformat(),
        "updated_at": order.updated_at.isoformat(),
    }


def view_answer(view: AvailabilityView) -> dict[str, Any]:
    return {"name": view.name, "version": view.version, **view_document(view)}


def availability_view(
    summary: SkuSummary, detail: SkuAvailability | None, near: list[Nearby] | None
) -> dict[str, Any]:
    """One SKU's availability: the network total always; where it is when asked."""
    answer: dict[str, Any] = {
        "sku": summary.sku,
        "available": summary.available,
        "status": str(summary.status),
        "future": [{"date": a.day.isoformat(), "available": a.quantity} for a in summary.future],
    }
    if detail is not None:
        answer["locations"] = [
            {
                "location_id": at.location_id,
                "available": at.available,
                "on_hand": at.on_hand,
                "reserved": at.reserved,
                "held_back": at.holdback,
                "ships": at.ships,
                "pickup": at.pickup,
                "stale": at.stale,
                "arrivals": [
                    {"date": a.day.isoformat(), "quantity": a.quantity} for a in at.arrivals
                ],
            }
            for at in detail.locations
        ]
    if near is not None:
        answer["nearest"] = [
            {"location_id": n.location_id, "distance_km": n.distance_km, "available": n.available}
            for n in near
        ]
    return answer

"""Inventory use cases: set a position, apply adjustments once, read availability."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ordino.domain.inventory import MAX_ON_HAND, Adjustment, Position
from ordino.errors import FieldError, InvalidInput, NotFound
from ordino.services.retry import with_retries
from ordino.services.unit_of_work import UnitOfWork
from ordino.services.views import position_view


def set_position(
    location_id: str,
    sku: str,
    on_hand: int,
    safety_stock: int | None,
    uow: UnitOfWork,
    now: datetime,
) -> dict[str, Any]:
    """Set on hand (and safety stock) as counted; refused below what is reserved."""
    problems = [
        FieldError(name, "must not be negative")
        for name, value in (("on_hand", on_hand), ("safety_stock", safety_stock))
        if value is not None and value < 0
    ]
    if problems:
        raise InvalidInput("a count cannot be negative", errors=problems)

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            _require_location(uow, location_id)
            _require_sku(uow, sku)
            position = uow.inventory.set_position(location_id, sku, on_hand, safety_stock, now)
            uow.commit()
            return position_view(position)

    return with_retries(attempt)


def adjust_inventory(
    adjustments: Sequence[Adjustment], uow: UnitOfWork, now: datetime
) -> list[dict[str, Any]]:
    """Apply each delta once per event id; all or nothing."""

    def attempt(_: int) -> list[dict[str, Any]]:
        with uow:
            _refuse_unknown_references(uow, adjustments)
            results = []
            for adjustment in adjustments:
                applied = uow.inventory.adjust(adjustment, now)
                results.append(
                    {
                        "event_id": adjustment.event_id,
                        "status": "applied" if applied else "duplicate",
                    }
                )
            uow.commit()
            return results

    return with_retries(attempt)


def availability(skus: Sequence[str], uow: UnitOfWork) -> list[dict[str, Any]]:
    """Per SKU: what can be sold now over every location that ships, and where."""
    with uow:
        known = uow.catalog.known(skus)
        unknown = [sku for sku in skus if sku not in known]
        if unknown:
            raise InvalidInput.of("skus", f"unknown SKUs: {', '.join(unknown)}")
        positions = uow.inventory.positions(skus, shipping_only=True)
    items = []
    for sku in dict.fromkeys(skus):
        at = [p for p in positions if p.sku == sku]
        items.append(
            {
                "sku": sku,
                "available": sum(p.available for p in at),
                "locations": [
                    {
                        "location_id": p.location_id,
                        "available": p.available,
                        "on_hand": p.on_hand,
                        "reserved": p.reserved,
                        "safety_stock": p.safety_stock,
                    }
                    for p in at
                ],
            }
        )
    return items


def _require_location(uow: UnitOfWork, location_id: str) -> None:
    if uow.network.get(location_id) is None:
        raise NotFound(f"no location {location_id}", extra={"location_id": location_id})


def _require_sku(uow: UnitOfWork, sku: str) -> None:
    if not uow.catalog.known([sku]):
        raise NotFound(f"no product {sku}", extra={"sku": sku})


def _refuse_unknown_references(uow: UnitOfWork, adjustments: Sequence[Adjustment]) -> None:
    known_skus = uow.catalog.known([a.sku for a in adjustments])
    errors = []
    for i, a in enumerate(adjustments):
        if uow.network.get(a.location_id) is None:
            errors.append(
                FieldError(f"adjustments[{i}].location_id", f"unknown location {a.location_id!r}")
            )
        if a.sku not in known_skus:
            errors.append(FieldError(f"adjustments[{i}].sku", f"unknown SKU {a.sku!r}"))
    if errors:
        raise InvalidInput("adjustments name unknown locations or SKUs", errors=errors)


def load_positions(counts: Sequence[Position], uow: UnitOfWork, now: datetime) -> int:
    """Set many positions in one transaction; refuses the whole load on an unknown
    location or SKU. Returns how many were written (counts below reserved are skipped)."""
    negative = [
        FieldError(f"[{i}]", f"counts must be between 0 and {MAX_ON_HAND:,}")
        for i, c in enumerate(counts)
        if not (0 <= c.on_hand <= MAX_ON_HAND and 0 <= c.safety_stock <= MAX_ON_HAND)
    ]
    if negative:
        raise InvalidInput("the load holds counts out of range", errors=negative[:100])
    with uow:
        locations = uow.network.known([c.location_id for c in counts])
        skus = uow.catalog.known([c.sku for c in counts])
        errors = [
            FieldError(f"[{i}]", f"unknown location {c.location_id!r} or SKU {c.sku!r}")
            for i, c in enumerate(counts)
            if c.location_id not in locations or c.sku not in skus
        ]
        if errors:
            raise InvalidInput("the load names unknown locations or SKUs", errors=errors[:100])
        written = uow.inventory.put_positions(counts, now)
        uow.commit()
        return written

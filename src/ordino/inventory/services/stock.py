"""Inventory use cases: counts, full snapshots of a location, deltas, and reads.

Each feed is one unit of work: read the positions it touches, plan with
`ordino.inventory.domain.feeds`, write positions and movements conditionally, commit; a
concurrent change of the same positions makes it plan again. A feed naming an
unknown location or SKU, or malformed in any line, changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from ordino.inventory.domain.feeds import (
    Adjustment,
    Count,
    FeedPlan,
    LineResult,
    MovementKind,
    Source,
    plan_adjustments,
    plan_counts,
)
from ordino.inventory.domain.positions import MAX_ON_HAND, Position
from ordino.inventory.services.answers import position_view
from ordino.inventory.services.ports import InventoryWork
from ordino.kernel.domain import Event, FieldError, InvalidInput, NotFound, new_id
from ordino.kernel.services import with_retries

# A count may carry a time a little ahead of ours: the location's clock may run fast.
CLOCK_SKEW = timedelta(minutes=5)


def count_stock(
    counts: Sequence[Count],
    counted_at: datetime | None,
    source: Source,
    uow: InventoryWork,
    field: str = "counts",
) -> list[dict[str, Any]]:
    """Set on hand (and safety stock, where given) of the positions counted."""
    at = _counted_at(counted_at, source.now)
    _refuse_bad_counts(counts, field)

    def attempt(_: int) -> list[dict[str, Any]]:
        with uow:
            _refuse_unknown(uow, [(c.location_id, c.sku) for c in counts], field)
            plan = _plan_counts(uow, counts, at, MovementKind.COUNT, source)
            write_plan(uow, plan, source)
            uow.commit()
            return [_count_result(counts[r.index], r) for r in plan.results]

    return with_retries(attempt)


def take_snapshot(
    location_id: str,
    counts: Sequence[Count],
    counted_at: datetime,
    source: Source,
    uow: InventoryWork,
) -> dict[str, Any]:
    """A full count of one location: every position it does not list is counted 0."""
    at = _counted_at(counted_at, source.now)
    _refuse_bad_counts(counts, "positions")

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            _require_location(uow, location_id)
            _refuse_unknown(uow, [(c.location_id, c.sku) for c in counts], "positions")
            listed = {c.sku for c in counts}
            unlisted = [
                Count(location_id, sku, 0)
                for (_, sku) in sorted(uow.movements.at_location(location_id))
                if sku not in listed
            ]
            plan = _plan_counts(uow, [*counts, *unlisted], at, MovementKind.SNAPSHOT, source)
            write_plan(uow, plan, source)
            uow.commit()
            return _snapshot_summary(location_id, at, plan, len(counts))

    return with_retries(attempt)


def adjust_inventory(
    adjustments: Sequence[Adjustment], source: Source, uow: InventoryWork
) -> list[dict[str, Any]]:
    """Apply each delta once per event id, in the order given; all or nothing."""

    def attempt(_: int) -> list[dict[str, Any]]:
        with uow:
            keys = [(a.location_id, a.sku) for a in adjustments]
            _refuse_unknown(uow, keys, "adjustments")
            current = uow.movements.current(keys)
            seen = uow.movements.seen(a.event_id for a in adjustments if a.event_id)
            plan = plan_adjustments(adjustments, current, seen, MovementKind.ADJUSTMENT, source)
            write_plan(uow, plan, source)
            uow.commit()
            return [
                {
                    "event_id": adjustments[r.index].event_id,
                    "status": str(r.outcome),
                    "on_hand": r.on_hand,
                    "short": r.short,
                }
                for r in plan.results
            ]

    return with_retries(attempt)


def set_position(
    location_id: str,
    sku: str,
    count: Count,
    counted_at: datetime | None,
    source: Source,
    uow: InventoryWork,
) -> tuple[bool, dict[str, Any]]:
    """One position counted: whether it is new, and the position as it now stands."""
    with uow:
        _require_location(uow, location_id)
        _require_sku(uow, sku)
        created = uow.inventory.position(location_id, sku) is None
    count_stock([count], counted_at, source, uow)
    with uow:
        position = uow.inventory.position(location_id, sku)
    assert position is not None
    return created, position_view(position)


def get_position(location_id: str, sku: str, uow: InventoryWork) -> dict[str, Any]:
    with uow:
        return position_view(_existing_position(uow, location_id, sku))


def across_network(sku: str, uow: InventoryWork) -> list[dict[str, Any]]:
    """The SKU's position at every location that holds it, by location."""
    with uow:
        _require_sku(uow, sku)
        return [position_view(p) for p in uow.inventory.positions([sku], shipping_only=False)]


def at_location(location_id: str, uow: InventoryWork, limit: int = 500) -> list[dict[str, Any]]:
    """A location's positions, by SKU (the first `limit`)."""
    with uow:
        _require_location(uow, location_id)
        found = uow.movements.at_location(location_id)
    return [position_view(found[key]) for key in sorted(found)[:limit]]


def movements(
    location_id: str, sku: str, uow: InventoryWork, limit: int = 100, before_id: int | None = None
) -> dict[str, Any]:
    """A position and the movements that explain it, newest first."""
    with uow:
        position = _existing_position(uow, location_id, sku)
        found = uow.movements.history(location_id, sku, limit + 1, before_id)
    page = found[:limit]
    cursor = page[-1]["id"] if len(found) > limit else None
    return {
        "position": position_view(position),
        "items": [_movement_view(row) for row in page],
        "next_cursor": cursor,
    }


def record_counts(uow: InventoryWork, counts: Sequence[Count], source: Source) -> FeedPlan:
    """Counts taken now, within a unit of work the caller commits (the demo's load)."""
    plan = _plan_counts(uow, counts, source.now, MovementKind.COUNT, source)
    write_plan(uow, plan, source)
    return plan


def _plan_counts(
    uow: InventoryWork,
    counts: Sequence[Count],
    at: datetime,
    kind: MovementKind,
    source: Source,
) -> FeedPlan:
    current = uow.movements.current((c.location_id, c.sku) for c in counts)
    moved = [key for key, p in current.items() if p.moved_at is not None and p.moved_at > at]
    later = uow.movements.later(moved, at) if moved else {}
    return plan_counts(counts, at, current, later, kind, source)


def write_plan(uow: InventoryWork, plan: FeedPlan, source: Source) -> None:
    """Write a feed's plan with its movements, and report the positions it left short."""
    uow.movements.apply(plan, source.now)
    uow.events.add([_shortage_event(change.position, source.now) for change in plan.shortages])


def _shortage_event(position: Position, now: datetime) -> Event:
    return Event(
        new_id(now),
        "inventory.fell_short",
        now,
        f"position/{position.location_id}/{position.sku}",
        {
            "location_id": position.location_id,
            "sku": position.sku,
            "on_hand": position.on_hand,
            "reserved": position.reserved,
            "short": position.short,
        },
    )


def _counted_at(counted_at: datetime | None, now: datetime) -> datetime:
    if counted_at is None:
        return now
    if counted_at > now + CLOCK_SKEW:
        raise InvalidInput.of("counted_at", "must not be in the future")
    return counted_at


def _refuse_bad_counts(counts: Sequence[Count], field: str) -> None:
    """Counts out of range, and a position counted twice in one feed."""
    problems: list[FieldError] = []
    first: dict[tuple[str, str], int] = {}
    for i, c in enumerate(counts):
        for name, value in (("on_hand", c.on_hand), ("safety_stock", c.safety_stock)):
            if value is not None and not 0 <= value <= MAX_ON_HAND:
                problems.append(
                    FieldError(f"{field}[{i}].{name}", f"must be between 0 and {MAX_ON_HAND:,}")
                )
        if (earlier := first.setdefault((c.location_id, c.sku), i)) != i:
            problems.append(FieldError(f"{field}[{i}]", f"repeats {field}[{earlier}]"))
    if problems:
        raise InvalidInput("the feed cannot be applied as given", errors=problems[:100])


def _refuse_unknown(uow: InventoryWork, keys: Sequence[tuple[str, str]], field: str) -> None:
    locations = uow.network.known([location_id for location_id, _ in keys])
    skus = uow.catalog.known([sku for _, sku in keys])
    errors = []
    for i, (location_id, sku) in enumerate(keys):
        if location_id not in locations:
            errors.append(
                FieldError(f"{field}[{i}].location_id", f"unknown location {location_id!r}")
            )
        if sku not in skus:
            errors.append(FieldError(f"{field}[{i}].sku", f"unknown SKU {sku!r}"))
    if errors:
        raise InvalidInput(f"{field} name unknown locations or SKUs", errors=errors[:100])


def _existing_position(uow: InventoryWork, location_id: str, sku: str) -> Position:
    position = uow.inventory.position(location_id, sku)
    if position is None:
        raise NotFound(
            f"no stock of {sku} at {location_id}",
            extra={"location_id": location_id, "sku": sku},
        )
    return position


def _require_location(uow: InventoryWork, location_id: str) -> None:
    if uow.network.get(location_id) is None:
        raise NotFound(f"no location {location_id}", extra={"location_id": location_id})


def _require_sku(uow: InventoryWork, sku: str) -> None:
    if not uow.catalog.known([sku]):
        raise NotFound(f"no product {sku}", extra={"sku": sku})


def _count_result(count: Count, result: LineResult) -> dict[str, Any]:
    return {
        "location_id": count.location_id,
        "sku": count.sku,
        "status": str(result.outcome),
        "on_hand": result.on_hand,
        "short": result.short,
    }


def _snapshot_summary(
    location_id: str, at: datetime, plan: FeedPlan, listed: int
) -> dict[str, Any]:
    statuses = [str(r.outcome) for r in plan.results]
    return {
        "location_id": location_id,
        "counted_at": at.isoformat(),
        "listed": listed,
        "zeroed": len(plan.results) - listed,
        "applied": statuses.count("applied"),
        "superseded": statuses.count("superseded"),
        "short": [
            {"sku": c.position.sku, "on_hand": c.position.on_hand, "short": c.position.short}
            for c in plan.shortages
        ],
    }


def _movement_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "quantity": row["quantity"],
        "on_hand_before": row["on_hand_after"] - row["quantity"],
        "on_hand_after": row["on_hand_after"],
        "safety_stock_after": row["safety_stock_after"],
        "reported": row["reported"],
        "event_id": row["event_id"],
        "reference": row["reference"],
        "reason": row["reason"],
        "actor": row["actor"],
        "occurred_at": row["occurred_at"].isoformat(),
        "recorded_at": row["recorded_at"].isoformat(),
    }

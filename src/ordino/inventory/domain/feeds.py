"""Inventory feeds: counts, snapshots and deltas turned into position changes and the
movements that explain them. Pure: the store reads the positions a feed touches,
these functions decide, the store writes.

Rules, per position:
  * A count taken at `counted_at` is the on hand at that moment. It is applied
    unless the position was counted later already (a late, older count changes
    nothing: `superseded`), and on hand becomes the count plus every delta that
    happened after the count (receipts, transfers out, adjustments), so what was
    recorded after the count is not lost. Reservations are untouched: they are held
    against physical stock whenever they were made.
  * A delta happens at `occurred_at`; one that happened before the position's last
    count is already in that count (`superseded`, recorded, not applied). A delta
    is applied once per event id (`duplicate` thereafter).
  * Equal times are settled by arrival: what arrives later is the newer fact.
  * Counts and deltas are facts: they are applied even when on hand falls below
    what is reserved. The position is then short by the difference: nothing more
    can be sold there, and the shortage is reported (`PositionChange.short`) so the
    orders it hurts can be served elsewhere.
  * On hand stays within 0 and MAX_ON_HAND; a delta beyond those is clipped, and
    the movement keeps both what was reported and what was applied.

Invariant of every plan: each movement's quantity is its change of on hand, so a
position's on hand is the sum of its movements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ordino.inventory.domain.positions import MAX_ON_HAND, Position

Key = tuple[str, str]  # (location_id, sku)


class MovementKind(StrEnum):
    OPENING = "opening"  # the balance a position had when movements began to be kept
    COUNT = "count"  # a count of some positions
    SNAPSHOT = "snapshot"  # a full count of a location: what it does not list is 0
    ADJUSTMENT = "adjustment"  # a delta reported by a location
    RECEIPT = "receipt"  # inbound supply arrived
    TRANSFER_OUT = "transfer_out"  # shipped to another location
    FULFILLMENT = "fulfillment"  # left for a customer: shipped to them, or handed over
    RESTOCK = "restock"  # an order's goods back on the shelf (not collected)


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # the event id was applied before
    SUPERSEDED = "superseded"  # a newer count already holds it


@dataclass(frozen=True)
class Count:
    location_id: str
    sku: str
    on_hand: int
    safety_stock: int | None = None


@dataclass(frozen=True)
class Adjustment:
    """A change of on hand reported by a location, applied once per event id (when it
    has one: a receipt is applied once by its supply order instead)."""

    event_id: str | None
    location_id: str
    sku: str
    delta: int
    reason: str | None = None
    occurred_at: datetime | None = None  # when it happened; when it arrived if unknown


@dataclass(slots=True)
class Movement:
    """One change of a position, kept forever: who, why, when, before and after.
    (Not frozen: a plan fills in the event id and reason of the line it comes from.)"""

    location_id: str
    sku: str
    kind: MovementKind
    quantity: int  # the change of on hand applied
    on_hand_after: int
    safety_stock_after: int
    reported: int | None  # what the feed said: the count, or the delta
    occurred_at: datetime
    actor: str
    event_id: str | None = None
    reference: str | None = None  # the supply order, the snapshot
    reason: str | None = None

    @property
    def on_hand_before(self) -> int:
        return self.on_hand_after - self.quantity


@dataclass(frozen=True)
class PositionChange:
    """A position's new state; `expected_on_hand` is what it held when read (None: new),
    so a concurrent change is noticed when the store writes."""

    position: Position
    expected_on_hand: int | None
    short_before: int  # reserved above on hand, before the change
    safety_before: int = 0

    @property
    def fall(self) -> int:
        """How much less the position may sell than before, at most."""
        on_hand_lost = max(0, (self.expected_on_hand or 0) - self.position.on_hand)
        return on_hand_lost + max(0, self.position.safety_stock - self.safety_before)

    @property
    def rise(self) -> bool:
        return self.position.on_hand > (self.expected_on_hand or 0) or (
            self.position.safety_stock < self.safety_before
        )

    @property
    def worsened(self) -> bool:
        """The change left the position shorter than it was."""
        return self.position.short > self.short_before


@dataclass(frozen=True)
class LineResult:
    index: int
    outcome: Outcome
    on_hand: int | None = None
    short: int = 0


@dataclass
class FeedPlan:
    changes: dict[Key, PositionChange] = field(default_factory=dict)
    movements: list[Movement] = field(default_factory=list)
    results: list[LineResult] = field(default_factory=list)

    @property
    def shortages(self) -> list[PositionChange]:
        """Positions the plan leaves shorter than they were: orders to serve elsewhere."""
        return [c for c in self.changes.values() if c.worsened]


@dataclass(frozen=True)
class Source:
    """Who sent a feed and why: kept on every movement."""

    actor: str
    now: datetime
    reason: str | None = None
    reference: str | None = None


def plan_counts(
    counts: Sequence[Count],
    counted_at: datetime,
    current: Mapping[Key, Position],
    later: Mapping[Key, int],
    kind: MovementKind,
    source: Source,
) -> FeedPlan:
    """Counts taken at `counted_at`. `current` holds the positions that exist; `later`
    the sum of deltas that happened after `counted_at`, for those that had any."""
    plan = FeedPlan()
    for index, count in enumerate(counts):
        key = (count.location_id, count.sku)
        before = current.get(key) or _empty(key)
        if before.counted_at is not None and before.counted_at > counted_at:
            plan.results.append(LineResult(index, Outcome.SUPERSEDED, before.on_hand))
            continue
        on_hand = _bounded(count.on_hand + later.get(key, 0))
        safety = before.safety_stock if count.safety_stock is None else count.safety_stock
        after = Position(
            key[0], key[1], on_hand, before.reserved, safety, counted_at, before.moved_at
        )
        plan.changes[key] = _change(after, current.get(key))
        movement = _movement(before, after, kind, count.on_hand, counted_at, source)
        plan.movements.append(movement)
        plan.results.append(LineResult(index, Outcome.APPLIED, on_hand, after.short))
    return plan


def plan_adjustments(
    adjustments: Sequence[Adjustment],
    current: Mapping[Key, Position],
    seen: Iterable[str],
    kind: MovementKind,
    source: Source,
) -> FeedPlan:
    """Deltas in the order given; `seen` are the event ids applied before."""
    plan, seen_ids = FeedPlan(), set(seen)
    state = dict(current)
    for index, a in enumerate(adjustments):
        key = (a.location_id, a.sku)
        if a.event_id is not None:
            if a.event_id in seen_ids:
                plan.results.append(LineResult(index, Outcome.DUPLICATE))
                continue
            seen_ids.add(a.event_id)
        before = state.get(key) or _empty(key)
        occurred_at = a.occurred_at or source.now
        outcome, after = _apply_delta(before, a.delta, occurred_at)
        state[key] = after
        plan.changes[key] = _change(after, current.get(key))
        movement = _movement(before, after, kind, a.delta, occurred_at, source)
        movement.event_id, movement.reason = a.event_id, a.reason or source.reason
        plan.movements.append(movement)
        plan.results.append(LineResult(index, outcome, after.on_hand, after.short))
    return plan


def _apply_delta(before: Position, delta: int, occurred_at: datetime) -> tuple[Outcome, Position]:
    if before.counted_at is not None and occurred_at < before.counted_at:
        return Outcome.SUPERSEDED, before
    moved_at = before.moved_at if before.moved_at and before.moved_at > occurred_at else occurred_at
    on_hand = _bounded(before.on_hand + delta)
    after = Position(
        before.location_id,
        before.sku,
        on_hand,
        before.reserved,
        before.safety_stock,
        before.counted_at,
        moved_at,
    )
    return Outcome.APPLIED, after


def _change(after: Position, existing: Position | None) -> PositionChange:
    if existing is None:
        return PositionChange(after, None, 0)
    return PositionChange(after, existing.on_hand, existing.short, existing.safety_stock)


def _movement(
    before: Position,
    after: Position,
    kind: MovementKind,
    reported: int,
    occurred_at: datetime,
    source: Source,
) -> Movement:
    return Movement(
        after.location_id,
        after.sku,
        kind,
        after.on_hand - before.on_hand,
        after.on_hand,
        after.safety_stock,
        reported,
        occurred_at,
        source.actor,
        None,
        source.reference,
        source.reason,
    )


def _empty(key: Key) -> Position:
    return Position(key[0], key[1], on_hand=0, reserved=0, safety_stock=0)


def _bounded(on_hand: int) -> int:
    if on_hand < 0:
        return 0
    return MAX_ON_HAND if on_hand > MAX_ON_HAND else on_hand

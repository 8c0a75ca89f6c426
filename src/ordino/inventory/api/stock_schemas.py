"""Request and response bodies for stock: counts, snapshots, deltas, movements."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ordino.http.fields import Identifier, Instant, OptionalText, Quantity, Strict
from ordino.inventory.domain.feeds import Adjustment, Count
from ordino.kernel.domain import InvalidInput

MAX_FEED_LINES = 10_000
MAX_SNAPSHOT_LINES = 200_000

CountedAt = Annotated[
    Instant | None,
    Field(description="When the stock was counted (RFC 3339 with offset); now if not given"),
]


class PositionIn(Strict):
    on_hand: Quantity
    safety_stock: Quantity | None = None
    counted_at: CountedAt = None
    reason: OptionalText = None


class PositionOut(BaseModel):
    location_id: str
    sku: str
    on_hand: int
    reserved: int
    safety_stock: int
    available: int
    short: int
    counted_at: str | None


class CountIn(Strict):
    location_id: Identifier
    sku: Identifier
    on_hand: Quantity
    safety_stock: Quantity | None = None

    def to_domain(self) -> Count:
        return Count(self.location_id, self.sku, self.on_hand, self.safety_stock)


class CountsIn(Strict):
    """Counts of some positions, all taken at `counted_at`; others stay as they are."""

    counted_at: CountedAt = None
    reason: OptionalText = None
    counts: Annotated[list[CountIn], Field(min_length=1, max_length=MAX_FEED_LINES)]


class CountResult(BaseModel):
    location_id: str
    sku: str
    status: str  # applied | superseded
    on_hand: int | None
    short: int


class CountsOut(BaseModel):
    results: list[CountResult]


class SnapshotLineIn(Strict):
    sku: Identifier
    on_hand: Quantity
    safety_stock: Quantity | None = None


class SnapshotIn(Strict):
    """Everything a location holds, counted at `counted_at`: what it omits is 0."""

    location_id: Identifier
    counted_at: Annotated[Instant, Field(description="When the location was counted")]
    reason: OptionalText = None
    positions: Annotated[list[SnapshotLineIn], Field(max_length=MAX_SNAPSHOT_LINES)]

    def counts(self) -> list[Count]:
        return [Count(self.location_id, p.sku, p.on_hand, p.safety_stock) for p in self.positions]


class ShortPosition(BaseModel):
    sku: str
    on_hand: int
    short: int


class SnapshotOut(BaseModel):
    location_id: str
    counted_at: str
    listed: int
    zeroed: int
    applied: int
    superseded: int
    short: list[ShortPosition]


class AdjustmentIn(Strict):
    event_id: Annotated[str, Field(min_length=1, max_length=128)]
    location_id: Identifier
    sku: Identifier
    delta: Annotated[int, Field(strict=True, ge=-100_000_000, le=100_000_000)]
    reason: OptionalText = None
    occurred_at: Annotated[
        Instant | None, Field(description="When it happened; when it arrived if not given")
    ] = None

    def to_domain(self) -> Adjustment:
        return Adjustment(
            self.event_id, self.location_id, self.sku, self.delta, self.reason, self.occurred_at
        )


class AdjustmentsIn(Strict):
    adjustments: Annotated[list[AdjustmentIn], Field(min_length=1, max_length=MAX_FEED_LINES)]

    def to_domain(self) -> list[Adjustment]:
        """The adjustments, refused when an event id repeats within the request."""
        first: dict[str, int] = {}
        for i, adjustment in enumerate(self.adjustments):
            if (earlier := first.setdefault(adjustment.event_id, i)) != i:
                raise InvalidInput.of(
                    f"adjustments[{i}].event_id", f"repeats adjustments[{earlier}].event_id"
                )
        return [a.to_domain() for a in self.adjustments]


class AdjustmentResult(BaseModel):
    event_id: str
    status: str  # applied | duplicate | superseded
    on_hand: int | None
    short: int


class AdjustmentsOut(BaseModel):
    results: list[AdjustmentResult]


class MovementOut(BaseModel):
    id: int
    kind: str
    quantity: int
    on_hand_before: int
    on_hand_after: int
    safety_stock_after: int
    reported: int | None
    event_id: str | None
    reference: str | None
    reason: str | None
    actor: str
    occurred_at: str
    recorded_at: str


class MovementPage(BaseModel):
    position: PositionOut
    items: list[MovementOut]
    next_cursor: int | None

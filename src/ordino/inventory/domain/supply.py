"""Inbound supply: purchase orders from suppliers and transfers between locations,
each line expected at its destination by a date.

Invariants:
  * per line, `open = quantity - received - cancelled`, never below 0 (a line may
    be received beyond what was ordered: what arrived is a fact);
  * a transfer took its quantity out of its source's on hand when it shipped;
  * the status is derived from the lines, never set: open (in transit for a
    transfer), partially received, received, cancelled.
Drop-ship suppliers' own stock is not supply: it is the on hand of a location of
type supplier, reported by feed, with its freshness (`Position.counted_at`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import Conflict, Event, FieldError, InvalidInput, new_id


class SupplyKind(StrEnum):
    PURCHASE_ORDER = "purchase_order"
    TRANSFER = "transfer"


class SupplyStatus(StrEnum):
    OPEN = "open"
    IN_TRANSIT = "in_transit"  # a transfer shipped and not yet received
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


@dataclass
class SupplyLine:
    sku: str
    quantity: int
    received: int = 0
    cancelled: int = 0

    @property
    def open(self) -> int:
        return max(0, self.quantity - self.received - self.cancelled)


@dataclass(frozen=True)
class CreateSupply:
    id: str  # the caller's: the purchase order or transfer number
    kind: SupplyKind
    location_id: str  # where it arrives
    expected_at: datetime
    lines: tuple[tuple[str, int], ...]  # (sku, quantity)
    source_location_id: str | None = None  # the transfer's origin, or the supplier
    reference: str | None = None


@dataclass(frozen=True)
class Receipt:
    receipt_id: str  # applied once per supply order
    lines: tuple[tuple[str, int], ...]
    received_at: datetime | None = None


@dataclass(frozen=True)
class SupplyQuery:
    """Which supply orders to list, by id; `after_id` is the cursor."""

    location_id: str | None = None
    sku: str | None = None
    kind: SupplyKind | None = None
    open_only: bool = False
    after_id: str | None = None


@dataclass(frozen=True)
class InboundLine:
    """What an availability view sees of supply: open units of a SKU arriving at a
    location by a time."""

    supply_id: str
    kind: SupplyKind
    location_id: str
    sku: str
    quantity: int
    expected_at: datetime


@dataclass
class SupplyOrder:
    id: str
    kind: SupplyKind
    location_id: str
    source_location_id: str | None
    expected_at: datetime
    reference: str | None
    lines: list[SupplyLine]
    created_at: datetime
    updated_at: datetime
    version: int = 1
    pending_events: list[Event] = field(default_factory=list)

    @classmethod
    def create(cls, cmd: CreateSupply, now: datetime) -> SupplyOrder:
        if problems := supply_problems(cmd):
            raise InvalidInput("the supply order cannot be created as given", errors=problems)
        lines = [SupplyLine(sku, quantity) for sku, quantity in cmd.lines]
        order = cls(
            cmd.id,
            cmd.kind,
            cmd.location_id,
            cmd.source_location_id,
            cmd.expected_at,
            cmd.reference,
            lines,
            now,
            now,
        )
        order._record("supply.created", now)
        return order

    @property
    def status(self) -> SupplyStatus:
        received = sum(line.received for line in self.lines)
        if any(line.open for line in self.lines):
            if received:
                return SupplyStatus.PARTIALLY_RECEIVED
            transfer = self.kind is SupplyKind.TRANSFER
            return SupplyStatus.IN_TRANSIT if transfer else SupplyStatus.OPEN
        return SupplyStatus.RECEIVED if received else SupplyStatus.CANCELLED

    def receive(self, receipt: Receipt, now: datetime) -> None:
        """Record what arrived; a SKU not on the order is refused, more than ordered is
        taken (the line is then simply closed)."""
        by_sku = self._lines()
        errors = [
            FieldError(f"lines[{i}].sku", f"{sku!r} is not on supply order {self.id}")
            for i, (sku, _) in enumerate(receipt.lines)
            if sku not in by_sku
        ]
        if errors:
            raise InvalidInput("the receipt names SKUs the order does not hold", errors=errors)
        for sku, quantity in receipt.lines:
            by_sku[sku].received += quantity
        self.updated_at = now
        lines = [{"sku": sku, "quantity": quantity} for sku, quantity in receipt.lines]
        self._record("supply.received", now, {"receipt_id": receipt.receipt_id, "lines": lines})

    def cancel(self, now: datetime, skus: tuple[str, ...] = (), reason: str | None = None) -> int:
        """Cancel what is still open (of `skus`, or of every line); returns the units."""
        by_sku = self._lines()
        if unknown := [s for s in skus if s not in by_sku]:
            raise InvalidInput.of("skus", f"not on supply order {self.id}: {', '.join(unknown)}")
        units = 0
        for line in self.lines:
            if line.open and (not skus or line.sku in skus):
                units += line.open
                line.cancelled += line.open
        if units:
            self.updated_at = now
            self._record("supply.cancelled", now, {"units": units, "reason": reason})
        return units

    def reschedule(self, expected_at: datetime, now: datetime) -> None:
        if not any(line.open for line in self.lines):
            raise Conflict(
                f"supply order {self.id} is {self.status}: nothing left to expect",
                extra={"supply_id": self.id, "supply_status": str(self.status)},
            )
        previous, self.expected_at, self.updated_at = self.expected_at, expected_at, now
        self._record("supply.rescheduled", now, {"previous_expected_at": previous.isoformat()})

    def inbound(self) -> list[InboundLine]:
        return [
            InboundLine(self.id, self.kind, self.location_id, line.sku, line.open, self.expected_at)
            for line in self.lines
            if line.open
        ]

    def _lines(self) -> Mapping[str, SupplyLine]:
        return {line.sku: line for line in self.lines}

    def _record(self, event_type: str, now: datetime, extra: dict[str, Any] | None = None) -> None:
        data: dict[str, Any] = {
            "supply_id": self.id,
            "kind": str(self.kind),
            "location_id": self.location_id,
            "source_location_id": self.source_location_id,
            "status": str(self.status),
            "expected_at": self.expected_at.isoformat(),
        }
        self.pending_events.append(
            Event(new_id(now), event_type, now, f"supply/{self.id}", data | (extra or {}))
        )


def supply_problems(cmd: CreateSupply) -> list[FieldError]:
    problems = [] if cmd.lines else [FieldError("lines", "a supply order needs at least one line")]
    seen: dict[str, int] = {}
    for i, (sku, quantity) in enumerate(cmd.lines):
        if quantity <= 0:
            problems.append(FieldError(f"lines[{i}].quantity", "must be greater than 0"))
        if (first := seen.setdefault(sku, i)) != i:
            problems.append(FieldError(f"lines[{i}].sku", f"repeats lines[{first}].sku"))
    if cmd.kind is SupplyKind.TRANSFER and cmd.source_location_id is None:
        problems.append(FieldError("source_location_id", "a transfer ships from a location"))
    if cmd.source_location_id is not None and cmd.source_location_id == cmd.location_id:
        problems.append(FieldError("source_location_id", "must differ from location_id"))
    return problems

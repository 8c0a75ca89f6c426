"""Request and response bodies for inbound supply."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ordino.http.fields import Identifier, Instant, OptionalText, PositiveQuantity, Strict
from ordino.inventory.domain.supply import CreateSupply, Receipt, SupplyKind

MAX_LINES = 1_000


class SupplyLineIn(Strict):
    sku: Identifier
    quantity: PositiveQuantity


class SupplyIn(Strict):
    id: Annotated[Identifier, Field(description="The purchase order or transfer number")]
    kind: SupplyKind
    location_id: Annotated[Identifier, Field(description="Where the supply arrives")]
    source_location_id: Annotated[
        Identifier | None, Field(description="A transfer's origin, or the supplier's location")
    ] = None
    expected_at: Annotated[Instant, Field(description="When it is expected to arrive")]
    reference: OptionalText = None
    lines: Annotated[list[SupplyLineIn], Field(min_length=1, max_length=MAX_LINES)]

    def to_command(self) -> CreateSupply:
        return CreateSupply(
            self.id,
            self.kind,
            self.location_id,
            self.expected_at,
            tuple((line.sku, line.quantity) for line in self.lines),
            self.source_location_id,
            self.reference or None,
        )


class ReceiptIn(Strict):
    receipt_id: Annotated[
        str,
        Field(min_length=1, max_length=128, description="Applied once per supply order"),
    ]
    received_at: Annotated[
        Instant | None, Field(description="When it arrived; now if not given")
    ] = None
    lines: Annotated[list[SupplyLineIn], Field(min_length=1, max_length=MAX_LINES)]

    def to_domain(self) -> Receipt:
        lines = tuple((line.sku, line.quantity) for line in self.lines)
        return Receipt(self.receipt_id, lines, self.received_at)


class SupplyCancelIn(Strict):
    skus: Annotated[
        list[Identifier], Field(max_length=MAX_LINES, description="Only these lines; all if empty")
    ] = []
    reason: OptionalText = None


class RescheduleIn(Strict):
    expected_at: Instant


class SupplyLineOut(BaseModel):
    sku: str
    quantity: int
    received: int
    cancelled: int
    open: int


class SupplyOut(BaseModel):
    id: str
    kind: str
    status: str
    location_id: str
    source_location_id: str | None
    expected_at: str
    reference: str | None
    lines: list[SupplyLineOut]
    created_at: str
    updated_at: str


class ReceiptOut(SupplyOut):
    receipt: str  # applied | duplicate


class SupplyPage(BaseModel):
    items: list[SupplyOut]
    next_cursor: str | None

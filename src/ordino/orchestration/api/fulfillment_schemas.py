"""Bodies of the fulfilment endpoints: what a location reports, and cancellations;
and their answers: the order with a hold changed, or sourced again."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from ordino.http.fields import ID_PATTERN, Instant, OptionalText, PositiveQuantity, Strict
from ordino.orders.api import FulfillmentLineOut, FulfillmentOut, HoldOut, OrderOut
from ordino.orders.domain import Shipment
from ordino.sourcing.api import ExplanationOut


class UnitsIn(Strict):
    line_no: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    quantity: PositiveQuantity


def _each_once(lines: list[UnitsIn]) -> list[UnitsIn]:
    numbers = [line.line_no for line in lines]
    if len(numbers) != len(set(numbers)):
        raise ValueError("each line_no may be given once")
    return lines


LinesOnce = Annotated[list[UnitsIn], Field(max_length=500), AfterValidator(_each_once)]


def by_line(lines: list[UnitsIn] | None) -> dict[int, int] | None:
    return None if lines is None else {line.line_no: line.quantity for line in lines}


class AcceptIn(Strict):
    lines: Annotated[
        LinesOnce | None,
        Field(
            description="Only these units (the rest is turned down and sourced "
            "elsewhere); none: all of it",
        ),
    ] = None


class RejectIn(Strict):
    reason: Literal["not-found", "damaged", "no-capacity", "other"]


Carrier = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]


class ShippedIn(Strict):
    carrier: Carrier
    tracking_number: Annotated[str, Field(min_length=1, max_length=128, pattern=ID_PATTERN)]
    lines: Annotated[
        LinesOnce | None, Field(description="The units in the parcel; none: all of them")
    ] = None

    def to_shipment(self) -> Shipment:
        return Shipment(self.carrier, self.tracking_number, by_line(self.lines))


class DeliveredIn(Strict):
    delivered_at: Annotated[Instant, Field(description="When it arrived (RFC 3339 with offset)")]


class PickedUpIn(Strict):
    code: Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[0-9]+$")]


class CancellationIn(Strict):
    lines: Annotated[LinesOnce, Field(min_length=1)]
    reason: OptionalText = None


class FulfillmentUpdateOut(BaseModel):
    order: OrderOut
    fulfillment: FulfillmentOut


class QueuedLineOut(FulfillmentLineOut):
    name: str | None  # the product's, from the catalogue


class QueuedFulfillmentOut(FulfillmentOut):
    order_id: str
    order_number: str  # the channel's, on the customer's confirmation
    customer_name: str | None  # who comes to collect
    lines: list[QueuedLineOut]  # type: ignore[assignment]


class FulfillmentPage(BaseModel):
    items: list[QueuedFulfillmentOut]


class HoldChangeOut(HoldOut):
    """A hold placed, released or cancelled from, with the order after it."""

    order: OrderOut


class RejectionOut(BaseModel):
    order: OrderOut
    sourcing: ExplanationOut | None = Field(
        description="The units sourced again without the location; none: nothing waited"
    )


class DeclaredLineOut(BaseModel):
    sku: str
    description: str | None = Field(description="None: the product has no customs facts")
    hs_code: str | None
    origin: str | None
    quantity: int
    value: str = Field(description="What its units were paid, without tax")
    weight_kg: str | None
    duty: str | None = Field(description="DDP: estimated from the rates loaded")
    import_vat: str | None


class DeclarationOut(BaseModel):
    fulfillment_id: str
    order_id: str
    status: str = Field(description="declared (as it shipped) or preview")
    declared_at: str | None
    incoterm: str = Field(description="DAP: the receiver pays duties; DDP: the sender")
    duties_paid_by: str
    origin: str
    destination: str
    currency: str
    exporter: dict[str, str | None]
    importer: dict[str, Any]
    ioss: str | None = Field(description="The seller's IOSS number (goods into the EU ≤ 150 EUR)")
    lines: list[DeclaredLineOut]
    value: str
    shipping: str
    duties: str | None
    import_vat: str | None
    problems: list[str]

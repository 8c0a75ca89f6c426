"""Request and response bodies for orders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field

from ordino.api.fields import (
    Amount,
    Currency,
    Identifier,
    Latitude,
    Longitude,
    OptionalText,
    PositiveQuantity,
    Strict,
    point_of,
)
from ordino.api.network_schemas import AddressIn
from ordino.domain.geo import Point
from ordino.domain.money import BadAmount, fits, limit, parse_amount
from ordino.domain.network import Address
from ordino.domain.orders import Customer, LineRequest, PlaceOrder
from ordino.domain.promising import PromiseChoice
from ordino.errors import FieldError, InvalidInput


class CustomerIn(Strict):
    email: EmailStr
    name: OptionalText = None
    phone: Annotated[str, Field(max_length=50)] | None = None


class ShipToIn(AddressIn):
    name: OptionalText = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None

    def to_domain_with_point(self) -> tuple[Address, Point | None]:
        point = point_of(self.latitude, self.longitude, "ship_to.")
        return self.to_domain(self.name or None), point


class LineIn(Strict):
    sku: Identifier
    quantity: PositiveQuantity
    unit_price: Amount


class PromiseChoiceIn(Strict):
    """The delivery option chosen from `POST /v1/promises`: the order is placed with it
    made again now, or refused (409 promise-unavailable) if it is no longer offered
    or, with `deliver_by`, would now deliver later than that."""

    option_id: Annotated[str, Field(min_length=1, max_length=140)]
    deliver_by: date | None = None


class OrderIn(Strict):
    channel: Identifier
    external_id: Annotated[str, Field(min_length=1, max_length=128)]
    currency: Currency
    customer: CustomerIn
    ship_to: ShipToIn
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500)]
    promise: PromiseChoiceIn | None = None
    # The carrier service chosen, when no promise names it: sourcing prices the
    # order by its rate card and applies the profiles for it.
    service: Identifier | None = None

    def to_command(self) -> PlaceOrder:
        lines = self._line_requests()
        address, point = self.ship_to.to_domain_with_point()
        customer = Customer(
            self.customer.email.lower(), self.customer.name or None, self.customer.phone or None
        )
        choice = self.promise
        return PlaceOrder(
            self.channel,
            self.external_id,
            self.currency,
            customer,
            address,
            point,
            lines,
            None if choice is None else PromiseChoice(choice.option_id, choice.deliver_by),
            self.service,
        )

    def _line_requests(self) -> tuple[LineRequest, ...]:
        lines, errors = [], []
        for i, line in enumerate(self.lines):
            try:
                price = parse_amount(line.unit_price, self.currency)
            except BadAmount as bad:
                errors.append(FieldError(f"lines[{i}].unit_price", str(bad)))
                continue
            lines.append(LineRequest(line.sku, line.quantity, price))
        if errors:
            raise InvalidInput("invalid unit prices", errors=errors)
        total = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
        if not fits(total, self.currency):
            too_large = f"the order total must be below {limit(self.currency):f} {self.currency}"
            raise InvalidInput.of("lines", too_large)
        return tuple(lines)


class CancelIn(Strict):
    reason: OptionalText = None


class AllocationOut(BaseModel):
    location_id: str
    quantity: int
    ship_date: str | None


class DeliveryOut(BaseModel):
    earliest: str
    latest: str


class MoneyOut(BaseModel):
    amount: str
    currency: str


class PromiseOut(BaseModel):
    option_id: str
    method: str
    service: str | None
    store_id: str | None
    ship_date: str
    delivery: DeliveryOut
    ready_by: str | None
    cost: MoneyOut
    promised_at: str


class LineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: str
    status: str
    cancelled: int
    allocated: int  # held at locations, released or not
    released: int  # held for fulfillment orders sent to their locations
    shipped: int
    delivered: int
    picked_up: int
    returned: int
    backordered: int  # units waiting for supply
    allocations: list[AllocationOut]


class FulfillmentLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int


class FulfillmentOut(BaseModel):
    id: str
    location_id: str
    method: str
    status: str
    store_id: str | None
    lines: list[FulfillmentLineOut]
    carrier: str | None
    tracking_number: str | None
    reason: str | None
    created_at: str
    updated_at: str


class CustomerOut(BaseModel):
    email: str
    name: str | None
    phone: str | None


class ShipToOut(BaseModel):
    name: str | None
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str
    latitude: float | None
    longitude: float | None


class OrderOut(BaseModel):
    id: str
    channel: str
    external_id: str
    status: str
    currency: str
    total: str
    customer: CustomerOut
    ship_to: ShipToOut
    lines: list[LineOut]
    fulfillments: list[FulfillmentOut]
    promise: PromiseOut | None
    created_at: str
    updated_at: str


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None

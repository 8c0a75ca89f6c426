"""Request and response bodies for products, locations and inventory."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from ordino.api.fields import (
    Amount,
    Country,
    Currency,
    Identifier,
    Latitude,
    Longitude,
    OptionalText,
    Quantity,
    Strict,
    Text,
    TimeZone,
    point_of,
)
from ordino.domain.catalog import Product
from ordino.domain.inventory import Adjustment
from ordino.domain.money import BadAmount, parse_amount
from ordino.domain.network import Address, Location, LocationType
from ordino.errors import FieldError, InvalidInput


class AddressIn(Strict):
    line1: Text
    line2: OptionalText = None
    city: Text
    region: OptionalText = None
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    country: Country

    def to_domain(self, name: str | None = None) -> Address:
        return Address(
            self.line1,
            self.city,
            self.postal_code.strip(),
            self.country,
            self.line2 or None,
            self.region or None,
            name,
        )


class LocationIn(Strict):
    id: Identifier | None = None
    name: Text
    type: LocationType
    address: AddressIn
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    time_zone: TimeZone
    ships: bool
    pickup: bool
    returns: bool

    def to_domain(self, location_id: str) -> Location:
        _same_id(self.id, location_id, "id")
        return Location(
            location_id,
            self.name,
            self.type,
            self.address.to_domain(),
            point_of(self.latitude, self.longitude),
            self.time_zone,
            self.ships,
            self.pickup,
            self.returns,
        )


def _same_id(given: str | None, in_path: str, field: str) -> None:
    """A document read with GET can be sent back with PUT: its id, if any, must be the
    path's."""
    if given is not None and given != in_path:
        raise InvalidInput.of(field, f"{given!r} differs from {in_path!r} in the path")


class ProductIn(Strict):
    sku: Identifier | None = None
    name: Text
    weight_kg: Annotated[Decimal, Field(ge=0, le=100_000, decimal_places=3)] | None = None
    prices: Annotated[dict[Currency, Amount], Field(max_length=200)] = {}

    def to_domain(self, sku: str) -> Product:
        _same_id(self.sku, sku, "sku")
        prices, errors = {}, []
        for currency, text in self.prices.items():
            try:
                prices[currency] = parse_amount(text, currency)
            except BadAmount as bad:
                errors.append(FieldError(f"prices.{currency}", str(bad)))
        if errors:
            raise InvalidInput("invalid prices", errors=errors)
        return Product(sku, self.name, self.weight_kg, prices)


class ProductOut(BaseModel):
    sku: str
    name: str
    weight_kg: str | None
    prices: dict[str, str]


class PositionIn(Strict):
    on_hand: Quantity
    safety_stock: Quantity | None = None


class PositionOut(BaseModel):
    location_id: str
    sku: str
    on_hand: int
    reserved: int
    safety_stock: int
    available: int


class AdjustmentIn(Strict):
    event_id: Annotated[str, Field(min_length=1, max_length=128)]
    location_id: Identifier
    sku: Identifier
    delta: Annotated[int, Field(strict=True, ge=-100_000_000, le=100_000_000)]
    reason: OptionalText = None

    def to_domain(self) -> Adjustment:
        return Adjustment(self.event_id, self.location_id, self.sku, self.delta, self.reason)


class AdjustmentsIn(Strict):
    adjustments: Annotated[list[AdjustmentIn], Field(min_length=1, max_length=10_000)]

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
    status: str  # applied | duplicate


class AdjustmentsOut(BaseModel):
    results: list[AdjustmentResult]


class LocationAvailability(BaseModel):
    location_id: str
    available: int
    on_hand: int
    reserved: int
    safety_stock: int


class SkuAvailability(BaseModel):
    sku: str
    available: int
    locations: list[LocationAvailability]


class AvailabilityOut(BaseModel):
    items: list[SkuAvailability]

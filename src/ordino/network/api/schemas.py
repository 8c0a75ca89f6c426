"""Request and response bodies for products and locations."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from ordino.http.fields import (
    Amount,
    Country,
    Currency,
    Identifier,
    Latitude,
    Longitude,
    OptionalText,
    Strict,
    Text,
    TimeZone,
    point_of,
)
from ordino.kernel.domain import BadAmount, FieldError, InvalidInput, parse_amount
from ordino.network.domain.locations import Address, Location, LocationType
from ordino.network.domain.products import MAX_ATTRIBUTES, Customs, Product


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


# No colon in a name: a search names an attribute as `name:value`.
AttributeName = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]


class CustomsIn(Strict):
    hs_code: Annotated[
        str,
        Field(
            pattern=r"^[0-9]{6}([0-9]{2}){0,2}$",
            description="The tariff number: the Harmonized System's 6 digits, or 8 or 10",
        ),
    ]
    origin: Annotated[Country, Field(description="The country it was made in")]
    description: Annotated[Text, Field(description="What it is, as a declaration says")]

    def to_domain(self) -> Customs:
        return Customs(self.hs_code, self.origin, self.description.strip())


class ProductIn(Strict):
    sku: Identifier | None = None
    name: Text
    weight_kg: Annotated[Decimal, Field(ge=0, le=100_000, decimal_places=3)] | None = None
    prices: Annotated[dict[Currency, Amount], Field(max_length=200)] = {}
    attributes: Annotated[
        dict[AttributeName, Text],
        Field(
            max_length=MAX_ATTRIBUTES,
            description="The product's key/values (colour, size, brand): searched by "
            "equality (`attribute=colour:red`), their values by words (`q`)",
        ),
    ] = {}
    tax_class: Annotated[
        Literal["standard", "reduced", "super_reduced", "zero"],
        Field(description="Which VAT rate of a country it takes (docs/money.md, Tax)"),
    ] = "standard"
    customs: Annotated[
        CustomsIn | None,
        Field(description="What a customs declaration says of it (docs/money.md, Customs)"),
    ] = None

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
        attributes = dict(self.attributes)
        customs = None if self.customs is None else self.customs.to_domain()
        return Product(sku, self.name, self.weight_kg, prices, attributes, self.tax_class, customs)


class CustomsOut(BaseModel):
    hs_code: str
    origin: str
    description: str


class ProductOut(BaseModel):
    sku: str
    name: str
    weight_kg: str | None
    prices: dict[str, str]
    attributes: dict[str, str]
    tax_class: str
    customs: CustomsOut | None


class AddressOut(BaseModel):
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str


class LocationOut(BaseModel):
    id: str
    name: str
    type: LocationType
    address: AddressOut
    latitude: float | None
    longitude: float | None
    time_zone: str
    ships: bool
    pickup: bool
    returns: bool


class LocationPage(BaseModel):
    items: list[LocationOut]
    next_cursor: str | None = Field(description="Ask again with it for the next page")

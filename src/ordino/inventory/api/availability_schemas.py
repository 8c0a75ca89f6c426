"""Request and response bodies for availability views and availability reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, Field, model_validator

from ordino.http.fields import Country, Identifier, OptionalText, Strict
from ordino.inventory.domain.supply import SupplyKind
from ordino.inventory.domain.views import (
    AvailabilityView,
    Holdback,
    InboundRule,
    LocationFilter,
    SafetyRule,
)
from ordino.network.domain import LocationType

Units = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]
MAX_RULES = 1_000


class HoldbackIn(Strict):
    """Held back: a number of units, or a percentage of on hand (rounded up)."""

    units: Units | None = None
    percent: Percent | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.units is None) == (self.percent is None):
            raise ValueError("give either units or percent")
        return self

    def to_domain(self) -> Holdback:
        if self.percent is not None:
            return Holdback(percent=self.percent)
        return Holdback(units=self.units or 0)


class SafetyRuleIn(HoldbackIn):
    """Matches positions by location type, location and SKU (each optional); the most
    specific matching rule applies: SKU over location over location type."""

    location_type: LocationType | None = None
    location_id: Identifier | None = None
    sku: Identifier | None = None

    def to_rule(self) -> SafetyRule:
        return SafetyRule(self.to_domain(), self.location_type, self.location_id, self.sku)


class LocationsIn(Strict):
    """Which locations count; an empty list admits all."""

    types: Annotated[list[LocationType], Field(max_length=3)] = []
    countries: Annotated[list[Country], Field(max_length=300)] = []
    include: Annotated[list[Identifier], Field(max_length=10_000)] = []
    exclude: Annotated[list[Identifier], Field(max_length=10_000)] = []

    def to_domain(self) -> LocationFilter:
        return LocationFilter(
            frozenset(self.types),
            frozenset(self.countries),
            frozenset(self.include),
            frozenset(self.exclude),
        )


class InboundIn(Strict):
    counts: Annotated[bool, Field(description="Inbound supply shows as future availability")] = (
        False
    )
    horizon_days: Annotated[int, Field(strict=True, ge=0, le=366)] = 0
    kinds: list[SupplyKind] = list(SupplyKind)

    def to_domain(self) -> InboundRule:
        return InboundRule(self.counts, self.horizon_days, frozenset(self.kinds))


class ViewIn(Strict):
    name: Identifier | None = None
    version: Annotated[
        int | None, Field(description="The version read; refused if the view changed since")
    ] = None
    description: OptionalText = None
    channels: Annotated[list[Identifier], Field(max_length=100)] = []
    locations: LocationsIn = LocationsIn()
    safety_stock: Annotated[list[SafetyRuleIn], Field(max_length=MAX_RULES)] = []
    store_protection: HoldbackIn | None = None
    inbound: InboundIn = InboundIn()
    supplier_max_age_hours: Annotated[int | None, Field(strict=True, ge=1, le=8_760)] = None
    in_stock_minimum: Units = 1
    low_stock_below: Units = 0

    def to_domain(self, name: str) -> AvailabilityView:
        return AvailabilityView(
            name=name,
            channels=frozenset(self.channels),
            description=self.description or None,
            locations=self.locations.to_domain(),
            safety_stock=tuple(rule.to_rule() for rule in self.safety_stock),
            store_protection=None
            if self.store_protection is None
            else self.store_protection.to_domain(),
            inbound=self.inbound.to_domain(),
            supplier_max_age_hours=self.supplier_max_age_hours,
            in_stock_minimum=self.in_stock_minimum,
            low_stock_below=self.low_stock_below,
        )


class ViewOut(BaseModel):
    name: str
    version: int
    description: str | None
    channels: list[str]
    locations: dict[str, list[str]]
    safety_stock: list[dict[str, str | int | None]]
    store_protection: dict[str, str | int | None] | None
    inbound: dict[str, bool | int | list[str]]
    supplier_max_age_hours: int | None
    in_stock_minimum: int
    low_stock_below: int


class ViewList(BaseModel):
    items: list[ViewOut]


class Arrival(BaseModel):
    date: str
    quantity: int


class FutureAvailability(BaseModel):
    date: str
    available: int


class LocationAvailabilityOut(BaseModel):
    location_id: str
    available: int
    on_hand: int
    reserved: int
    held_back: int
    ships: bool
    pickup: bool
    stale: bool
    arrivals: list[Arrival]


class NearbyOut(BaseModel):
    location_id: str
    distance_km: float
    available: int


class SkuAvailabilityOut(BaseModel):
    sku: str
    available: int
    status: str
    future: list[FutureAvailability]
    locations: list[LocationAvailabilityOut] | None = None
    nearest: list[NearbyOut] | None = None


class AvailabilityOut(BaseModel):
    view: str
    items: list[SkuAvailabilityOut]

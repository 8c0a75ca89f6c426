"""Request bodies for how the network works: a location's hours, capacity and
calendar, carrier services, rate cards and location costs. Each is checked whole
here, so that the field that is wrong is named.

And their answers: each is the document as stored (`ordino.network.domain`), named
and with its `version` (0: never configured, the defaults).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from ordino.http.fields import Amount, Country, Currency, Identifier, Strict, Text
from ordino.kernel.domain import WEEKDAYS, BadAmount, parse_amount
from ordino.network.domain.carriers import CarrierService, ServiceLevel, service_from_document
from ordino.network.domain.costs import (
    LocationCosts,
    RateCard,
    location_costs_from_document,
    rate_card_from_document,
)
from ordino.network.domain.operations import CapacityUnit

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


WallTime = Annotated[
    str,
    StringConstraints(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"),
    Field(description="Local wall-clock time, HH:MM; 24:00 is the end of the day"),
]


Hours = Annotated[float, Field(ge=0, le=24 * 31)]


Holidays = Annotated[list[date], Field(max_length=1_000)]


PostalPrefix = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 -]{1,20}$")]


Days = Annotated[int, Field(strict=True, ge=0, le=366)]


class HoursIn(Strict):
    opens: WallTime
    closes: WallTime

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.opens == "24:00" or self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self


class WeekIn(Strict):
    """Per weekday its opening hours (several intervals for a lunch break); a day not
    given or empty is a day off."""

    monday: Annotated[list[HoursIn], Field(max_length=8)] = []
    tuesday: Annotated[list[HoursIn], Field(max_length=8)] = []
    wednesday: Annotated[list[HoursIn], Field(max_length=8)] = []
    thursday: Annotated[list[HoursIn], Field(max_length=8)] = []
    friday: Annotated[list[HoursIn], Field(max_length=8)] = []
    saturday: Annotated[list[HoursIn], Field(max_length=8)] = []
    sunday: Annotated[list[HoursIn], Field(max_length=8)] = []

    @field_validator(*WEEKDAYS)
    @classmethod
    def _not_overlapping(cls, day: list[HoursIn]) -> list[HoursIn]:
        for earlier, later in pairwise(day):
            if later.opens < earlier.closes:
                raise ValueError("intervals must be in order and must not overlap")
        return day


class CapacityIn(Strict):
    limit: Annotated[int, Field(strict=True, ge=0, le=100_000_000)]
    unit: CapacityUnit = CapacityUnit.ORDERS


class OperationsIn(Strict):
    """How a location works. Its time zone is the location's own."""

    opening_hours: WeekIn
    holidays: Holidays = []
    cut_offs: Annotated[
        dict[
            Identifier,
            Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")],
        ],
        Field(
            max_length=50,
            description="Per carrier service code (or `pickup`): orders placed from this "
            "local time on are taken the next working day",
        ),
    ] = {}
    ship_processing_hours: Hours = 0
    pickup_processing_hours: Hours = 0
    capacity: CapacityIn | None = None
    carrier_pickup_days: Annotated[list[Weekday], Field(max_length=7)] = list(WEEKDAYS)  # type: ignore[arg-type]
    version: Annotated[int | None, Field(ge=0, description="The version read; 0 if none")] = None

    def to_document(self) -> dict[str, Any]:
        return {
            "opening_hours": self.opening_hours.model_dump(),
            "holidays": [day.isoformat() for day in sorted(set(self.holidays))],
            "cut_offs": dict(sorted(self.cut_offs.items())),
            "ship_processing_hours": self.ship_processing_hours,
            "pickup_processing_hours": self.pickup_processing_hours,
            "capacity": None if self.capacity is None else self.capacity.model_dump(mode="json"),
            "carrier_pickup_days": sorted(set(self.carrier_pickup_days), key=WEEKDAYS.index),
        }


class TransitRuleIn(Strict):
    """Delivery days after shipping, earliest and latest, where the rule matches: all
    its lists (empty: any) and the distance band (to `max_km`; none: any distance)."""

    min_days: Days
    max_days: Days
    origin_countries: Annotated[list[Country], Field(max_length=300)] = []
    destination_countries: Annotated[list[Country], Field(max_length=300)] = []
    postal_prefixes: Annotated[list[PostalPrefix], Field(max_length=10_000)] = []
    max_km: Annotated[float | None, Field(gt=0, le=40_075)] = None

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.max_days < self.min_days:
            raise ValueError("max_days must not be below min_days")
        return self


class PriceIn(Strict):
    amount: Amount
    currency: Currency

    @model_validator(mode="after")
    def _fits(self) -> Self:
        try:
            parse_amount(self.amount, self.currency)
        except BadAmount as error:
            raise ValueError(str(error)) from None
        return self


class CarrierServiceIn(Strict):
    carrier: Text
    name: Text
    level: ServiceLevel
    price: PriceIn
    delivery_days: Annotated[list[Weekday], Field(max_length=7)] = list(WEEKDAYS[:6])  # type: ignore[arg-type]
    holidays: Holidays = []
    transit: Annotated[list[TransitRuleIn], Field(min_length=1, max_length=1_000)]
    version: Annotated[int | None, Field(ge=0, description="The version read; 0 if none")] = None

    def to_domain(self, code: str) -> CarrierService:
        document = self.model_dump(mode="json", exclude={"version"})
        document["price"]["amount"] = str(parse_amount(self.price.amount, self.price.currency))
        document["holidays"] = sorted(set(document["holidays"]))
        return service_from_document(code, document)


Money = Annotated[str, StringConstraints(pattern=r"^\d{1,9}(\.\d{1,4})?$")]


class WeightBreakIn(Strict):
    up_to_kg: Annotated[str, StringConstraints(pattern=r"^\d{1,6}(\.\d{1,3})?$")]
    price: Money


class RateZoneIn(Strict):
    """Matches lanes as a transit rule does; the first zone that fits prices."""

    origin_countries: Annotated[list[Country], Field(max_length=300)] = []
    destination_countries: Annotated[list[Country], Field(max_length=300)] = []
    postal_prefixes: Annotated[list[PostalPrefix], Field(max_length=10_000)] = []
    max_km: Annotated[float | None, Field(gt=0, le=40_075)] = None
    breaks: Annotated[list[WeightBreakIn], Field(min_length=1, max_length=100)]
    per_extra_kg: Money | None = None

    @model_validator(mode="after")
    def _breaks_in_order(self) -> Self:
        weights = [Decimal(b.up_to_kg) for b in self.breaks]
        prices = [Decimal(b.price) for b in self.breaks]
        if weights != sorted(set(weights)) or weights[0] <= 0:
            raise ValueError("breaks: weights ascending, above 0 kg")
        if prices != sorted(prices):
            raise ValueError("breaks: a heavier package never costs less")
        return self


class RateCardIn(Strict):
    currency: Currency
    base_per_package: Money = "0"
    minimum_charge: Money = "0"
    zones: Annotated[list[RateZoneIn], Field(min_length=1, max_length=1_000)]
    version: Annotated[int | None, Field(ge=0, description="The version read; 0 if none")] = None

    def to_domain(self, service: str) -> RateCard:
        return rate_card_from_document(service, self.model_dump(mode="json", exclude={"version"}))


Share = Annotated[str, StringConstraints(pattern=r"^(0(\.\d{1,4})?|1(\.0{1,4})?)$")]


class LocationCostsIn(Strict):
    """What a location spends to fulfil: per order it ships, per unit picked, store
    labour per unit, and per SKU the share of its price lost by selling it here
    (markdown risk), 0 to 1."""

    per_order: Money = "0"
    per_unit: Money = "0"
    store_labour_per_unit: Money = "0"
    markdown: Annotated[dict[Identifier, Share], Field(max_length=100_000)] = {}
    version: Annotated[int | None, Field(ge=0, description="The version read; 0 if none")] = None

    def to_domain(self) -> LocationCosts:
        return location_costs_from_document(self.model_dump(mode="json", exclude={"version"}))


# The answers: the documents as stored, each with its version.


class HoursOut(BaseModel):
    opens: str
    closes: str


class WeekOut(BaseModel):
    monday: list[HoursOut]
    tuesday: list[HoursOut]
    wednesday: list[HoursOut]
    thursday: list[HoursOut]
    friday: list[HoursOut]
    saturday: list[HoursOut]
    sunday: list[HoursOut]


class CapacityOut(BaseModel):
    limit: int
    unit: str


class OperationsOut(BaseModel):
    location_id: str
    opening_hours: WeekOut
    holidays: list[str]
    cut_offs: dict[str, str] = Field(description="Per service level, HH:MM local")
    ship_processing_hours: float
    pickup_processing_hours: float
    capacity: CapacityOut | None
    carrier_pickup_days: list[str]
    version: int


class LaneOut(BaseModel):
    """Where a transit rule or a rate zone applies (empty: anywhere)."""

    origin_countries: list[str]
    destination_countries: list[str]
    postal_prefixes: list[str]
    max_km: float | None


class TransitOut(LaneOut):
    min_days: int
    max_days: int


class PriceOut(BaseModel):
    amount: str
    currency: str


class CarrierServiceOut(BaseModel):
    code: str
    carrier: str
    name: str
    level: str
    price: PriceOut
    delivery_days: list[str]
    holidays: list[str]
    transit: list[TransitOut]
    version: int


class CarrierServiceList(BaseModel):
    items: list[CarrierServiceOut]


class WeightBreakOut(BaseModel):
    up_to_kg: str
    price: str


class RateZoneOut(LaneOut):
    breaks: list[WeightBreakOut]
    per_extra_kg: str | None


class RateCardOut(BaseModel):
    service: str
    currency: str
    base_per_package: str
    minimum_charge: str
    zones: list[RateZoneOut]
    version: int


class RateCardList(BaseModel):
    items: list[RateCardOut]


class LocationCostsOut(BaseModel):
    location_id: str
    per_order: str
    per_unit: str
    store_labour_per_unit: str
    markdown: dict[str, str] = Field(description="Per SKU, the share of its price lost here")
    version: int

"""Carrier services and their transit times.

A carrier service (e.g. `dhl-express`) has a level (standard, express, next day), a
delivery calendar, a price per package, and transit rules in order of precedence:
the first rule whose origin countries, destination countries, destination postal
code prefixes and distance band all match the lane gives the transit time, in
delivery days after the day it ships, as an earliest and a latest. No rule matching
means the service does not serve that lane.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import (
    DeliveryCalendar,
    InvalidInput,
    Money,
    Point,
    distance_km,
    weekdays_document,
    weekdays_from_document,
)


class ServiceLevel(StrEnum):
    STANDARD = "standard"
    EXPRESS = "express"
    NEXT_DAY = "next_day"
    SAME_DAY = "same_day"


@dataclass(frozen=True)
class Lane:
    """Where a parcel goes from and to, and how far that is (None: a point unknown)."""

    origin_country: str
    origin: Point | None
    destination_country: str
    destination: Point | None
    destination_postal_code: str | None = None
    distance_km: float | None = None

    @classmethod
    def between(
        cls,
        origin_country: str,
        origin: Point | None,
        destination_country: str,
        destination: Point | None,
        destination_postal_code: str | None = None,
    ) -> Lane:
        distance = None
        if origin is not None and destination is not None:
            distance = distance_km(origin, destination)
        return cls(
            origin_country,
            origin,
            destination_country,
            destination,
            destination_postal_code,
            distance,
        )


@dataclass(frozen=True)
class LaneMatch:
    """Which lanes a zone (or a rule) is for; an empty list matches any."""

    origin_countries: frozenset[str] = frozenset()
    destination_countries: frozenset[str] = frozenset()
    postal_prefixes: tuple[str, ...] = ()
    max_km: float | None = None  # the distance band's upper end

    def matches(self, lane: Lane) -> bool:
        if self.origin_countries and lane.origin_country not in self.origin_countries:
            return False
        if self.destination_countries and lane.destination_country not in (
            self.destination_countries
        ):
            return False
        if self.postal_prefixes and not (
            lane.destination_postal_code
            and lane.destination_postal_code.startswith(self.postal_prefixes)
        ):
            return False
        if self.max_km is None:
            return True
        return lane.distance_km is not None and lane.distance_km <= self.max_km


def lane_match_document(match: LaneMatch) -> dict[str, Any]:
    """A lane match's fields as the documents of rate zones and transit rules hold them."""
    return {
        "origin_countries": sorted(match.origin_countries),
        "destination_countries": sorted(match.destination_countries),
        "postal_prefixes": list(match.postal_prefixes),
        "max_km": match.max_km,
    }


def lane_match_from_document(d: dict[str, Any]) -> LaneMatch:
    return LaneMatch(
        frozenset(d["origin_countries"]),
        frozenset(d["destination_countries"]),
        tuple(d["postal_prefixes"]),
        d["max_km"],
    )


@dataclass(frozen=True)
class TransitRule:
    """Days in transit, earliest and latest, on the lanes `match` fits."""

    min_days: int
    max_days: int
    match: LaneMatch = LaneMatch()

    def __post_init__(self) -> None:
        if not 0 <= self.min_days <= self.max_days:
            raise InvalidInput("transit days: 0 <= min_days <= max_days")

    def matches(self, lane: Lane) -> bool:
        return self.match.matches(lane)


@dataclass(frozen=True)
class CarrierService:
    code: str
    carrier: str
    name: str
    level: ServiceLevel
    price: Money  # what a package costs to send
    rules: tuple[TransitRule, ...]
    calendar: DeliveryCalendar = field(default_factory=DeliveryCalendar)

    def transit(self, lane: Lane) -> TransitRule | None:
        return next((rule for rule in self.rules if rule.matches(lane)), None)

    def delivers_to(self, country: str) -> bool:
        """Whether some rule takes parcels to `country` (from somewhere, some way)."""
        return any(
            not rule.match.destination_countries or country in rule.match.destination_countries
            for rule in self.rules
        )


def service_document(service: CarrierService) -> dict[str, Any]:
    """A carrier service as JSON: stored so, read and written by the API."""
    return {
        "carrier": service.carrier,
        "name": service.name,
        "level": str(service.level),
        "price": {"amount": str(service.price.amount), "currency": service.price.currency},
        "delivery_days": weekdays_document(service.calendar.weekdays),
        "holidays": [day.isoformat() for day in sorted(service.calendar.holidays)],
        "transit": [
            {"min_days": rule.min_days, "max_days": rule.max_days} | lane_match_document(rule.match)
            for rule in service.rules
        ],
    }


def service_from_document(code: str, d: dict[str, Any]) -> CarrierService:
    price = d["price"]
    return CarrierService(
        code=code,
        carrier=d["carrier"],
        name=d["name"],
        level=ServiceLevel(d["level"]),
        price=Money(Decimal(price["amount"]), price["currency"]),
        rules=tuple(
            TransitRule(rule["min_days"], rule["max_days"], lane_match_from_document(rule))
            for rule in d["transit"]
        ),
        calendar=DeliveryCalendar(
            weekdays_from_document(d["delivery_days"]),
            frozenset(date.fromisoformat(day) for day in d["holidays"]),
        ),
    )


def refuse_unserved(carriers: Sequence[CarrierService], country: str) -> None:
    """Some carrier service delivers to the country (when carrier services are set up at
    all: without any, Ordino knows nothing of shipping to judge by), or InvalidInput
    naming `ship_to.country`."""
    if carriers and not any(service.delivers_to(country) for service in carriers):
        raise InvalidInput.of("ship_to.country", f"no carrier service delivers to {country}")

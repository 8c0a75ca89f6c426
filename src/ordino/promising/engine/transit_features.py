"""What the transit-time model knows of a shipment when it promises: the features.

Only what is known at the promise's moment goes in: the places, the moment's
local weekday, hour and month, the size, the carrier and service, and the recent
performance of deliveries completed before that day (`transit_recent`). A
shipment's `shipped_at` and `delivered_at` are never features; they are targets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np

from ordino.kernel.domain import distance_km
from ordino.promising.domain.history import NOWHERE, Place, Shipment
from ordino.promising.engine.transit_recent import ALL, Delivery, Floats, RecentPerformance, day_of


class Leg(StrEnum):
    LEAD = "lead"  # order to delivery: the moment is the order
    TRANSIT = "transit"  # hand-over to the carrier to delivery: the moment is the shipping


@dataclass(frozen=True)
class TransitQuery:
    """A shipment to promise. `at` is the moment the leg starts (the order, or the
    planned hand-over to the carrier), with the offset of the calendar the days are
    counted in: the promise is `at.date()` plus the days the model answers."""

    at: datetime
    origin: Place = NOWHERE
    destination: Place = NOWHERE
    units: int | None = None
    weight_kg: float | None = None
    carrier: str | None = None
    service: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("a transit query's `at` needs its offset: whose calendar counts?")


CATEGORICAL = (
    "origin_region",
    "origin_country",
    "destination_region",
    "destination_country",
    "carrier",
    "service",
)
QUERIED = (  # numbers of the query itself
    "distance_km",
    "origin_lat",
    "origin_lon",
    "destination_lat",
    "destination_lon",
    "weekday",
    "hour",
    "month",
    "units",
    "weight_kg",
)
RECENT = ("recent_median", "recent_p90", "recent_region_median", "recent_region_p90")
FEATURES = CATEGORICAL + QUERIED + RECENT


@dataclass(frozen=True)
class Windows:
    """Days of completed deliveries the recent-performance features look back over."""

    overall: int = 14
    region: int = 30


def query_of(shipment: Shipment, leg: Leg) -> TransitQuery | None:
    """The query as it stood when the leg began; None if the leg's start is unknown."""
    if leg is Leg.LEAD:
        return ordered(shipment)
    if shipment.shipped_at is None:
        return None
    return _query(shipment, shipment.shipped_at)


def ordered(shipment: Shipment) -> TransitQuery:
    """The query of a shipment's lead time, as it stood when it was ordered."""
    return _query(shipment, shipment.ordered_at)


def _query(shipment: Shipment, at: datetime) -> TransitQuery:
    return TransitQuery(
        at=at,
        origin=shipment.origin,
        destination=shipment.destination,
        units=shipment.units,
        weight_kg=shipment.weight_kg,
        carrier=shipment.carrier,
        service=shipment.service,
    )


def days_taken(shipment: Shipment, leg: Leg) -> int | None:
    return shipment.lead_days if leg is Leg.LEAD else shipment.transit_days


def deliveries_of(shipments: Sequence[Shipment]) -> list[Delivery]:
    """What each shipment adds to the recent-performance tallies, per leg and key."""
    found = []
    for shipment in shipments:
        day = day_of(shipment.delivered_at)
        for leg in Leg:
            taken = days_taken(shipment, leg)
            if taken is None:
                continue
            found.append(Delivery(leg, ALL, day, taken))
            region = shipment.destination.region_key
            if region is not None:
                found.append(Delivery(leg, region, day, taken))
    return found


def categories(queries: Sequence[TransitQuery]) -> dict[str, list[str]]:
    """The values of each categorical feature seen in training, in a fixed order."""
    seen: dict[str, set[str]] = {name: set() for name in CATEGORICAL}
    for query in queries:
        for name, value in zip(CATEGORICAL, _categorical(query), strict=True):
            if value is not None:
                seen[name].add(value)
    return {name: sorted(values) for name, values in seen.items()}


def matrix(
    queries: Sequence[TransitQuery],
    leg: Leg,
    vocabulary: Mapping[str, Sequence[str]],
    recent: RecentPerformance,
    latest_day: int,
    windows: Windows = Windows(),
) -> Floats:
    """One row of FEATURES per query; categories as codes, unknown values as NaN.
    Recent performance is taken as of each query's UTC day, or `latest_day` when
    later (the model knows no deliveries after it)."""
    codes = {name: {v: float(i) for i, v in enumerate(vocabulary[name])} for name in CATEGORICAL}
    rows = np.full((len(queries), len(FEATURES)), np.nan)
    for index, query in enumerate(queries):
        for column, (name, value) in enumerate(zip(CATEGORICAL, _categorical(query), strict=True)):
            rows[index, column] = codes[name].get(value, math.nan) if value else math.nan
        rows[index, len(CATEGORICAL) : -len(RECENT)] = _numeric(query)
    days = [min(day_of(q.at), latest_day) for q in queries]
    overall = recent.percentiles(leg, [ALL] * len(queries), days, windows.overall)
    regions = [q.destination.region_key for q in queries]
    regional = recent.percentiles(leg, regions, days, windows.region)
    rows[:, -len(RECENT) :] = np.column_stack([*overall, *regional])
    return rows


def _categorical(query: TransitQuery) -> tuple[str | None, ...]:
    return (
        query.origin.region_key,
        query.origin.country,
        query.destination.region_key,
        query.destination.country,
        query.carrier,
        query.service,
    )


def _numeric(query: TransitQuery) -> list[float]:
    origin, destination = query.origin.point, query.destination.point
    distance = distance_km(origin, destination) if origin and destination else math.nan
    at = query.at
    return [
        distance,
        origin.latitude if origin else math.nan,
        origin.longitude if origin else math.nan,
        destination.latitude if destination else math.nan,
        destination.longitude if destination else math.nan,
        float(at.weekday()),
        at.hour + at.minute / 60,
        float(at.month),
        math.nan if query.units is None else float(query.units),
        math.nan if query.weight_kg is None else query.weight_kg,
    ]

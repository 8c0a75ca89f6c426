"""Shipment histories made up for tests, with a known distribution of lead times.

Each order goes to one of three regions of Brazil; its lead time is the region's
base plus a whole number of extra days, the floor of an exponential variable of
mean MEAN_EXTRA (so its quantiles are known: `extra_quantile`), and a drift may
add days to the orders of some days. Same arguments, same history.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from ordino.kernel.domain.geo import Point
from ordino.promising.domain.history import Place, Shipment

BRASILIA = timezone(timedelta(hours=-3))
START = datetime(2026, 1, 5, tzinfo=BRASILIA)  # a Monday
ORIGIN = Place("01001", "SP", "BR", Point(-23.55, -46.63))
REGIONS = {  # region: (where, base lead in days)
    "SP": (Point(-23.55, -46.63), 2),
    "RJ": (Point(-22.91, -43.17), 4),
    "AM": (Point(-3.12, -60.02), 9),
}
MEAN_EXTRA = 4.0


def extra_quantile(q: float) -> int:
    """The q-quantile of the extra days: P(extra <= k) = 1 - exp(-(k + 1) / MEAN_EXTRA)."""
    return math.ceil(-MEAN_EXTRA * math.log(1 - q)) - 1


def extra_share(k: int) -> float:
    """The share of shipments taking at most `k` extra days."""
    return 1 - math.exp(-(k + 1) / MEAN_EXTRA)


def a_shipment(**overrides: Any) -> Shipment:
    ordered_at = overrides.pop("ordered_at", START.replace(hour=10))
    fields: dict[str, Any] = {
        "shipment_id": "S-1",
        "ordered_at": ordered_at,
        "origin": ORIGIN,
        "destination": Place("20040", "RJ", "BR", REGIONS["RJ"][0]),
        "shipped_at": ordered_at + timedelta(days=1),
        "delivered_at": ordered_at + timedelta(days=4),
        "promised_by": ordered_at.date() + timedelta(days=10),
    }
    return Shipment(**(fields | overrides))


def a_history(
    days: int = 120,
    per_day: int = 20,
    seed: int = 1,
    drift: Callable[[int], int] = lambda day: 0,
    start: datetime = START,
) -> list[Shipment]:
    """`per_day` orders a day for `days` days; `drift(day)` days added to the leads."""
    rng = random.Random(seed)
    shipments = []
    for day in range(days):
        for number in range(per_day):
            ordered_at = start + timedelta(days=day, minutes=rng.randrange(24 * 60))
            region = rng.choice(sorted(REGIONS))
            extra = min(40, int(rng.expovariate(1 / MEAN_EXTRA)))
            lead = REGIONS[region][1] + extra + drift(day)
            shipments.append(_shipment(f"S-{day:04}-{number:03}", ordered_at, region, lead, rng))
    return shipments


def _shipment(
    shipment_id: str, ordered_at: datetime, region: str, lead: int, rng: random.Random
) -> Shipment:
    delivered_on = ordered_at.date() + timedelta(days=lead)
    delivered_at = datetime.combine(delivered_on, time(8 + rng.randrange(12)), BRASILIA)
    delivered_at = max(delivered_at, ordered_at + timedelta(hours=1))
    point, base = REGIONS[region]
    return a_shipment(
        shipment_id=shipment_id,
        ordered_at=ordered_at,
        destination=Place(f"{region}-1", region, "BR", point),
        shipped_at=min(ordered_at + timedelta(hours=20), delivered_at),
        delivered_at=delivered_at,
        promised_by=ordered_at.date() + timedelta(days=base + 8),
        units=1 + rng.randrange(3),
        weight_kg=round(0.2 + rng.random() * 5, 2),
    )


def poisoned(shipments: Sequence[Shipment], after: datetime) -> list[Shipment]:
    """The history with every delivery completed at or after `after` made 40 days
    later, and every order placed then sent elsewhere: what a promise made before
    `after` must not notice."""
    return [_poisoned(s, after) for s in shipments]


def _poisoned(shipment: Shipment, after: datetime) -> Shipment:
    if shipment.delivered_at >= after:
        later = shipment.delivered_at + timedelta(days=40)
        shipment = replace(shipment, delivered_at=later, shipped_at=None)
    if shipment.ordered_at >= after:
        shipment = replace(shipment, destination=Place("69000", "AM", "BR", REGIONS["AM"][0]))
    return shipment


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


HEADER = (
    "shipment_id,ordered_at,origin_postal_code,origin_region,origin_country,origin_lat,"
    "origin_lon,destination_postal_code,destination_region,destination_country,"
    "destination_lat,destination_lon,shipped_at,delivered_at,promised_by,units,weight_kg"
)


def as_csv(shipments: Sequence[Shipment]) -> str:
    """The shipments in the history file format."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for s in shipments:
        writer.writerow(_cells(s))
    return out.getvalue()


def _cells(s: Shipment) -> list[object]:
    def place(p: Place) -> list[object]:
        point = p.point
        where = [point.latitude, point.longitude] if point else ["", ""]
        return [p.postal_code or "", p.region or "", p.country or "", *where]

    def optional(value: object) -> object:
        return "" if value is None else value

    return [
        s.shipment_id,
        s.ordered_at.isoformat(),
        *place(s.origin),
        *place(s.destination),
        s.shipped_at.isoformat() if s.shipped_at else "",
        s.delivered_at.isoformat(),
        optional(s.promised_by),
        optional(s.units),
        optional(s.weight_kg),
    ]

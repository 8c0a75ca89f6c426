"""Geography: countries, coordinates and great-circle distances."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from babel import Locale

EARTH_RADIUS_KM = 6371.0088

# CLDR regions that are not ISO 3166-1 countries: unions, "unknown", pseudo-locales and
# codes ISO only reserves. XK (Kosovo, user-assigned) stays: carriers and banks use it.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)


@cache
def _countries() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha()
        if code not in _NOT_COUNTRIES
    )


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 country code, upper case."""
    return code in _countries()


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class PostalCode:
    country: str
    postal_code: str
    point: Point
    place: str | None = None

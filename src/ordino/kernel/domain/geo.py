"""Geography: countries, coordinates and great-circle distances."""

from __future__ import annotations

import math
from collections.abc import Mapping
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


KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360


class Grid:
    """Points filed by cells of `cell` degrees, to find those within a radius of a
    place without measuring the distance to every one of them."""

    def __init__(self, points: Mapping[str, Point], cell: float = 0.5) -> None:
        self.cell = cell
        self._cells: dict[tuple[int, int], list[tuple[str, Point]]] = {}
        for key, point in points.items():
            self._cells.setdefault(self._cell_of(point), []).append((key, point))

    def within(self, place: Point, radius_km: float) -> list[tuple[float, str]]:
        """(distance, key) of the points within `radius_km`, nearest first."""
        lat_span = radius_km / KM_PER_DEGREE
        cos_lat = max(0.01, math.cos(math.radians(min(89.0, abs(place.latitude) + lat_span))))
        lon_span = min(180.0, lat_span / cos_lat)
        low = self._cell_of(Point(place.latitude - lat_span, place.longitude - lon_span))
        high = self._cell_of(Point(place.latitude + lat_span, place.longitude + lon_span))
        circle = round(360 / self.cell)  # columns around the earth
        # One cell more each way: a point on a cell's edge may round into its neighbour.
        columns = range(low[1] - 1, min(high[1] + 1, low[1] + circle - 2) + 1)
        found = []
        for row in range(low[0] - 1, high[0] + 2):
            for column in columns:  # across the antimeridian, back to -180°
                wrapped = (column + circle // 2) % circle - circle // 2
                for key, point in self._cells.get((row, wrapped), ()):
                    distance = distance_km(place, point)
                    if distance <= radius_km:
                        found.append((distance, key))
        found.sort()
        return found

    def _cell_of(self, point: Point) -> tuple[int, int]:
        return (math.floor(point.latitude / self.cell), math.floor(point.longitude / self.cell))

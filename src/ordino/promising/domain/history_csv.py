"""The shipment history CSV format: one header line, then one shipment a line.

Columns (any order; names are matched without regard to case; unknown columns are
ignored so a richer export reads as it is):

  shipment_id, ordered_at, delivered_at, destination_country   required, never blank
  origin_/destination_ postal_code, region, country, lat, lon   optional, may be blank
  shipped_at, promised_by, units, weight_kg, carrier, service   optional, may be blank

Times are RFC 3339 with an offset (the local one: days are counted in local
calendars); `promised_by` is a date. Real exports have rows that contradict
themselves (shipped before ordered, delivered before ordered, a value missing): each
bad row is set aside, named by line (as an editor numbers them, the header being
line 1) and column, and the rest is read; read `strict`ly, a file with a bad row is
refused whole, the first MAX_REPORTED of them listed. One inconsistency drops a
value, not the row: a `shipped_at` after `delivered_at` is dropped (the row still
teaches its lead time) and noted. A header without a required column, or no header,
refuses the file either way.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from ordino.kernel.domain import FieldError, InvalidInput, Point, is_country
from ordino.promising.domain.history import Place, Shipment

REQUIRED = ("shipment_id", "ordered_at", "delivered_at", "destination_country")
PLACE_PARTS = ("postal_code", "region", "country", "lat", "lon")
OPTIONAL = (
    *(f"{end}_{part}" for end in ("origin", "destination") for part in PLACE_PARTS),
    "shipped_at",
    "promised_by",
    "units",
    "weight_kg",
    "carrier",
    "service",
)
MAX_REPORTED = 20


@dataclass(frozen=True)
class History:
    shipments: tuple[Shipment, ...]
    notes: tuple[str, ...] = ()  # values set aside, by line
    set_aside: tuple[FieldError, ...] = ()  # rows set aside: `line N, column`, why


class _BadValue(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def read_history(lines: Iterable[str], *, strict: bool = False) -> History:
    """Every good shipment of a history file, and each bad row set aside by line;
    `strict`: InvalidInput naming each bad row instead."""
    reader = csv.reader(lines)
    columns = _columns(next(reader, None))
    shipments: list[Shipment] = []
    notes: list[str] = []
    errors: list[FieldError] = []
    first_line: dict[str, int] = {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        try:
            shipment, set_aside = _shipment(_Cells(row, columns))
        except _BadValue as bad:
            errors.append(FieldError(f"line {line}, {bad.column}", bad.message))
            continue
        if shipment.shipment_id in first_line:
            repeated = f"repeats the shipment of line {first_line[shipment.shipment_id]}"
            errors.append(FieldError(f"line {line}, shipment_id", repeated))
            continue
        first_line[shipment.shipment_id] = line
        shipments.append(shipment)
        notes.extend(f"line {line}: {note}" for note in set_aside)
    if errors and strict:
        raise _refusal(errors)
    return History(tuple(shipments), tuple(notes), tuple(errors))


def _refusal(errors: list[FieldError]) -> InvalidInput:
    shown = errors[:MAX_REPORTED]
    listed = "; ".join(f"{e.field}: {e.message}" for e in shown)
    more = f" (and {len(errors) - len(shown)} more)" if len(errors) > len(shown) else ""
    return InvalidInput(f"{len(errors)} bad row(s) in the history: {listed}{more}", errors=shown)


def _columns(header: list[str] | None) -> dict[str, int]:
    if header is None:
        raise InvalidInput.of("header", "the file is empty")
    names = [name.strip().lower().lstrip("\ufeff") for name in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InvalidInput.of("header", f"no column {', '.join(missing)} (required: {REQUIRED})")
    return {name: names.index(name) for name in (*REQUIRED, *OPTIONAL) if name in names}


class _Cells:
    """One row's values by column name; a blank or absent optional value is None."""

    def __init__(self, row: list[str], columns: dict[str, int]) -> None:
        self._row, self._columns = row, columns

    def text(self, column: str) -> str | None:
        index = self._columns.get(column)
        if index is None or index >= len(self._row):
            return None
        return self._row[index].strip() or None

    def required(self, column: str) -> str:
        value = self.text(column)
        if value is None:
            raise _BadValue(column, "must not be blank")
        return value

    def time(self, column: str) -> datetime | None:
        value = self.text(column)
        return None if value is None else _time(column, value)

    def number(self, column: str, low: float, high: float) -> float | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            raise _BadValue(column, f"not a number: {value!r}") from None
        if not (math.isfinite(number) and low <= number <= high):
            raise _BadValue(column, f"{value} is outside {low:g} to {high:g}")
        return number


def _time(column: str, value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _BadValue(column, f"not an RFC 3339 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise _BadValue(column, f"{value!r} has no offset (e.g. +01:00 or Z)")
    return parsed


def _shipment(cells: _Cells) -> tuple[Shipment, list[str]]:
    ordered_at = _time("ordered_at", cells.required("ordered_at"))
    delivered_at = _time("delivered_at", cells.required("delivered_at"))
    if delivered_at < ordered_at:
        raise _BadValue("delivered_at", "is before ordered_at")
    shipped_at, notes = _shipped_at(cells, ordered_at, delivered_at)
    cells.required("destination_country")
    shipment = Shipment(
        shipment_id=cells.required("shipment_id"),
        ordered_at=ordered_at,
        origin=_place(cells, "origin"),
        destination=_place(cells, "destination"),
        shipped_at=shipped_at,
        delivered_at=delivered_at,
        promised_by=_date(cells, "promised_by"),
        units=_units(cells),
        weight_kg=cells.number("weight_kg", 0, 1e6),
        carrier=cells.text("carrier"),
        service=cells.text("service"),
    )
    return shipment, notes


def _shipped_at(
    cells: _Cells, ordered_at: datetime, delivered_at: datetime
) -> tuple[datetime | None, list[str]]:
    shipped_at = cells.time("shipped_at")
    if shipped_at is None:
        return None, []
    if shipped_at < ordered_at:
        raise _BadValue("shipped_at", "is before ordered_at")
    if shipped_at > delivered_at:
        return None, ["shipped_at is after delivered_at; set aside"]
    return shipped_at, []


def _place(cells: _Cells, end: str) -> Place:
    country = cells.text(f"{end}_country")
    if country is not None:
        country = country.upper()
        if not is_country(country):
            raise _BadValue(f"{end}_country", f"not an ISO 3166-1 country code: {country!r}")
    return Place(
        postal_code=cells.text(f"{end}_postal_code"),
        region=cells.text(f"{end}_region"),
        country=country,
        point=_point(cells, end),
    )


def _point(cells: _Cells, end: str) -> Point | None:
    latitude = cells.number(f"{end}_lat", -90, 90)
    longitude = cells.number(f"{end}_lon", -180, 180)
    if (latitude is None) != (longitude is None):
        blank = f"{end}_lat" if latitude is None else f"{end}_lon"
        raise _BadValue(blank, "is blank while the other coordinate is given")
    if latitude is None or longitude is None:
        return None
    return Point(latitude, longitude)


def _date(cells: _Cells, column: str) -> date | None:
    value = cells.text(column)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _BadValue(column, f"not a date (YYYY-MM-DD): {value!r}") from None


def _units(cells: _Cells) -> int | None:
    value = cells.text("units")
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise _BadValue("units", f"not a whole number: {value!r}")
    return int(value)

"""Exchange rates: an order keeps its presentment currency (what the customer saw and
pays), and when its channel settles in another, the rate used to turn its money into
the settlement currency is kept with it (rate, source, day).

Rates are data, as the European Central Bank publishes its reference rates (one euro
in each currency, on each working day; `parse_ecb` reads the ECB's CSV, the daily
file or the whole history); a rate between two other currencies goes through the
euro. An order's rate is the latest both currencies have on or before its day, at
most `MAX_AGE_DAYS` old (the ECB publishes none on weekends and holidays)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from ordino.kernel.domain import FieldError, InvalidInput, is_currency, quantize

ECB = "ECB"
EURO = "EUR"
MAX_AGE_DAYS = 7  # a rate older than this on an order's day is no rate for it
MIN_RATE, MAX_RATE = Decimal("0.000001"), Decimal(1_000_000_000)  # units a euro
DIGITS = 12  # a cross rate's significant digits: well past any price's
_MONTHS = {
    name: n
    for n, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
}  # fmt: skip


@dataclass(frozen=True)
class ExchangeRate:
    """One euro in `currency` on `day`."""

    currency: str
    day: date
    per_euro: Decimal
    source: str = ECB


@dataclass(frozen=True)
class Conversion:
    """The rate an order's money is settled at: one `presentment` unit in `settlement`."""

    presentment: str
    settlement: str
    rate: Decimal
    day: date
    source: str = ECB

    def settle(self, amount: Decimal) -> Decimal:
        """`amount` (in the presentment currency) in the settlement currency, rounded
        to its minor unit."""
        return quantize(amount * self.rate, self.settlement)


def conversion(
    rates: Iterable[ExchangeRate], presentment: str, settlement: str, day: date
) -> Conversion:
    """From one currency to the other at the latest rate both have on or before `day`
    (at most `MAX_AGE_DAYS` old), or InvalidInput naming `currency`."""
    by_day: dict[date, dict[str, ExchangeRate]] = {}
    for rate in rates:
        if day - timedelta(days=MAX_AGE_DAYS) <= rate.day <= day:
            by_day.setdefault(rate.day, {})[rate.currency] = rate
    for on in sorted(by_day, reverse=True):
        known = by_day[on]
        found = [known.get(c) for c in (presentment, settlement) if c != EURO]
        if all(r is not None for r in found):
            per_euro = {c: _per_euro(known, c) for c in (presentment, settlement)}
            with localcontext() as context:
                context.prec = DIGITS
                cross = per_euro[settlement] / per_euro[presentment]
            source = next(r.source for r in found if r is not None) if found else ECB
            return Conversion(presentment, settlement, _plain(cross), on, source)
    raise InvalidInput.of(
        "currency",
        f"no exchange rate from {presentment} to {settlement} on {day} or the "
        f"{MAX_AGE_DAYS} days before: load the rates (ordino rates load FILE)",
    )


def _plain(rate: Decimal) -> Decimal:
    """Without trailing zeros, never in exponent form (1.0E+2 is 100)."""
    return Decimal(f"{rate.normalize():f}")


def _per_euro(known: Mapping[str, ExchangeRate], currency: str) -> Decimal:
    return Decimal(1) if currency == EURO else known[currency].per_euro


def parse_ecb(text: str) -> list[ExchangeRate]:
    """Rates from the ECB's CSV: a header `Date, USD, JPY, …` (a currency a column),
    a row a day (`2026-12-04, 1.0531, …`; `N/A` or empty where there is none). Every
    cell is checked; InvalidInput names each bad one (`rows[i].USD`, the data rows
    counted from 0). A file without a rate is refused."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        currencies = _header(header)
        rates: list[ExchangeRate] = []
        errors: list[FieldError] = []
        days: dict[date, int] = {}
        for n, row in enumerate(reader):
            if not any(cell.strip() for cell in row):
                continue
            found = _row(row, n, currencies, errors)
            if found and (first := days.setdefault(found[0].day, n)) != n:
                errors.append(FieldError(f"rows[{n}].Date", f"the day of rows[{first}] again"))
            rates += found
    except csv.Error as unreadable:
        raise InvalidInput.of(f"rows[{max(0, reader.line_num - 2)}]", str(unreadable)) from None
    if errors:
        raise InvalidInput("exchange rates that cannot be read", errors=errors)
    if not rates:
        raise InvalidInput.of("rows", "the file holds no rate")
    return rates


def _header(header: list[str]) -> list[str]:
    while header and not header[-1]:  # the ECB's files end each line with a comma
        header.pop()
    if not header or header[0].lower() != "date":
        raise InvalidInput.of("header", "the first column is Date, then a currency a column")
    currencies = [name.upper() for name in header[1:]]
    bad = [c for c in currencies if not is_currency(c) or c == EURO]
    if bad or len(set(currencies)) != len(currencies):
        raise InvalidInput.of("header", f"not a currency other than EUR once: {bad or currencies}")
    return currencies


def _row(
    row: list[str], n: int, currencies: list[str], errors: list[FieldError]
) -> list[ExchangeRate]:
    cells = [cell.strip() for cell in row]
    while len(cells) > len(currencies) + 1 and not cells[-1]:
        cells.pop()
    if len(cells) > len(currencies) + 1:
        errors.append(FieldError(f"rows[{n}]", f"more than the {len(currencies) + 1} columns"))
        return []
    day = _day(cells[0])
    if day is None:
        errors.append(FieldError(f"rows[{n}].Date", f"{cells[0]!r} is not a date"))
        return []
    found = []
    for currency, cell in zip(currencies, cells[1:], strict=False):
        if cell in ("", "N/A"):
            continue
        try:
            per_euro = Decimal(cell) if "_" not in cell else Decimal("NaN")
        except InvalidOperation:
            per_euro = Decimal("NaN")
        if not per_euro.is_finite() or not MIN_RATE <= per_euro <= MAX_RATE:
            why = f"{cell[:30]!r} is not a rate from {MIN_RATE} to {MAX_RATE:,}"
            errors.append(FieldError(f"rows[{n}].{currency}", why))
            continue
        if len(per_euro.as_tuple().digits) > DIGITS:
            errors.append(FieldError(f"rows[{n}].{currency}", f"more than {DIGITS} digits"))
            continue
        found.append(ExchangeRate(currency, day, per_euro))
    return found


def _day(text: str) -> date | None:
    """A date as the ECB writes it: 2026-12-04 (the history) or 04 December 2026 (the
    daily file; English month names, whatever the locale)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.split()
    if len(parts) != 3 or parts[1].lower() not in _MONTHS:
        return None
    try:
        return date(int(parts[2]), _MONTHS[parts[1].lower()], int(parts[0]))
    except ValueError:
        return None


def conversion_document(c: Conversion) -> dict[str, Any]:
    return {
        "presentment": c.presentment,
        "settlement": c.settlement,
        "rate": str(c.rate),
        "date": c.day.isoformat(),
        "source": c.source,
    }


def conversion_from(document: dict[str, Any] | None) -> Conversion | None:
    if not document:
        return None
    return Conversion(
        document["presentment"],
        document["settlement"],
        Decimal(document["rate"]),
        date.fromisoformat(document["date"]),
        document["source"],
    )

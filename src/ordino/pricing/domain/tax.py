"""Value-added tax in the European Union, as the built-in tax provider knows it.

What it covers: the VAT rate of a destination country for a product's tax class on
a date (rates are data, with the dates they hold from and until, loaded from a file:
`parse_rates`); which country's VAT an order owes — the seller's at home, the
destination's for goods sent to a consumer in another member state (the one-stop
shop's rule since July 2021, without the 10,000 EUR threshold below which a small
seller may keep its own), none for goods leaving the Union (an export), and none
charged for a business buyer in another member state whose VAT id is valid (the
reverse charge: the buyer accounts for it). A VAT id is checked by its format and
check digits (python-stdnum); an online check (VIES) is not made here.

What it does not cover: other taxes (US sales tax and the rest go through the same
provider interface, issue 17's later steps), excise, the small seller's threshold,
services, and the territories an ISO country code cannot name (Northern Ireland's
goods inside the Union's VAT rules, the Canary Islands, Mount Athos and the other
places outside it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from stdnum.eu import vat
from stdnum.exceptions import ValidationError

from ordino.kernel.domain import FieldError, InvalidInput

# The member states, by ISO code (Greece's VAT ids start with EL).
MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


# Places outside the member states' ISO codes that are inside one's VAT territory.
VAT_TERRITORY = {"MC": "FR"}  # Monaco: France's (Art. 7 of the VAT Directive)


class TaxClass(StrEnum):
    STANDARD = "standard"
    REDUCED = "reduced"  # food, books, … as each country sets them
    SUPER_REDUCED = "super_reduced"
    ZERO = "zero"


@dataclass(frozen=True)
class VatRate:
    country: str
    tax_class: TaxClass
    rate: Decimal  # 0.19 for 19 %
    valid_from: date
    valid_until: date | None = None  # the last day it holds; None: until replaced

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def rate_on(rates: Iterable[VatRate], country: str, tax_class: TaxClass, day: date) -> VatRate:
    """The rate of `tax_class` in `country` on `day` (the latest to start, should two
    overlap), or InvalidInput naming what has none."""
    found = [
        r for r in rates if r.country == country and r.tax_class == tax_class and r.holds_on(day)
    ]
    if not found:
        raise InvalidInput.of("tax_class", f"no {tax_class} VAT rate in {country} on {day}")
    return max(found, key=lambda r: r.valid_from)


class Treatment(StrEnum):
    DOMESTIC = "domestic"  # the seller's own country's VAT
    DESTINATION = "destination"  # to a consumer in another member state: its VAT
    REVERSE_CHARGE = "reverse_charge"  # to a business in another member state: none
    EXPORT = "export"  # out of the Union: none


@dataclass(frozen=True)
class VatDue:
    """Which VAT an order owes: the treatment, and the country whose rates apply
    (None when none is charged), with the buyer's VAT id as checked."""

    treatment: Treatment
    country: str | None
    buyer_vat_id: str | None = None


def vat_due(seller_country: str, destination: str, buyer_vat_id: str | None) -> VatDue:
    """The VAT an order from a seller established in `seller_country` owes, sent to
    `destination`; `buyer_vat_id` when the buyer is a business that gave one. A buyer
    with a valid VAT id of another member state than the seller's takes the reverse
    charge; one with the seller's own country's pays the seller's VAT (the one-stop
    shop is for consumers). A VAT id that is not valid is refused naming it: the
    order is not taxed as a consumer's behind the buyer's back. Goods leaving the
    Union are an export whatever id the buyer gives (it is not an EU one to check)."""
    territory = VAT_TERRITORY.get(destination, destination)
    if territory not in MEMBER_STATES:
        return VatDue(Treatment.EXPORT, None, None)
    checked = _checked(buyer_vat_id) if buyer_vat_id is not None else None
    if territory == seller_country:
        return VatDue(Treatment.DOMESTIC, seller_country, checked)
    if checked is None:
        return VatDue(Treatment.DESTINATION, territory, None)
    if _member_state(checked) == seller_country:
        return VatDue(Treatment.DOMESTIC, seller_country, checked)
    return VatDue(Treatment.REVERSE_CHARGE, None, checked)


def _checked(vat_id: str) -> str:
    """The VAT id in its compact form, valid by format and check digits, else
    InvalidInput naming `customer.vat_id`."""
    try:
        compact = vat.validate(vat_id)
    except ValidationError:
        raise InvalidInput.of("customer.vat_id", f"{vat_id!r} is not a valid EU VAT id") from None
    return str(compact)


def _member_state(vat_id: str) -> str:
    prefix = vat_id[:2]
    return "GR" if prefix == "EL" else prefix


COLUMNS = ("country", "tax_class", "rate", "valid_from", "valid_until")
_GREECE = {"EL": "GR"}  # as the Commission's TEDB writes it


def parse_rates(text: str) -> list[VatRate]:
    """Rates from CSV with the header `country,tax_class,rate,valid_from,valid_until`
    (a rate as a percentage, `19` or `5.5`; dates as YYYY-MM-DD, `valid_until` the
    last day, may be empty). Every row is checked, and no two of a country and class
    may hold on the same day; InvalidInput names each bad one (`rows[i].field`, the
    data rows counted from 0). A file without a rate is refused: loading it would
    leave no rate at all."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    try:
        if tuple(name.strip() for name in reader.fieldnames or ()) != COLUMNS:
            raise InvalidInput.of("header", f"the columns must be {', '.join(COLUMNS)}")
        reader.fieldnames = list(COLUMNS)
        rates: list[tuple[int, VatRate]] = []
        errors: list[FieldError] = []
        for n, row in enumerate(reader):
            parsed = _row(row, n, errors)
            if parsed is not None:
                rates.append((n, parsed))
    except csv.Error as unreadable:  # a field past the csv module's limit, a NUL
        at = max(0, reader.line_num - 1)  # not yet counting the line it failed on
        raise InvalidInput.of(f"rows[{at}]", str(unreadable)) from None
    if not rates and not errors:
        raise InvalidInput.of("rows", "the file holds no rate")
    errors += _overlaps(rates)
    if errors:
        raise InvalidInput("VAT rates that cannot be read", errors=errors)
    return [rate for _, rate in rates]


def _row(row: Mapping[str | None, object], n: int, errors: list[FieldError]) -> VatRate | None:
    before = len(errors)
    if row.get(None):  # more fields than the header names
        errors.append(FieldError(f"rows[{n}]", f"more than the {len(COLUMNS)} columns"))
    cells = {name: str(row.get(name) or "").strip() for name in COLUMNS}
    country = _GREECE.get(cells["country"].upper(), cells["country"].upper())
    if country not in MEMBER_STATES:
        errors.append(FieldError(f"rows[{n}].country", f"{country!r} is not a member state"))
    tax_class = _tax_class(cells["tax_class"], n, errors)
    percent = _percent(cells["rate"], n, errors)
    start = _day(cells["valid_from"], f"rows[{n}].valid_from", errors)
    until = _day(cells["valid_until"], f"rows[{n}].valid_until", errors, empty=True)
    if start is not None and until is not None and until < start:
        errors.append(FieldError(f"rows[{n}].valid_until", "before valid_from"))
    if len(errors) > before or tax_class is None or percent is None or start is None:
        return None
    return VatRate(country, tax_class, percent / 100, start, until)


def _tax_class(text: str, n: int, errors: list[FieldError]) -> TaxClass | None:
    try:
        return TaxClass(text.lower())
    except ValueError:
        errors.append(FieldError(f"rows[{n}].tax_class", f"one of {', '.join(TaxClass)}"))
        return None


def _percent(text: str, n: int, errors: list[FieldError]) -> Decimal | None:
    try:
        percent = Decimal(text)
    except InvalidOperation:
        percent = Decimal("NaN")
    if not percent.is_finite() or not 0 <= percent < 100:
        errors.append(FieldError(f"rows[{n}].rate", "a percentage from 0 to below 100"))
        return None
    if percent.quantize(Decimal(1).scaleb(-PERCENT_PLACES)) != percent:
        errors.append(FieldError(f"rows[{n}].rate", f"at most {PERCENT_PLACES} decimal places"))
        return None
    return percent.copy_abs()  # "-0" is no rate below zero


PERCENT_PLACES = 4  # 5.5 %, 2.1 %, 8.1 %: rates have one place, a few have two


def _day(
    text: str, field_name: str, errors: list[FieldError], *, empty: bool = False
) -> date | None:
    if not text and empty:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(field_name, "a date as YYYY-MM-DD"))
        return None


def _overlaps(rates: list[tuple[int, VatRate]]) -> list[FieldError]:
    """A row whose period shares a day with an earlier one of its country and class."""
    found: list[FieldError] = []
    seen: dict[tuple[str, TaxClass], tuple[int, VatRate]] = {}
    for n, rate in sorted(rates, key=lambda r: (r[1].country, r[1].tax_class, r[1].valid_from)):
        key = (rate.country, rate.tax_class)
        previous = seen.get(key)
        if previous is not None and (
            previous[1].valid_until is None or rate.valid_from <= previous[1].valid_until
        ):
            detail = f"overlaps rows[{previous[0]}] ({rate.country}, {rate.tax_class})"
            found.append(FieldError(f"rows[{n}].valid_from", detail))
        seen[key] = (n, rate)
    return found

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
and services.
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
    `destination`; `buyer_vat_id` when the buyer is a business that gave one (the
    reverse charge needs it to be of a member state other than the seller's). A VAT
    id that is not valid is refused naming it: the order is not taxed as a
    consumer's behind the buyer's back."""
    checked = _checked(buyer_vat_id) if buyer_vat_id else None
    if destination not in MEMBER_STATES:
        return VatDue(Treatment.EXPORT, None, checked)
    if destination == seller_country:
        return VatDue(Treatment.DOMESTIC, seller_country, checked)
    if checked is not None and _member_state(checked) != seller_country:
        return VatDue(Treatment.REVERSE_CHARGE, None, checked)
    return VatDue(Treatment.DESTINATION, destination, checked)


def _checked(vat_id: str) -> str:
    """The VAT id in its compact form, valid by format and check digits, else
    InvalidInput naming `buyer.vat_id`."""
    compact = vat.compact(vat_id)
    if not vat.is_valid(compact):
        raise InvalidInput.of("buyer.vat_id", f"{vat_id!r} is not a valid EU VAT id")
    return compact


def _member_state(vat_id: str) -> str:
    prefix = vat_id[:2]
    return "GR" if prefix == "EL" else prefix


COLUMNS = ("country", "tax_class", "rate", "valid_from", "valid_until")


def parse_rates(text: str) -> list[VatRate]:
    """Rates from CSV with the header `country,tax_class,rate,valid_from,valid_until`
    (a rate as a percentage, `19` or `5.5`; dates as YYYY-MM-DD, `valid_until` may be
    empty). Every row is checked; InvalidInput names each bad one (`rows[i].field`)."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise InvalidInput.of("header", f"the columns must be {', '.join(COLUMNS)}")
    rates: list[VatRate] = []
    errors: list[FieldError] = []
    for n, row in enumerate(reader):
        parsed = _row(row, n, errors)
        if parsed is not None:
            rates.append(parsed)
    if errors:
        raise InvalidInput("VAT rates that cannot be read", errors=errors)
    return rates


def _row(row: Mapping[str, str], n: int, errors: list[FieldError]) -> VatRate | None:
    before = len(errors)
    country = row["country"].strip().upper()
    if country not in MEMBER_STATES:
        errors.append(FieldError(f"rows[{n}].country", f"{country!r} is not a member state"))
    try:
        tax_class = TaxClass(row["tax_class"].strip())
    except ValueError:
        errors.append(FieldError(f"rows[{n}].tax_class", f"one of {', '.join(TaxClass)}"))
    try:
        percent = Decimal(row["rate"].strip())
        if not percent.is_finite() or not 0 <= percent < 100:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(FieldError(f"rows[{n}].rate", "a percentage from 0 to below 100"))
    days = [_day(row[name], f"rows[{n}].{name}", errors) for name in COLUMNS[3:]]
    if len(errors) > before or days[0] is None:
        return None
    return VatRate(country, tax_class, percent / 100, days[0], days[1])


def _day(text: str, field_name: str, errors: list[FieldError]) -> date | None:
    if not text.strip() and field_name.endswith("valid_until"):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors.append(FieldError(field_name, "a date as YYYY-MM-DD"))
        return None

"""Customs for goods that cross a customs border: the declaration that goes with a
parcel, and, when the seller delivers duty paid (DDP), an estimate of the duties
and import VAT the destination levies.

- A **customs territory** is the European Union's (its member states and Monaco),
  Switzerland's (with Liechtenstein), or a country's own; a parcel crosses a border
  when it leaves one for another.
- A **declaration** names the terms of delivery (`DAP`: the receiver pays duties
  and import VAT; `DDP`: the sender does), the exporter (the seller, its EORI
  number) and the importer (the buyer), and each line: what it is, its tariff
  number and origin (the product's customs facts), its units and their value (what
  they were paid, without tax: the invoice's); the shipping charged with it; the
  seller's IOSS number when the goods enter the Union worth 150 EUR at most (their
  VAT was charged at the sale). A product without customs facts is declared without
  them, and the declaration says so.
- **Duties and import VAT** are estimated from rates as data (`CustomsRate`: a
  destination's rate of a kind for the tariff numbers beginning with a prefix, the
  longest prefix applying; an empty prefix: every product), ad valorem: duty on
  each line's value; import VAT on the value, its share of the shipping and the
  duty. Countries that levy by weight (Switzerland) or with thresholds are estimated
  by what their table says, no closer.

Pure: the same parcel, facts and rates give the same declaration."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import FieldError, InvalidInput, is_country, quantize, spread, to_minor
from ordino.network.domain import Customs
from ordino.pricing.domain.invoices import BilledPart
from ordino.pricing.domain.tax import MEMBER_STATES

EU = "EU"
# Territories that are one customs territory with a neighbour.
_WITH = {"MC": EU, "LI": "CH"}
IOSS_LIMIT = Decimal(150)  # EUR: goods entering the Union up to it may use IOSS
_HS_PREFIX = re.compile(r"^[0-9]{0,10}$", re.ASCII)
_COUNTRY = re.compile(r"^[A-Z]{2}$", re.ASCII)
# A percentage as people write it: 8.1, 2.6, 0 (ASCII digits, up to 4 places that
# count; trailing zeros allowed).
_PERCENT = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,4}0*)?$", re.ASCII)
_EORI = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
_IOSS = re.compile(r"^IM[0-9]{10}$")


class Incoterm(StrEnum):
    DAP = "DAP"  # delivered at place: the receiver pays duties and import VAT
    DDP = "DDP"  # delivered duty paid: the sender does


class RateKind(StrEnum):
    DUTY = "duty"
    IMPORT_VAT = "import_vat"


def customs_territory(country: str) -> str:
    if country in MEMBER_STATES:
        return EU
    return _WITH.get(country, country)


def crosses_border(origin: str, destination: str) -> bool:
    return customs_territory(origin) != customs_territory(destination)


def eori_problem(value: str) -> str | None:
    """Why `value` is no EORI number (a country's two letters, up to 15 letters and
    digits); None: it is one."""
    return (
        None if _EORI.match(value) else "two letters of a country, then 1 to 15 letters or digits"
    )


def ioss_problem(value: str) -> str | None:
    return None if _IOSS.match(value) else "IM and 10 digits"


@dataclass(frozen=True)
class CustomsRate:
    country: str  # the destination that levies it
    kind: RateKind
    hs_prefix: str  # the tariff numbers it holds for ("": all)
    rate: Decimal  # 0.081 for 8.1 %


def rate_for(
    rates: Sequence[CustomsRate], country: str, kind: RateKind, hs_code: str | None
) -> Decimal | None:
    """The rate of the longest prefix of `hs_code` (none given: the country's rate
    for every product); None: the table has none."""
    found = [
        r
        for r in rates
        if r.country == country
        and r.kind is kind
        and (hs_code or "").startswith(r.hs_prefix)
        and (hs_code is not None or not r.hs_prefix)
    ]
    return max(found, key=lambda r: len(r.hs_prefix)).rate if found else None


COLUMNS = ("country", "kind", "hs_prefix", "rate")


def parse_customs_rates(text: str) -> list[CustomsRate]:
    """Rates from CSV with the header `country,kind,hs_prefix,rate` (kind `duty` or
    `import_vat`; a prefix of up to 10 digits, empty for every product; a rate as a
    percentage from 0 to below 1000). Each bad row refused by its field
    (`rows[i].field`), and two rows of one country, kind and prefix."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    rates: list[CustomsRate] = []
    errors: list[FieldError] = []
    try:
        if tuple(name.strip() for name in reader.fieldnames or ()) != COLUMNS:
            raise InvalidInput.of("header", f"the columns must be {', '.join(COLUMNS)}")
        reader.fieldnames = list(COLUMNS)
        seen: dict[tuple[str, str, str], int] = {}
        for n, row in enumerate(reader):
            if not any(str(cell or "").strip() for cell in row.values()):
                continue  # a blank line (a trailing one)
            rate = _row(row, n, errors)
            if rate is None:
                continue
            key = (rate.country, str(rate.kind), rate.hs_prefix)
            if key in seen:
                errors.append(FieldError(f"rows[{n}].hs_prefix", f"as rows[{seen[key]}]"))
            seen[key] = n
            rates.append(rate)
    except csv.Error as unreadable:
        raise InvalidInput.of(f"rows[{max(0, reader.line_num - 1)}]", str(unreadable)) from None
    if not rates and not errors:
        raise InvalidInput.of("rows", "the file holds no rate")
    if errors:
        raise InvalidInput("customs rates that cannot be read", errors=errors)
    return rates


def _row(row: Mapping[str | None, object], n: int, errors: list[FieldError]) -> CustomsRate | None:
    before = len(errors)
    if row.get(None):
        errors.append(FieldError(f"rows[{n}]", f"more than the {len(COLUMNS)} columns"))
    cells = {name: str(row.get(name) or "").strip() for name in COLUMNS}
    raw = cells["country"]
    country = raw.upper() if raw.isascii() else raw
    if not _COUNTRY.match(country) or not is_country(country):
        errors.append(FieldError(f"rows[{n}].country", f"{country!r} is no country code"))
    try:
        kind: RateKind | None = RateKind(cells["kind"].lower())
    except ValueError:
        kind = None
        errors.append(FieldError(f"rows[{n}].kind", f"one of {', '.join(RateKind)}"))
    prefix = cells["hs_prefix"]
    if not _HS_PREFIX.match(prefix):
        errors.append(FieldError(f"rows[{n}].hs_prefix", "up to 10 digits, or empty"))
    percent = Decimal(cells["rate"]) if _PERCENT.match(cells["rate"]) else None
    if percent is None:
        errors.append(FieldError(f"rows[{n}].rate", "a percentage from 0 to below 1000"))
    if len(errors) > before or kind is None or percent is None:
        return None
    return CustomsRate(country, kind, prefix, percent.normalize() / 100)


@dataclass(frozen=True)
class DeclaredLine:
    sku: str
    quantity: int
    value: Decimal  # what its units were paid, without tax
    customs: Customs | None  # None: the product has no customs facts
    weight_kg: Decimal | None = None  # of all its units
    duty: Decimal | None = None  # DDP: estimated
    import_vat: Decimal | None = None  # DDP: estimated


@dataclass(frozen=True)
class Declaration:
    incoterm: Incoterm
    origin: str  # the country the parcel leaves from
    destination: str
    currency: str
    lines: tuple[DeclaredLine, ...]
    shipping: Decimal  # what the customer was charged for shipping it, without tax
    exporter: Mapping[str, Any]  # name, country, EORI
    importer: Mapping[str, Any]  # name, country, address
    ioss: str | None = None

    @property
    def value(self) -> Decimal:
        return sum((line.value for line in self.lines), Decimal(0))

    @property
    def problems(self) -> list[str]:
        missing = [line.sku for line in self.lines if line.customs is None]
        return [f"{sku} has no tariff number, origin or description" for sku in missing]


@dataclass(frozen=True)
class Crossing:
    """A parcel to declare: its terms, where it leaves from and goes, and what its
    invoice bills (its goods' lines and, the first parcel, the order's charges)."""

    incoterm: Incoterm
    origin: str
    destination: str
    currency: str
    parts: Sequence[BilledPart]
    exporter: Mapping[str, Any]
    importer: Mapping[str, Any]
    value_in_euros: Decimal | None = None  # its goods' value in euros, when known
    ioss: str | None = None  # the seller's IOSS number
    # The Union's VAT was charged at the sale, to a consumer (what IOSS is for; a
    # business's reverse charge, or no VAT worked out: the import pays it).
    vat_charged: bool = False


@dataclass(frozen=True)
class CustomsFacts:
    """What a declaration is made with: the products' customs facts and weights (by
    SKU), and the duty and import VAT rates."""

    products: Mapping[str, Customs]
    weights: Mapping[str, Decimal]
    rates: Sequence[CustomsRate] = ()


def declare(crossing: Crossing, facts: CustomsFacts) -> Declaration:
    """The parcel's declaration, with the duties estimated when the seller pays them."""
    c = crossing
    goods = [p for p in c.parts if p.line_no is not None and p.sku is not None]
    shipping = sum((p.base for p in c.parts if p.kind == "shipping"), Decimal(0))
    lines = [
        DeclaredLine(
            p.sku or "",
            p.quantity or 0,
            p.base,
            facts.products.get(p.sku or ""),
            None if (w := facts.weights.get(p.sku or "")) is None else w * (p.quantity or 0),
        )
        for p in goods
    ]
    enters_union = customs_territory(c.destination) == EU and customs_territory(c.origin) != EU
    small = c.value_in_euros is not None and c.value_in_euros <= IOSS_LIMIT
    ioss = c.ioss if enters_union and small and c.vat_charged else None
    if c.incoterm is Incoterm.DDP:  # under IOSS the VAT was paid at the sale: none at import
        rates = [r for r in facts.rates if not (ioss and r.kind is RateKind.IMPORT_VAT)]
        lines = _estimated(lines, shipping, c.currency, rates, c.destination, ioss is not None)
    return Declaration(
        c.incoterm, c.origin, c.destination, c.currency, tuple(lines), shipping, c.exporter,
        c.importer, ioss,
    )  # fmt: skip


def _estimated(
    lines: list[DeclaredLine],
    shipping: Decimal,
    currency: str,
    rates: Sequence[CustomsRate],
    destination: str,
    vat_paid: bool = False,
) -> list[DeclaredLine]:
    """Each line with its duty and import VAT (a rate the table lacks: none; its VAT
    `vat_paid` at the sale, under IOSS: nothing)."""
    weights = [to_minor(line.value, currency) for line in lines]
    shares = spread(shipping, weights, currency) if any(weights) else [Decimal(0)] * len(lines)
    found = []
    for line, share in zip(lines, shares, strict=True):
        hs = line.customs.hs_code if line.customs else None
        duty_rate = rate_for(rates, destination, RateKind.DUTY, hs)
        vat_rate = rate_for(rates, destination, RateKind.IMPORT_VAT, hs)
        duty = None if duty_rate is None else quantize(line.value * duty_rate, currency)
        base = line.value + share + (duty or 0)
        vat = None if vat_rate is None else quantize(base * vat_rate, currency)
        if vat_paid:
            vat = quantize(Decimal(0), currency)
        found.append(
            DeclaredLine(
                line.sku, line.quantity, line.value, line.customs, line.weight_kg, duty, vat
            )
        )
    return found


def declaration_document(declaration: Declaration) -> dict[str, Any]:
    d = declaration
    ddp = d.incoterm is Incoterm.DDP
    duties = [line.duty for line in d.lines]
    vats = [line.import_vat for line in d.lines]

    def total(amounts: list[Decimal | None]) -> str | None:
        if not ddp or any(a is None for a in amounts):
            return None
        return str(quantize(sum((a or Decimal(0) for a in amounts), Decimal(0)), d.currency))

    return {
        "incoterm": str(d.incoterm),
        "duties_paid_by": "sender" if ddp else "receiver",
        "origin": d.origin,
        "destination": d.destination,
        "currency": d.currency,
        "exporter": dict(d.exporter),
        "importer": dict(d.importer),
        "ioss": d.ioss,
        "lines": [
            {
                "sku": line.sku,
                "description": line.customs.description if line.customs else None,
                "hs_code": line.customs.hs_code if line.customs else None,
                "origin": line.customs.origin if line.customs else None,
                "quantity": line.quantity,
                "value": str(line.value),
                "weight_kg": None if line.weight_kg is None else f"{line.weight_kg:.3f}",
                "duty": None if line.duty is None else str(line.duty),
                "import_vat": None if line.import_vat is None else str(line.import_vat),
            }
            for line in d.lines
        ],
        "value": str(quantize(d.value, d.currency)),
        "shipping": str(quantize(d.shipping, d.currency)),
        "duties": total(duties),
        "import_vat": total(vats),
        "problems": d.problems
        + (["the duty table has no rate for some lines"] if ddp and total(duties) is None else [])
        + (["the table has no import VAT for some lines"] if ddp and total(vats) is None else []),
    }

"""Invoices and credit notes: what an order billed per shipment, and what each refund
gave back, as documents a seller keeps.

- An **invoice** bills the units a fulfillment order took when they left (shipped,
  or collected at a store): each line's units at what they were paid (their price,
  discounts and taxes over exactly those units: `PricedLine` keeps them per unit),
  and, on the order's first invoice, its charges (shipping, fees). So the invoices
  of an order add up to what its units that left and its charges were paid, to the
  cent, and the payment captured for a shipment is its invoice's total.
- A **credit note** gives back an amount refunded: spread over what the order's
  invoices billed and no credit note gave back yet (by largest remainder, by what
  each line or charge has left), each part's tax in proportion to what it billed, so
  that crediting all of it gives back exactly the tax billed, never a cent more.
- Numbers run without gaps per selling entity, kind and year (`INV-2026-000001`,
  `CN-2026-000001`): taken in the transaction that issues the document, so a
  shipment that does not commit gives its number back.

Pure: the same order pieces give the same documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import InvalidInput, quantize, spread, to_minor
from ordino.network.domain import Address, address_fields
from ordino.pricing.domain.order_money import Charge, PricedLine, zero


class BillKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


PREFIXES = {BillKind.INVOICE: "INV", BillKind.CREDIT_NOTE: "CN"}
GOODS = "goods"  # the kind of a part that bills an order line's units

NOTES = {  # what an invoice says of its tax treatment (EU VAT's words)
    "reverse_charge": "Reverse charge: VAT to be accounted for by the recipient "
    "(Article 196, Directive 2006/112/EC).",
    "export": "Export of goods: exempt from VAT (Article 146, Directive 2006/112/EC).",
}


@dataclass(frozen=True)
class BilledTax:
    jurisdiction: str
    rate: Decimal
    inclusive: bool  # inside the part's net (a gross price), or added to it
    amount: Decimal
    base: Decimal | None = None  # what it taxes, when a share of the part (`TaxLine.base`)


@dataclass(frozen=True)
class BilledPart:
    """What an invoice bills (or a credit note gives back) of one order line or
    charge. `ref` names it across an order's documents: `line:<line_no>` or
    `charge:<index>`."""

    ref: str
    kind: str  # GOODS, or the charge's kind (shipping, fee)
    line_no: int | None
    sku: str | None
    quantity: int | None  # units billed; a credit note's part: None (an amount)
    unit_price: Decimal | None  # before discounts; a credit note's part: None
    discount: Decimal
    net: Decimal  # after discounts, with the taxes inside the price
    taxes: tuple[BilledTax, ...]

    @property
    def tax(self) -> Decimal:
        return sum((t.amount for t in self.taxes), Decimal(0))

    @property
    def total(self) -> Decimal:
        """What the customer pays for it: net, plus the taxes not inside it."""
        return self.net + sum((t.amount for t in self.taxes if not t.inclusive), Decimal(0))

    @property
    def base(self) -> Decimal:
        """What it comes to without tax."""
        return self.total - self.tax


@dataclass(frozen=True)
class Party:
    """Who sells or buys, as the document prints them."""

    name: str | None = None
    country: str | None = None
    vat_id: str | None = None
    email: str | None = None
    address: Address | None = None


@dataclass(frozen=True)
class PaidWith:
    """What one tender of the order paid of an invoice, or took back of a credit
    note: its method and what it is paid from, as the order tells them."""

    method: str
    reference: str | None
    amount: Decimal


@dataclass(frozen=True)
class Bill:
    """An invoice or a credit note, numbered once issued."""

    id: str
    kind: BillKind
    entity: str  # the selling entity whose number series it takes
    order_id: str
    currency: str
    issued_at: datetime
    parts: tuple[BilledPart, ...]
    seller: Party
    buyer: Party
    tax_treatment: str | None = None
    fulfillment_id: str | None = None  # an invoice's shipment
    refund_id: str | None = None  # a credit note's refund
    number: str | None = None  # None: not issued yet
    # What the goods are called (by SKU), as the catalogue named them when issued.
    names: Mapping[str, str] = field(default_factory=dict)
    tenders: tuple[PaidWith, ...] = ()  # which paid it (an invoice), took it back (a note)
    due_on: date | None = None  # an invoice bought on account: by when it is to be paid

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.parts), zero(self.currency))

    @property
    def tax(self) -> Decimal:
        return sum((p.tax for p in self.parts), zero(self.currency))

    @property
    def series(self) -> str:
        return f"{PREFIXES[self.kind]}-{self.issued_at.year}"

    def numbered(self, n: int) -> Bill:
        """Issued as the `n`th of its series."""
        return replace(self, number=f"{self.series}-{n:06d}")


def billed_units(line: PricedLine, first: int, count: int) -> BilledPart:
    """Units `first` to `first + count - 1` of the line, at what they were paid: with
    the taxes that hold something for them (a line taxed again from a unit on holds
    two, each nothing where the other applies; one holding nothing at all stays)."""
    currency = line.currency
    discount = sum((d.per_unit.over(first, count) for d in line.discounts), zero(currency))
    every = [
        BilledTax(t.jurisdiction, t.rate, t.inclusive, t.per_unit.over(first, count))
        for t in line.taxes
    ]
    taxes = tuple([tax for tax in every if tax.amount] or every[-1:])
    net = quantize(line.sale_price * count, currency) - discount
    return BilledPart(
        f"line:{line.line_no}", GOODS, line.line_no, line.sku, count, line.sale_price,
        discount, net, taxes,
    )  # fmt: skip


def billed_charge(charge: Charge, index: int) -> BilledPart:
    taxes = tuple(
        BilledTax(t.jurisdiction, t.rate, t.inclusive, t.amount, t.base) for t in charge.taxes
    )
    discount = charge.price - charge.net
    return BilledPart(
        f"charge:{index}", charge.kind, None, None, 1, charge.price, discount, charge.net, taxes
    )


def creditable(billed: Sequence[BilledPart], credited: Sequence[BilledPart]) -> Decimal:
    """What is left to give back of what the invoices billed: of each line or charge
    they billed, what no credit note gave back yet."""
    invoiced, given = _summed(billed), _summed(credited)
    return sum(
        (
            max(Decimal(0), p.total - (given[r].total if r in given else 0))
            for r, p in invoiced.items()
        ),
        Decimal(0),
    )


def credit_parts(
    amount: Decimal, currency: str, billed: Sequence[BilledPart], credited: Sequence[BilledPart]
) -> tuple[BilledPart, ...]:
    """`amount` given back over what the invoices `billed` and earlier credit notes
    did not give back yet (`credited`): spread by what each line or charge has left
    (largest remainder); each part's taxes are what its share of the billed total
    carries, worked out on what was credited of it in all (so that crediting all of
    it gives back exactly its tax). InvalidInput naming `amount` when it is more
    than is left to give back."""
    invoiced = _summed(billed)
    given = _summed(credited)
    refs = list(invoiced)
    left = [max(Decimal(0), invoiced[ref].total - (given[ref].total if ref in given else 0))
            for ref in refs]  # fmt: skip
    if amount < 0 or amount > sum(left, Decimal(0)):
        raise InvalidInput.of("amount", f"{amount} is more than was invoiced and not credited")
    if not amount:
        return ()
    shares = spread(amount, [to_minor(x, currency) for x in left], currency)
    parts = []
    for ref, share in zip(refs, shares, strict=True):
        if share:
            parts.append(_credited(invoiced[ref], given.get(ref), share, currency))
    return tuple(parts)


def _credited(
    billed: BilledPart, before: BilledPart | None, share: Decimal, currency: str
) -> BilledPart:
    """`share` of what the part billed given back: each tax the share of what is
    still open of it that `share` is of what is still open of the part; all of what
    is open, when it takes all of it. The taxes never come to more than `share`, and
    where they keep their bases (a charge taxed at several rates), what `share`
    leaves untaxed is shared among them by what is open of each (largest
    remainder), so they add up."""
    open_ = billed.total - (before.total if before is not None else Decimal(0))
    amounts: list[Decimal] = []
    open_bases: list[Decimal | None] = []
    for tax in billed.taxes:
        given = _tax_of(before, tax) if before is not None else None
        rest = tax.amount - (given.amount if given else Decimal(0))
        amount = rest if share >= open_ else quantize(rest * share / open_, currency)
        amounts.append(min(amount, share - sum(amounts, Decimal(0))))
        if tax.base is None:
            open_bases.append(None)
        else:
            open_bases.append(tax.base - (given.base or Decimal(0) if given else Decimal(0)))
    bases = _shared_bases(share - sum(amounts, Decimal(0)), open_bases, currency)
    taxes = tuple(
        BilledTax(t.jurisdiction, t.rate, t.inclusive, amount, base)
        for t, amount, base in zip(billed.taxes, amounts, bases, strict=True)
    )
    added = sum((t.amount for t in taxes if not t.inclusive), Decimal(0))
    return BilledPart(
        billed.ref, billed.kind, billed.line_no, billed.sku, None, None,
        zero(currency), share - added, taxes,
    )  # fmt: skip


def _shared_bases(
    untaxed: Decimal, open_bases: list[Decimal | None], currency: str
) -> list[Decimal | None]:
    """`untaxed` shared among the taxes' bases by what is open of each; none where
    a tax keeps no base."""
    if not open_bases or any(b is None for b in open_bases):
        return [None] * len(open_bases)
    weights = [to_minor(max(b or Decimal(0), Decimal(0)), currency) for b in open_bases]
    if not any(weights):
        weights = [0] * (len(weights) - 1) + [1]
    return list(spread(untaxed, weights, currency))


def _tax_of(part: BilledPart, tax: BilledTax) -> BilledTax | None:
    """The part's tax of the same jurisdiction, rate and kind as `tax`, if any."""
    key = (tax.jurisdiction, tax.rate, tax.inclusive)
    return next((t for t in part.taxes if (t.jurisdiction, t.rate, t.inclusive) == key), None)


def _summed(parts: Sequence[BilledPart]) -> dict[str, BilledPart]:
    """The parts of one line or charge over several documents as one."""
    found: dict[str, BilledPart] = {}
    for part in parts:
        was = found.get(part.ref)
        if was is None:
            found[part.ref] = part
            continue
        taxes: dict[tuple[str, Decimal, bool], BilledTax] = {}
        # Each tax with what it taxed in its own document: a line taxed again from a
        # unit on was billed at one rate, then at another, each on its own units.
        for t in (*_based(was), *_based(part)):
            key = (t.jurisdiction, t.rate, t.inclusive)
            had = taxes.get(key)
            taxes[key] = t if had is None else _added_up(had, t)
        found[part.ref] = BilledPart(
            part.ref, part.kind, part.line_no, part.sku,
            None if was.quantity is None or part.quantity is None
            else was.quantity + part.quantity,
            part.unit_price, was.discount + part.discount, was.net + part.net,
            tuple(taxes.values()),
        )  # fmt: skip
    return found


def _based(part: BilledPart) -> list[BilledTax]:
    return [t if t.base is not None else replace(t, base=base)
            for t, base in zip(part.taxes, _bases(part), strict=True)]  # fmt: skip


def _added_up(one: BilledTax, other: BilledTax) -> BilledTax:
    base = None if one.base is None or other.base is None else one.base + other.base
    return BilledTax(one.jurisdiction, one.rate, one.inclusive, one.amount + other.amount, base)


def tax_summary(parts: Sequence[BilledPart], currency: str) -> list[dict[str, str]]:
    """Per jurisdiction and rate: the taxable amount and the tax, as an invoice must
    show them. A part taxed at several rates (shipping, taxed as the goods it
    carries) counts the share each taxes."""
    bases: dict[tuple[str, Decimal], Decimal] = {}
    taxes: dict[tuple[str, Decimal], Decimal] = {}
    for part in parts:
        for tax, base in zip(part.taxes, _bases(part), strict=True):
            key = (tax.jurisdiction, tax.rate)
            bases[key] = bases.get(key, Decimal(0)) + base
            taxes[key] = taxes.get(key, Decimal(0)) + tax.amount
    return [
        {
            "jurisdiction": j,
            "rate": str(r),
            "base": str(quantize(bases[(j, r)], currency)),
            "amount": str(quantize(taxes[(j, r)], currency)),
        }
        for j, r in sorted(bases, key=lambda key: (key[0], -key[1]))
    ]


def _bases(part: BilledPart) -> list[Decimal]:
    """What each of the part's taxes taxes: its own base where it keeps one (a share
    of a charge), else the part's value without tax (taxes stacked on one value each
    tax it all)."""
    return [part.base if t.base is None else t.base for t in part.taxes]


def bill_document(bill: Bill) -> dict[str, Any]:
    """The invoice or credit note as the API and the console show it."""
    currency = bill.currency
    lines = [p for p in bill.parts if p.kind == GOODS]
    charges = [p for p in bill.parts if p.kind != GOODS]
    return {
        "id": bill.id,
        "kind": str(bill.kind),
        "number": bill.number,
        "entity": bill.entity,
        "order_id": bill.order_id,
        "fulfillment_id": bill.fulfillment_id,
        "refund_id": bill.refund_id,
        "issued_at": bill.issued_at.isoformat(),
        "currency": currency,
        "seller": _party_document(bill.seller),
        "buyer": _party_document(bill.buyer),
        "tax_treatment": bill.tax_treatment,
        "note": NOTES.get(bill.tax_treatment or ""),
        "lines": [_part_document(p, bill.names.get(p.sku or "")) for p in lines],
        "charges": [_part_document(p) for p in charges],
        "taxes": tax_summary(bill.parts, currency),
        "base": str(quantize(sum((p.base for p in bill.parts), Decimal(0)), currency)),
        "tax": str(quantize(bill.tax, currency)),
        "total": str(quantize(bill.total, currency)),
        "due_on": None if bill.due_on is None else bill.due_on.isoformat(),
        "tenders": [
            {
                "method": t.method,
                "reference": t.reference,
                "amount": str(quantize(t.amount, currency)),
            }
            for t in bill.tenders
            if t.amount
        ],
    }


def _party_document(party: Party) -> dict[str, Any]:
    return {
        "name": party.name,
        "country": party.country,
        "vat_id": party.vat_id,
        "email": party.email,
        "address": None if party.address is None else _address_document(party.address),
    }


def _address_document(address: Address) -> dict[str, Any]:
    return {"name": address.name, **address_fields(address)}


def _part_document(part: BilledPart, description: str | None = None) -> dict[str, Any]:
    return {
        "ref": part.ref,
        "kind": part.kind,
        "line_no": part.line_no,
        "sku": part.sku,
        "description": description,
        "quantity": part.quantity,
        "unit_price": None if part.unit_price is None else str(part.unit_price),
        "discount": str(part.discount),
        "net": str(part.net),
        "taxes": [
            {
                "jurisdiction": t.jurisdiction,
                "rate": str(t.rate),
                "inclusive": t.inclusive,
                "amount": str(t.amount),
                "base": None if t.base is None else str(t.base),
            }
            for t in part.taxes
        ],
        "total": str(part.total),
    }


def basis_document(parts: Sequence[BilledPart]) -> dict[str, Any]:
    """Parts kept apart from a bill (what a refund is to credit), as `parts_from`
    reads them back."""
    return {
        "lines": [_part_document(p) for p in parts if p.kind == GOODS],
        "charges": [_part_document(p) for p in parts if p.kind != GOODS],
    }


def parts_from(document: Mapping[str, Any]) -> tuple[BilledPart, ...]:
    """A stored document's parts back (what a credit note is worked out from)."""
    return tuple(
        BilledPart(
            p["ref"],
            p["kind"],
            p["line_no"],
            p["sku"],
            p["quantity"],
            None if p["unit_price"] is None else Decimal(p["unit_price"]),
            Decimal(p["discount"]),
            Decimal(p["net"]),
            tuple(_tax_from(t) for t in p["taxes"]),
        )
        for p in (*document["lines"], *document["charges"])
    )


def _tax_from(t: Mapping[str, Any]) -> BilledTax:
    base = t.get("base")
    return BilledTax(
        t["jurisdiction"],
        Decimal(t["rate"]),
        t["inclusive"],
        Decimal(t["amount"]),
        None if base is None else Decimal(base),
    )

"""The money of an order, line by line: what each unit was priced at, what was taken
off it and by whom, and the tax on it; the order's charges (shipping, fees) the
same way. Totals are derived from the parts, never stored beside them.

Invariants (checked when a line or charge is made):
- every amount has its currency's minor digits at most, fits in its limit, and none
  is negative; a quantity is a whole number of units, one at least; every line and
  charge of an order is in the order's currency;
- a discount or a tax is kept per unit (`UnitAmounts`: runs of equal amounts, so a
  line of a million units is a few runs), and its amount is the sum of its units'
  parts, spread by largest remainder (`ordino.kernel.domain.money.spread_units`),
  so the parts add up to the cent;
- no unit is discounted below zero, nor holds more inclusive tax than it sells for;
- discounts come before taxes: a tax is worked out on the discounted value;
- an inclusive tax is inside the unit's price after discounts, an exclusive one is
  added to it.
What was placed never changes: a cancellation, a return or a price correction is a
new adjustment record, so what was paid for each unit can always be read back
(`PricedLine.unit_paid`, `PricedLine.paid_over`). Units leave for the customer from
the first on and are cancelled from the last back, so the units a shipment or a
cancellation took are known by their counts alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from typing import TypeVar

from ordino.kernel.domain import (
    InvalidInput,
    UnitAmounts,
    fits,
    quantize,
    spread,
    spread_units,
    to_minor,
)
from ordino.pricing.domain.exchange import Conversion


class AdjustmentSource(StrEnum):
    PROMOTION = "promotion"  # one of Ordino's promotions (its id and version)
    CHANNEL = "channel"  # the channel's own price adjustment
    MARKETPLACE = "marketplace"  # sent by a marketplace with its order, kept as given
    CORRECTION = "correction"  # a price corrected by hand
    EXCHANGE = "exchange"  # an exchange costs what the returned units paid


@dataclass(frozen=True)
class Adjustment:
    """Who took money off, and why, in words a person reads on the order."""

    source: AdjustmentSource
    reference: str  # a promotion's "id@version", a channel's name, a marketplace's code
    reason: str


@dataclass(frozen=True)
class Discount:
    """What one adjustment took off each unit of a line or charge."""

    adjustment: Adjustment
    per_unit: UnitAmounts

    @property
    def amount(self) -> Decimal:
        return self.per_unit.total


@dataclass(frozen=True)
class TaxLine:
    """One tax on each unit: where it is due, its rate, and whether the price holds it."""

    jurisdiction: str  # "DE", "FR", "CH"
    rate: Decimal  # 0.19 for 19 %
    per_unit: UnitAmounts
    inclusive: bool
    # What it taxes, without tax, when that is a share of a charge's value (shipping
    # taxed as the goods, at several rates); None: the whole value (an invoice works
    # it out: the net, less the taxes in it).
    base: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        return self.per_unit.total


@dataclass(frozen=True)
class PricedLine:
    """A line's money: `quantity` units at `sale_price` each (`list_price` the
    catalogue's, for the customer to see what was saved), less its discounts, with
    its taxes."""

    line_no: int
    sku: str
    quantity: int
    list_price: Decimal
    sale_price: Decimal
    currency: str
    discounts: tuple[Discount, ...] = ()
    taxes: tuple[TaxLine, ...] = ()
    # Derived from the fields above when the line is made (never given): what its
    # units sell for before and after discounts, its taxes, and what the customer
    # pays (net, plus the taxes not in the price).
    gross: Decimal = field(init=False, repr=False, compare=False)
    discount: Decimal = field(init=False, repr=False, compare=False)
    net: Decimal = field(init=False, repr=False, compare=False)  # with any inclusive tax
    tax: Decimal = field(init=False, repr=False, compare=False)
    total: Decimal = field(init=False, repr=False, compare=False)
    _nets: UnitAmounts = field(init=False, repr=False, compare=False)  # each unit's net

    def __post_init__(self) -> None:
        currency = self.currency
        nets = _check_units(self.quantity, self.sale_price, currency, self.discounts, self.taxes)
        if not _is_amount(self.list_price, currency):
            raise ValueError(f"amounts must be non-negative, in {currency}'s digits")
        gross = quantize(self.sale_price * self.quantity, currency)
        none = zero(currency)
        discount = sum((d.amount for d in self.discounts), none) if self.discounts else none
        net = gross - discount
        tax = sum((t.amount for t in self.taxes), none) if self.taxes else none
        total = net + _added(self.taxes, currency) if self.taxes else net
        for name, value in (("gross", gross), ("discount", discount), ("net", net),
                            ("tax", tax), ("total", total), ("_nets", nets)):  # fmt: skip
            object.__setattr__(self, name, value)

    @classmethod
    def plain(
        cls, line_no: int, sku: str, quantity: int, price: Decimal, currency: str
    ) -> PricedLine:
        """A line at the price given, nothing taken off, no tax."""
        return cls(line_no, sku, quantity, price, price, currency)

    def unit_net(self, unit: int) -> Decimal:
        return self.sale_price - sum((d.per_unit.at(unit) for d in self.discounts), Decimal(0))

    def unit_paid(self, unit: int) -> Decimal:
        """What unit `unit` (0-based) was paid: its price, less its discounts, plus its
        share of the taxes not in the price."""
        return self.paid_over(unit, 1)

    def paid_over(self, first: int, count: int) -> Decimal:
        """What units `first` to `first + count - 1` were paid together."""
        taken = sum((d.per_unit.over(first, count) for d in self.discounts), Decimal(0))
        added = sum(
            (t.per_unit.over(first, count) for t in self.taxes if not t.inclusive), Decimal(0)
        )
        return self.sale_price * count - taken + added

    def unit_nets(self) -> UnitAmounts:
        """What each unit sells for after discounts."""
        return self._nets


@dataclass(frozen=True)
class Charge:
    """What the customer pays besides the goods: shipping, a fee; one unit."""

    kind: str  # "shipping", "fee"
    price: Decimal
    currency: str
    discounts: tuple[Discount, ...] = ()
    taxes: tuple[TaxLine, ...] = ()

    # Derived when it is made: what it comes to after its discounts, and what the
    # customer pays (net, plus the taxes not in the price).
    net: Decimal = field(init=False, repr=False, compare=False)
    total: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_units(1, self.price, self.currency, self.discounts, self.taxes)
        net = self.price - sum((d.amount for d in self.discounts), zero(self.currency))
        object.__setattr__(self, "net", net)
        object.__setattr__(self, "total", net + _added(self.taxes, self.currency))

    @property
    def quantity(self) -> int:
        return 1

    def unit_nets(self) -> UnitAmounts:
        return UnitAmounts.same(self.net, 1)


@dataclass(frozen=True)
class OrderMoney:
    """An order's lines and charges, and the totals derived from them."""

    currency: str
    lines: tuple[PricedLine, ...]
    charges: tuple[Charge, ...] = field(default=())
    # How its tax was worked out, in its tax provider's word (EU VAT: domestic,
    # destination, reverse_charge, export); None: no provider worked it out.
    tax_treatment: str | None = None
    # The rate it is settled at in its channel's currency; None: it settles in its own.
    exchange: Conversion | None = None

    def __post_init__(self) -> None:
        _one_currency(self.currency, [*self.lines, *self.charges])
        if self.exchange is not None and self.exchange.presentment != self.currency:
            raise ValueError(f"money in {self.currency} settled from {self.exchange.presentment}")

    @cached_property
    def discount(self) -> Decimal:
        goods = sum((line.discount for line in self.lines), zero(self.currency))
        return goods + sum((c.price - c.net for c in self.charges), zero(self.currency))

    @cached_property
    def tax(self) -> Decimal:
        goods = sum((line.tax for line in self.lines), zero(self.currency))
        return goods + sum((t.amount for c in self.charges for t in c.taxes), zero(self.currency))

    @cached_property
    def total(self) -> Decimal:
        goods = sum((line.total for line in self.lines), zero(self.currency))
        return goods + sum((c.total for c in self.charges), zero(self.currency))

    @cached_property
    def shipping(self) -> Decimal:
        """What the customer paid for shipping: after its discounts, without tax."""
        inclusive = (t.amount for c in self.charges if c.kind == "shipping" for t in c.taxes
                     if t.inclusive)  # fmt: skip
        charged = sum((c.net for c in self.charges if c.kind == "shipping"), zero(self.currency))
        return charged - sum(inclusive, zero(self.currency))

    @cached_property
    def revenue(self) -> Decimal:
        """What the goods sold for: after discounts, without the charges and without
        tax (a tax in a price taken out of it)."""
        return sum(
            (line.net - (line.tax - _added(line.taxes, self.currency)) for line in self.lines),
            zero(self.currency),
        )


# What discounts and taxes are spread over: a line's units, or a charge (one unit).
Priced = PricedLine | Charge
# The same, for a function that gives back what it was given (a line, or a charge).
PricedT = TypeVar("PricedT", PricedLine, Charge)


def discount_units(
    line: Priced, amount: Decimal, adjustment: Adjustment, field_name: str
) -> Discount:
    """`amount` off the line (or charge), spread over its units by what each still
    sells for (InvalidInput naming `field_name` when it is more than its net value)."""
    if line.taxes:
        raise ValueError("discounts come before taxes: a tax is on the discounted value")
    if amount < 0:
        raise InvalidInput.of(field_name, f"{amount} is below zero")
    if amount > line.net:
        raise InvalidInput.of(field_name, f"{amount} is more than it sells for, {line.net}")
    weights = line.unit_nets()
    if not weights.total:  # nothing to take off: the amount is nothing too
        return Discount(adjustment, UnitAmounts.same(zero(line.currency), line.quantity))
    return Discount(adjustment, spread_units(amount, weights, line.currency))


def discount_order(
    lines: Sequence[PricedLine], amount: Decimal, adjustment: Adjustment, field_name: str
) -> tuple[PricedLine, ...]:
    """An order-wide discount spread over the lines by their net value, then over each
    line's units; the lines with it added. InvalidInput naming `field_name` when it is
    more than the order's goods are worth."""
    if lines:
        _one_currency(lines[0].currency, lines)
    if amount < 0:
        raise InvalidInput.of(field_name, f"{amount} is below zero")
    worth = sum((line.net for line in lines), Decimal(0))
    if amount > worth:
        raise InvalidInput.of(field_name, f"{amount} is more than the order's goods, {worth}")
    if not lines or not worth:
        return tuple(lines)
    currency = lines[0].currency
    shares = spread(amount, [to_minor(line.net, currency) for line in lines], currency)
    return tuple(
        _with_discount(line, discount_units(line, share, adjustment, field_name))
        for line, share in zip(lines, shares, strict=True)
    )


def tax_units(line: Priced, jurisdiction: str, rate: Decimal, *, inclusive: bool) -> TaxLine:
    """The tax of a line (or charge) at `rate`, worked out on its net value once
    (rounded once, to the minor unit) and spread over its units by what each sells
    for. With `inclusive`, the tax inside the price; else the tax added to it."""
    currency, net = line.currency, line.net
    if inclusive:
        amount = net - quantize(net / (1 + rate), currency)
    else:
        amount = quantize(net * rate, currency)
    return _tax_spread(line, jurisdiction, rate, amount, inclusive)


@dataclass(frozen=True)
class TaxAsked:
    """A tax a provider says is due: where, at what rate, in the price or added."""

    jurisdiction: str
    rate: Decimal
    inclusive: bool


def retaxed(line: PricedLine, first: int, taxes: Sequence[TaxAsked]) -> PricedLine:
    """The line with its units from `first` on (those not invoiced yet: units leave
    from the first on) taxed anew by `taxes`, worked out on just those units' net
    value (rounded once, as at capture); the units before keep what they were
    taxed. A tax line stays one jurisdiction and rate: it holds nothing for the
    units the other applies to. Nothing else of the line changes."""
    if first >= line.quantity:
        return line
    count, currency = line.quantity - first, line.currency
    tail = PricedLine(
        line.line_no, line.sku, count, line.list_price, line.sale_price, currency,
        tuple(Discount(d.adjustment, d.per_unit.part(first, count)) for d in line.discounts),
    )  # fmt: skip
    none = UnitAmounts.same(zero(currency), count)
    kept = [
        replace(t, per_unit=t.per_unit.part(0, first).then(none)) for t in line.taxes if first > 0
    ]
    before = UnitAmounts.same(zero(currency), first)
    for asked in taxes:
        new = tax_units(tail, asked.jurisdiction, asked.rate, inclusive=asked.inclusive)
        same = next(
            (i for i, t in enumerate(kept)
             if (t.jurisdiction, t.rate, t.inclusive) == (asked.jurisdiction, asked.rate,
                                                          asked.inclusive)),
            None,
        )  # fmt: skip
        if same is None:
            kept.append(replace(new, per_unit=before.then(new.per_unit)))
        else:
            head = kept[same].per_unit.part(0, first)
            kept[same] = replace(kept[same], per_unit=head.then(new.per_unit))
    return replace(line, taxes=tuple(kept))


def tax_given(
    line: Priced, jurisdiction: str, rate: Decimal, amount: Decimal, inclusive: bool, field: str
) -> TaxLine:
    """A tax worked out elsewhere (a marketplace's), kept as given: its amount spread
    over the units by what each sells for. InvalidInput naming `field`'s amount when
    it is below zero, or, in the price, more than the line's net value."""
    if amount < 0:
        raise InvalidInput.of(f"{field}.amount", f"{amount} is below zero")
    if inclusive and amount > line.net:
        raise InvalidInput.of(f"{field}.amount", f"{amount} is more than the price holds")
    return _tax_spread(line, jurisdiction, rate, amount, inclusive)


def _tax_spread(
    line: Priced, jurisdiction: str, rate: Decimal, amount: Decimal, inclusive: bool
) -> TaxLine:
    """`amount` over the units by what each sells for; evenly when none sells for
    anything (a tax given on free goods)."""
    weights = line.unit_nets()
    if not weights.total:
        weights = UnitAmounts.same(Decimal(1), line.quantity)
    return TaxLine(jurisdiction, rate, spread_units(amount, weights, line.currency), inclusive)


def _with_discount(line: PricedLine, discount: Discount) -> PricedLine:
    return PricedLine(
        line.line_no,
        line.sku,
        line.quantity,
        line.list_price,
        line.sale_price,
        line.currency,
        (*line.discounts, discount),
        line.taxes,
    )


def _added(taxes: Sequence[TaxLine], currency: str) -> Decimal:
    """The taxes not in the price, added to it."""
    return sum((t.amount for t in taxes if not t.inclusive), zero(currency))


@cache
def zero(currency: str) -> Decimal:
    """Nothing, in the currency's digits ("0.00"): where an empty sum starts."""
    return quantize(Decimal(0), currency)


def _check_units(
    quantity: int,
    price: Decimal,
    currency: str,
    discounts: Sequence[Discount],
    taxes: Sequence[TaxLine],
) -> UnitAmounts:
    """What each unit sells for after its discounts, once the parts are found whole:
    ValueError naming what is not."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValueError(f"a quantity is a whole number of units, not {quantity!r}")
    if not discounts and not taxes:  # a plain line: its price is all there is to check
        if not _is_amount(price, currency):
            raise ValueError(f"amounts must be non-negative, in {currency}'s digits")
        return UnitAmounts.same(price, quantity)
    parts = [d.per_unit for d in discounts] + [t.per_unit for t in taxes]
    amounts = {price}.union(*(part.amounts() for part in parts))
    if not all(_is_amount(a, currency) for a in amounts):
        raise ValueError(f"amounts must be non-negative, in {currency}'s digits")
    if any(part.units != quantity for part in parts):
        raise ValueError(f"a discount or tax must name each of the {quantity} units")
    if all(len(part.runs) == 1 for part in parts):  # every unit the same: most lines
        return _same_nets(quantity, price, discounts, taxes)
    nets = _nets(quantity, price, discounts)
    for start in sorted(set(nets.starts()).union(*(t.per_unit.starts() for t in taxes))):
        net = nets.at(start)  # every unit from here to the next start is the same
        if net < 0:
            raise ValueError(f"unit {start} is discounted below zero")
        if sum((t.per_unit.at(start) for t in taxes if t.inclusive), Decimal(0)) > net:
            raise ValueError(f"unit {start} holds more tax than its price")
    return nets


def _same_nets(
    quantity: int, price: Decimal, discounts: Sequence[Discount], taxes: Sequence[TaxLine]
) -> UnitAmounts:
    """`_check_units`' last check where every unit has the same parts: one run."""
    net = price - sum(d.per_unit.runs[0][0] for d in discounts)
    if net < 0:
        raise ValueError("unit 0 is discounted below zero")
    if sum(t.per_unit.runs[0][0] for t in taxes if t.inclusive) > net:
        raise ValueError("unit 0 holds more tax than its price")
    return UnitAmounts.same(net, quantity)


def _nets(quantity: int, price: Decimal, discounts: Sequence[Discount]) -> UnitAmounts:
    """What each unit sells for after `discounts`, as runs."""
    starts = sorted({0}.union(*(d.per_unit.starts() for d in discounts)))
    ends = [*starts[1:], quantity]
    return UnitAmounts.of(
        [
            (price - sum((d.per_unit.at(start) for d in discounts), Decimal(0)), end - start)
            for start, end in zip(starts, ends, strict=True)
        ]
    )


def _is_amount(amount: Decimal, currency: str) -> bool:
    return amount.is_finite() and _in_digits(amount, currency)


@lru_cache(maxsize=4096)  # a line's few amounts are checked again each time it grows
def _in_digits(amount: Decimal, currency: str) -> bool:
    return amount >= 0 and fits(amount, currency) and quantize(amount, currency) == amount


def _one_currency(currency: str, parts: Sequence[PricedLine | Charge]) -> None:
    if any(part.currency != currency for part in parts):
        raise ValueError(f"every line and charge of an order is in its currency, {currency}")

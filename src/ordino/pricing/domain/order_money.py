"""The money of an order, line by line: what each unit was priced at, what was taken
off it and by whom, and the tax on it; the order's charges (shipping, fees) the
same way. Totals are derived from the parts, never stored beside them.

Invariants (checked when a line or charge is made):
- every amount has its currency's minor digits at most, and none is negative;
- a discount or a tax is kept per unit, and its amount is the sum of its units'
  parts, spread by largest remainder (`ordino.kernel.domain.money.spread`), so the
  parts add up to the cent;
- no unit is discounted below zero;
- an inclusive tax is inside the unit's price after discounts, an exclusive one is
  added to it.
What was placed never changes: a cancellation, a return or a price correction is a
new adjustment record, so what was paid for each unit can always be read back
(`PricedLine.unit_paid`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ordino.kernel.domain import InvalidInput, minor_digits, quantize, spread, to_minor


class AdjustmentSource(StrEnum):
    PROMOTION = "promotion"  # one of Ordino's promotions (its id and version)
    CHANNEL = "channel"  # the channel's own price adjustment
    MARKETPLACE = "marketplace"  # sent by a marketplace with its order, kept as given
    CORRECTION = "correction"  # a price corrected by hand


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
    per_unit: tuple[Decimal, ...]

    @property
    def amount(self) -> Decimal:
        return sum(self.per_unit, Decimal(0))


@dataclass(frozen=True)
class TaxLine:
    """One tax on each unit: where it is due, its rate, and whether the price holds it."""

    jurisdiction: str  # "DE", "FR", "CH"
    rate: Decimal  # 0.19 for 19 %
    per_unit: tuple[Decimal, ...]
    inclusive: bool

    @property
    def amount(self) -> Decimal:
        return sum(self.per_unit, Decimal(0))


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

    def __post_init__(self) -> None:
        _check_units(self.quantity, self.sale_price, self.currency, self.discounts, self.taxes)

    @property
    def gross(self) -> Decimal:
        return quantize(self.sale_price * self.quantity, self.currency)

    @property
    def discount(self) -> Decimal:
        return sum((d.amount for d in self.discounts), Decimal(0))

    @property
    def net(self) -> Decimal:
        """What the goods sell for after discounts (with any inclusive tax in it)."""
        return self.gross - self.discount

    @property
    def tax(self) -> Decimal:
        return sum((t.amount for t in self.taxes), Decimal(0))

    @property
    def total(self) -> Decimal:
        """What the customer pays for the line: net, plus the taxes not in the price."""
        return self.net + sum((t.amount for t in self.taxes if not t.inclusive), Decimal(0))

    def unit_net(self, unit: int) -> Decimal:
        return self.sale_price - sum((d.per_unit[unit] for d in self.discounts), Decimal(0))

    def unit_paid(self, unit: int) -> Decimal:
        """What unit `unit` (0-based) was paid: its price, less its discounts, plus its
        share of the taxes not in the price."""
        exclusive = sum((t.per_unit[unit] for t in self.taxes if not t.inclusive), Decimal(0))
        return self.unit_net(unit) + exclusive


@dataclass(frozen=True)
class Charge:
    """What the customer pays besides the goods: shipping, a fee; one unit."""

    kind: str  # "shipping", "fee"
    price: Decimal
    currency: str
    discounts: tuple[Discount, ...] = ()
    taxes: tuple[TaxLine, ...] = ()

    def __post_init__(self) -> None:
        _check_units(1, self.price, self.currency, self.discounts, self.taxes)

    @property
    def net(self) -> Decimal:
        return self.price - sum((d.amount for d in self.discounts), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.net + sum((t.amount for t in self.taxes if not t.inclusive), Decimal(0))


@dataclass(frozen=True)
class OrderMoney:
    """An order's lines and charges, and the totals derived from them."""

    currency: str
    lines: tuple[PricedLine, ...]
    charges: tuple[Charge, ...] = field(default=())

    @property
    def discount(self) -> Decimal:
        goods = sum((line.discount for line in self.lines), Decimal(0))
        return goods + sum((c.price - c.net for c in self.charges), Decimal(0))

    @property
    def tax(self) -> Decimal:
        goods = sum((line.tax for line in self.lines), Decimal(0))
        return goods + sum((t.amount for c in self.charges for t in c.taxes), Decimal(0))

    @property
    def total(self) -> Decimal:
        goods = sum((line.total for line in self.lines), Decimal(0))
        return goods + sum((c.total for c in self.charges), Decimal(0))


def discount_units(
    line: PricedLine, amount: Decimal, adjustment: Adjustment, field_name: str
) -> Discount:
    """`amount` off the line, spread over its units by what each still sells for
    (InvalidInput naming `field_name` when it is more than the line's net value)."""
    if amount > line.net:
        raise InvalidInput.of(field_name, f"{amount} is more than the line's {line.net}")
    weights = [to_minor(line.unit_net(unit), line.currency) for unit in range(line.quantity)]
    if not any(weights):
        return Discount(adjustment, tuple(quantize(Decimal(0), line.currency) for _ in weights))
    return Discount(adjustment, tuple(spread(amount, weights, line.currency)))


def discount_order(
    lines: Sequence[PricedLine], amount: Decimal, adjustment: Adjustment, field_name: str
) -> tuple[PricedLine, ...]:
    """An order-wide discount spread over the lines by their net value, then over each
    line's units; the lines with it added. InvalidInput naming `field_name` when it is
    more than the order's goods are worth."""
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


def tax_units(line: PricedLine, jurisdiction: str, rate: Decimal, *, inclusive: bool) -> TaxLine:
    """The tax of a line at `rate`, worked out on the line's net value once (rounded
    once, to the minor unit) and spread over its units by what each sells for. With
    `inclusive`, the tax inside the price; else the tax added to it."""
    currency, net = line.currency, line.net
    if inclusive:
        amount = net - quantize(net / (1 + rate), currency)
    else:
        amount = quantize(net * rate, currency)
    weights = [to_minor(line.unit_net(unit), currency) for unit in range(line.quantity)]
    if not any(weights):
        zero = quantize(Decimal(0), currency)
        return TaxLine(jurisdiction, rate, tuple(zero for _ in weights), inclusive)
    return TaxLine(jurisdiction, rate, tuple(spread(amount, weights, currency)), inclusive)


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


def _check_units(
    quantity: int,
    price: Decimal,
    currency: str,
    discounts: Sequence[Discount],
    taxes: Sequence[TaxLine],
) -> None:
    amounts = [price, *(p for d in discounts for p in d.per_unit)]
    amounts += [p for t in taxes for p in t.per_unit]
    digits = minor_digits(currency)
    if any(a < 0 or a != a.quantize(Decimal(1).scaleb(-digits)) for a in amounts):
        raise ValueError(f"amounts must be non-negative, in {currency}'s {digits} digits")
    counts = [len(d.per_unit) for d in discounts] + [len(t.per_unit) for t in taxes]
    if any(count != quantity for count in counts):
        raise ValueError(f"a discount or tax must name each of the {quantity} units")
    for unit in range(quantity):
        if sum((d.per_unit[unit] for d in discounts), Decimal(0)) > price:
            raise ValueError(f"unit {unit} is discounted below zero")

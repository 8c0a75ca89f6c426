"""Tax: what an order owes, worked out by a tax provider behind one interface.

A provider is asked with the order's money priced and discounted (`TaxRequest`) and
answers it with each line's and charge's taxes (`TaxEstimate`): at capture (and, to
come, at a quote, when an address or a line changes, finally per shipment, and as
a credit on a refund: docs/money.md). The built-in provider, `EuVat`, knows the
European Union's VAT (`ordino.pricing.domain.tax`): the rate of the destination's
country for each product's tax class on the order's day, the reverse charge for a
business with a valid VAT id of another member state, none on an export. Other
jurisdictions (US sales tax and the rest) are other providers of the same interface.

Pure: a provider is built with its data (rates, the seller) read for it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Protocol

from ordino.kernel.domain import InvalidInput, quantize, spread, to_minor
from ordino.pricing.domain import (
    VAT_TERRITORY,
    Charge,
    OrderMoney,
    PricedLine,
    PricedT,
    TaxClass,
    VatRate,
    rate_on,
    tax_given,
    tax_units,
    vat_due,
)


@dataclass(frozen=True)
class TaxRequest:
    """An order to tax: its money priced and discounted, without Ordino's taxes."""

    money: OrderMoney
    tax_classes: Mapping[str, TaxClass]  # by SKU; a SKU not named: standard
    destination: str  # the country the goods go to
    buyer_vat_id: str | None  # a business buyer's, as given
    day: date  # the order's day, where its channel sells
    inclusive: bool  # the channel's prices hold their tax (gross)


@dataclass(frozen=True)
class TaxEstimate:
    money: OrderMoney  # each line and charge with its taxes, and its tax treatment
    buyer_vat_id: str | None = None  # as the provider checked it


class TaxProvider(Protocol):
    def estimate(self, request: TaxRequest) -> TaxEstimate:
        """The order's taxes, or InvalidInput naming the field that has none."""
        ...


@dataclass(frozen=True)
class EuVat:
    """The built-in provider: EU VAT by destination, for a seller established in
    `seller_country`, over `rates` (those of the countries an order may owe)."""

    seller_country: str
    rates: Sequence[VatRate]

    def estimate(self, request: TaxRequest) -> TaxEstimate:
        due = vat_due(self.seller_country, request.destination, request.buyer_vat_id)
        treatment = str(due.treatment)
        if due.country is None:  # an export, or the reverse charge: no VAT charged
            untaxed = replace(request.money, tax_treatment=treatment)
            return TaxEstimate(untaxed, due.buyer_vat_id)
        country, money = due.country, request.money
        if not any(rate.country == country for rate in self.rates):
            raise InvalidInput.of("ship_to.country", f"no VAT rates are loaded for {country}")
        lines = tuple(
            self._taxed(line, request.tax_classes.get(line.sku, TaxClass.STANDARD), country,
                        request, f"lines[{n}].sku")
            for n, line in enumerate(money.lines)
        )  # fmt: skip
        charges = tuple(
            _as_the_goods(charge, lines, country, request.inclusive)
            if charge.kind == "shipping" and any(line.net for line in lines)
            else self._taxed(charge, TaxClass.STANDARD, country, request, f"charges[{k}]")
            for k, charge in enumerate(money.charges)
        )
        taxed = OrderMoney(money.currency, lines, charges, treatment)
        return TaxEstimate(taxed, due.buyer_vat_id)

    def _taxed(
        self, priced: PricedT, tax_class: TaxClass, country: str, request: TaxRequest, field: str
    ) -> PricedT:
        try:
            rate = rate_on(self.rates, country, tax_class, request.day)
        except InvalidInput as none:
            raise InvalidInput.of(field, none.errors[0].message) from None
        vat = tax_units(priced, country, rate.rate, inclusive=request.inclusive)
        return replace(priced, taxes=(*priced.taxes, vat))


def _as_the_goods(
    charge: Charge, lines: Sequence[PricedLine], country: str, inclusive: bool
) -> Charge:
    """Shipping taxed as the goods it carries: its value shared among the goods' rates
    by what the goods at each rate sell for (largest remainder, so the shares add up
    to it), each share taxed at its rate, rounded once."""
    nets: dict[Decimal, Decimal] = {}
    for line in lines:
        rate = line.taxes[-1].rate
        nets[rate] = nets.get(rate, Decimal(0)) + line.net
    rates = sorted(nets, reverse=True)
    currency = charge.currency
    weights = [to_minor(nets[rate], currency) for rate in rates]
    taxes = []
    for rate, share in zip(rates, spread(charge.net, weights, currency), strict=True):
        amount = (
            share - quantize(share / (1 + rate), currency)
            if inclusive
            else quantize(share * rate, currency)
        )
        taxed = tax_given(charge, country, rate, amount, inclusive, "charges")
        taxes.append(replace(taxed, base=share - amount if inclusive else share))
    return replace(charge, taxes=(*charge.taxes, *taxes))


def countries_taxed(seller_country: str, destination: str) -> set[str]:
    """The countries whose rates an order from the seller to `destination` may need."""
    return {seller_country, VAT_TERRITORY.get(destination, destination)}

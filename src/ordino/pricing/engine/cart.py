"""A cart priced as the order's money (`ordino.pricing.domain.OrderMoney`). The same
pricing serves a quote and a capture, so what a customer was quoted is what the
order is placed at.

- Each line sells at the caller's unit price; its list price is the catalogue's in
  the cart's currency (the caller's when the catalogue gives none).
- A caller's price that is not the catalogue's is what the channel's policy says
  (`ordino.network.domain.ChannelPricing`): accepted, reported for the order to be
  held (`PricedCart.differences`), or refused naming each line's price.
- A marketplace's discounts, taxes and charges are kept as given (their source
  `marketplace`), discounts before taxes; another channel's order brings none (its
  discounts are Ordino's promotions, its taxes Ordino's to work out): refused by
  their fields.

Pure: the same cart, policy and catalogue give the same money."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ordino.kernel.domain import FieldError, InvalidInput, fits, limit
from ordino.network.domain import ChannelPricing, PriceMismatch
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Cart,
    Charge,
    GivenCharge,
    GivenDiscount,
    GivenTax,
    OrderMoney,
    PricedLine,
    PricedT,
    discount_units,
    tax_given,
)


@dataclass(frozen=True)
class PriceDifference:
    """A line sold at another price than the catalogue's."""

    line_no: int
    given: Decimal
    catalogue: Decimal

    def __str__(self) -> str:
        return f"line {self.line_no}: {self.given} given, {self.catalogue} in the catalogue"


@dataclass(frozen=True)
class PricedCart:
    money: OrderMoney
    differences: tuple[PriceDifference, ...] = ()  # for a channel that flags them


def price_cart(cart: Cart, pricing: ChannelPricing, catalogue: Mapping[str, Decimal]) -> PricedCart:
    """The cart's money; `catalogue`: the catalogue's unit price of each SKU that has
    one in the cart's currency."""
    if not pricing.marketplace:
        _refuse_given(cart)
    source = AdjustmentSource.EXCHANGE if cart.exchange else AdjustmentSource.MARKETPLACE
    currency, lines, differences = cart.currency, [], []
    for i, asked in enumerate(cart.lines):
        listed = catalogue.get(asked.sku)
        if listed is not None and listed != asked.unit_price:
            differences.append(PriceDifference(i + 1, asked.unit_price, listed))
        line = PricedLine(
            i + 1,
            asked.sku,
            asked.quantity,
            asked.unit_price if listed is None else listed,
            asked.unit_price,
            currency,
        )
        given = _given(line, asked.discounts, asked.taxes, cart.channel, f"lines[{i}]", source)
        lines.append(given)
    if differences and pricing.mismatch is PriceMismatch.REFUSE:
        errors = [
            FieldError(f"lines[{d.line_no - 1}].unit_price", f"not the catalogue's {d.catalogue}")
            for d in differences
        ]
        raise InvalidInput(f"channel {cart.channel} sells at the catalogue's prices", errors=errors)
    charges = tuple(
        _charge(charge, currency, cart.channel, f"charges[{k}]")
        for k, charge in enumerate(cart.charges)
    )
    money = OrderMoney(currency, tuple(lines), charges)
    if not fits(money.total, currency):
        raise InvalidInput.of("lines", f"the total must be below {limit(currency):f} {currency}")
    flagged = tuple(differences) if pricing.mismatch is PriceMismatch.FLAG else ()
    return PricedCart(money, flagged)


def _charge(given: GivenCharge, currency: str, channel: str, field: str) -> Charge:
    charge = Charge(given.kind, given.price, currency)
    return _given(charge, given.discounts, given.taxes, channel, field)


def _given(
    priced: PricedT,
    discounts: Sequence[GivenDiscount],
    taxes: Sequence[GivenTax],
    channel: str,
    field: str,
    source: AdjustmentSource = AdjustmentSource.MARKETPLACE,
) -> PricedT:
    """A line or charge with a marketplace's discounts (or an exchange's), then its
    taxes, as given."""
    for j, d in enumerate(discounts):
        why = Adjustment(source, d.reference or channel, d.reason or f"given by {channel}")
        taken = discount_units(priced, d.amount, why, f"{field}.discounts[{j}].amount")
        priced = replace(priced, discounts=(*priced.discounts, taken))
    found = [
        tax_given(priced, t.jurisdiction, t.rate, t.amount, t.inclusive, f"{field}.taxes[{j}]")
        for j, t in enumerate(taxes)
    ]
    if not found:
        return priced
    inclusive = sum((t.amount for t in found if t.inclusive), Decimal(0))
    if inclusive > priced.net:
        raise InvalidInput.of(f"{field}.taxes", f"{inclusive} is more than the price holds")
    try:
        return replace(priced, taxes=tuple(found))
    except ValueError as unkept:  # together, a cent more than some unit's price holds
        raise InvalidInput.of(f"{field}.taxes", str(unkept)) from None


def _refuse_given(cart: Cart) -> None:
    """Only a marketplace's order brings its own discounts, taxes and charges (and
    an exchange order its discounts: what the returned units' took off)."""
    why = f"channel {cart.channel} is no marketplace: Ordino prices its orders"
    errors = [
        FieldError(f"lines[{i}].{name}", why)
        for i, line in enumerate(cart.lines)
        for name, given in (("discounts", line.discounts), ("taxes", line.taxes))
        if given and not (cart.exchange and name == "discounts")
    ]
    errors += [FieldError("charges", why)] if cart.charges else []
    if errors:
        raise InvalidInput("discounts, taxes and charges as given", errors=errors)

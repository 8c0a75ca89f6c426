"""What an order must be to be placed, whatever the stock: checked by capture before
it sources anything, so a refusal names the field and changes nothing.

- its channel is a known one, and no line asks more units than the channel allows
  (`ordino.network.domain.channels`: 1,000 unless the channel says otherwise);
- a B2B requested date is neither before the channel's today (in its time zone) nor
  more than a year ahead;
- its type exists (built in, or configured);
- each of its known products that the catalogue prices has a price in the order's
  currency (the order carries its own prices: a product the catalogue gives none is
  priced by its channel; one priced in other currencies only is not sold in this one);
- without a promise chosen, and unless its customer collects at a store, some carrier
  service delivers to its country (when any carrier service is set up: without one
  Ordino knows nothing of shipping).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.domain.errors import FieldError, InvalidInput
from ordino.network.domain.carriers import CarrierService
from ordino.network.domain.channels import Channel
from ordino.network.services.channels import known_channel
from ordino.orders.domain.commands import PlaceOrder, date_problems
from ordino.orders.domain.pipelines import BUILT_IN, COLLECTED
from ordino.orders.services.ports import OrdersWork


def refuse_what_cannot_be_placed(
    uow: OrdersWork, picture: StockPicture, cmd: PlaceOrder, now: datetime
) -> None:
    """An order of a known channel, within what it allows, of a type that exists, in a
    currency its products have prices in, to a country a carrier serves. All of it
    from the process's picture (`StockPicture`): no query once it holds them."""
    channel = _refuse_beyond_channel(picture.channels(uow), cmd)
    if problems := date_problems(cmd, channel.today(now), channel.time_zone):
        raise InvalidInput("the order cannot be placed as given", errors=problems)
    _refuse_unknown_type(uow, cmd.type)
    _refuse_unpriced(uow, picture, cmd)
    # A promise chosen is an option some carrier (or store) keeps; a collected order
    # needs no carrier to the customer's country.
    if cmd.promise is None and cmd.type not in COLLECTED:
        _refuse_unserved(picture.carriers(uow), cmd.ship_to.country)


def _refuse_unpriced(uow: OrdersWork, picture: StockPicture, cmd: PlaceOrder) -> None:
    """Each known SKU the catalogue prices has a price in the order's currency
    (unknown ones are refused as such when sourcing finds them)."""
    currencies = picture.currencies(uow, [line.sku for line in cmd.lines])
    errors = [
        FieldError(f"lines[{n}].sku", f"{line.sku} has no price in {cmd.currency} (it has {has})")
        for n, line in enumerate(cmd.lines)
        if currencies.get(line.sku) and cmd.currency not in currencies[line.sku]
        for has in [", ".join(sorted(currencies[line.sku]))]
    ]
    if errors:
        raise InvalidInput(f"products without a price in {cmd.currency}", errors=errors)


def _refuse_unserved(carriers: Sequence[CarrierService], country: str) -> None:
    """Some carrier service delivers to the country (when carrier services are set up at
    all: without any, Ordino knows nothing of shipping to judge by)."""
    if carriers and not any(service.delivers_to(country) for service in carriers):
        raise InvalidInput.of("ship_to.country", f"no carrier service delivers to {country}")


def _refuse_beyond_channel(channels: Mapping[str, Channel], cmd: PlaceOrder) -> Channel:
    """A known channel, and lines no larger than it allows."""
    channel = known_channel(channels, cmd.channel)
    if problems := channel.line_problems([line.quantity for line in cmd.lines]):
        raise InvalidInput(f"lines larger than channel {channel.name} allows", errors=problems)
    return channel


def _refuse_unknown_type(uow: OrdersWork, name: str | None) -> None:
    """An order names a type that exists (built in, or configured)."""
    if name is not None and name not in BUILT_IN and uow.order_types.get(name) is None:
        raise InvalidInput.of("type", f"no order type {name!r}")

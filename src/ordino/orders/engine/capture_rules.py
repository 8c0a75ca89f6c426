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

Pure: what it checks against is read with the rest of capture's snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from datetime import datetime

from ordino.kernel.domain import InvalidInput
from ordino.network.domain import (
    CarrierService,
    Channel,
    ProductFacts,
    known_channel,
    refuse_unserved,
)
from ordino.orders.domain.commands import PlaceOrder, date_problems
from ordino.orders.domain.pipelines import COLLECTED, EXCHANGE
from ordino.pricing.engine import refuse_unpriced


def refuse_what_cannot_be_placed(
    cmd: PlaceOrder,
    now: datetime,
    channels: Mapping[str, Channel],
    types: Set[str],
    products: Mapping[str, ProductFacts],
    carriers: Sequence[CarrierService],
) -> None:
    """An order of a known channel, within what it allows, of a type that exists
    (`types`: of those it may name), in a currency its products (the known ones) have
    prices in, to a country a carrier serves."""
    channel = _refuse_beyond_channel(channels, cmd)
    if problems := date_problems(cmd, channel.today(now), channel.time_zone):
        raise InvalidInput("the order cannot be placed as given", errors=problems)
    if cmd.type is not None and cmd.type not in types:
        raise InvalidInput.of("type", f"no order type {cmd.type!r}")
    if (cmd.type == EXCHANGE) != (cmd.exchange_of is not None):
        raise InvalidInput.of("type", "exchange orders are placed by Ordino, for a return")
    refuse_unpriced([line.sku for line in cmd.lines], products, cmd.currency)
    # A promise chosen is an option some carrier (or store) keeps; a collected order
    # needs no carrier to the customer's country.
    if cmd.promise is None and cmd.type not in COLLECTED:
        refuse_unserved(carriers, cmd.ship_to.country)


def _refuse_beyond_channel(channels: Mapping[str, Channel], cmd: PlaceOrder) -> Channel:
    """A known channel, and lines no larger than it allows."""
    channel = known_channel(channels, cmd.channel)
    if problems := channel.line_problems([line.quantity for line in cmd.lines]):
        raise InvalidInput(f"lines larger than channel {channel.name} allows", errors=problems)
    return channel

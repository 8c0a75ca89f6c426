"""Request bodies for promising: a cart to promise, a product's promise, and how
promises fared. Each is checked whole here, so that the field that is wrong is named.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ordino.http.fields import (
    Country,
    Identifier,
    Latitude,
    LocalInstant,
    Longitude,
    PositiveQuantity,
    Strict,
    point_of,
)
from ordino.kernel.domain.roles import ApiKey
from ordino.promising.domain.promises import CartLine
from ordino.promising.services.promises import PromiseQuery

PostalCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class CartLineIn(Strict):
    sku: Identifier
    quantity: PositiveQuantity


class DestinationIn(Strict):
    """Where the cart goes: a postal code or a point (or both: the point wins for
    distances), and the country (it may be left out with a postal code that only one
    country has)."""

    country: Country | None = None
    postal_code: PostalCode | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class PromiseIn(Strict):
    lines: Annotated[list[CartLineIn], Field(min_length=1, max_length=100)]
    destination: DestinationIn
    channel: Identifier | None = None
    view: Identifier | None = None

    def to_query(self, caller: ApiKey) -> PromiseQuery:
        """The query, through the caller's channel's view when it is a channel's key."""
        d = self.destination
        return PromiseQuery(
            tuple(CartLine(line.sku, line.quantity) for line in self.lines),
            d.country,
            point_of(d.latitude, d.longitude, "destination."),
            d.postal_code,
            caller.reading_channel(self.channel),
            self.view,
        )


class ProductPromiseParams(DestinationIn):
    channel: Identifier | None = None
    view: Identifier | None = None

    def to_query(self, caller: ApiKey) -> PromiseQuery:
        point = point_of(self.latitude, self.longitude)
        channel = caller.reading_channel(self.channel)
        return PromiseQuery((), self.country, point, self.postal_code, channel, self.view)


class PerformanceParams(Strict):
    by: Literal["location", "carrier", "service"] = "location"
    since: LocalInstant | None = Field(
        None, alias="from", description="Deliveries from (default: 30 days ago)"
    )
    until: LocalInstant | None = Field(
        None, alias="to", description="Deliveries before (default: now)"
    )

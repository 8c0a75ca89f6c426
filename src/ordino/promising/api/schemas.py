"""Request bodies for promising: a cart to promise, a product's promise, and how
promises fared. Each is checked whole here, so that the field that is wrong is named.
And the answers of promising: the options, a product page's, how promises fared; a
promise's delivery dates and cost are told the same way wherever an answer carries
one (an order's promise, the customer's view), so their shapes are promising's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

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
from ordino.kernel.domain import ApiKey
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


# The answers: a promise's options, a product page's, how promises fared.


class DeliveryOut(BaseModel):
    earliest: str
    latest: str


class MoneyOut(BaseModel):
    amount: str
    currency: str


class OptionSourceOut(BaseModel):
    location_id: str
    sku: str
    quantity: int
    ship_date: str


class OptionOut(BaseModel):
    id: str = Field(description="ship:<service>, pickup:<store>, ship_to_store:<store>")
    method: str
    service: str | None
    store_id: str | None
    ship_date: str
    delivery: DeliveryOut
    ready_by: str | None
    cost: MoneyOut
    packages: int
    sources: list[OptionSourceOut]


class NotOfferedOut(BaseModel):
    option: str
    reason: str
    detail: str
    location_id: str | None


class PromiseAnswer(BaseModel):
    options: list[OptionOut] = Field(description="Soonest first")
    not_offered: list[NotOfferedOut]


class MethodsOut(BaseModel):
    ship: OptionOut | None
    pickup: OptionOut | None
    ship_to_store: OptionOut | None


class ProductPromiseOut(BaseModel):
    sku: str
    methods: MethodsOut = Field(description="The earliest option of each method, if any")
    not_offered: list[NotOfferedOut]


class PerformanceOut(BaseModel):
    """One group: its key is named by what the groups are by (`location`, …)."""

    location: str | None = None
    carrier: str | None = None
    service: str | None = None
    deliveries: int
    on_time: int
    on_time_rate: float
    mean_slack_days: float


class PerformancePage(BaseModel):
    by: str
    items: list[PerformanceOut]

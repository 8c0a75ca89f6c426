"""Sales channels: configuring one makes it known (orders, views, profiles and keys
name known channels only), with the settings its orders are held to."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, Amount, Country, Currency, OptionalText, Strict, TimeZone
from ordino.http.security import require
from ordino.kernel.domain import (
    ApiKey,
    BadAmount,
    FieldError,
    InvalidInput,
    Permission,
    parse_amount,
)
from ordino.network.domain.channels import (
    DEFAULT_MAX_LINE_QUANTITY,
    MAX_LINE_QUANTITY,
    Channel,
    ChannelPricing,
    PriceBasis,
    PriceMismatch,
    ShippingRate,
)
from ordino.network.services import channels

router = APIRouter(prefix="/v1/channels")

NamePath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
READ = [Depends(require(Permission.AVAILABILITY_READ))]
Writer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]


class ShippingRateIn(Strict):
    currency: Currency
    price: Annotated[Amount, Field(description="What the customer pays for shipping")]
    countries: Annotated[
        list[Country], Field(max_length=300, description="Where it ships to; none: anywhere")
    ] = []
    free_from: Annotated[
        Amount | None,
        Field(description="Free once the goods come to this (after their discounts)"),
    ] = None

    def to_domain(self, field: str, errors: list[FieldError]) -> ShippingRate | None:
        amounts = {}
        for name, text in (("price", self.price), ("free_from", self.free_from)):
            if text is None:
                continue
            try:
                amounts[name] = parse_amount(text, self.currency)
            except BadAmount as bad:
                errors.append(FieldError(f"{field}.{name}", str(bad)))
        if len(amounts) < 1 + (self.free_from is not None):
            return None
        free_from = amounts.get("free_from")
        if free_from is not None and free_from <= 0:
            errors.append(FieldError(f"{field}.free_from", "must be above 0"))
        return ShippingRate(self.currency, amounts["price"], frozenset(self.countries), free_from)


TenderMethodName = Literal["card", "gift_card", "store_credit", "invoice", "marketplace"]


class TenderOrderIn(Strict):
    capture: Annotated[
        list[TenderMethodName],
        Field(
            max_length=5,
            description="The order in which a shipment's capture takes from an order's "
            "tenders, by method (those not named after, in Ordino's order: gift card, store "
            "credit, marketplace, invoice, card)",
        ),
    ] = []
    refund: Annotated[
        list[TenderMethodName],
        Field(
            max_length=5,
            description="The order in which a refund gives back to them (Ordino's: card, "
            "marketplace, invoice, store credit, gift card)",
        ),
    ] = []

    def problems(self) -> list[FieldError]:
        return [
            FieldError(f"pricing.tenders.{name}[{i}]", f"{method} is named twice")
            for name, methods in (("capture", self.capture), ("refund", self.refund))
            for i, method in enumerate(methods)
            if method in methods[:i]
        ]


class PricingIn(Strict):
    prices: Annotated[
        Literal["gross", "net"],
        Field(description="gross: prices hold their tax; net: tax is added to them"),
    ] = "gross"
    price_mismatch: Annotated[
        Literal["accept", "flag", "refuse"],
        Field(
            description="An order's unit price that is not the catalogue's: placed at it "
            "(accept), placed and held for a person to look (flag), or refused (refuse)"
        ),
    ] = "accept"
    marketplace: Annotated[
        bool,
        Field(description="Its orders bring their own discounts, taxes and charges, kept as given"),
    ] = False
    shipping: Annotated[
        list[ShippingRateIn],
        Field(
            max_length=100,
            description="What its customers pay for shipping: the first rate in the order's "
            "currency to its country applies; none: shipping is free (a marketplace's "
            "orders bring their own)",
        ),
    ] = []

    settlement_currency: Annotated[
        Currency | None,
        Field(
            description="The currency its orders are settled and reported in; an order in "
            "another is converted at the day's exchange rate, kept with it (none: its own)"
        ),
    ] = None
    incoterm: Annotated[
        Literal["DAP", "DDP"],
        Field(
            description="Who pays the duties and import VAT of its parcels that cross a "
            "customs border: DAP the receiver, DDP the sender (estimated on the declaration)"
        ),
    ] = "DAP"
    tenders: TenderOrderIn = TenderOrderIn()

    def to_domain(self) -> ChannelPricing:
        errors: list[FieldError] = self.tenders.problems()
        rates = [
            rate.to_domain(f"pricing.shipping[{i}]", errors) for i, rate in enumerate(self.shipping)
        ]
        if self.marketplace and self.shipping:
            errors.append(FieldError("pricing.shipping", "a marketplace's orders bring their own"))
        if errors:
            raise InvalidInput("shipping rates that cannot be", errors=errors)
        return ChannelPricing(
            PriceBasis(self.prices),
            PriceMismatch(self.price_mismatch),
            self.marketplace,
            tuple(rate for rate in rates if rate is not None),
            self.settlement_currency,
            self.incoterm,
            tuple(self.tenders.capture),
            tuple(self.tenders.refund),
        )


class ShippingRateOut(BaseModel):
    currency: str
    price: str
    countries: list[str]
    free_from: str | None


class TenderOrderOut(BaseModel):
    capture: list[str]
    refund: list[str]


class PricingOut(BaseModel):
    prices: str
    price_mismatch: str
    marketplace: bool
    shipping: list[ShippingRateOut]
    settlement_currency: str | None
    incoterm: str
    tenders: TenderOrderOut


class ChannelIn(Strict):
    max_line_quantity: Annotated[
        int,
        Field(
            strict=True,
            ge=1,
            le=MAX_LINE_QUANTITY,
            description="The most units one line of an order may ask in this channel",
        ),
    ] = DEFAULT_MAX_LINE_QUANTITY
    description: OptionalText = None
    time_zone: Annotated[
        TimeZone,
        Field(description="The IANA zone of its customers' days: today for a requested date"),
    ] = "UTC"
    pricing: PricingIn = PricingIn()


class ChannelOut(BaseModel):
    name: str
    max_line_quantity: int
    description: str | None
    time_zone: str
    pricing: PricingOut
    version: int


class ChannelList(BaseModel):
    items: list[ChannelOut]


@router.get("", response_model=ChannelList, dependencies=READ)
def list_channels(request: Request) -> Response:
    return JSONResponse({"items": channels.list_channels(unit_of_work(request))})


# `:path`: a channel's name may hold a `/` (`marketplace/amazon-de`), sent as it is or
# as `%2F` (which the server decodes before routing); nothing lies below a channel.
@router.put("/{name:path}", response_model=ChannelOut)
def put_channel(name: NamePath, body: ChannelIn, request: Request, caller: Writer) -> Response:
    """Configure a channel (which makes it known) or change its settings; the change
    is recorded with its author (`GET /v1/configuration-changes?kind=channel`)."""
    channel = Channel(
        name, body.max_line_quantity, body.description, body.time_zone, body.pricing.to_domain()
    )
    uow, now = unit_of_work(request), clock(request)
    created, answer = channels.put_channel(channel, uow, now, f"key:{caller.id}")
    return JSONResponse(answer, status_code=201 if created else 200)


@router.get("/{name:path}", response_model=ChannelOut, dependencies=READ)
def get_channel(name: NamePath, request: Request) -> Response:
    return JSONResponse(channels.get_channel(name, unit_of_work(request)))

"""Request and response bodies for orders; and an order's sourcing decisions, each
with the explanation sourcing gave (`ordino.sourcing.api.schemas`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, EmailStr, Field, model_validator

from ordino.http.fields import (
    ID_PATTERN,
    Amount,
    Currency,
    Identifier,
    Language,
    Latitude,
    Longitude,
    OptionalText,
    PositiveQuantity,
    PromotionCode,
    Strict,
    point_of,
)
from ordino.kernel.domain import (
    BadAmount,
    FieldError,
    InvalidInput,
    Point,
    fits,
    limit,
    parse_amount,
)
from ordino.network.api import AddressIn
from ordino.network.domain import Address
from ordino.orders.domain.commands import B2B, Customer, LineRequest, PlaceOrder
from ordino.payments.domain import (
    BalanceKind,
    PaymentMethod,
    TenderAsked,
    account_of,
    credit_account_name,
)
from ordino.pricing.api import (
    ChargeIn,
    ChargeOut,
    ExchangeOut,
    GivenDiscountIn,
    GivenTaxIn,
    LineMoneyOut,
    OrderMoneyOut,
    given_discounts,
    given_taxes,
)
from ordino.pricing.domain import GivenCharge
from ordino.promising.api import DeliveryOut, MoneyOut
from ordino.promising.domain import PromiseChoice
from ordino.sourcing.api import ExplanationOut

OrderIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


class CustomerIn(Strict):
    email: EmailStr
    name: OptionalText = None
    phone: Annotated[str, Field(max_length=50)] | None = None
    vat_id: Annotated[
        str | None,
        Field(
            min_length=4,
            max_length=32,
            description="A business buyer's VAT id: with a valid one of another EU member "
            "state than the seller's, no VAT is charged (reverse charge)",
        ),
    ] = None
    group: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=32,
            pattern=r"^[a-z][a-z0-9_-]*$",
            description="The channel's group for the customer (vip, staff): a promotion's "
            "condition may name it (customer.group)",
        ),
    ] = None


class ShipToIn(AddressIn):
    name: OptionalText = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None

    def to_domain_with_point(self) -> tuple[Address, Point | None]:
        point = point_of(self.latitude, self.longitude, "ship_to.")
        return self.to_domain(self.name or None), point


class LineIn(Strict):
    sku: Identifier
    quantity: PositiveQuantity
    unit_price: Amount
    discounts: Annotated[
        list[GivenDiscountIn],
        Field(max_length=10, description="A marketplace's, kept as given (other channels: none)"),
    ] = []
    taxes: Annotated[
        list[GivenTaxIn],
        Field(max_length=5, description="A marketplace's, kept as given (other channels: none)"),
    ] = []


class PromiseChoiceIn(Strict):
    """The delivery option chosen from `POST /v1/promises`: the order is placed with it
    made again now, or refused (409 promise-unavailable) if it is no longer offered
    or, with `deliver_by`, would now deliver later than that."""

    option_id: Annotated[str, Field(min_length=1, max_length=140)]
    deliver_by: date | None = None


# The payment gateway's token for a card.
CardToken = Annotated[str | None, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class PaymentIn(Strict):
    """How the customer pays with one tender: `card` with the payment gateway's token
    for it (the sandbox's test card numbers stand for tokens: 4242424242424242
    approves, 4000000000000002 is declined; docs/orchestration.md), or `invoice`. The
    same as `tenders` of one."""

    method: Literal["card", "invoice"]
    token: CardToken = None

    @model_validator(mode="after")
    def _token_for_cards(self) -> PaymentIn:
        if (self.method == "card") != (self.token is not None):
            raise ValueError("a card payment needs its token, an invoice none")
        return self

    def to_domain(self) -> TenderAsked:
        return TenderAsked(PaymentMethod(self.method), None, self.token)


class TenderIn(Strict):
    """One tender of the order (docs/money.md, tenders): `card` (its `token`),
    `gift_card` (its `code`), `store_credit` (the customer's, or the `email`
    given), `invoice` (on account: the business's `account`, else the customer's
    email) or `marketplace` (paid there). `amount` is what it pays; the one given
    without (at most one) pays what the others leave."""

    method: Literal["card", "gift_card", "store_credit", "invoice", "marketplace"]
    amount: Amount | None = None
    token: CardToken = None
    code: Annotated[str | None, Field(min_length=4, max_length=40)] = None
    email: Annotated[str | None, Field(min_length=3, max_length=254)] = None
    account: Annotated[
        str | None,
        Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$"),
    ] = None

    @model_validator(mode="after")
    def _what_it_names(self) -> TenderIn:
        names = {"card": "token", "gift_card": "code", "store_credit": "email",
                 "invoice": "account"}  # fmt: skip
        own = names.get(self.method)
        for name in ("token", "code", "email", "account"):
            if name != own and getattr(self, name) is not None:
                raise ValueError(f"{name} names no {self.method} tender")
        if self.method in ("card", "gift_card") and getattr(self, own or "") is None:
            raise ValueError(f"a {self.method} tender needs its {own}")
        return self

    def to_domain(self, currency: str, field: str, errors: list[FieldError]) -> TenderAsked:
        amount = None
        if self.amount is not None:
            try:
                amount = parse_amount(self.amount, currency)
            except BadAmount as bad:
                errors.append(FieldError(f"{field}.amount", str(bad)))
        method = PaymentMethod(self.method)
        reference = self.token or self.code or self.email
        if self.account is not None:
            reference = f"invoice:{credit_account_name(self.account)}"
        if method.balance and reference is not None:
            kind = BalanceKind(self.method)
            try:
                reference = account_of(kind, reference)
            except InvalidInput as bad:
                errors.extend(replace(e, field=f"{field}.{e.field}") for e in bad.errors)
        return TenderAsked(method, amount, reference)


class BillToIn(AddressIn):
    name: OptionalText = None


class B2BIn(Strict):
    purchase_order: Annotated[str, Field(min_length=1, max_length=64)]
    requested_date: Annotated[
        date | None, Field(description="When the buyer wants it (released lead days before)")
    ] = None
    ship_complete: bool = True

    def to_domain(self) -> B2B:
        return B2B(self.purchase_order, self.requested_date, self.ship_complete)


class OrderIn(Strict):
    channel: Identifier
    external_id: Annotated[str, Field(min_length=1, max_length=128)]
    currency: Currency
    customer: CustomerIn
    ship_to: ShipToIn
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=500)]
    promise: PromiseChoiceIn | None = None
    # The carrier service chosen, when no promise names it: sourcing prices the
    # order by its rate card and applies the profiles for it.
    service: Identifier | None = None
    type: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=32,
            pattern=r"^[a-z][a-z0-9_]*$",
            description="The order type (GET /v1/order-types); none: b2b with a purchase "
            "order, else by the promise's method (pickup_in_store, ship_to_store), else "
            "ship_to_home",
        ),
    ] = None
    bill_to: BillToIn | None = None
    b2b: B2BIn | None = None
    language: Annotated[
        Language | None,
        Field(
            description="The customer's language (BCP 47: de, de-CH, fr-CH): their page "
            "speaks it, and the events carry it for the messages sent to them"
        ),
    ] = None
    payment: Annotated[
        PaymentIn | None,
        Field(
            description="One tender (the same as `tenders` of one); with neither, the "
            "order is paid already (a marketplace's order)"
        ),
    ] = None
    tenders: Annotated[
        list[TenderIn],
        Field(
            max_length=5,
            description="How it is paid, tender by tender: a gift card, "
            "store credit, a card for the rest, … (docs/money.md)",
        ),
    ] = []
    priority: Annotated[
        int,
        Field(
            ge=0,
            le=9,
            description="0 to 9: units waiting for supply go to orders of higher "
            "priority first, then to the oldest",
        ),
    ] = 0
    charges: Annotated[
        list[ChargeIn],
        Field(
            max_length=10,
            description="A marketplace's shipping and fees, kept as given (other channels: none)",
        ),
    ] = []
    codes: Annotated[
        list[PromotionCode],
        Field(max_length=10, description="Promotion codes the customer gave (any case)"),
    ] = []

    def to_command(self) -> PlaceOrder:
        lines, charges = self._line_requests()
        tenders = self._tenders()
        address, point = self.ship_to.to_domain_with_point()
        c = self.customer
        customer = Customer(
            c.email.lower(), c.name or None, c.phone or None, c.vat_id or None, c.group
        )
        choice = self.promise
        return PlaceOrder(
            self.channel,
            self.external_id,
            self.currency,
            customer,
            address,
            point,
            lines,
            None if choice is None else PromiseChoice(choice.option_id, choice.deliver_by),
            self.service,
            self.type,
            None if self.bill_to is None else self.bill_to.to_domain(self.bill_to.name or None),
            None if self.b2b is None else self.b2b.to_domain(),
            priority=self.priority,
            tenders=tenders,
            charges=charges,
            codes=tuple(self.codes),
            language=self.language,
        )

    def _tenders(self) -> tuple[TenderAsked, ...]:
        if self.payment is not None and self.tenders:
            raise InvalidInput.of("payment", "give either payment or tenders, not both")
        if self.payment is not None:
            return (self.payment.to_domain(),)
        errors: list[FieldError] = []
        tenders = tuple(
            tender.to_domain(self.currency, f"tenders[{i}]", errors)
            for i, tender in enumerate(self.tenders)
        )
        if errors:
            raise InvalidInput("tenders that cannot pay the order", errors=errors)
        return tenders

    def _line_requests(self) -> tuple[tuple[LineRequest, ...], tuple[GivenCharge, ...]]:
        """The lines at their prices and the charges, each amount in the currency's
        digits; the whole within what an amount can hold."""
        currency, lines, errors = self.currency, [], []
        for i, line in enumerate(self.lines):
            try:
                price = parse_amount(line.unit_price, currency)
            except BadAmount as bad:
                errors.append(FieldError(f"lines[{i}].unit_price", str(bad)))
                continue
            field = f"lines[{i}]"
            discounts = given_discounts(line.discounts, currency, field, errors)
            taxes = given_taxes(line.taxes, currency, field, errors)
            lines.append(LineRequest(line.sku, line.quantity, price, discounts, taxes))
        charges = tuple(
            charge.to_domain(currency, f"charges[{k}]", errors)
            for k, charge in enumerate(self.charges)
        )
        if errors:
            raise InvalidInput("invalid amounts", errors=errors)
        total = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
        total += sum((c.price for c in charges), Decimal(0))
        added = [t for line in lines for t in line.taxes] + [t for c in charges for t in c.taxes]
        total += sum((t.amount for t in added if not t.inclusive), Decimal(0))
        if not fits(total, currency):
            too_large = f"the order total must be below {limit(currency):f} {currency}"
            raise InvalidInput.of("lines", too_large)
        return tuple(lines), charges


class CancelIn(Strict):
    reason: OptionalText = None


class AllocationOut(BaseModel):
    location_id: str
    quantity: int
    ship_date: str | None


class PromiseOut(BaseModel):
    option_id: str
    method: str
    service: str | None
    store_id: str | None
    ship_date: str
    delivery: DeliveryOut
    ready_by: str | None
    cost: MoneyOut
    promised_at: str


class LineOut(LineMoneyOut):
    line_no: int
    sku: str
    quantity: int
    status: str
    cancelled: int
    allocated: int  # held at locations, released or not
    released: int  # held for fulfillment orders sent to their locations
    shipped: int
    delivered: int
    picked_up: int
    returned: int  # came back by a return
    being_returned: int  # on an open return, not received yet
    returnable: int  # delivered or picked up, less returned and being returned
    backordered: int  # units waiting for supply
    expected_on: str | None  # when they are expected (the supply on its way)
    allocations: list[AllocationOut]


class FulfillmentLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int


class FulfillmentOut(BaseModel):
    id: str
    location_id: str
    method: str
    status: str
    store_id: str | None
    lines: list[FulfillmentLineOut]
    carrier: str | None
    tracking_number: str | None
    reason: str | None
    created_at: str
    updated_at: str


class CustomerOut(BaseModel):
    email: str
    name: str | None
    phone: str | None
    vat_id: str | None
    group: str | None


class ShipToOut(BaseModel):
    name: str | None
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str
    latitude: float | None
    longitude: float | None


class HoldOut(BaseModel):
    id: str
    rule: str
    reason: str
    status: str
    placed_at: str
    placed_by: str
    resolved_at: str | None
    resolved_by: str | None
    note: str | None


class PipelineOut(BaseModel):
    steps: list[str]
    next: str | None  # the step it stands at; none: every step passed (or not begun)


class B2BOut(BaseModel):
    purchase_order: str
    requested_date: str | None
    ship_complete: bool


class PaymentOut(BaseModel):
    """One tender of the order and what it authorised, captured, voided and refunded."""

    method: str
    reference: str | None = Field(
        description="What it is paid from: a gift card by its code's last four "
        "characters, the customer's store credit or the business's account"
    )
    status: str
    currency: str
    amount: str
    authorised: str
    captured: str
    voided: str
    refunded: str
    expires_at: str | None
    message: str | None


class OrderOut(BaseModel):
    id: str
    channel: str
    external_id: str
    status: str
    return_state: str = Field(
        description="What came back: none, in_progress (a return is open), "
        "partially_returned, returned"
    )
    currency: str
    total: str
    money: OrderMoneyOut
    charges: list[ChargeOut]
    tax_treatment: str | None = Field(
        description="How its tax was worked out: domestic, destination, reverse_charge, "
        "export; none: it was not (no tax settings, or a marketplace's taxes as given)"
    )
    exchange: ExchangeOut | None = Field(
        description="The rate it is settled at in its channel's settlement currency "
        "(none: it settles in its own)"
    )
    customer: CustomerOut
    ship_to: ShipToOut
    type: str
    priority: int
    on_hold: bool
    holds: list[HoldOut]
    pipeline: PipelineOut
    bill_to: ShipToOut | None
    language: str | None
    b2b: B2BOut | None
    lines: list[LineOut]
    fulfillments: list[FulfillmentOut]
    tenders: list[PaymentOut] | None = None  # on GET /v1/orders/{id}: how it is paid
    promise: PromiseOut | None
    created_at: str
    updated_at: str


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None


class DecisionOut(ExplanationOut):
    reason: str = Field(description="capture, a rejection, supply arriving, …")
    decided_at: str


class SourcingOut(BaseModel):
    order_id: str
    decisions: list[DecisionOut]

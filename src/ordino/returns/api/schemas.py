"""What returns' routes take and answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, EmailStr, Field

from ordino.http.fields import (
    ID_PATTERN,
    Currency,
    Identifier,
    OptionalText,
    PositiveQuantity,
    Strict,
)
from ordino.kernel.domain import Role
from ordino.orchestration.api import RefundIn, RefundOut
from ordino.returns.domain import (
    Condition,
    Disposition,
    ExchangeMode,
    ExchangeTerms,
    ReceivedUnits,
    RefundOn,
    RefundTerms,
    RefundTo,
    ReturnLineRequest,
    ReturnMethod,
    ReturnPolicy,
    ReturnReason,
    ReturnStatus,
    ReturnWindow,
    RoutingProfile,
    ShippingRefund,
)

ReturnIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
Code = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="A policy's code"),
]


class ReturnLineIn(Strict):
    line_no: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    quantity: PositiveQuantity
    reason: Code
    note: Annotated[str | None, Field(max_length=500)] = None
    exchange_sku: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=64,
            description="Another size or colour instead of the money (the policy's `exchanges`)",
        ),
    ] = None

    def to_domain(self) -> ReturnLineRequest:
        return ReturnLineRequest(
            self.line_no, self.quantity, self.reason, self.note, self.exchange_sku
        )


class ReturnIn(Strict):
    lines: Annotated[list[ReturnLineIn], Field(min_length=1, max_length=200)]
    method: ReturnMethod = Field(
        description="store (dropped off at a store), carrier_drop_off, carrier_pickup, mail"
    )
    refund_to: RefundTo = Field(
        RefundTo.ORIGINAL,
        description="original (what paid the order), or store_credit (to spend again)",
    )
    customer_email: EmailStr | None = Field(
        None,
        description="The customer's e-mail, as they say it at the counter: a store's key "
        "starts a return of an order it did not serve (online, or at another store) with it",
    )


class ReceivedUnitsIn(Strict):
    line_no: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    quantity: PositiveQuantity
    condition: Condition = Field(description="new, opened, damaged")
    disposition: Disposition = Field(
        description="restock (here), send_on, return_to_vendor, refurbish, write_off"
    )
    to: Identifier | None = Field(
        None,
        description="Where send_on and return_to_vendor units go (default: where the return "
        "was routed; the product's vendor)",
    )

    def to_domain(self) -> ReceivedUnits:
        return ReceivedUnits(self.line_no, self.quantity, self.condition, self.disposition, self.to)


class MissingIn(Strict):
    line_no: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    quantity: PositiveQuantity


class ReceiptIn(Strict):
    location_id: Identifier | None = Field(
        None, description="Where it was received (a store's key: its own, the default)"
    )
    code: Annotated[str | None, Field(max_length=32)] = Field(
        None, description="The return's code, as the customer showed it"
    )
    lines: Annotated[list[ReceivedUnitsIn], Field(max_length=200)] = []
    missing: Annotated[list[MissingIn], Field(max_length=200)] = []


class ReceivedUnitsOut(BaseModel):
    line_no: int
    quantity: int
    condition: Condition
    disposition: Disposition
    to: str | None


class MissingOut(BaseModel):
    line_no: int
    quantity: int


class ReceiptOut(BaseModel):
    id: str
    location_id: str
    received_at: str
    by: str
    lines: list[ReceivedUnitsOut]
    missing: list[MissingOut]


class ReceiptList(BaseModel):
    items: list[ReceiptOut]


class RefundedUnitsOut(BaseModel):
    line_no: int
    units: list[int] = Field(description="The line's unit numbers, as they left (from 0)")
    count: int
    paid: str = Field(description="What the units paid: price, less discounts, plus taxes")
    restocking_fee: str


class PreviewOut(BaseModel):
    currency: str
    lines: list[RefundedUnitsOut]
    goods: str
    restocking_fees: str
    return_shipping_fee: str
    shipping: str = Field(description="The order's shipping given back")
    total: str
    refundable: str = Field(description="What the order's tenders may still give back")
    amount: str = Field(description="The total, at most what may be refunded")


class ReturnRefundOut(BaseModel):
    refund_id: str = Field(description="The payments' refund (GET /v1/orders/{id}/refunds)")
    lines: list[RefundedUnitsOut]
    shipping: str
    return_shipping_fee: str
    restocking_fees: str
    amount: str
    at: str
    return_id: str | None = None


class RefundPreviewOut(BaseModel):
    now: PreviewOut
    when_all_back: PreviewOut
    refunds: list[ReturnRefundOut]


class DecisionIn(Strict):
    reason: OptionalText = None


class ReturnLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int
    reason: str
    note: str | None
    received: int
    missing: int = Field(description="Never arrived: given up on when the return closed")
    open: int = Field(description="On their way back: not received, not missing")
    destination: str | None = Field(
        description="Where its units go (decided when authorised); none: not yet, or kept"
    )
    route: str | None = Field(
        description="Why: returnless (the customer keeps them), vendor, stays, needed, "
        "cheapest, nowhere"
    )
    exchange_sku: str | None = Field(None, description="Asked instead of the money")


class ExchangedUnitsOut(BaseModel):
    line_no: int = Field(description="The original order's line")
    sku: str = Field(description="What it was exchanged for")
    quantity: int


class ExchangeMoneyOut(BaseModel):
    value: str = Field(description="What the returned units are worth (paid, less fees)")
    total: str = Field(description="The exchange order's total")
    credit: str = Field(description="Given as store credit, paying the exchange order")
    charge: str = Field(description="The difference charged to the order's card")
    refund: str = Field(description="The difference given back with the return")


class ExchangeOut(BaseModel):
    id: str
    seq: int
    mode: str = Field(description="regular (placed on receipt) or advanced (on authorisation)")
    status: str = Field(description="placed, refused (refunded as money), cancelled")
    order_id: str | None = Field(description="The exchange order (GET /v1/orders/{id})")
    lines: list[ExchangedUnitsOut]
    money: ExchangeMoneyOut | None = Field(description="A regular exchange's")
    reason: str | None
    at: str


class ExchangeList(BaseModel):
    items: list[ExchangeOut]


class ReturnLabelOut(BaseModel):
    carrier: str
    tracking_number: str
    created_at: str
    voided_at: str | None = Field(description="The return ended before the parcel travelled")


class ReturnOut(BaseModel):
    id: str
    order_id: str
    code: str = Field(description="Shown at a store or a carrier's point")
    status: ReturnStatus
    initiator: str = Field(description="customer, agent, store, channel")
    method: ReturnMethod
    refund_to: RefundTo
    started_by: str
    location_id: str | None
    decided_by: str | None = Field(description="policy:auto_approve, or who decided")
    reason: str | None = Field(description="Why it was declined, cancelled or closed")
    label: ReturnLabelOut | None = Field(
        description="The carrier's label, once booked (sent by carrier): GET …/label"
    )
    lines: list[ReturnLineOut]
    exchange_mode: str | None = Field(
        None, description="regular or advanced: how its exchanges are placed (none asked: null)"
    )
    created_at: str
    updated_at: str


class ReceivedReturnOut(ReturnOut):
    receipt: ReceiptOut


class ReturnList(BaseModel):
    items: list[ReturnOut]


class ReturnPage(ReturnList):
    next_cursor: str | None


class PlaceWeighed(BaseModel):
    location_id: str
    km: str | None = Field(description="None once the customer was erased (as transport)")
    transport: str | None = Field(description="What getting the units there costs")
    needs: int = Field(description="Units it could use: orders waiting, short of target")
    credit: str = Field(description="What its need is worth")
    total: str | None = Field(description="transport less credit: the lowest wins")


class LineRouted(BaseModel):
    line_no: int
    sku: str
    units: int
    destination: str | None
    why: str = Field(description="returnless, vendor, stays, needed, cheapest, nowhere")
    cost: str | None = Field(description="What sending the units to the destination costs")
    candidates: list[PlaceWeighed]
    value: str | None = Field(None, description="Returnless: what the goods are worth")
    sending_back: str | None = Field(None, description="Returnless: what sending costs")


class RoutingOut(BaseModel):
    decided_at: str
    reason: str
    lines: list[LineRouted]


class RoutingList(BaseModel):
    items: list[RoutingOut]


class RoutingIn(Strict):
    parcel_cost: Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=2)] = Decimal("4.90")
    cost_per_km: Annotated[Decimal, Field(ge=0, le=100)] = Decimal("0.005")
    need_credit: Annotated[Decimal, Field(ge=0, le=1)] = Decimal("0.25")
    target_available: Annotated[int, Field(strict=True, ge=0, le=1_000_000)] = 2
    returnless: bool = True
    vendor_reasons: Annotated[list[str], Field(max_length=100)] = []
    vendor_attribute: Annotated[str, Field(min_length=1, max_length=64)] = "vendor"
    carrier: Annotated[
        str, Field(min_length=1, max_length=64, description="Who carries returns sent by carrier")
    ] = "dhl"

    def to_domain(self) -> RoutingProfile:
        return RoutingProfile(
            self.parcel_cost,
            self.cost_per_km,
            self.need_credit,
            self.target_available,
            self.returnless,
            tuple(self.vendor_reasons),
            self.vendor_attribute,
            self.carrier,
        )


class RoutingProfileOut(BaseModel):
    parcel_cost: str
    cost_per_km: str
    need_credit: str
    target_available: int
    returnless: bool
    vendor_reasons: list[str]
    vendor_attribute: str
    carrier: str


class WindowIn(Strict):
    days: Annotated[int, Field(strict=True, ge=1, le=3650)]
    channel: Annotated[str | None, Field(max_length=64)] = None
    product_class: Annotated[str | None, Field(max_length=64)] = None


class ReasonIn(Strict):
    code: Code
    label: Annotated[str, Field(min_length=1, max_length=100)]
    restocking_fee: Annotated[
        Decimal, Field(ge=0, le=1, description="The share of the units' paid kept")
    ] = Decimal(0)
    merchant_fault: bool = Field(False, description="The merchant's doing: no return fee")


class RefundTermsIn(Strict):
    refund_on: Annotated[RefundOn, Field(description="receipt, or drop_off")] = RefundOn.RECEIPT
    return_shipping_fee: Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=2)] = Decimal(0)
    refund_shipping: Annotated[
        ShippingRefund, Field(description="never, whole_order, merchant_fault")
    ] = ShippingRefund.MERCHANT_FAULT

    appeasement_limits: Annotated[
        dict[Role, Annotated[Decimal, Field(ge=0, le=1)]],
        Field(
            description="Per role, the share of an order's total it may give back as goodwill "
            "(an admin without one: any; another role without one: none)"
        ),
    ] = {Role.AGENT: Decimal("0.20")}
    return_shipping_fees: Annotated[
        dict[Currency, Annotated[Decimal, Field(ge=0, le=1_000_000, decimal_places=4)]],
        Field(
            description="Per currency, the return shipping fee an order in it pays "
            "(others: return_shipping_fee)",
            max_length=200,
        ),
    ] = {}

    def to_domain(self) -> RefundTerms:
        limits = tuple(
            (str(role), share) for role, share in sorted(self.appeasement_limits.items())
        )
        fees = tuple(sorted(self.return_shipping_fees.items()))
        return RefundTerms(
            self.refund_on, self.return_shipping_fee, self.refund_shipping, limits, fees
        )


class RefundTermsOut(BaseModel):
    refund_on: RefundOn
    return_shipping_fee: str
    refund_shipping: ShippingRefund
    appeasement_limits: dict[str, str]
    return_shipping_fees: dict[str, str]


AppeasementIn = RefundIn  # an amount, its currency, and why


class AppeasementOut(BaseModel):
    refund_id: str = Field(description="The payments' refund (GET /v1/orders/{id}/refunds)")
    order_id: str
    amount: str
    currency: str
    reason: str
    by: str
    role: str
    at: str


class GivenAppeasementOut(AppeasementOut):
    refund: RefundOut = Field(description="The refund that gives it back")


class AppeasementList(BaseModel):
    items: list[AppeasementOut]


class ExchangeTermsIn(Strict):
    allowed: bool = Field(default=False, description="A return's line may ask for another SKU")
    mode: ExchangeMode = Field(
        default=ExchangeMode.REGULAR,
        description="regular: the exchange order placed when the goods come back; advanced: "
        "when the return is authorised, the card paying it until they do",
    )
    group_attribute: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            description="The product attribute another size or colour shares",
        ),
    ] = "style"


class ExchangeTermsOut(BaseModel):
    allowed: bool
    mode: ExchangeMode
    group_attribute: str


class ReturnPolicyIn(Strict):
    windows: Annotated[list[WindowIn], Field(min_length=1, max_length=200)]
    non_returnable_skus: Annotated[list[str], Field(max_length=10_000)] = []
    non_returnable_classes: Annotated[list[str], Field(max_length=1_000)] = []
    class_attribute: Annotated[str, Field(min_length=1, max_length=64)] = "category"
    reasons: Annotated[list[ReasonIn], Field(min_length=1, max_length=100)]
    methods: Annotated[list[ReturnMethod], Field(min_length=1)]
    auto_approve: Annotated[
        str,
        Field(
            min_length=1,
            max_length=2000,
            description="CEL over `order` and `return`: true authorises at once",
        ),
    ] = "true"
    routing: RoutingIn = RoutingIn()
    refunds: RefundTermsIn = RefundTermsIn()
    exchanges: ExchangeTermsIn = ExchangeTermsIn()

    def to_domain(self) -> ReturnPolicy:
        return ReturnPolicy(
            windows=tuple(ReturnWindow(w.days, w.channel, w.product_class) for w in self.windows),
            non_returnable_skus=tuple(self.non_returnable_skus),
            non_returnable_classes=tuple(self.non_returnable_classes),
            class_attribute=self.class_attribute,
            reasons=tuple(
                ReturnReason(r.code, r.label, r.restocking_fee, r.merchant_fault)
                for r in self.reasons
            ),
            methods=tuple(dict.fromkeys(self.methods)),
            auto_approve=self.auto_approve,
            routing=self.routing.to_domain(),
            refunds=self.refunds.to_domain(),
            exchanges=ExchangeTerms(
                self.exchanges.allowed, self.exchanges.mode, self.exchanges.group_attribute
            ),
        )


class WindowOut(BaseModel):
    days: int
    channel: str | None
    product_class: str | None


class ReasonOut(BaseModel):
    code: str
    label: str
    restocking_fee: str
    merchant_fault: bool


class ReturnPolicyOut(BaseModel):
    windows: list[WindowOut]
    non_returnable_skus: list[str]
    non_returnable_classes: list[str]
    class_attribute: str
    reasons: list[ReasonOut]
    methods: list[ReturnMethod]
    auto_approve: str
    routing: RoutingProfileOut
    refunds: RefundTermsOut
    exchanges: ExchangeTermsOut
    version: int
    default: bool = Field(description="True: none stored, Ordino's default applies")

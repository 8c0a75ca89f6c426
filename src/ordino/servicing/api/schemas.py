"""Answers of servicing: an order's timeline, an agent's notes and the notifications
sent again, the customer's link, and the order as its customer sees it through
self-service, with the policy that says what they may do.

The customer's view names no one inside (keys, rules, locations shipped from) and
no payment: its models carry no field for them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ordino.network.api import AddressOut
from ordino.orders.api import ShipToOut
from ordino.promising.api import DeliveryOut


class TimelineEntryOut(BaseModel):
    seq: int
    at: str
    type: str = Field(description="The event: order.created, fulfillment.shipped, …")
    by: str = Field(description="`key:<id>`, `ordino` itself, the payment `gateway`")
    why: str | None
    status: str | None = Field(description="The order's status after it")
    details: dict[str, Any] = Field(description="The rest of the event's data, by its type")


class TimelineOut(BaseModel):
    order_id: str
    items: list[TimelineEntryOut]


class RecordedOut(BaseModel):
    """A note added, or a notification sent again: the event that records it."""

    order_id: str
    event: str


class LinkOut(BaseModel):
    order_id: str
    token: str
    path: str = Field(description="/my-order/<token>, the customer's page")


class CustomerNameOut(BaseModel):
    email: str
    name: str | None


class CustomerLineOut(BaseModel):
    line_no: int
    sku: str
    name: str | None  # the product's, from the catalogue
    quantity: int
    status: str
    cancelled: int
    shipped: int
    delivered: int
    picked_up: int
    backordered: int
    expected_on: str | None
    returned: int
    being_returned: int = Field(description="Units on their way back in an open return")
    returnable: int = Field(description="Units the customer has and may still return")


class StoreOut(BaseModel):
    store_id: str
    name: str
    address: AddressOut


class CustomerPromiseOut(BaseModel):
    method: str
    delivery: DeliveryOut
    ready_by: str | None
    store: StoreOut | None


class ParcelLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int


class ParcelOut(BaseModel):
    method: str
    status: str
    carrier: str | None
    tracking_number: str | None
    store: StoreOut | None
    lines: list[ParcelLineOut]


class CustomerEventOut(BaseModel):
    """What happened, in the customer's words (`what`), with what each kind tells."""

    at: str
    what: str = Field(description="placed, shipped, delivered, address_changed, …")
    carrier: str | None = Field(None, description="shipped")
    tracking_number: str | None = Field(None, description="shipped")
    lines: list[dict[str, Any]] | None = Field(None, description="items_cancelled, delayed")
    collect_by: str | None = Field(None, description="ready_for_pickup")
    store: StoreOut | None = Field(None, description="converted_to_pickup, pickup_store_changed")
    ready_by: str | None = Field(None, description="converted_to_pickup, pickup_store_changed")
    ship_to: ShipToOut | None = Field(None, description="address_changed")


class AllowedOut(BaseModel):
    cancel: bool
    change_address: bool
    convert_to_pickup: bool
    change_pickup_store: bool
    start_return: bool = Field(description="Some units may be returned (the policy decides)")


class CustomerReturnLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int
    reason: str
    received: int
    exchange_sku: str | None = Field(description="What it is exchanged for")
    exchange_name: str | None = Field(description="Its product's name")


class CustomerExchangeOut(BaseModel):
    seq: int
    status: str = Field(description="placed, refused (refunded instead), cancelled")
    number: str | None = Field(description="The exchange order's number, once placed")
    order_status: str | None
    lines: list[dict[str, Any]] = Field(description="line_no, sku, quantity")
    money: dict[str, str] | None = Field(
        description="value, total, credit, charge, refund (placed when the goods are back)"
    )


class CustomerReturnOut(BaseModel):
    code: str = Field(description="To show at a store or a carrier's point")
    status: str
    method: str
    lines: list[CustomerReturnLineOut]
    tracking_number: str | None = Field(description="The carrier's, when sent by carrier")
    refunded: str = Field(description="What its refunds gave back")
    exchanges: list[CustomerExchangeOut]
    created_at: str


class CustomerOrderOut(BaseModel):
    order_id: str
    number: str = Field(description="The channel's order number, as the customer saw it")
    status: str
    placed_at: str
    currency: str
    total: str
    customer: CustomerNameOut
    ship_to: ShipToOut
    time_zone: str | None = Field(description="The zone the customer's times are told in")
    language: str | None = Field(description="The customer's language, as the order gave it")
    lines: list[CustomerLineOut]
    promise: CustomerPromiseOut | None
    parcels: list[ParcelOut]
    timeline: list[CustomerEventOut]
    allowed: AllowedOut = Field(description="What the policy lets the customer do now")
    returns: list[CustomerReturnOut]


class FoundOrderOut(BaseModel):
    token: str
    order: CustomerOrderOut


class PickupStoreOut(StoreOut):
    ready_by: str | None


class PickupStoresOut(BaseModel):
    stores: list[PickupStoreOut]


class PolicyOut(BaseModel):
    cancel_until: str
    cancel_minutes: int
    change_address: bool
    convert_to_pickup: bool
    change_pickup_store: bool
    link_hours: int
    version: int
    default: bool = Field(description="Never replaced: the defaults")

"""The order's pure model: read here to learn an order's lifecycle. Plain Python, no
I/O, no framework.

Its public face: what other capabilities use, named below; the steps of an order's
lifecycle are used as their modules' namespaces (`advancing.hold`, and `release`'s
`fulfilling.ship` as orchestration names it)."""

from ordino.orders.domain import advancing, release
from ordino.orders.domain.advancing import hold_document
from ordino.orders.domain.backorders import WaitingLine, expected_dates
from ordino.orders.domain.commands import (
    ERASED_EMAIL,
    Customer,
    LineRequest,
    OrderQuery,
    PlaceOrder,
)
from ordino.orders.domain.fulfillment import (
    Fulfillment,
    FulfillmentStatus,
    Shipment,
    fulfillment_document,
)
from ordino.orders.domain.holds import MANUAL, HoldRule, hold_rule_document
from ordino.orders.domain.orders import EVERY_ORDER, Order, OrderScope, promise_document, scope_of
from ordino.orders.domain.pipelines import (
    BUILT_IN,
    EXCHANGE,
    OrderType,
    Slas,
    Step,
    order_type_document,
)
from ordino.orders.domain.release import StockChange, StockEffect
from ordino.orders.domain.status import OrderStatus

__all__ = [
    "BUILT_IN",
    "ERASED_EMAIL",
    "EVERY_ORDER",
    "EXCHANGE",
    "MANUAL",
    "Customer",
    "Fulfillment",
    "FulfillmentStatus",
    "HoldRule",
    "LineRequest",
    "Order",
    "OrderQuery",
    "OrderScope",
    "OrderStatus",
    "OrderType",
    "PlaceOrder",
    "Shipment",
    "Slas",
    "Step",
    "StockChange",
    "StockEffect",
    "WaitingLine",
    "advancing",
    "expected_dates",
    "fulfillment_document",
    "hold_document",
    "hold_rule_document",
    "order_type_document",
    "promise_document",
    "release",
    "scope_of",
]

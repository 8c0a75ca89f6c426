"""Orders' use cases and the port they speak to."""

from ordino.orders.services.answers import order_view
from ordino.orders.services.capture import Capture, Paying, place_order, plan_order
from ordino.orders.services.decisions import decisions_view
from ordino.orders.services.orders import (
    Guard,
    cancel_order,
    existing_order,
    give_back,
    list_orders,
    with_payments,
)
from ordino.orders.services.ports import OrdersWork

__all__ = [
    "Capture",
    "Guard",
    "OrdersWork",
    "Paying",
    "cancel_order",
    "decisions_view",
    "existing_order",
    "give_back",
    "list_orders",
    "order_view",
    "place_order",
    "plan_order",
    "with_payments",
]

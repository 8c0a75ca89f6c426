"""Orders' HTTP routes and the schemas of what they take and answer."""

from ordino.orders.api.schemas import (
    CardToken,
    FulfillmentLineOut,
    FulfillmentOut,
    HoldOut,
    OrderIdPath,
    OrderOut,
    PaymentOut,
    ShipToIn,
    ShipToOut,
)

__all__ = [
    "CardToken",
    "FulfillmentLineOut",
    "FulfillmentOut",
    "HoldOut",
    "OrderIdPath",
    "OrderOut",
    "PaymentOut",
    "ShipToIn",
    "ShipToOut",
]

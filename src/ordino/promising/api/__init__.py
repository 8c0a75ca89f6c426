"""Promising's HTTP routes and the schemas of what they take and answer."""

from ordino.promising.api.schemas import DeliveryOut, MoneyOut

__all__ = [
    "DeliveryOut",
    "MoneyOut",
]

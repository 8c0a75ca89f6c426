"""Inventory's use cases and the port they speak to."""

from ordino.inventory.services.availability import (
    AvailabilityQuery,
    order_stock,
    read_availability,
    view_for,
)
from ordino.inventory.services.ports import InventoryWork
from ordino.inventory.services.stock import write_plan
from ordino.inventory.services.stock_cache import StockPicture, entered
from ordino.inventory.services.supply import record_supply

__all__ = [
    "AvailabilityQuery",
    "InventoryWork",
    "StockPicture",
    "entered",
    "order_stock",
    "read_availability",
    "record_supply",
    "view_for",
    "write_plan",
]

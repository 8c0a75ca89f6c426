"""Pure engines of inventory over frozen snapshots: they take `now`, never mutate input,
break ties deterministically and return shortfalls as data."""

from ordino.inventory.engine.availability import OrderStock, sourcing_stock

__all__ = [
    "OrderStock",
    "sourcing_stock",
]

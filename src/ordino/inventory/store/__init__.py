"""Inventory's storage: its repositories over SQL (the protocols they implement are in
`ordino.inventory.services.ports`)."""

from ordino.inventory.store.tables import inventory_movements

__all__ = [
    "inventory_movements",
]

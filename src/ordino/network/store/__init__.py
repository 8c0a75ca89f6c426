"""The network's storage: its repositories over SQL (the protocols they implement are in
`ordino.network.services.ports`)."""

from ordino.network.store.tables import locations, products

__all__ = [
    "locations",
    "products",
]

"""Sourcing's storage: its repositories over SQL (the protocols they implement are in
`ordino.sourcing.services.ports`)."""

from ordino.sourcing.store.tables import sourcing_decisions

__all__ = [
    "sourcing_decisions",
]

"""Payments' storage: its repositories over SQL (the protocols they implement are in
`ordino.payments.services.ports`)."""

from ordino.payments.store.tables import payments

__all__ = [
    "payments",
]

"""Payments' storage: its repositories over SQL (the protocols they implement are in
`ordino.payments.services.ports`)."""

from ordino.payments.store.tables import balance_entries, balances, credit_accounts, payments

__all__ = [
    "balance_entries",
    "balances",
    "credit_accounts",
    "payments",
]

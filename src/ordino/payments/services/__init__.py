"""Payments' use cases and the port they speak to."""

from ordino.payments.services.ports import PaymentsWork

__all__ = [
    "PaymentsWork",
]

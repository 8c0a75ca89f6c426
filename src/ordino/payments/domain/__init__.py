"""The pure model of payments: plain Python, no I/O, no framework."""

from ordino.payments.domain.ledger import (
    given_up,
    next_authorisation,
    next_capture,
    next_void,
    recorded,
    refund_parts,
)
from ordino.payments.domain.payments import (
    GatewayAnswer,
    OperationKind,
    Outcome,
    Payment,
    PaymentChoice,
    PaymentGateway,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
    new_payment,
    payment_document,
)

__all__ = [
    "GatewayAnswer",
    "OperationKind",
    "Outcome",
    "Payment",
    "PaymentChoice",
    "PaymentGateway",
    "PaymentMethod",
    "PaymentOperation",
    "PaymentStatus",
    "given_up",
    "new_payment",
    "next_authorisation",
    "next_capture",
    "next_void",
    "payment_document",
    "recorded",
    "refund_parts",
]

"""The payments' tables: an order's payment and each call to the gateway for it.
Money in minor units (integers) with its currency; a payment's amounts are the sums
of its operations' (`done_minor`)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    String,
    Table,
    UniqueConstraint,
)

from ordino.store.tables import UTCDateTime, metadata

# An order's payment (`ordino.payments.domain.payments.Payment`), and each call to the gateway
# for it, written before the call and completed with its answer.
payments = Table(
    "payments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("method", String(16), nullable=False),
    Column("token", String(64)),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("authorisation", String(64)),
    Column("expires_at", UTCDateTime),
    Column("authorised_minor", BigInteger, nullable=False),
    Column("captured_minor", BigInteger, nullable=False),
    Column("voided_minor", BigInteger, nullable=False),
    Column("refunded_minor", BigInteger, nullable=False),
    Column("message", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("order_id", name="uq_payments_order_id"),
)

payment_operations = Table(
    "payment_operations",
    metadata,
    Column("key", String(128), primary_key=True),  # the idempotency key
    Column("payment_id", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("outcome", String(16)),  # none: called, no answer recorded yet
    Column("reference", String(64)),
    Column("message", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime),
    # The authorisation the call acts on (an authorise's: the one it made), and what
    # the gateway did: the payment's amounts are the sums of these.
    Column("authorisation", String(64)),
    Column("done_minor", BigInteger, nullable=False),
    Column("expires_at", UTCDateTime),  # an authorisation's, as answered
    Index("ix_payment_operations_payment_id", "payment_id"),
)

"""The payments' tables: an order's payment and each call to the gateway for it.
Money in minor units (integers) with its currency; a payment's amounts are the sums
of its operations' (`done_minor`)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
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

# Balances Ordino keeps (`ordino.payments.domain.balances`): gift cards and store
# credit, each changed only by an entry, never below zero (a hold is conditional).
balances = Table(
    "balances",
    metadata,
    Column("account", String(300), primary_key=True),  # "gift_card:CODE", "store_credit:email"
    Column("kind", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("balance_minor", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("balance_minor >= 0", name="not_below_zero"),
)

balance_entries = Table(
    "balance_entries",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account", String(300), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),  # signed: below zero took from it
    Column("order_id", String(32)),
    Column("by", String(100)),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_balance_entries_account", "account"),
    Index("ix_balance_entries_order_id", "order_id"),
)

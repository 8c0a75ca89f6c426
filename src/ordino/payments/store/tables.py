"""The payments' tables: an order's payment and each call to the gateway for it.
Money in minor units (integers) with its currency; a payment's amounts are the sums
of its operations' (`done_minor`)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from ordino.store.tables import UTCDateTime, metadata

# An order's payments (`ordino.payments.domain.payments.Payment`), one per tender, and
# each call to the gateway for them, written before the call and completed with its
# answer (a tender Ordino moves itself has its operations recorded answered).
payments = Table(
    "payments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("tender", Integer, nullable=False, server_default="0"),  # its place among them
    Column("reference", String(300)),  # what it is paid from: a balance's account, …
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
    UniqueConstraint("order_id", "tender", name="uq_payments_order_id_tender"),
    # The tenders paid from a store credit: its customer's erasure finds them by it.
    Index("ix_payments_reference", "reference"),
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
    Column("entry_count", Integer, nullable=False, server_default="0"),  # its last entry's n
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("balance_minor >= 0", name="not_below_zero"),
)

balance_entries = Table(
    "balance_entries",
    metadata,
    Column("id", String(32), primary_key=True),
    # A balance's account, or a credit account's as "invoice:<account>".
    Column("account", String(300), nullable=False),
    Column("n", Integer, nullable=False, server_default="0"),  # its place among the account's
    Column("kind", String(16), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),  # signed: below zero took from it
    Column("order_id", String(32)),
    Column("by", String(100)),
    Column("note", String(200)),  # why, as the one who put it on said
    Column("at", UTCDateTime, nullable=False),
    Index("ix_balance_entries_account", "account"),  # with n: the account's in order
    Index("ix_balance_entries_order_id", "order_id"),
)

# Businesses buying on account (`ordino.payments.domain.balances.CreditAccount`): what
# they owe (`open_minor`; below zero, what they paid beyond it) against their limit.
credit_accounts = Table(
    "credit_accounts",
    metadata,
    Column("account", String(100), primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("limit_minor", BigInteger, nullable=False),
    Column("open_minor", BigInteger, nullable=False),
    Column("terms_days", Integer, nullable=False),
    Column("entry_count", Integer, nullable=False, server_default="0"),  # its last entry's n
    Column("updated_at", UTCDateTime, nullable=False),
)

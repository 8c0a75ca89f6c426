"""The sandbox gateway's tables (`ordino.payments.adapters.sandbox`): its own ledger,
kept apart from Ordino's payments as a real gateway's would be. Beside the adapter,
not in the payments' store: a capability's adapters and store are independent
layers (pyproject.toml)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
)

from ordino.store.tables import UTCDateTime, metadata

# The sandbox payment gateway's own ledger (ordino.payments.adapters.sandbox), as a card
# gateway keeps it: its authorisations, and the answer to every operation under its
# idempotency key. Never a whole card number: its last four digits at most.
sandbox_authorisations = Table(
    "sandbox_authorisations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("token_last4", String(4), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("authorised_minor", BigInteger, nullable=False),
    Column("captured_minor", BigInteger, nullable=False),
    Column("refunded_minor", BigInteger, nullable=False),
    Column("voided", Boolean, nullable=False),
    Column("declines_captures", Boolean, nullable=False),  # as its test card does
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    CheckConstraint("authorised_minor > 0", name="authorised_positive"),
    CheckConstraint(
        "captured_minor >= 0 AND captured_minor <= authorised_minor",
        name="captured_within_authorised",
    ),
    CheckConstraint(
        "refunded_minor >= 0 AND refunded_minor <= captured_minor",
        name="refunded_within_captured",
    ),
)

sandbox_operations = Table(
    "sandbox_operations",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("kind", String(16), nullable=False),
    # Of the request (kind, card's last four or authorisation, amount, currency): the
    # same key with another request is refused.
    Column("fingerprint", String(64), nullable=False),
    Column("authorisation_id", String(32), ForeignKey("sandbox_authorisations.id")),
    Column("amount_minor", BigInteger, nullable=False),  # what was done; 0 if nothing
    Column("currency", String(3)),  # of the amount, once known
    Column("outcome", String(16), nullable=False),
    Column("reference", String(32)),
    Column("message", String(200)),
    Column("expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

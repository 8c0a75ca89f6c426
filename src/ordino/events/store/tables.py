"""The events' tables: webhook subscriptions (their secrets sealed, never in clear)
and each event's delivery to each, kept as the delivery log. The outbox itself is
written by the storage frame (`ordino.store.tables`)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from ordino.store.tables import Document, UTCDateTime, metadata

# Webhook subscriptions (ordino.events.domain.webhooks), and each event's delivery to each,
# kept as the delivery log.
webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("event_types", Document, nullable=False),
    # The secret deliveries are signed with, sealed (ordino.kernel.domain.sealing): never in clear.
    Column("sealed_secret", String(512), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("subscription_id", String(32), nullable=False),
    Column("event_id", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    # The event's subject (`order/<id>`): an erasure finds an order's deliveries by
    # it, also once retention has pruned the events themselves.
    Column("subject", String(128), nullable=False),
    Column("seq", BigInteger, nullable=False),  # the event's place in the outbox
    Column("body", Text, nullable=False),
    Column("delivered_at", UTCDateTime),
    Column("attempts", Integer, nullable=False),
    Column("last_status", Integer),
    Column("last_error", String(2000)),
    Column("last_attempt_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_once"),
    Index("ix_webhook_deliveries_waiting", "subscription_id", "delivered_at", "seq"),
    Index("ix_webhook_deliveries_subject", "subject"),
    # Retention finds the accepted deliveries past it (ordino.privacy.services.retention).
    Index(
        "ix_webhook_deliveries_delivered_at",
        "delivered_at",
        postgresql_where=text("delivered_at IS NOT NULL"),
        sqlite_where=text("delivered_at IS NOT NULL"),
    ),
)

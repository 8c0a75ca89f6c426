"""The storage frame's tables, and the one `metadata` every table is defined on.

Each capability's tables live beside its store (`ordino/<capability>/store/tables.py`)
and register on this `metadata`, with its naming convention; `ordino.app.schema`
imports them all, for the migrations and for anything that needs every table (read
`metadata` there, never here: here it holds only the tables imported so far). Kept
here: what the frame itself writes — the change record, the outbox, idempotency
records, jobs, the record of configuration changes and the server's keys. (The
settings kept as named documents are their capabilities': channels, carrier
services and rate cards the network's, hold rules and order types the orders',
the self-service policy servicing's.)

Times as UTC (`UTCDateTime`); documents as JSON (JSONB on PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on databases with and without time zones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, _dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Document = JSON().with_variant(JSONB(), "postgresql")

# What commits changed, in commit order on SQLite: processes poll it to forget their
# cached picture (on PostgreSQL they hear NOTIFY instead), and the stock signals read
# it, deleting what they have evaluated. kind: stock (a SKU), network, views.
stock_changes = Table(
    "stock_changes",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("sku", String(64)),
    Column("down", Integer, nullable=False),
    Column("up", Boolean, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("location_id", String(64)),  # of a network change: the location redefined
    Index("ix_stock_changes_sku", "sku"),  # the signals take a SKU's changes all at once
    sqlite_autoincrement=True,  # a seq is never reused, even after its row is deleted
)


outbox = Table(
    "outbox",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("subject", String(128), nullable=False),
    Column("data", Document, nullable=False),
    Column("published_at", UTCDateTime),
    # The order events were written in, for the relay: on PostgreSQL from a sequence
    # (the column's default), on SQLite (one writer at a time) the next number at
    # commit (ordino.store.commit_writer). Events of one order are written under its lock,
    # so their numbers rise in the order they happened.
    Column("seq", BigInteger),
    Index("ix_outbox_subject_seq", "subject", "seq"),  # an order's timeline
    Index(
        "ix_outbox_unpublished_seq",
        "seq",
        postgresql_where=text("published_at IS NULL"),
        sqlite_where=text("published_at IS NULL"),
    ),
    # Retention finds the published events past it (ordino.privacy.services.retention).
    Index(
        "ix_outbox_published_occurred_at",
        "occurred_at",
        postgresql_where=text("published_at IS NOT NULL"),
        sqlite_where=text("published_at IS NOT NULL"),
    ),
)


idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", Document, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # The order the answer is about (a capture's, a refund's), or the balance entry (a
    # grant of store credit's): an erasure finds the customer's answers by it.
    Column("order_id", String(32)),
    Index(
        "ix_idempotency_keys_order_id",
        "order_id",
        sqlite_where=text("order_id IS NOT NULL"),
        postgresql_where=text("order_id IS NOT NULL"),
    ),
)


# Work for the worker (ordino.kernel.domain.jobs): claimed with a lease, retried with
# backoff, dead when out of attempts. Done jobs are deleted; dead ones kept.
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("key", String(200)),
    Column("payload", Document, nullable=False),
    Column("status", String(10), nullable=False),
    Column("run_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("locked_by", String(64)),
    Column("locked_until", UTCDateTime),
    Column("last_error", String(2000)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_jobs_status_run_at", "status", "run_at"),
    # One queued job per kind and key: enqueueing twice adds nothing. One may be
    # queued while another runs: what changed since the running one read runs after.
    Index(
        "uq_jobs_kind_key_queued",
        "kind",
        "key",
        unique=True,
        postgresql_where=text("status = 'queued'"),
        sqlite_where=text("status = 'queued'"),
    ),
)


# Every change of configuration (`ordino.kernel.domain.configuration`): who, when, the
# document before and after. Only ever added to.
configuration_changes = Table(
    "configuration_changes",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("name", String(64), nullable=False),
    Column("version", Integer),  # after the change; none once removed
    Column("before", Document),
    Column("after", Document),
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Index("ix_configuration_changes_kind_name_id", "kind", "name", "id"),
    sqlite_autoincrement=True,
)


# Keys Ordino made itself (ordino.kernel.services.server_keys): without ORDINO_SECRET_KEY,
# the key webhook secrets are sealed under is made once and kept here.
server_keys = Table(
    "server_keys",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("key", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


def named_documents(name: str, key: Column[Any]) -> Table:
    """A table of settings kept as one JSON document per name, read and written
    through `ordino.store.settings`: the name (`key`), the document, `version`
    counting changes, and when it last changed."""
    return Table(
        name,
        metadata,
        key,
        Column("document", Document, nullable=False),
        Column("version", Integer, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    )

"""Sourcing's tables: profiles (the current document and every version it had) and
each decision made for an order. A decision names its order (`orders.id`, a foreign
key by name: orders rank above sourcing, see docs/layout.md)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
)

from ordino.store.tables import Document, UTCDateTime, metadata, named_documents

# Sourcing profiles (ordino.sourcing.domain.profiles): the current document of each, and
# every version it ever had (an order names the version that sourced it).
sourcing_profiles = named_documents(
    "sourcing_profiles", Column("name", String(64), primary_key=True)
)

sourcing_profile_versions = Table(
    "sourcing_profile_versions",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", Document, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(100)),  # who made the version (None: before it was kept)
)

# Each sourcing decision of an order (at capture, after a rejection, when supply
# arrived): the profile version and strategy that decided it, and its explanation.
sourcing_decisions = Table(
    "sourcing_decisions",
    metadata,
    Column("order_id", String(32), ForeignKey("orders.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("reason", String(16), nullable=False),
    Column("profile", String(64), nullable=False),
    Column("profile_version", Integer, nullable=False),
    Column("strategy", String(100), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("document", Document, nullable=False),
)

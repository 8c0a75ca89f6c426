"""Promising's tables: deliveries measured against the promise. A delivery names its
order (`orders.id`, a foreign key by name: orders rank above promising, see
docs/layout.md)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from ordino.store.tables import UTCDateTime, metadata

# Deliveries (or collections) of an order's goods, per location they came from,
# measured against the promise: for on-time rates and slack per location, carrier
# and service.
deliveries = Table(
    "deliveries",
    metadata,
    Column("order_id", String(32), ForeignKey("orders.id"), primary_key=True),
    Column("location_id", String(64), primary_key=True),
    Column("delivered_at", UTCDateTime, nullable=False),
    Column("delivered_on", Date, nullable=False),  # the local date where it happened
    Column("service", String(64)),
    Column("carrier", String(200)),
    Column("promised_latest", Date, nullable=False),
    Column("on_time", Boolean, nullable=False),
    Column("slack_days", Integer, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Index("ix_deliveries_delivered_at", "delivered_at"),
)

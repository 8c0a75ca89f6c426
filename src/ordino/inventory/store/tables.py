"""Inventory's tables: positions and their reservations, every movement of stock,
inbound supply, availability views and the last stock signals.

Invariant the reservation statement keeps (`ordino.store.commit_writer`): 0 <= reserved,
and a reservation only succeeds while on_hand - reserved - safety_stock >= quantity.
A position's on hand is the sum of its movements' quantities."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    text,
)

from ordino.store.tables import Document, UTCDateTime, metadata, named_documents

positions = Table(
    "positions",
    metadata,
    # No foreign keys: their checks took 144 of 182 ms to insert 10,000 positions of one
    # location (each locks the referenced row). Feeds check their references first;
    # nothing deletes locations or products; `ordino check` finds orphans.
    Column("location_id", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False, server_default="0"),
    Column("safety_stock", Integer, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("counted_at", UTCDateTime),  # when the last count was taken
    Column("moved_at", UTCDateTime),  # when the latest delta happened
    CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
    CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    CheckConstraint("safety_stock >= 0", name="safety_stock_not_negative"),
    Index("ix_positions_sku", "sku"),
)

# What a position can still promise: the left side of the reservation's condition.
position_available = positions.c.on_hand - positions.c.reserved - positions.c.safety_stock

# Every change of a position's on hand or safety stock, kept forever (never updated):
# a position's on hand is the sum of its movements' quantities.
inventory_movements = Table(
    "inventory_movements",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("location_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("on_hand_after", Integer, nullable=False),
    Column("safety_stock_after", Integer, nullable=False),
    Column("reported", Integer),
    Column("event_id", String(160)),
    Column("reference", String(128)),
    Column("reason", String(200)),
    Column("actor", String(100), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Index("ix_inventory_movements_location_id_sku_id", "location_id", "sku", "id"),
    # Partial: most movements (counts) have neither, and every index entry costs a bulk feed.
    Index(
        "uq_inventory_movements_event_id",
        "event_id",
        unique=True,
        sqlite_where=text("event_id IS NOT NULL"),
        postgresql_where=text("event_id IS NOT NULL"),
    ),
    Index(
        "ix_inventory_movements_reference",
        "reference",
        sqlite_where=text("reference IS NOT NULL"),
        postgresql_where=text("reference IS NOT NULL"),
    ),
)

# Inbound supply: purchase orders and transfers, per line; received and cancelled
# only grow, and what is still open is quantity - received - cancelled.
supply_orders = Table(
    "supply_orders",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("location_id", String(64), ForeignKey("locations.id"), nullable=False),
    Column("source_location_id", String(64), ForeignKey("locations.id")),
    Column("expected_at", UTCDateTime, nullable=False),
    Column("reference", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_supply_orders_location_id", "location_id"),
)

supply_lines = Table(
    "supply_lines",
    metadata,
    Column("supply_id", String(64), ForeignKey("supply_orders.id"), primary_key=True),
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("received", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("received >= 0 AND cancelled >= 0", name="counters_not_negative"),
    # Availability reads the open lines of a SKU: only those are indexed.
    Index(
        "ix_supply_lines_open_sku",
        "sku",
        sqlite_where=text("quantity > received + cancelled"),
        postgresql_where=text("quantity > received + cancelled"),
    ),
)

supply_receipts = Table(
    "supply_receipts",
    metadata,
    Column("supply_id", String(64), ForeignKey("supply_orders.id"), primary_key=True),
    Column("receipt_id", String(128), primary_key=True),
    Column("received_at", UTCDateTime, nullable=False),
    Column("lines", Document, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)

# Channel views of availability: the rules as one document (see
# ordino.inventory.domain.views), editable through the API; `version` counts changes.
availability_views = named_documents(
    "availability_views", Column("name", String(64), primary_key=True)
)

# The last stock signal per view and SKU (ordino.inventory.domain.signals).
stock_signals = Table(
    "stock_signals",
    metadata,
    # SKU first: the signals read a SKU's states in every view at once.
    Column("sku", String(64), primary_key=True),
    Column("view", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("bound", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

reservations = Table(
    "reservations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("location_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("released_at", UTCDateTime),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_reservations_order_id", "order_id"),
    Index("ix_reservations_location_id_sku", "location_id", "sku"),
)

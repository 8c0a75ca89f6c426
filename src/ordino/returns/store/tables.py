"""Returns' tables: each return (authorisation) and its lines, the return policy (one
document)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ordino.store.tables import Document, UTCDateTime, metadata, named_documents

returns = Table(
    "returns",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    # Shown at a store or a carrier's point; found by it (`ordino.returns.domain.codes`).
    Column("code", String(16), nullable=False, unique=True),
    Column("status", String(24), nullable=False),
    Column("initiator", String(16), nullable=False),  # customer, agent, store, channel
    Column("method", String(24), nullable=False),  # store, carrier_drop_off, …
    Column("refund_to", String(16), nullable=False, server_default="original"),
    Column("started_by", String(100), nullable=False),
    Column("location_id", String(64)),  # where it was started, if at a store
    Column("decided_by", String(100)),  # the policy's rule or the person
    Column("reason", String(200)),  # why it was declined, cancelled, closed
    Column("travelled_at", UTCDateTime),  # the goods first handed over or received
    Column("exchange_mode", String(16)),  # how its exchanges are placed (none asked: null)
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_returns_order_id", "order_id"),
    Index("ix_returns_status_id", "status", "id"),  # the returns queue, by state
    Index("ix_returns_created_at", "created_at"),  # the dashboard's, by day
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", String(32), ForeignKey("returns.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),  # the order's line
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("reason", String(64), nullable=False),  # a reason code of the policy
    Column("note", String(500)),
    Column("received", Integer, nullable=False, server_default="0"),
    Column("missing", Integer, nullable=False, server_default="0"),
    Column("destination", String(64)),  # where its units go (none: not decided, or kept)
    Column("route", String(16)),  # why (`ordino.returns.domain.routing.Route.why`)
    Column("exchange_sku", String(64)),  # asked instead of the money
)

# Each exchange order of a return, or why it could not be placed
# (`ordino.returns.domain.exchanges`).
return_exchanges = Table(
    "return_exchanges",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("return_id", String(32), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("order_id", String(32)),  # the exchange order, once placed
    Column("document", Document, nullable=False),
    UniqueConstraint("return_id", "seq", name="uq_return_exchanges_return_id_seq"),
    Index("ix_return_exchanges_order_id", "order_id"),
)

# Each routing decision of a return, explained (`ordino.returns.engine.routing`).
return_routes = Table(
    "return_routes",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("return_id", String(32), nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("reason", String(32), nullable=False),  # authorised, received at a store
    Column("explanation", Document, nullable=False),  # the routes, line by line
    Index("ix_return_routes_return_id", "return_id"),
)

# What came back at each receipt, as received (`ordino.returns.domain.receipts`).
return_receipts = Table(
    "return_receipts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("return_id", String(32), nullable=False),
    Column("location_id", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("document", Document, nullable=False),  # units, condition, disposition
    Index("ix_return_receipts_return_id", "return_id"),
    Index("ix_return_receipts_received_at", "received_at"),
)

# What each refund of a return gave back (`ordino.returns.domain.refunds`): the units
# by line, with their place among the line's units its returns refunded.
return_refunds = Table(
    "return_refunds",
    metadata,
    Column("refund_id", String(32), primary_key=True),  # the payments' refund
    Column("return_id", String(32), nullable=False),
    Column("order_id", String(32), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("document", Document, nullable=False),
    Index("ix_return_refunds_order_id", "order_id"),
    Index("ix_return_refunds_at", "at"),
)

# Goodwill refunds without a return (`ordino.returns.domain.appeasements`).
appeasements = Table(
    "appeasements",
    metadata,
    Column("refund_id", String(32), primary_key=True),  # the payments' refund
    Column("order_id", String(32), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("document", Document, nullable=False),
    Index("ix_appeasements_order_id", "order_id"),
    Index("ix_appeasements_at", "at"),
)

# The carrier's label of a return sent back by carrier (`ordino.returns.services.labels`).
return_labels = Table(
    "return_labels",
    metadata,
    Column("return_id", String(32), primary_key=True),
    Column("carrier", String(64), nullable=False),
    Column("tracking_number", String(64), nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("document", Text, nullable=False),  # the label to print
    Column("created_at", UTCDateTime, nullable=False),
    Column("voided_at", UTCDateTime),  # the return ended before the parcel travelled
)

# `ordino.returns.domain.policy.policy_document`; one, named "default".
return_policies = named_documents("return_policies", Column("name", String(32), primary_key=True))

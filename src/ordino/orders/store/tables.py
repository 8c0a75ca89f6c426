"""The orders' tables: the order and its lines (with their counters), the promise it
was placed with, its allocations, holds, fulfillments and their lines, and the
service levels it missed.

Money in minor units (integers) with its currency. The service levels missed are
written by orchestration (`ordino.orchestration.store.breaches`), but the order list
filters on them ("late"), and orders rank below orchestration: their table is here."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)

from ordino.store.tables import Document, UTCDateTime, metadata, named_documents

orders = Table(
    "orders",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("channel", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("status", String(32), nullable=False),
    # What came back of it (`ordino.orders.domain.status.ReturnState`), derived.
    Column("return_state", String(24), nullable=False, server_default="none"),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),  # what the customer pays
    # What its goods sold for, after discounts, without charges or tax (analytics).
    Column("revenue_minor", BigInteger, nullable=False, server_default="0"),
    # What it was paid for shipping (after discounts, no tax), beside what it cost.
    Column("shipping_minor", BigInteger, nullable=False, server_default="0"),
    Column("customer_email", String(254), nullable=False),
    Column("customer_name", String(200)),
    Column("customer_phone", String(50)),
    Column("customer_vat_id", String(32)),  # a business's, as checked
    Column("customer_group", String(32)),  # the channel's group for the customer
    Column("tax_treatment", String(32)),  # how its tax was worked out; none: it was not
    Column("ship_to", Document, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(32), nullable=False, server_default="ship_to_home"),
    Column("pipeline", Document, nullable=False, server_default="[]"),  # its type's steps
    Column("step", Integer, nullable=False, server_default="0"),  # the next to run
    Column("bill_to", Document),
    Column("language", String(35)),  # the customer's, BCP 47; none: not given
    Column("b2b", Document),  # purchase order, requested date, ship complete
    # 0 to 9: backordered units go to the orders of higher priority first.
    Column("priority", Integer, nullable=False, server_default="0"),
    # Its charges (shipping, fees) with their discounts and taxes, as placed
    # (`ordino.orders.store.money`); none: it has none.
    Column("charges", Document),
    # The rate it is settled at in its channel's currency (none: its own), and what
    # analytics counts of it in that currency (its own when it has no rate).
    Column("exchange", Document),
    Column("settlement_currency", String(3), nullable=False, server_default="EUR"),
    Column("settlement_revenue_minor", BigInteger, nullable=False, server_default="0"),
    Column("settlement_shipping_minor", BigInteger, nullable=False, server_default="0"),
    UniqueConstraint("channel", "external_id", name="uq_orders_channel_external_id"),
    Index("ix_orders_status_id", "status", "id"),
    Index("ix_orders_customer_email_id", "customer_email", "id"),
    Index("ix_orders_created_at", "created_at"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", String(32), ForeignKey("orders.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),  # the sale price of a unit
    Column("list_price_minor", BigInteger),  # the catalogue's (none: as the sale price)
    # Its discounts and taxes, each per unit (`ordino.orders.store.money`); none: neither.
    Column("price_parts", Document),
    Column("status", String(32), nullable=False),
    # The line's counters, as the order derived them (`ordino.orders.domain.status`), kept
    # for reports and for finding what waits.
    Column("cancelled", Integer, nullable=False, server_default="0"),
    Column("released", Integer, nullable=False, server_default="0"),
    Column("shipped", Integer, nullable=False, server_default="0"),
    Column("delivered", Integer, nullable=False, server_default="0"),
    Column("picked_up", Integer, nullable=False, server_default="0"),
    Column("returned", Integer, nullable=False, server_default="0"),
    Column("being_returned", Integer, nullable=False, server_default="0"),  # on an open return
    Column("backordered", Integer, nullable=False, server_default="0"),
    # When the backordered units are expected (`ordino.orders.domain.backorders`).
    Column("expected_on", Date),
    # Backordered lines are found by their count when supply arrives.
    Index("ix_order_lines_backordered_order_id", "backordered", "order_id"),
)

holds = Table(
    "holds",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False),
    Column("rule", String(64), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("placed_at", UTCDateTime, nullable=False),
    Column("placed_by", String(100), nullable=False),
    Column("resolved_at", UTCDateTime),
    Column("resolved_by", String(100)),
    Column("note", String(200)),
    Index("ix_holds_order_id", "order_id"),
    Index("ix_holds_status_order_id", "status", "order_id"),  # the orders on hold
)

# Service levels missed (`ordino.orchestration.services.timers`, written by
# `ordino.orchestration.store.breaches`): the exceptions list shows those still open
# (what breached has not moved on since).
sla_breaches = Table(
    "sla_breaches",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("fulfillment_id", String(40)),
    Column("kind", String(16), nullable=False),  # accept, ship, pickup, backorder
    Column("location_id", String(64)),
    Column("due_at", UTCDateTime, nullable=False),
    Column("breached_at", UTCDateTime, nullable=False),
    Column("action", String(16), nullable=False),  # flagged, rerouted, cancelled, ...
    Column("resolved_at", UTCDateTime),
    Index("ix_sla_breaches_open", "resolved_at", "breached_at"),
    Index("ix_sla_breaches_fulfillment_id", "fulfillment_id"),
)

AWAITING_COLLECTION = "method = 'ship_to_store' AND status IN ('shipped', 'ready')"

fulfillments = Table(
    "fulfillments",
    metadata,
    Column("id", String(40), primary_key=True),  # the order's id and a number
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False),
    Column("location_id", String(64), nullable=False),
    Column("method", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("store_id", String(64)),
    Column("carrier", String(64)),
    Column("tracking_number", String(128)),
    Column("pickup_code", String(16)),
    Column("reason", String(200)),
    # When the customer got the goods (delivered, as the carrier says; collected).
    Column("done_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_fulfillments_order_id", "order_id"),
    # A location's queue: its fulfillment orders in a state, oldest first.
    Index("ix_fulfillments_location_id_status_id", "location_id", "status", "id"),
    # A store's parcels to collect there (shipped to it from elsewhere), by state.
    Index("ix_fulfillments_store_id_status_id", "store_id", "status", "id"),
    # Parcels shipped to a store for the customer to collect: their orders are not
    # finished (retention keeps their events; ordino.events.store.outbox).
    Index(
        "ix_fulfillments_awaiting_collection",
        "order_id",
        postgresql_where=text(AWAITING_COLLECTION),
        sqlite_where=text(AWAITING_COLLECTION),
    ),
)

fulfillment_lines = Table(
    "fulfillment_lines",
    metadata,
    Column("fulfillment_id", String(40), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    # Once it left: the first of its order line's units it took (what they were paid).
    Column("first_unit", Integer),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_fulfillment_lines_order_id", "order_id"),
)

allocations = Table(
    "allocations",
    metadata,
    Column("order_id", String(32), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("location_id", String(64), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("ship_date", Date),  # as promised: the local date it leaves the location
)

# The promise an order was placed with: the option chosen and its dates, and the
# capacity it took (given back if the order is cancelled).
order_promises = Table(
    "order_promises",
    metadata,
    Column("order_id", String(32), ForeignKey("orders.id"), primary_key=True),
    Column("option_id", String(140), nullable=False),
    Column("method", String(20), nullable=False),
    Column("service", String(64)),
    Column("store_id", String(64)),
    Column("ship_date", Date, nullable=False),
    Column("delivery_earliest", Date, nullable=False),
    Column("delivery_latest", Date, nullable=False),
    Column("ready_by", UTCDateTime),
    Column("cost_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("capacity", Document, nullable=False),
    Column("promised_at", UTCDateTime, nullable=False),
)


# Settings kept as one document each, editable through the API: the hold rules
# (`ordino.orders.domain.holds.hold_rule_document`) and the configured order types
# (`ordino.orders.domain.pipelines.order_type_document`).
hold_rules = named_documents("hold_rules", Column("name", String(64), primary_key=True))
order_types = named_documents("order_types", Column("name", String(32), primary_key=True))


# What changed an order's money after it was placed (`ordino.orders.domain.orders.
# MoneyAdjustment`), kept for good: its first keeps the money as placed.
money_adjustments = Table(
    "money_adjustments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("before", Document, nullable=False),
    Column("after", Document, nullable=False),
    Column("by", String(100), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_money_adjustments_order_id", "order_id"),
)

"""Table definitions: the source of truth for Alembic's migrations.

Money is stored in minor units (integers) with its currency; times as UTC.
Invariant the reservation statement keeps: 0 <= positions.reserved, and a
reservation only succeeds while on_hand - reserved - safety_stock >= quantity.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
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

products = Table(
    "products",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("weight_g", Integer),
    Column("updated_at", UTCDateTime, nullable=False),
)

product_prices = Table(
    "product_prices",
    metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("amount_minor", BigInteger, nullable=False),
)

# A product's attributes (the caller's key/values), and the words that find it in a
# search (ordino.network.domain.products.search_terms). Both indexed for the search's ways in:
# an attribute by name and value, a word as a prefix of terms; a search reads what
# matches, never the whole catalogue.
product_attributes = Table(
    "product_attributes",
    metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
    Index("ix_product_attributes_value", "name", "value", "sku"),
)

product_terms = Table(
    "product_terms",
    metadata,
    # In code point order on PostgreSQL too ("C"), so that a prefix is a range of the
    # index whatever the database's collation (SQLite compares that way already).
    Column(
        "term", String(64).with_variant(String(64, collation="C"), "postgresql"), primary_key=True
    ),
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    # A product's terms: probed by a search with several conditions, replaced on a put.
    Index("ix_product_terms_sku", "sku", "term"),
)

locations = Table(
    "locations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("type", String(16), nullable=False),
    Column("line1", String(200), nullable=False),
    Column("line2", String(200)),
    Column("city", String(100), nullable=False),
    Column("region", String(100)),
    Column("postal_code", String(20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("time_zone", String(64), nullable=False),
    Column("ships", Boolean, nullable=False),
    Column("pickup", Boolean, nullable=False),
    Column("returns", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

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
availability_views = Table(
    "availability_views",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# How each location works (calendar, cut-offs, processing, capacity; see
# ordino.network.domain.operations) and each carrier service (ordino.network.domain.carriers): one
# document each, editable through the API; `version` counts changes.
location_operations = Table(
    "location_operations",
    metadata,
    Column("location_id", String(64), ForeignKey("locations.id"), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

carrier_services = Table(
    "carrier_services",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# What each location spends to fulfil (ordino.network.domain.costs.LocationCosts).
location_costs = Table(
    "location_costs",
    metadata,
    Column("location_id", String(64), ForeignKey("locations.id"), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# What each carrier service charges (ordino.network.domain.costs), one document per service.
rate_cards = Table(
    "rate_cards",
    metadata,
    Column("service", String(64), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Sourcing profiles (ordino.sourcing.domain.profiles): the current document of each, and
# every version it ever had (an order names the version that sourced it).
sourcing_profiles = Table(
    "sourcing_profiles",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
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

# Capacity placed orders took per location and local day (orders or units, as the
# location counts); quotes take none.
capacity_use = Table(
    "capacity_use",
    metadata,
    Column("location_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("used", Integer, nullable=False),
    CheckConstraint("used >= 0", name="used_not_negative"),
)

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

# Where postal codes are (their centroid), for "near me" by postal code.
postal_codes = Table(
    "postal_codes",
    metadata,
    Column("country", String(2), primary_key=True),
    Column("postal_code", String(20), primary_key=True),
    Column("place", String(200)),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
)

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

orders = Table(
    "orders",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("channel", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("status", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("customer_email", String(254), nullable=False),
    Column("customer_name", String(200)),
    Column("customer_phone", String(50)),
    Column("ship_to", Document, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(32), nullable=False, server_default="ship_to_home"),
    Column("pipeline", Document, nullable=False, server_default="[]"),  # its type's steps
    Column("step", Integer, nullable=False, server_default="0"),  # the next to run
    Column("bill_to", Document),
    Column("b2b", Document),  # purchase order, requested date, ship complete
    # 0 to 9: backordered units go to the orders of higher priority first.
    Column("priority", Integer, nullable=False, server_default="0"),
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
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("status", String(32), nullable=False),
    # The line's counters, as the order derived them (`ordino.orders.domain.status`), kept
    # for reports and for finding what waits.
    Column("cancelled", Integer, nullable=False, server_default="0"),
    Column("released", Integer, nullable=False, server_default="0"),
    Column("shipped", Integer, nullable=False, server_default="0"),
    Column("delivered", Integer, nullable=False, server_default="0"),
    Column("picked_up", Integer, nullable=False, server_default="0"),
    Column("returned", Integer, nullable=False, server_default="0"),
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

hold_rules = Table(  # `ordino.orders.domain.holds.hold_rule_document`
    "hold_rules",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

channels = Table(  # `ordino.network.domain.channels.channel_document`: the channels known
    "channels",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

self_service_policies = Table(  # `ordino.servicing.domain.self_service.policy_document`
    "self_service_policies",
    metadata,
    Column("name", String(32), primary_key=True),  # one: "default"
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

order_types = Table(  # `ordino.orders.domain.pipelines.order_type_document`
    "order_types",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
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

# Each erasure of a customer's personal data (`ordino.privacy.domain.erasure`): who asked,
# when, the orders erased and how many records of each kind were rewritten. It
# holds no personal data itself.
erasures = Table(
    "erasures",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("erased_by", String(100), nullable=False),
    Column("erased_at", UTCDateTime, nullable=False),
    Column("orders", Document, nullable=False),
    Column("records", Document, nullable=False),
    Index("ix_erasures_erased_at", "erased_at"),
)

# Each export of a customer's data (`ordino.privacy.domain.erasure.Export`): who asked, when,
# the orders exported. No personal data.
customer_exports = Table(
    "customer_exports",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("exported_by", String(100), nullable=False),
    Column("exported_at", UTCDateTime, nullable=False),
    Column("orders", Document, nullable=False),
)

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

# Service levels missed (`ordino.orchestration.services.timers`): the exceptions list shows those
# still open (what breached has not moved on since).
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
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_fulfillments_order_id", "order_id"),
    # A location's queue: its fulfillment orders in a state, oldest first.
    Index("ix_fulfillments_location_id_status_id", "location_id", "status", "id"),
    # A store's parcels to collect there (shipped to it from elsewhere), by state.
    Index("ix_fulfillments_store_id_status_id", "store_id", "status", "id"),
    # Parcels shipped to a store for the customer to collect: their orders are not
    # finished (retention keeps their events; ordino.store.outbox).
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
    # commit (ordino.store.pending). Events of one order are written under its lock,
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
    # The order the answer is about (a capture's, a refund's): an erasure finds the
    # answers of the customer's orders by it.
    Column("order_id", String(32)),
    Index(
        "ix_idempotency_keys_order_id",
        "order_id",
        sqlite_where=text("order_id IS NOT NULL"),
        postgresql_where=text("order_id IS NOT NULL"),
    ),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("name", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("channel", String(64)),
    Column("location_id", String(64)),
)

# People who sign in to the console: the password's argon2 hash, never the password.
users = Table(
    "users",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("name", String(200)),
    Column("channel", String(64)),
    Column("location_id", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime),
)

# Console sessions, kept on the server so that signing out (or an admin) ends them:
# the cookie holds a random token, the table its SHA-256. `kind` is user or key, and
# `principal_id` the user's or key's id (`environment`: ORDINO_ADMIN_KEY).
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("principal_id", String(32), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Index("ix_console_sessions_principal_id", "principal_id"),
    # Each sign-in forgets the sessions long over: by index, however many there are
    # (any key may sign in as often as it likes).
    Index("ix_console_sessions_expires_at", "expires_at"),
    Index("ix_console_sessions_ended_at", "ended_at"),
)

# Attempts at guessing (ordino.access.domain.throttling): per subject (an account, an order
# number, a client address), the attempts counted in its window and when it began.
attempts = Table(
    "attempts",
    metadata,
    Column("subject", String(255), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("window_started_at", UTCDateTime, nullable=False),
    # Each attempt forgets the windows long over: by index, however many a flood left.
    Index("ix_attempts_window_started_at", "window_started_at"),
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

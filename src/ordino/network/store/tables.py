"""The network's tables: products (with their prices, attributes and search terms),
locations, how each location works and what it costs, the capacity placed orders
took, and where postal codes are.

Nothing deletes a location or a product: positions name them without foreign keys
(`ordino.inventory.store.tables`), and `ordino check` finds orphans."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from ordino.store.tables import Document, UTCDateTime, metadata, named_documents

products = Table(
    "products",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("weight_g", Integer),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("tax_class", String(16), nullable=False, server_default="standard"),
    # `ordino.network.domain.products.customs_document`; none: not given.
    Column("customs", Document),
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

# How each location works (calendar, cut-offs, processing, capacity; see
# ordino.network.domain.operations): one document each, editable through the API;
# `version` counts changes.
location_operations = named_documents(
    "location_operations",
    Column("location_id", String(64), ForeignKey("locations.id"), primary_key=True),
)

# What each location spends to fulfil (ordino.network.domain.costs.LocationCosts).
location_costs = named_documents(
    "location_costs",
    Column("location_id", String(64), ForeignKey("locations.id"), primary_key=True),
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


# Settings kept as one document each, editable through the API: the carrier services
# (`ordino.network.domain.carriers.service_document`), what each charges
# (`ordino.network.domain.costs.rate_card_document`), and the channels known
# (`ordino.network.domain.channels.channel_document`).
carrier_services = named_documents("carrier_services", Column("code", String(64), primary_key=True))
rate_cards = named_documents("rate_cards", Column("service", String(64), primary_key=True))
channels = named_documents("channels", Column("name", String(64), primary_key=True))

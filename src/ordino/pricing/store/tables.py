"""Pricing's tables: the VAT rates the built-in provider taxes by (loaded whole from a
file: `ordino tax load`), the tax settings (one document, named "default"), the
promotions with every version they had, and what the promotions with limits were
used for."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table, UniqueConstraint

from ordino.store.tables import Document, UTCDateTime, metadata, named_documents

# A rate as its exact decimal text ("0.19", "0.055"): no float, no scale to choose.
tax_rates = Table(
    "tax_rates",
    metadata,
    Column("country", String(2), primary_key=True),
    Column("tax_class", String(16), primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("valid_until", Date),  # the last day it holds; none: until replaced
    Column("rate", String(12), nullable=False),
)

# `ordino.pricing.domain.tax_settings.tax_settings_document`.
tax_settings = named_documents("tax_settings", Column("name", String(32), primary_key=True))

# Promotions (`ordino.pricing.domain.promotions`): the current document of each, and
# every version it had (an order's discount names the version that gave it).
promotions = named_documents("promotions", Column("id", String(64), primary_key=True))

promotion_versions = Table(
    "promotion_versions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", Document, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
)

# How often a promotion with limits was used and what it gave, in all (customer "")
# and per customer (their email, when it counts uses per customer): each order's
# use is a conditional update (`ordino.pricing.store.uses`), so no race exceeds a
# limit. `given_minor` in `currency`'s minor units (a budget's currency).
promotion_uses = Table(
    "promotion_uses",
    metadata,
    Column("promotion_id", String(64), primary_key=True),
    Column("customer", String(320), primary_key=True),
    Column("used", Integer, nullable=False),
    Column("given_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Index("ix_promotion_uses_customer", "customer"),  # an erasure finds a customer's
)

# Each order's uses, so that its cancellation gives them back (once: the row goes).
promotion_redemptions = Table(
    "promotion_redemptions",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("promotion_id", String(64), primary_key=True),
    Column("reference", String(80), nullable=False),  # the version that applied
    Column("customer", String(320), nullable=False),
    Column("code", String(64)),
    Column("given_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
)

# Which promotion each code unlocks: a code is one promotion's, whatever races.
promotion_codes = Table(
    "promotion_codes",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("promotion_id", String(64), nullable=False),
    Index("ix_promotion_codes_promotion_id", "promotion_id"),
)

# Exchange rates as the ECB publishes them: one euro in `currency` on `day`, its
# exact decimal text (`ordino rates load`: rows added or replaced, day by day).
exchange_rates = Table(
    "exchange_rates",
    metadata,
    Column("currency", String(3), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("per_euro", String(24), nullable=False),
    Column("source", String(16), nullable=False),
)

# Invoices and credit notes (`ordino.pricing.domain.invoices`): each as its document,
# numbered once in its entity's series; an invoice is one shipment's, a credit note
# one refund's (a second is refused by the database, whatever races).
bills = Table(
    "bills",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),  # invoice, credit_note
    Column("entity", String(64), nullable=False),
    Column("number", String(32), nullable=False),
    Column("order_id", String(32), nullable=False),
    Column("fulfillment_id", String(40)),  # an invoice's
    Column("refund_id", String(32)),  # a credit note's
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("document", Document, nullable=False),
    UniqueConstraint("entity", "number", name="uq_bills_entity_number"),
    UniqueConstraint("fulfillment_id", name="uq_bills_fulfillment_id"),
    UniqueConstraint("refund_id", name="uq_bills_refund_id"),
    Index("ix_bills_order_id", "order_id"),
)

# What a refund gives back, when it is of known parts (a return's units and the
# shipping): its credit note credits those, with their own taxes, not a share of
# everything the invoices billed (`ordino.orchestration.services.invoices`).
credit_bases = Table(
    "credit_bases",
    metadata,
    Column("refund_id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("parts", Document, nullable=False),  # `parts_document`
)

# The last number each series took: a series is an entity's documents of one kind
# in one year ("INV-2026"); taken by the transaction that issues the document, so a
# number is never skipped (documents of one series take turns on its row).
bill_series = Table(
    "bill_series",
    metadata,
    Column("entity", String(64), primary_key=True),
    Column("series", String(16), primary_key=True),
    Column("last", Integer, nullable=False),
)

# The duties and import VAT rates declarations estimate by (`ordino customs load`),
# replaced whole: a rate as its exact decimal text.
customs_rates = Table(
    "customs_rates",
    metadata,
    Column("country", String(2), primary_key=True),
    Column("kind", String(16), primary_key=True),  # duty, import_vat
    Column("hs_prefix", String(10), primary_key=True),  # "": every product
    Column("rate", String(12), nullable=False),
)

# Each cross-border parcel's customs declaration, made as it was shipped.
customs_declarations = Table(
    "customs_declarations",
    metadata,
    Column("fulfillment_id", String(40), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("declared_at", UTCDateTime, nullable=False),
    Column("document", Document, nullable=False),
    Index("ix_customs_declarations_order_id", "order_id"),
)

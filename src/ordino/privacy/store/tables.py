"""Privacy's tables: the record of each erasure and export of a customer's data.
Neither holds personal data itself."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Index,
    String,
    Table,
)

from ordino.store.tables import Document, UTCDateTime, metadata

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

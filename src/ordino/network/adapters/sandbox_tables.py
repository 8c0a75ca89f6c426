"""The sandbox carrier's table (`ordino.network.adapters.sandbox_carrier`): the labels
it booked, by the key they were asked under, kept apart from Ordino's own records as
a real carrier's would be."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Text

from ordino.store.tables import UTCDateTime, metadata

sandbox_labels = Table(
    "sandbox_labels",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("carrier", String(64), nullable=False),
    Column("tracking_number", String(32), nullable=False, unique=True),
    Column("reference", String(64), nullable=False),
    Column("document", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("voided_at", UTCDateTime),  # the parcel will not travel
)

"""Servicing's tables: the self-service policy (what a customer may change and until
when), one document."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from ordino.store.tables import Document, UTCDateTime, metadata

# Settings kept as one document per name, written through the storage frame's named
# documents (`ordino.store.settings`): editable through the API, `version` counting
# changes.
self_service_policies = Table(  # `ordino.servicing.domain.self_service.policy_document`
    "self_service_policies",
    metadata,
    Column("name", String(32), primary_key=True),  # one: "default"
    Column("document", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

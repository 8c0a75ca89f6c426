"""Servicing's tables: the self-service policy (what a customer may change and until
when), one document."""

from __future__ import annotations

from sqlalchemy import Column, String

from ordino.store.tables import named_documents

# `ordino.servicing.domain.self_service.policy_document`; one, named "default".
self_service_policies = named_documents(
    "self_service_policies", Column("name", String(32), primary_key=True)
)

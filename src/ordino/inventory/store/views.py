"""Availability views, stored as one JSON document each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from ordino.inventory.domain.views import AvailabilityView, view_document, view_from_document
from ordino.inventory.store.tables import availability_views
from ordino.kernel.domain import ChangeLog
from ordino.store.settings import put_document


class SqlViews:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection = connection
        self.changes = changes

    def all(self) -> list[AvailabilityView]:
        query = select(availability_views).order_by(availability_views.c.name)
        return [
            view_from_document(row.name, row.document, row.version)
            for row in self.connection.execute(query)
        ]

    def get(self, name: str) -> AvailabilityView | None:
        row = self.connection.execute(
            select(availability_views).where(availability_views.c.name == name)
        ).first()
        return None if row is None else view_from_document(row.name, row.document, row.version)

    def put(self, view: AvailabilityView, now: datetime) -> bool:
        """Create or replace; True when created. The version counts every change."""
        self.changes.views = True
        document = view_document(view)
        return put_document(self.connection, availability_views.c.name, view.name, document, now)

    def remove(self, name: str) -> bool:
        self.changes.views = True
        query = delete(availability_views).where(availability_views.c.name == name)
        return bool(self.connection.execute(query).rowcount)

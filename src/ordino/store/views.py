"""Availability views, stored as one JSON document each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.domain.availability import AvailabilityView, view_document, view_from_document
from ordino.domain.changes import ChangeLog
from ordino.errors import LostRace
from ordino.store.tables import availability_views


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
        values = {"document": view_document(view), "updated_at": now}
        changed = self.connection.execute(
            update(availability_views)
            .where(availability_views.c.name == view.name)
            .values(version=availability_views.c.version + 1, **values)
        ).rowcount
        if changed:
            return False
        try:
            self.connection.execute(
                insert(availability_views).values(name=view.name, version=1, **values)
            )
        except IntegrityError as error:  # created concurrently
            raise LostRace(str(error.orig)) from error
        return True

    def remove(self, name: str) -> bool:
        self.changes.views = True
        query = delete(availability_views).where(availability_views.c.name == name)
        return bool(self.connection.execute(query).rowcount)

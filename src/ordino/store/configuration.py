"""The record of configuration changes: added to, read newest first, never changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from ordino.kernel.domain.configuration import ConfigurationChange, ConfigurationKind
from ordino.store.tables import configuration_changes


class SqlConfigurationChanges:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, change: ConfigurationChange) -> None:
        self.connection.execute(
            insert(configuration_changes).values(
                kind=str(change.kind),
                name=change.name,
                version=change.version,
                before=change.before,
                after=change.after,
                changed_by=change.by,
                changed_at=change.at,
            )
        )

    def find(
        self,
        kind: ConfigurationKind | None,
        name: str | None,
        limit: int,
        before_id: int | None = None,
    ) -> list[ConfigurationChange]:
        """Changes of that kind and name (either or both may be None: any), newest
        first, older than `before_id` if given."""
        c = configuration_changes.c
        query = select(configuration_changes).order_by(c.id.desc()).limit(limit)
        if kind is not None:
            query = query.where(c.kind == str(kind))
        if name is not None:
            query = query.where(c.name == name)
        if before_id is not None:
            query = query.where(c.id < before_id)
        return [_change(row) for row in self.connection.execute(query)]


def _change(row: Any) -> ConfigurationChange:
    return ConfigurationChange(
        ConfigurationKind(row.kind),
        row.name,
        row.version,
        row.before,
        row.after,
        row.changed_by,
        row.changed_at,
        row.id,
    )

"""Keys Ordino makes itself (the key webhook secrets are sealed under, when none is
configured), each kept once by name: the first process to keep one wins and every
other reads it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from ordino.store.tables import server_keys


class SqlServerKeys:
    """Keys Ordino made itself, by name: made once, kept (`ordino.kernel.services.server_keys`)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, name: str) -> str | None:
        found: str | None = self.connection.scalar(
            select(server_keys.c.key).where(server_keys.c.name == name)
        )
        return found

    def keep(self, name: str, candidate: str, now: datetime) -> str:
        """The key of that name: `candidate` if there was none (a concurrent maker's
        if it won the race)."""
        dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
        self.connection.execute(
            dialect.insert(server_keys)
            .values(name=name, key=candidate, created_at=now)
            .on_conflict_do_nothing()
        )
        kept = self.get(name)
        assert kept is not None
        return kept

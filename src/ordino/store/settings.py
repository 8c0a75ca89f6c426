"""Settings kept as one JSON document per name (availability views, how a location
works, carrier services, rate cards): created or replaced whole, `version` counting
changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Connection, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain.errors import LostRace

T = TypeVar("T")


def put_document(
    connection: Connection, key: Column[Any], name: str, document: dict[str, Any], now: datetime
) -> bool:
    """Create or replace the document of `name` (in `key`'s table); True when created."""
    table = key.table
    assert isinstance(table, Table)
    values = {"document": document, "updated_at": now}
    changed = connection.execute(
        update(table).where(key == name).values(version=table.c.version + 1, **values)
    ).rowcount
    if changed:
        return False
    try:
        connection.execute(insert(table).values({key.name: name, "version": 1, **values}))
    except IntegrityError as error:  # created concurrently
        raise LostRace(str(error.orig)) from error
    return True


class SqlNamedDocuments(Generic[T]):
    """A table of named documents (`key`, `document`, `version`, `updated_at`) read and
    written as domain objects: carrier services, rate cards. `changed` is told of
    every write, for caches that hold them."""

    def __init__(
        self,
        connection: Connection,
        key: Column[Any],
        codec: tuple[Callable[[str, dict[str, Any]], T], Callable[[T], dict[str, Any]]],
        name_of: Callable[[T], str],
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self.connection, self.key, self.name_of, self.changed = connection, key, name_of, changed
        self.load, self.dump = codec
        table = key.table
        assert isinstance(table, Table)
        self.table = table

    def all(self) -> list[tuple[T, int]]:
        rows = self.connection.execute(select(self.table).order_by(self.key))
        return [(self.load(row._mapping[self.key.name], row.document), row.version) for row in rows]

    def get(self, name: str) -> tuple[T, int] | None:
        row = self.connection.execute(select(self.table).where(self.key == name)).first()
        return None if row is None else (self.load(name, row.document), row.version)

    def put(self, item: T, now: datetime) -> bool:
        """Create or replace; True when created."""
        self.changed()
        return put_document(self.connection, self.key, self.name_of(item), self.dump(item), now)

    def remove(self, name: str) -> bool:
        self.changed()
        return bool(self.connection.execute(delete(self.table).where(self.key == name)).rowcount)

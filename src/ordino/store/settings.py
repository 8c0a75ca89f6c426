"""Settings kept as one JSON document per name (availability views, how a location
works, carrier services, rate cards): created or replaced whole, `version` counting
changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Connection, Table, delete, func, insert, select, update
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


class SqlVersionedDocuments(Generic[T]):
    """Named documents whose every version is kept beside the current one (sourcing
    profiles, promotions: an order names the version that decided it). `current` is a
    named-documents table keyed by `key`; `versions` holds (`key`, `version`,
    `document`, `created_at`, `created_by`). Versions go on counting across a
    removal: a number names one document. `changed` is told of every write."""

    def __init__(
        self,
        connection: Connection,
        key: Column[Any],
        versions: Table,
        codec: tuple[Callable[[str, dict[str, Any], int], T], Callable[[T], dict[str, Any]]],
        name_of: Callable[[T], str],
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self.connection, self.key, self.kept, self.name_of = connection, key, versions, name_of
        self.load, self.dump = codec
        self.changed = changed
        table = key.table
        assert isinstance(table, Table)
        self.table = table
        self.kept_key = versions.c[key.name]

    def all(self) -> list[T]:
        rows = self.connection.execute(select(self.table).order_by(self.key))
        return [self.load(row._mapping[self.key.name], row.document, row.version) for row in rows]

    def get(self, name: str) -> T | None:
        row = self.connection.execute(select(self.table).where(self.key == name)).first()
        return None if row is None else self.load(name, row.document, row.version)

    def version(self, name: str, version: int) -> T | None:
        query = select(self.kept).where(self.kept_key == name, self.kept.c.version == version)
        row = self.connection.execute(query).first()
        return None if row is None else self.load(name, row.document, row.version)

    def put(self, item: T, now: datetime, by: str) -> tuple[bool, int]:
        """Create or replace; (created, the version it now has), that version kept
        with its author (`by`). A concurrent change of the same name: LostRace."""
        self.changed()
        name = self.name_of(item)
        latest = self.connection.scalar(
            select(func.max(self.kept.c.version)).where(self.kept_key == name)
        )
        version = (latest or 0) + 1
        document = self.dump(item)
        values = {"document": document, "version": version, "updated_at": now}
        try:
            kept = {self.key.name: name, "version": version, "document": document}
            self.connection.execute(
                insert(self.kept).values(kept | {"created_at": now, "created_by": by})
            )
            replaced = self.connection.execute(
                update(self.table).where(self.key == name).values(**values)
            ).rowcount
            if not replaced:
                self.connection.execute(insert(self.table).values({self.key.name: name, **values}))
        except IntegrityError as error:  # changed concurrently
            raise LostRace(str(error.orig)) from error
        return not replaced, version

    def versions(self, name: str) -> list[tuple[int, datetime, str | None]]:
        """Every version the document had, the newest first: (version, when, who)."""
        kept = self.kept.c
        query = (
            select(kept.version, kept.created_at, kept.created_by)
            .where(self.kept_key == name)
            .order_by(kept.version.desc())
        )
        return [(r.version, r.created_at, r.created_by) for r in self.connection.execute(query)]

    def remove(self, name: str) -> bool:
        """The current document goes; its versions stay, for what names them."""
        self.changed()
        return bool(self.connection.execute(delete(self.table).where(self.key == name)).rowcount)

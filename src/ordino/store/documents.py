"""Settings kept as one JSON document per name (availability views, how a location
works, carrier services): created or replaced whole, `version` counting changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Table, insert, update
from sqlalchemy.exc import IntegrityError

from ordino.errors import LostRace


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

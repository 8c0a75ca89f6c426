"""How locations work and which carrier services there are (one document each), and
the capacity placed orders took per location and day.

Capacity is taken by one conditional statement per location and day, as stock is:
the row is added or raised only while it stays within the location's limit, so two
orders racing for the last slot cannot both get it (the loser re-plans).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import ChangeLog, LostRace
from ordino.network.domain.costs import (
    LocationCosts,
    location_costs_document,
    location_costs_from_document,
)
from ordino.network.domain.operations import CapacityTaken
from ordino.network.store.tables import capacity_use, location_costs, location_operations
from ordino.store.settings import put_document


class SqlOperations:
    """Operations documents by location id; the domain object needs the location's
    time zone, which the service adds."""

    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection, self.changes = connection, changes

    def documents(self) -> dict[str, tuple[dict[str, Any], int]]:
        rows = self.connection.execute(select(location_operations))
        return {row.location_id: (row.document, row.version) for row in rows}

    def document(self, location_id: str) -> tuple[dict[str, Any], int] | None:
        query = select(location_operations).where(location_operations.c.location_id == location_id)
        row = self.connection.execute(query).first()
        return None if row is None else (row.document, row.version)

    def put(self, location_id: str, document: dict[str, Any], now: datetime) -> bool:
        self.changes.network = True
        return put_document(
            self.connection, location_operations.c.location_id, location_id, document, now
        )


class SqlLocationCosts:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection, self.changes = connection, changes

    def get(self, location_id: str) -> tuple[LocationCosts, int] | None:
        query = select(location_costs).where(location_costs.c.location_id == location_id)
        row = self.connection.execute(query).first()
        return None if row is None else (location_costs_from_document(row.document), row.version)

    def all(self) -> dict[str, LocationCosts]:
        rows = self.connection.execute(select(location_costs))
        return {row.location_id: location_costs_from_document(row.document) for row in rows}

    def put(self, location_id: str, costs: LocationCosts, now: datetime) -> bool:
        self.changes.network = True  # pictures hold the costs
        document = location_costs_document(costs)
        return put_document(
            self.connection, location_costs.c.location_id, location_id, document, now
        )


class SqlCapacity:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def used(self, location_ids: Iterable[str], since: date) -> dict[str, dict[date, int]]:
        """Capacity taken per location and day, from `since` on."""
        table = capacity_use
        query = select(table.c.location_id, table.c.day, table.c.used).where(
            table.c.day >= since, table.c.used > 0
        )
        ids = list(location_ids)
        if len(ids) < 500:  # the whole network: no list to bind
            query = query.where(table.c.location_id.in_(ids))
        used: dict[str, dict[date, int]] = {}
        for row in self.connection.execute(query):
            used.setdefault(row.location_id, {})[row.day] = row.used
        return used

    def take(self, taken: Sequence[CapacityTaken]) -> None:
        """Take capacity; LostRace when a day filled up since it was read."""
        for entry in sorted(taken, key=lambda t: (t.location_id, t.day)):
            self._take(entry)

    def give_back(self, taken: Sequence[CapacityTaken]) -> None:
        for entry in sorted(taken, key=lambda t: (t.location_id, t.day)):
            self.connection.execute(
                update(capacity_use)
                .where(_key(entry))
                .values(used=capacity_use.c.used - entry.amount)
            )

    def _take(self, entry: CapacityTaken) -> None:
        raised = self.connection.execute(
            update(capacity_use)
            .where(_key(entry), capacity_use.c.used + entry.amount <= entry.limit)
            .values(used=capacity_use.c.used + entry.amount)
        ).rowcount
        if raised:
            return
        if entry.amount > entry.limit:
            raise LostRace(f"{entry.location_id} cannot take {entry.amount} on {entry.day}")
        try:
            self.connection.execute(
                insert(capacity_use).values(
                    location_id=entry.location_id, day=entry.day, used=entry.amount
                )
            )
        except IntegrityError as error:  # the day is full, or was started concurrently
            raise LostRace(f"{entry.location_id} is full on {entry.day}") from error


def _key(entry: CapacityTaken) -> Any:
    return and_(capacity_use.c.location_id == entry.location_id, capacity_use.c.day == entry.day)

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

from sqlalchemy import Connection, and_, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain.changes import ChangeLog
from ordino.kernel.domain.errors import LostRace
from ordino.network.domain.costs import (
    LocationCosts,
    location_costs_document,
    location_costs_from_document,
)
from ordino.network.domain.operations import CapacityTaken
from ordino.promising.domain.promises import DeliveryRecord, PromisePerformance
from ordino.store.documents import put_document
from ordino.store.tables import (
    capacity_use,
    deliveries,
    location_costs,
    location_operations,
    orders,
)


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


_GROUPS = {
    "location": deliveries.c.location_id,
    "carrier": deliveries.c.carrier,
    "service": deliveries.c.service,
}


class SqlDeliveries:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, record: DeliveryRecord, now: datetime) -> None:
        try:
            self.connection.execute(
                insert(deliveries).values(
                    order_id=record.order_id,
                    location_id=record.location_id,
                    delivered_at=record.delivered_at,
                    delivered_on=record.delivered_on,
                    service=record.service,
                    carrier=record.carrier,
                    promised_latest=record.promised_latest,
                    on_time=record.on_time,
                    slack_days=record.slack_days,
                    recorded_at=now,
                )
            )
        except IntegrityError as error:  # recorded concurrently
            raise LostRace(str(error.orig)) from error

    def of_order(self, order_id: str) -> list[DeliveryRecord]:
        query = (
            select(deliveries)
            .where(deliveries.c.order_id == order_id)
            .order_by(deliveries.c.location_id)
        )
        return [_record(row) for row in self.connection.execute(query)]

    def performance(self, by: str, since: datetime, until: datetime) -> list[PromisePerformance]:
        """Per location, carrier or service: deliveries, on time, mean slack in days,
        of deliveries from `since` until before `until`."""
        key = _GROUPS[by]
        query = (
            select(
                key.label("key"),
                func.count().label("deliveries"),
                func.sum(case((deliveries.c.on_time, 1), else_=0)).label("on_time"),
                func.avg(deliveries.c.slack_days).label("slack"),
            )
            .where(deliveries.c.delivered_at >= since, deliveries.c.delivered_at < until)
            .group_by(key)
            .order_by(key)
        )
        return [
            PromisePerformance(row.key, row.deliveries, int(row.on_time), float(row.slack))
            for row in self.connection.execute(query)
        ]

    def between(
        self, since: datetime, until: datetime, channel: str | None = None
    ) -> list[DeliveryRecord]:
        """Deliveries from `since` until before `until` (of orders of `channel`)."""
        query = select(deliveries).where(
            deliveries.c.delivered_at >= since, deliveries.c.delivered_at < until
        )
        if channel is not None:
            query = query.join(orders, deliveries.c.order_id == orders.c.id).where(
                orders.c.channel == channel
            )
        return [_record(row) for row in self.connection.execute(query)]


def _record(row: Any) -> DeliveryRecord:
    return DeliveryRecord(
        row.order_id,
        row.location_id,
        row.delivered_at,
        row.delivered_on,
        row.service,
        row.carrier,
        row.promised_latest,
        row.on_time,
        row.slack_days,
    )

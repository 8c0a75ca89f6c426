"""Deliveries measured against the promise: each delivery (or collection) of an
order's parcel, and the performance they add up to, by location, carrier or
service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, case, func, insert, select
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import LostRace
from ordino.promising.domain.promises import DeliveryRecord, PromisePerformance
from ordino.promising.store.tables import deliveries

_GROUPS = {
    "location": deliveries.c.location_id,
    "carrier": deliveries.c.carrier,
    "service": deliveries.c.service,
}


class SqlDeliveries:
    """`orders`: the orders' table, handed over by the unit of work to find the
    deliveries of a channel's orders. Orders rank above promising (docs/layout.md),
    so promising imports none of theirs; the question is analytics', whose store
    will ask it once its use case moves (issue 16, step 3)."""

    def __init__(self, connection: Connection, orders: Table) -> None:
        self.connection = connection
        self.orders = orders

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
            orders = self.orders
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

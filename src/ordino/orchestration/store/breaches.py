"""Service levels missed, and their resolution."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from ordino.kernel.domain import Timer
from ordino.orchestration.domain.breaches import Action, Breach
from ordino.orders.store import sla_breaches


class SqlBreaches:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, breach: Breach) -> None:
        self.connection.execute(
            insert(sla_breaches).values(
                id=breach.id,
                order_id=breach.order_id,
                fulfillment_id=breach.fulfillment_id,
                kind=str(breach.timer),
                location_id=breach.location_id,
                due_at=breach.due_at,
                breached_at=breach.breached_at,
                action=str(breach.action),
                resolved_at=breach.resolved_at,
            )
        )

    def resolve(self, fulfillment_id: str, now: datetime) -> None:
        """What breached moved on: its open breaches close."""
        c = sla_breaches.c
        self.connection.execute(
            update(sla_breaches)
            .where(c.fulfillment_id == fulfillment_id, c.resolved_at.is_(None))
            .values(resolved_at=now)
        )

    def open(self, limit: int) -> list[Breach]:
        """Breaches flagged and not resolved, oldest first."""
        c = sla_breaches.c
        query = (
            select(sla_breaches)
            .where(c.resolved_at.is_(None), c.action == str(Action.FLAGGED))
            .order_by(c.breached_at, c.id)
            .limit(limit)
        )
        return [_breach(row) for row in self.connection.execute(query)]

    def of_order(self, order_id: str) -> list[Breach]:
        c = sla_breaches.c
        query = select(sla_breaches).where(c.order_id == order_id).order_by(c.breached_at)
        return [_breach(row) for row in self.connection.execute(query)]


def _breach(row: Row[Any]) -> Breach:
    return Breach(
        row.id,
        row.order_id,
        row.fulfillment_id,
        Timer(row.kind),
        row.location_id,
        row.due_at,
        row.breached_at,
        Action(row.action),
        row.resolved_at,
    )

"""Webhook subscriptions and the log of their deliveries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from ordino.events.domain.webhooks import Delivery, Subscription
from ordino.events.store.tables import webhook_deliveries, webhook_subscriptions
from ordino.kernel.domain import Event, event_document, new_id


class SqlWebhooks:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, subscription: Subscription) -> None:
        self.connection.execute(
            insert(webhook_subscriptions).values(
                id=subscription.id,
                url=subscription.url,
                event_types=sorted(subscription.event_types),
                sealed_secret=subscription.sealed_secret,
                created_at=subscription.created_at,
            )
        )

    def all(self) -> list[Subscription]:
        query = select(webhook_subscriptions).order_by(webhook_subscriptions.c.id)
        return [_subscription(row) for row in self.connection.execute(query)]

    def get(self, subscription_id: str) -> Subscription | None:
        query = select(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
        row = self.connection.execute(query).first()
        return None if row is None else _subscription(row)

    def remove(self, subscription_id: str) -> bool:
        """The subscription goes, and what it had not been delivered yet with it."""
        d = webhook_deliveries.c
        self.connection.execute(
            delete(webhook_deliveries).where(
                d.subscription_id == subscription_id, d.delivered_at.is_(None)
            )
        )
        gone = delete(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
        return bool(self.connection.execute(gone).rowcount)

    def fan_out(self, events: Sequence[Event], now: datetime) -> list[str]:
        """A delivery of each event to each subscription that wants it; the
        subscriptions that got some."""
        rows, got = [], set()
        for subscription in self.all():
            for event in events:
                if subscription.wants(event.type):
                    got.add(subscription.id)
                    rows.append(
                        {
                            "id": new_id(now),
                            "subscription_id": subscription.id,
                            "event_id": event.id,
                            "event_type": event.type,
                            "subject": event.subject,
                            "seq": event.seq or 0,
                            "body": json.dumps(event_document(event)),
                            "attempts": 0,
                            "created_at": now,
                        }
                    )
        if rows:
            self.connection.execute(insert(webhook_deliveries), rows)
        return sorted(got)

    def next_waiting(self, subscription_id: str) -> Delivery | None:
        """The subscription's oldest delivery not yet accepted."""
        d = webhook_deliveries.c
        query = (
            select(webhook_deliveries)
            .where(d.subscription_id == subscription_id, d.delivered_at.is_(None))
            .order_by(d.seq, d.id)
            .limit(1)
        )
        row = self.connection.execute(query).first()
        if row is None:
            return None
        return Delivery(
            row.id, row.subscription_id, row.event_id, row.event_type, row.body, row.attempts
        )

    def attempted(
        self, delivery_id: str, status: int | None, error: str | None, now: datetime
    ) -> None:
        """An attempt and its outcome; a 2xx status delivers."""
        d = webhook_deliveries.c
        values: dict[str, Any] = {
            "attempts": d.attempts + 1,
            "last_status": status,
            "last_error": None if error is None else error[:2000],
            "last_attempt_at": now,
        }
        if status is not None and 200 <= status < 300:
            values["delivered_at"] = now
        self.connection.execute(
            update(webhook_deliveries).where(d.id == delivery_id).values(**values)
        )

    def prune(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` deliveries accepted before `before`; how many. Those
        still waiting stay, however old."""
        d = webhook_deliveries.c
        gone = select(d.id).where(d.delivered_at.is_not(None), d.delivered_at < before).limit(limit)
        statement = delete(webhook_deliveries).where(d.id.in_(gone.scalar_subquery()))
        return int(self.connection.execute(statement).rowcount)

    def log(self, subscription_id: str, limit: int) -> list[dict[str, Any]]:
        """The subscription's deliveries, the newest first."""
        d = webhook_deliveries.c
        query = (
            select(webhook_deliveries)
            .where(d.subscription_id == subscription_id)
            .order_by(d.seq.desc(), d.id.desc())
            .limit(limit)
        )
        return [
            {
                "event_id": row.event_id,
                "event_type": row.event_type,
                "delivered_at": row.delivered_at and row.delivered_at.isoformat(),
                "attempts": row.attempts,
                "last_status": row.last_status,
                "last_error": row.last_error,
                "last_attempt_at": row.last_attempt_at and row.last_attempt_at.isoformat(),
            }
            for row in self.connection.execute(query)
        ]


def _subscription(row: Any) -> Subscription:
    return Subscription(
        row.id, row.url, frozenset(row.event_types), row.sealed_secret, row.created_at
    )

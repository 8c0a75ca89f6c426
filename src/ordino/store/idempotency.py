"""Idempotency records: the answer kept under each caller's key, replayed to a retry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from ordino.kernel.domain.idempotency import StoredAnswer
from ordino.store.commit_writer import PendingWrites
from ordino.store.tables import idempotency_keys


class SqlIdempotency:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending

    def get(self, scope: str, key: str) -> StoredAnswer | None:
        row = self.connection.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
            )
        ).first()
        return None if row is None else StoredAnswer(row.fingerprint, row.status, row.body)

    def add(self, scope: str, key: str, answer: StoredAnswer, now: datetime) -> None:
        """Written at commit; a concurrent request with the same key loses the race there."""
        self.pending.insert(
            idempotency_keys,
            [
                {
                    "scope": scope,
                    "key": key,
                    "fingerprint": answer.fingerprint,
                    "status": answer.status,
                    "body": answer.body,
                    "created_at": now,
                    "order_id": answer.order_id,
                }
            ],
        )

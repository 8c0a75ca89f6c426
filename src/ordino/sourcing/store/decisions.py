"""Each order's sourcing decisions, numbered in the order they were made."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from ordino.sourcing.domain.plans import SourcingRecord
from ordino.sourcing.store.tables import sourcing_decisions
from ordino.store.commit_writer import PendingWrites


class SqlSourcingDecisions:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection, self.pending = connection, pending

    def add(self, order_id: str, seq: int, record: SourcingRecord, now: datetime) -> None:
        """The first (seq 1) is written at commit with its order; later ones at once."""
        row = _row(order_id, seq, record, now)
        if seq == 1:
            self.pending.insert(sourcing_decisions, [row])
        else:
            self.connection.execute(insert(sourcing_decisions).values(**row))

    def last_seq(self, order_id: str) -> int:
        table = sourcing_decisions
        query = select(func.max(table.c.seq)).where(table.c.order_id == order_id)
        return self.connection.scalar(query) or 0

    def of_order(self, order_id: str) -> list[tuple[int, datetime, SourcingRecord]]:
        table = sourcing_decisions
        query = select(table).where(table.c.order_id == order_id).order_by(table.c.seq)
        return [
            (
                row.seq,
                row.decided_at,
                SourcingRecord(
                    row.reason,
                    row.profile,
                    row.profile_version,
                    row.strategy,
                    row.outcome,
                    row.document,
                ),
            )
            for row in self.connection.execute(query)
        ]


def _row(order_id: str, seq: int, record: SourcingRecord, now: datetime) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "seq": seq,
        "reason": record.reason,
        "profile": record.profile,
        "profile_version": record.profile_version,
        "strategy": record.strategy[:100],
        "outcome": record.outcome,
        "decided_at": now,
        "document": record.explanation,
    }

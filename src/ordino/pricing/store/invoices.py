"""Invoices and credit notes, each numbered in its series as it is written: the
series' row takes the next number by one upsert in the issuing transaction (so a
document that does not commit gives its number back, and none is skipped).

Every document of a series waits for that row: it is taken at commit, after the
transaction's other writes (`PendingWrites.write_last`), so that it is held for
the commit alone, not while the rest of the transaction runs (a shipment's stock,
its order, its jobs). The issuing transaction reads its own documents all the same:
a read of documents writes those waiting first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from ordino.kernel.domain import to_minor
from ordino.pricing.domain.invoices import (
    Bill,
    BilledPart,
    BillKind,
    basis_document,
    bill_document,
    parts_from,
)
from ordino.pricing.store.tables import bill_series, bills, credit_bases
from ordino.store.commit_writer import PendingWrites
from ordino.store.dialect import is_postgresql

_BILLS = bills.c


class SqlBills:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending
        self.waiting: list[Bill] = []  # issued, to be numbered and written at commit

    def intend(self, refund_id: str, order_id: str, parts: Sequence[BilledPart]) -> None:
        """What the refund gives back, for its credit note to credit."""
        self.connection.execute(
            insert(credit_bases).values(
                refund_id=refund_id, order_id=order_id, parts=basis_document(parts)
            )
        )

    def intended(self, refund_id: str) -> tuple[BilledPart, ...] | None:
        c = credit_bases.c
        row = self.connection.execute(select(c.parts).where(c.refund_id == refund_id)).first()
        return None if row is None else parts_from(row.parts)

    def issue(self, bill: Bill) -> None:
        """The bill numbered as the next of its series and written, at commit."""
        if not self.waiting:
            self.pending.write_last(lambda _connection: self._write_waiting())
        self.waiting.append(bill)

    def _write_waiting(self) -> None:
        waiting, self.waiting = self.waiting, []
        for bill in waiting:
            self._write(bill)

    def _write(self, bill: Bill) -> None:
        dialect = postgresql if is_postgresql(self.connection) else sqlite
        series = bill.series
        statement = dialect.insert(bill_series).values(entity=bill.entity, series=series, last=1)
        last = self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=[bill_series.c.entity, bill_series.c.series],
                set_={"last": bill_series.c.last + 1},
            ).returning(bill_series.c.last)
        ).scalar_one()
        issued = bill.numbered(last)
        assert issued.number is not None
        self.connection.execute(
            bills.insert().values(
                id=issued.id,
                kind=str(issued.kind),
                entity=issued.entity,
                number=issued.number,
                order_id=issued.order_id,
                fulfillment_id=issued.fulfillment_id,
                refund_id=issued.refund_id,
                currency=issued.currency,
                total_minor=to_minor(issued.total, issued.currency),
                issued_at=issued.issued_at,
                document=bill_document(issued),
            )
        )

    def of_order(self, order_id: str, kind: BillKind | None = None) -> list[dict[str, Any]]:
        """The order's documents, as issued, oldest first (its invoices before its
        credit notes of the same instant)."""
        self._write_waiting()
        query = select(_BILLS.document).where(_BILLS.order_id == order_id)
        if kind is not None:
            query = query.where(_BILLS.kind == str(kind))
        query = query.order_by(_BILLS.issued_at, _BILLS.kind.desc(), _BILLS.number)
        return [dict(row.document) for row in self.connection.execute(query)]

    def get(self, bill_id: str) -> dict[str, Any] | None:
        self._write_waiting()
        found = self.connection.execute(
            select(_BILLS.document).where(_BILLS.id == bill_id)
        ).scalar_one_or_none()
        return None if found is None else dict(found)

    def of_refund(self, refund_id: str) -> dict[str, Any] | None:
        self._write_waiting()
        found = self.connection.execute(
            select(_BILLS.document).where(_BILLS.refund_id == refund_id)
        ).scalar_one_or_none()
        return None if found is None else dict(found)

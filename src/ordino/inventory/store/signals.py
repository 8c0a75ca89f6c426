"""The queue of stock changes to evaluate, and the last signal per view and SKU.

An evaluator claims changes by deleting them, so each change is evaluated once, and
not at all if the evaluation rolls back (the rows come back). On PostgreSQL one
evaluator works at a time (a transaction-scoped advisory lock); changes committed
while it works are the next one's. The states of the SKUs evaluated are locked in
sorted order besides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    String,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from ordino.inventory.domain.signals import UNBOUNDED, SignalState
from ordino.inventory.domain.views import StockStatus
from ordino.inventory.store.tables import positions, stock_signals
from ordino.kernel.domain import LostRace, Recorded
from ordino.store.dialect import insert_rows, is_postgresql, one_of, recordset, time_values
from ordino.store.tables import UTCDateTime, stock_changes

_UPDATE = (
    update(stock_signals)
    .where(stock_signals.c.view == bindparam("_view"), stock_signals.c.sku == bindparam("_sku"))
    .values(
        status=bindparam("_status"),
        bound=bindparam("_bound"),
        version=bindparam("_version"),
        updated_at=bindparam("_updated_at"),
    )
)


_COLUMNS: dict[str, Any] = {
    "view": String(),
    "sku": String(),
    "status": String(),
    "bound": Integer(),
    "version": Integer(),
    "updated_at": UTCDateTime(),
}
# A transaction-scoped lock that only one evaluator holds at a time (on PostgreSQL).
_ONE_EVALUATOR = select(func.pg_try_advisory_xact_lock(0x6F7264696E6F))  # "ordino"


class SqlSignals:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def claim(self, limit: int, settle: timedelta) -> list[Recorded]:
        """Take the changes of up to `limit` SKUs, those changed longest ago: every change
        of theirs recorded so far (a bulk load records one per SKU and batch: its SKUs
        are then evaluated once, not a thousand times), and the network's and views'.
        Only changes recorded at least `settle` ago, by the clock that recorded them
        (`ordino.store.commit_writer`)."""
        c = stock_changes.c
        if is_postgresql(self.connection) and not self.connection.scalar(_ONE_EVALUATOR):
            return []  # another process evaluates now: one at a time is enough
        oldest = select(c.seq, c.sku).order_by(c.seq).limit(limit)
        if settle:
            oldest = oldest.where(c.changed_at < datetime.now(UTC) - settle)
        found = self.connection.execute(oldest).all()
        if not found:
            return []
        last = max(seq for seq, _ in found)
        skus = sorted({sku for _, sku in found if sku is not None})
        taken = or_(
            and_(c.sku.is_(None), c.seq <= last),
            one_of(self.connection, c.sku, skus) if skus else false(),
        )
        if settle:
            taken = and_(taken, c.changed_at < datetime.now(UTC) - settle)
        gone: Any = (
            delete(stock_changes).where(taken).returning(c.kind, c.sku, c.down, c.up, c.location_id)
        )
        if is_postgresql(self.connection):  # summed in the database: a bulk load leaves
            gone_ = gone.cte("gone")  # a SKU a thousand changes
            gone = select(
                gone_.c.kind,
                gone_.c.sku,
                func.sum(gone_.c.down),
                func.bool_or(gone_.c.up),
                gone_.c.location_id,
            ).group_by(gone_.c.kind, gone_.c.sku, gone_.c.location_id)
        rows = self.connection.execute(gone)
        return [
            Recorded(kind, sku, int(down), bool(up), location_id)
            for kind, sku, down, up, location_id in rows
        ]

    def states(self, skus: Sequence[str]) -> dict[tuple[str, str], SignalState]:
        """The states of `skus` in every view, locked until the commit."""
        s = stock_signals.c
        query = (
            select(stock_signals)
            .where(one_of(self.connection, s.sku, sorted(set(skus))))
            .order_by(s.sku, s.view)
            .with_for_update()
        )
        return {
            (row.view, row.sku): SignalState(
                row.view, row.sku, StockStatus(row.status), row.bound, row.version
            )
            for row in self.connection.execute(query)
        }

    def save(
        self, states: Iterable[SignalState], existing: set[tuple[str, str]], now: datetime
    ) -> None:
        rows = [
            {
                "view": state.view,
                "sku": state.sku,
                "status": str(state.status),
                "bound": state.bound,
                "version": state.version,
                "updated_at": now,
            }
            for state in states
        ]
        changed = [r for r in rows if (r["view"], r["sku"]) in existing]
        if changed:
            self._update(changed)
        try:
            insert_rows(self.connection, stock_signals, [r for r in rows if r not in changed])
        except IntegrityError as error:  # another evaluator decided the SKU first
            raise LostRace(str(error.orig)) from error

    def _update(self, rows: list[dict[str, Any]]) -> None:
        if not is_postgresql(self.connection):
            self.connection.execute(_UPDATE, [{f"_{k}": v for k, v in r.items()} for r in rows])
            return
        t = time_values(self.connection)
        v = recordset("v", _COLUMNS, [r | {"updated_at": t(r["updated_at"])} for r in rows])
        self.connection.execute(
            update(stock_signals)
            .where(stock_signals.c.view == v.c.view, stock_signals.c.sku == v.c.sku)
            .values(
                status=v.c.status, bound=v.c.bound, version=v.c.version, updated_at=v.c.updated_at
            )
        )

    def requeue(self, views: Sequence[str], now: datetime) -> int:
        """After the views changed: every SKU with a signal is counted again (states of
        views that no longer exist go)."""
        s = stock_signals.c
        self.connection.execute(delete(stock_signals).where(s.view.not_in(list(views))))
        skus = select(
            literal("stock").label("kind"),
            s.sku,
            literal(UNBOUNDED).label("down"),
            literal(True).label("up"),
            literal(now, stock_changes.c.changed_at.type).label("changed_at"),
        ).group_by(s.sku)
        return self._insert(skus)

    def requeue_locations(self, location_ids: Sequence[str], now: datetime) -> int:
        """After locations were redefined: each SKU they hold, as a change that may have
        taken what the location had (no more: the rest of the network is as it was)."""
        p = positions.c
        skus = select(
            literal("stock").label("kind"),
            p.sku,
            p.on_hand.label("down"),
            literal(True).label("up"),
            literal(now, stock_changes.c.changed_at.type).label("changed_at"),
        ).where(p.location_id.in_(list(location_ids)))
        return self._insert(skus)

    def _insert(self, changes: Any) -> int:
        columns = ["kind", "sku", "down", "up", "changed_at"]
        result = self.connection.execute(insert(stock_changes).from_select(columns, changes))
        return int(result.rowcount or 0)

    def pending(self) -> int:
        return int(self.connection.scalar(select(func.count()).select_from(stock_changes)) or 0)

"""The transactional outbox: events are rows written with the change that caused them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, exists, func, or_, select, update

from ordino.kernel.domain import Event
from ordino.orders.domain import FulfillmentStatus
from ordino.orders.store import allocations, fulfillments, order_lines
from ordino.promising.domain import Method
from ordino.store.dialect import is_postgresql
from ordino.store.tables import outbox

_AWAITS_COLLECTION = (str(FulfillmentStatus.SHIPPED), str(FulfillmentStatus.READY))


# One relay at a time (PostgreSQL; SQLite has one writer anyway), so events leave in
# the order they were written. An erasure takes the same lock (`ordino.privacy.store.erasure`).
RELAY_LOCK = 0x6F7264696E6F + 1
_ONE_RELAY = select(func.pg_try_advisory_xact_lock(RELAY_LOCK))
# One process prunes at a time (`ordino.privacy.services.retention`).
PRUNE_LOCK = 0x6F7264696E6F + 2
_ONE_PRUNING = select(func.pg_try_advisory_xact_lock(PRUNE_LOCK))


class SqlOutbox:
    """The relay's side of the outbox: events not yet published, in the order they
    were written, and marking them published."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def unpublished(self, limit: int) -> list[Event]:
        """The oldest events not published, locked for this relay until it commits;
        none while another relay holds the outbox."""
        if is_postgresql(self.connection) and not self.connection.scalar(_ONE_RELAY):
            return []
        c = outbox.c
        query = select(outbox).where(c.published_at.is_(None)).order_by(c.seq).limit(limit)
        return [
            Event(row.id, row.type, row.occurred_at, row.subject, row.data, row.seq)
            for row in self.connection.execute(query)
        ]

    def of_subject(self, subject: str) -> list[Event]:
        """Every event about `subject` (`order/<id>`), in the order written: the
        outbox keeps them after they are published, as the record of what happened."""
        c = outbox.c
        query = select(outbox).where(c.subject == subject).order_by(c.seq)
        return [
            Event(row.id, row.type, row.occurred_at, row.subject, row.data, row.seq)
            for row in self.connection.execute(query)
        ]

    def prune_alone(self) -> bool:
        """True when no other process prunes, and none will until this commits
        (PostgreSQL's lock; SQLite has one writer at a time anyway)."""
        return not is_postgresql(self.connection) or bool(self.connection.scalar(_ONE_PRUNING))

    def prune(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` events that happened before `before` and were
        published, none of an order not finished yet; how many."""
        c = outbox.c
        gone = (
            select(c.id)
            .where(c.published_at.is_not(None), c.occurred_at < before, ~_unfinished(c.subject))
            .limit(limit)
        )
        statement = delete(outbox).where(c.id.in_(gone.scalar_subquery()))
        return int(self.connection.execute(statement).rowcount)

    def published(self, ids: Sequence[str], now: datetime) -> None:
        if ids:
            statement = update(outbox).where(outbox.c.id.in_(list(ids))).values(published_at=now)
            self.connection.execute(statement)


def _unfinished(subject: Any) -> Any:
    """The subject is an order not finished yet (`Order.finished`, as its rows hold
    it): units held at a location, waiting for supply, or shipped to a store for the
    customer to collect. Each test is a look-up by the order's id."""
    order_id = func.substr(subject, len("order/") + 1)
    f = fulfillments.c
    return subject.like("order/%") & or_(
        exists().where(allocations.c.order_id == order_id),
        exists().where(order_lines.c.order_id == order_id, order_lines.c.backordered > 0),
        exists().where(
            f.order_id == order_id,
            f.method == str(Method.SHIP_TO_STORE),
            f.status.in_(_AWAITS_COLLECTION),
        ),
    )

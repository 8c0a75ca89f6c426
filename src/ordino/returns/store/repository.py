"""Returns kept in SQL: a return and its lines written together; a change is written
only over the version read (another writer's change in between is a lost race)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from ordino.kernel.domain import LostRace
from ordino.network.domain import Label
from ordino.orders.store import allocations, fulfillments, order_lines, orders
from ordino.returns.domain import (
    ENDED,
    Appeasement,
    Exchange,
    Initiator,
    RefundTo,
    ReturnAuthorization,
    ReturnLabel,
    ReturnLine,
    ReturnMethod,
    ReturnQuery,
    ReturnReceipt,
    ReturnRefund,
    ReturnStatus,
    appeasement_document,
    appeasement_from_document,
    exchange_document,
    exchange_from_document,
    receipt_document,
    receipt_from_document,
    refund_document,
    refund_from_document,
)
from ordino.returns.store.tables import (
    appeasements,
    return_exchanges,
    return_labels,
    return_lines,
    return_receipts,
    return_refunds,
    return_routes,
    returns,
)


class SqlReturns:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, ra: ReturnAuthorization) -> None:
        self.connection.execute(insert(returns).values(_row(ra)))
        self._write_lines(ra)

    def save(self, ra: ReturnAuthorization) -> None:
        """Written over the version read, which it moves on by one."""
        written = self.connection.execute(
            update(returns)
            .where(returns.c.id == ra.id, returns.c.version == ra.version)
            .values(_row(ra) | {"version": ra.version + 1})
        )
        if written.rowcount != 1:
            raise LostRace(f"return {ra.id} changed since it was read")
        ra.version += 1
        self.connection.execute(delete(return_lines).where(return_lines.c.return_id == ra.id))
        self._write_lines(ra)

    def get(self, return_id: str) -> ReturnAuthorization | None:
        found = self._load(select(returns).where(returns.c.id == return_id))
        return found[0] if found else None

    def by_code(self, code: str) -> ReturnAuthorization | None:
        found = self._load(select(returns).where(returns.c.code == code))
        return found[0] if found else None

    def of_order(self, order_id: str) -> list[ReturnAuthorization]:
        return self._load(
            select(returns).where(returns.c.order_id == order_id).order_by(returns.c.id)
        )

    def find(self, query: ReturnQuery, limit: int) -> list[ReturnAuthorization]:
        """The newest first, in `statuses` (None: any), before the id `before`, of
        the orders of `channel`, or at `location_id` (the store it was started at or
        goes to, or one that served its order), each when given."""
        c = returns.c
        found = select(returns).order_by(c.id.desc()).limit(limit)
        if query.statuses is not None:
            found = found.where(c.status.in_([str(s) for s in query.statuses]))
        if query.before is not None:
            found = found.where(c.id < query.before)
        if query.channel is not None:
            of_channel = select(orders.c.id).where(orders.c.channel == query.channel)
            found = found.where(c.order_id.in_(of_channel))
        if query.location_id is not None:
            found = found.where(_at(query.location_id))
        return self._load(found)

    def add_receipt(self, return_id: str, receipt: ReturnReceipt) -> None:
        self.connection.execute(
            insert(return_receipts).values(
                id=receipt.id,
                return_id=return_id,
                location_id=receipt.location_id,
                received_at=receipt.received_at,
                document=receipt_document(receipt),
            )
        )

    def receipts(self, return_id: str) -> list[ReturnReceipt]:
        """The return's receipts, oldest first."""
        c = return_receipts.c
        query = select(c.document).where(c.return_id == return_id).order_by(c.id)
        return [receipt_from_document(row.document) for row in self.connection.execute(query)]

    def add_refund(self, order_id: str, refund: ReturnRefund) -> None:
        self.connection.execute(
            insert(return_refunds).values(
                refund_id=refund.refund_id,
                return_id=refund.return_id,
                order_id=order_id,
                at=refund.at,
                document=refund_document(refund),
            )
        )

    def refunds_of_order(self, order_id: str) -> list[ReturnRefund]:
        """The refunds of the order's returns, oldest first."""
        c = return_refunds.c
        query = (
            select(c.return_id, c.document)
            .where(c.order_id == order_id)
            .order_by(c.at, c.refund_id)
        )
        return [
            refund_from_document(row.return_id, row.document)
            for row in self.connection.execute(query)
        ]

    def put_exchange(self, exchange: Exchange) -> None:
        """Kept, or written over (its order placed, or cancelled)."""
        row = {"order_id": exchange.order_id, "document": exchange_document(exchange)}
        written = self.connection.execute(
            update(return_exchanges).where(return_exchanges.c.id == exchange.id).values(row)
        )
        if written.rowcount == 0:
            self.connection.execute(
                insert(return_exchanges).values(
                    row | {"id": exchange.id, "return_id": exchange.return_id, "seq": exchange.seq}
                )
            )

    def exchanges(self, return_id: str) -> list[Exchange]:
        """The return's exchanges, in their order."""
        c = return_exchanges.c
        query = select(c.document).where(c.return_id == return_id).order_by(c.seq)
        return [exchange_from_document(row.document) for row in self.connection.execute(query)]

    def exchange_of_order(self, order_id: str) -> Exchange | None:
        """The exchange an order was placed as, if it was."""
        c = return_exchanges.c
        row = self.connection.execute(select(c.document).where(c.order_id == order_id)).first()
        return None if row is None else exchange_from_document(row.document)

    def add_appeasement(self, appeasement: Appeasement) -> None:
        self.connection.execute(
            insert(appeasements).values(
                refund_id=appeasement.refund_id,
                order_id=appeasement.order_id,
                at=appeasement.at,
                document=appeasement_document(appeasement),
            )
        )

    def appeasements(self, order_id: str) -> list[Appeasement]:
        """The order's goodwill refunds, oldest first."""
        c = appeasements.c
        query = select(c.document).where(c.order_id == order_id).order_by(c.at, c.refund_id)
        return [appeasement_from_document(row.document) for row in self.connection.execute(query)]

    def add_label(self, return_id: str, label: Label) -> None:
        self.connection.execute(
            insert(return_labels).values(
                return_id=return_id,
                carrier=label.carrier,
                tracking_number=label.tracking_number,
                media_type=label.media_type,
                document=label.document,
                created_at=label.created_at,
            )
        )

    def label_document(self, return_id: str) -> tuple[str, str] | None:
        """The label to print (media type, document), once booked, until voided."""
        c = return_labels.c
        row = self.connection.execute(
            select(c.media_type, c.document).where(c.return_id == return_id, c.voided_at.is_(None))
        ).first()
        return None if row is None else (row.media_type, row.document)

    def void_label(self, return_id: str, now: datetime) -> None:
        c = return_labels.c
        self.connection.execute(
            update(return_labels)
            .where(c.return_id == return_id, c.voided_at.is_(None))
            .values(voided_at=now)
        )

    def add_routing(
        self, routing_id: str, return_id: str, decided_at: datetime, reason: str, routes: list[Any]
    ) -> None:
        self.connection.execute(
            insert(return_routes).values(
                id=routing_id,
                return_id=return_id,
                decided_at=decided_at,
                reason=reason,
                explanation=routes,
            )
        )

    def routings(self, return_id: str) -> list[dict[str, Any]]:
        """The return's routing decisions, oldest first."""
        c = return_routes.c
        query = select(return_routes).where(c.return_id == return_id).order_by(c.id)
        return [
            {
                "decided_at": row.decided_at.isoformat(),
                "reason": row.reason,
                "lines": row.explanation,
            }
            for row in self.connection.execute(query)
        ]

    def disagreeing(self) -> list[tuple[str, int, str]]:
        """Order lines whose counters are not what their returns hold: `returned` the
        units received or missing, `being_returned` those open on returns not ended. (order,
        line, what disagrees), over every order line (a batch job's read)."""
        rl = return_lines.c
        open_ = case(
            (returns.c.status.in_([str(s) for s in ENDED]), 0),
            else_=rl.quantity - rl.received - rl.missing,
        )
        held = (
            select(
                returns.c.order_id,
                rl.line_no,
                func.sum(rl.received + rl.missing).label("received"),
                func.sum(open_).label("open"),
            )
            .join(returns, returns.c.id == rl.return_id)
            .group_by(returns.c.order_id, rl.line_no)
            .subquery()
        )
        ol = order_lines.c
        received, open_units = func.coalesce(held.c.received, 0), func.coalesce(held.c.open, 0)
        query = (
            select(ol.order_id, ol.line_no, ol.returned, ol.being_returned, received, open_units)
            .select_from(
                order_lines.outerjoin(
                    held, and_(held.c.order_id == ol.order_id, held.c.line_no == ol.line_no)
                )
            )
            .where(or_(ol.returned != received, ol.being_returned != open_units))
            .order_by(ol.order_id, ol.line_no)
        )
        return [(row[0], row[1], _disagreement(*row[2:])) for row in self.connection.execute(query)]

    def _write_lines(self, ra: ReturnAuthorization) -> None:
        self.connection.execute(
            insert(return_lines),
            [
                {
                    "return_id": ra.id,
                    "line_no": line.line_no,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "reason": line.reason,
                    "note": line.note,
                    "received": line.received,
                    "missing": line.missing,
                    "destination": line.destination,
                    "route": line.route,
                    "exchange_sku": line.exchange_sku,
                }
                for line in ra.lines
            ],
        )

    def _load(self, query: Any) -> list[ReturnAuthorization]:
        heads = self.connection.execute(query).all()
        if not heads:
            return []
        lines: dict[str, list[ReturnLine]] = defaultdict(list)
        for row in self.connection.execute(
            select(return_lines)
            .where(return_lines.c.return_id.in_([head.id for head in heads]))
            .order_by(return_lines.c.return_id, return_lines.c.line_no)
        ):
            lines[row.return_id].append(
                ReturnLine(
                    row.line_no,
                    row.sku,
                    row.quantity,
                    row.reason,
                    row.note,
                    row.received,
                    row.missing,
                    row.destination,
                    row.route,
                    row.exchange_sku,
                )
            )
        c = return_labels.c
        labels = {
            row.return_id: ReturnLabel(
                row.carrier, row.tracking_number, row.created_at, row.voided_at
            )
            for row in self.connection.execute(
                select(c.return_id, c.carrier, c.tracking_number, c.created_at, c.voided_at).where(
                    c.return_id.in_([head.id for head in heads])
                )
            )
        }
        return [_return(head, lines[head.id], labels.get(head.id)) for head in heads]


def _at(location_id: str) -> ColumnElement[bool]:
    """Returns of a location: started at it, going to it, or of an order it served."""
    goes = select(return_lines.c.return_id).where(return_lines.c.destination == location_id)
    served = select(fulfillments.c.order_id).where(
        or_(fulfillments.c.location_id == location_id, fulfillments.c.store_id == location_id)
    )
    held = select(allocations.c.order_id).where(allocations.c.location_id == location_id)
    return or_(
        returns.c.location_id == location_id,
        returns.c.id.in_(goes),
        returns.c.order_id.in_(served),
        returns.c.order_id.in_(held),
    )


def _disagreement(returned: int, being: int, received: int, open_units: int) -> str:
    return (
        f"returned {returned} and being returned {being}, its returns hold {received} "
        f"received or missing and {open_units} open"
    )


def _row(ra: ReturnAuthorization) -> dict[str, Any]:
    return {
        "id": ra.id,
        "order_id": ra.order_id,
        "code": ra.code,
        "status": str(ra.status),
        "initiator": str(ra.initiator),
        "method": str(ra.method),
        "refund_to": str(ra.refund_to),
        "started_by": ra.started_by,
        "location_id": ra.location_id,
        "decided_by": ra.decided_by,
        "reason": ra.reason,
        "travelled_at": ra.travelled_at,
        "exchange_mode": ra.exchange_mode,
        "created_at": ra.created_at,
        "updated_at": ra.updated_at,
        "version": ra.version,
    }


def _return(
    head: Row[Any], lines: list[ReturnLine], label: ReturnLabel | None
) -> ReturnAuthorization:
    return ReturnAuthorization(
        id=head.id,
        order_id=head.order_id,
        code=head.code,
        status=ReturnStatus(head.status),
        initiator=Initiator(head.initiator),
        method=ReturnMethod(head.method),
        refund_to=RefundTo(head.refund_to),
        lines=lines,
        created_at=head.created_at,
        updated_at=head.updated_at,
        started_by=head.started_by,
        location_id=head.location_id,
        decided_by=head.decided_by,
        reason=head.reason,
        travelled_at=head.travelled_at,
        exchange_mode=head.exchange_mode,
        label=label,
        version=head.version,
    )

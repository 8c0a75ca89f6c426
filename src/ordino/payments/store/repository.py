"""Orders' payments and the gateway calls made for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import LostRace, from_minor, to_minor
from ordino.payments.domain.payments import (
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
)
from ordino.payments.store.tables import payment_operations, payments
from ordino.store.commit_writer import PendingWrites

_MONEY = ("amount", "authorised", "captured", "voided", "refunded")


class SqlPayments:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending

    def add(self, payment: Payment) -> None:
        """Written at commit, with its order (see `ordino.store.commit_writer`)."""
        self.pending.insert(payments, [_row(payment)])

    def add_answered(self, op: PaymentOperation, currency: str, now: datetime) -> None:
        """An operation Ordino made itself (no gateway call), answered: written at
        commit, with its payment."""
        self.pending.insert(
            payment_operations, [_op_row(op, currency) | _answer(op, currency, now)]
        )

    def record(self, op: PaymentOperation, currency: str, now: datetime) -> None:
        """An operation Ordino made itself, answered, written now; LostRace when its
        key was made already."""
        try:
            self.connection.execute(
                insert(payment_operations).values(
                    _op_row(op, currency) | _answer(op, currency, now)
                )
            )
        except IntegrityError as error:
            raise LostRace(str(error.orig)) from error

    def of_order(self, order_id: str, *, for_update: bool = False) -> list[Payment]:
        """The order's payments, one per tender, in the order's order of tenders."""
        query = select(payments).where(payments.c.order_id == order_id)
        if for_update:
            query = query.with_for_update()
        rows = self.connection.execute(query.order_by(payments.c.tender))
        return [_payment(row) for row in rows]

    def of_reference(self, reference: str) -> list[Payment]:
        """The tenders paid from it (a balance's account, a business's), of any order."""
        query = select(payments).where(payments.c.reference == reference)
        return [_payment(row) for row in self.connection.execute(query)]

    def get(self, payment_id: str, *, for_update: bool = False) -> Payment | None:
        query = select(payments).where(payments.c.id == payment_id)
        if for_update:
            query = query.with_for_update()
        row = self.connection.execute(query).first()
        return None if row is None else _payment(row)

    def save(self, payment: Payment) -> None:
        row = _row(payment)
        self.connection.execute(update(payments).where(payments.c.id == payment.id).values(row))

    def operation(self, key: str) -> PaymentOperation | None:
        query = select(payment_operations).where(payment_operations.c.key == key)
        row = self.connection.execute(query).first()
        return None if row is None else _operation(row)

    def begin(self, op: PaymentOperation, currency: str) -> None:
        """Written before the call; LostRace when another worker began it first."""
        try:
            self.connection.execute(insert(payment_operations).values(_op_row(op, currency)))
        except IntegrityError as error:
            raise LostRace(str(error.orig)) from error

    def complete(self, op: PaymentOperation, currency: str, now: datetime) -> bool:
        """The answer kept, once: False when the operation was answered already. One
        given up (nothing was done under its key) still takes a late answer."""
        c = payment_operations.c
        open_ = or_(c.outcome.is_(None), c.outcome == str(Outcome.ABANDONED))
        done = self.connection.execute(
            update(payment_operations)
            .where(c.key == op.key, open_)
            .values(_answer(op, currency, now))
        )
        return done.rowcount == 1

    def by_card(self, after: str | None, limit: int) -> list[Payment]:
        """Card payments by id, the first `limit` after `after`."""
        query = select(payments).where(payments.c.method == str(PaymentMethod.CARD))
        if after is not None:
            query = query.where(payments.c.id > after)
        rows = self.connection.execute(query.order_by(payments.c.id).limit(limit))
        return [_payment(row) for row in rows]

    def kept_by_ordino(self, after: str | None, limit: int) -> list[Payment]:
        """The tenders Ordino moves itself (every method but a card), by id, the
        first `limit` after `after`."""
        query = select(payments).where(payments.c.method != str(PaymentMethod.CARD))
        if after is not None:
            query = query.where(payments.c.id > after)
        rows = self.connection.execute(query.order_by(payments.c.id).limit(limit))
        return [_payment(row) for row in rows]

    def operations(self, payment_id: str) -> list[PaymentOperation]:
        c = payment_operations.c
        query = select(payment_operations).where(c.payment_id == payment_id)
        rows = self.connection.execute(query.order_by(c.created_at, c.key))
        return [_operation(row) for row in rows]


def _op_row(op: PaymentOperation, currency: str) -> dict[str, Any]:
    return {
        "key": op.key,
        "payment_id": op.payment_id,
        "kind": str(op.kind),
        "amount_minor": to_minor(op.amount, currency),
        "currency": currency,
        "authorisation": op.authorisation,
        "done_minor": 0,
        "created_at": op.created_at,
    }


def _answer(op: PaymentOperation, currency: str, now: datetime) -> dict[str, Any]:
    return {
        "outcome": str(op.outcome),
        "reference": op.reference,
        "message": op.message,
        "authorisation": op.authorisation,
        "done_minor": to_minor(op.done, currency),
        "expires_at": op.expires_at,
        "completed_at": now,
    }


def _row(payment: Payment) -> dict[str, Any]:
    money = {f"{name}_minor": to_minor(getattr(payment, name), payment.currency) for name in _MONEY}
    return {
        "id": payment.id,
        "order_id": payment.order_id,
        "tender": payment.tender,
        "reference": payment.reference,
        "method": str(payment.method),
        "token": payment.token,
        "currency": payment.currency,
        "status": str(payment.status),
        "authorisation": payment.authorisation,
        "expires_at": payment.expires_at,
        "message": payment.message,
        "created_at": payment.created_at,
        "updated_at": payment.updated_at,
    } | money


def _payment(row: Row[Any]) -> Payment:
    money = {name: from_minor(row._mapping[f"{name}_minor"], row.currency) for name in _MONEY}
    return Payment(
        id=row.id,
        order_id=row.order_id,
        method=PaymentMethod(row.method),
        token=row.token,
        currency=row.currency,
        status=PaymentStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        authorisation=row.authorisation,
        expires_at=row.expires_at,
        message=row.message,
        tender=row.tender,
        reference=row.reference,
        **money,
    )


def _operation(row: Row[Any]) -> PaymentOperation:
    return PaymentOperation(
        row.key,
        row.payment_id,
        OperationKind(row.kind),
        from_minor(row.amount_minor, row.currency),
        row.created_at,
        None if row.outcome is None else Outcome(row.outcome),
        row.reference,
        row.message,
        row.authorisation,
        from_minor(row.done_minor, row.currency),
        row.expires_at,
    )

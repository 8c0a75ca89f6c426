"""Payments: the gateway Ordino asks to authorise, capture, void and refund, and
what it answers.

Every call carries an idempotency key: the gateway does a call once per key and
answers a repeat with the first answer, and tells what it did under a key
(`lookup`). Amounts are in the payment's currency, as Decimals of its minor unit.

Invariants:
- the gateway is never called inside a database transaction: each call is a keyed
  payment operation, written (pending) before the call is made;
- an operation's answer and its effect on the payment are written in one
  transaction, so an answered operation has always moved the payment, exactly once
  (`apply`); an operation still pending after a crash is resumed by its key, asking
  the gateway what it did under that key before calling again;
- an authorisation the payment does not hold (an orphan) is voided (`orphans`);
- a refund never exceeds what was captured less what was refunded or is being
  refunded (`refundable`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from ordino.domain.money import from_minor, quantize, to_minor
from ordino.errors import OverRefund


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"  # the card's bank said no: final, asking again changes nothing
    FAILED = "failed"  # the gateway could not do it now (an error): ask again later


@dataclass(frozen=True)
class GatewayAnswer:
    outcome: Outcome
    reference: str | None = None  # the gateway's id of the authorisation or operation
    amount: Decimal = Decimal(0)  # what it authorised, captured, voided or refunded
    expires_at: datetime | None = None  # an authorisation's end: capture before it
    message: str | None = None  # why it declined or failed


@dataclass(frozen=True)
class GatewayAuthorisation:
    """The gateway's own record of an authorisation: what `ordino check` holds
    Ordino's payments against."""

    reference: str
    currency: str
    authorised: Decimal
    captured: Decimal
    refunded: Decimal
    voided: bool
    expires_at: datetime


class GatewayTimeout(Exception):
    """No answer in time: whether the gateway did it is unknown; the same call with
    the same idempotency key finds out."""


class PaymentGateway(Protocol):
    """A card payment gateway. Each method may raise GatewayTimeout."""

    def authorise(
        self, token: str, amount: Decimal, currency: str, key: str, now: datetime
    ) -> GatewayAnswer: ...

    def capture(
        self, authorisation: str, amount: Decimal, key: str, now: datetime
    ) -> GatewayAnswer: ...  # part of the authorised amount, several times up to all of it

    def void(self, authorisation: str, key: str, now: datetime) -> GatewayAnswer: ...

    def refund(
        self, authorisation: str, amount: Decimal, key: str, now: datetime
    ) -> GatewayAnswer: ...  # of what was captured

    def lookup(self, key: str) -> GatewayAnswer | None: ...  # what was done under key

    def authorisation(self, reference: str) -> GatewayAuthorisation | None: ...


class PaymentMethod(StrEnum):
    CARD = "card"  # authorised by the gateway, captured as it ships
    INVOICE = "invoice"  # billed later (B2B): nothing to authorise


class PaymentStatus(StrEnum):
    PENDING = "pending"  # to authorise
    AUTHORISED = "authorised"  # some or none of it captured yet
    DECLINED = "declined"  # the authorisation was refused: the order is held
    CLOSED = "closed"  # what shipped captured, the rest voided (or nothing was left)


@dataclass
class Payment:
    """An order's payment: authorised for the order's total, captured per parcel
    shipped (the goods in it), the rest voided once nothing more can ship.

    `token` is the gateway's token for the customer's card (the sandbox's test card
    numbers stand for such tokens): Ordino never takes card numbers."""

    id: str
    order_id: str
    method: PaymentMethod
    token: str | None
    currency: str
    amount: Decimal  # to authorise: the order's total
    status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    authorisation: str | None = None  # the gateway's reference
    expires_at: datetime | None = None
    authorised: Decimal = Decimal(0)
    captured: Decimal = Decimal(0)
    voided: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    message: str | None = None  # the gateway's, on the last refusal

    @property
    def open(self) -> Decimal:
        """Authorised and neither captured nor voided."""
        return self.authorised - self.captured - self.voided

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


class OperationKind(StrEnum):
    AUTHORISE = "authorise"
    CAPTURE = "capture"
    VOID = "void"
    REFUND = "refund"


@dataclass(frozen=True)
class PaymentOperation:
    """One call to the gateway, written (pending) before it is made and completed
    with its answer after: the key makes the call once, whatever retries it.

    `authorisation` is the one the call acts on (an authorise's: the one it made);
    `done` what the gateway did (authorised, captured, voided or refunded)."""

    key: str
    payment_id: str
    kind: OperationKind
    amount: Decimal
    created_at: datetime
    outcome: Outcome | None = None  # None: made, no answer recorded yet
    reference: str | None = None
    message: str | None = None
    authorisation: str | None = None
    done: Decimal = Decimal(0)

    @property
    def approved(self) -> bool:
        return self.outcome is Outcome.APPROVED

    def answered(self, answer: GatewayAnswer) -> PaymentOperation:
        approved = answer.outcome is Outcome.APPROVED
        made = answer.reference if self.kind is OperationKind.AUTHORISE else self.authorisation
        return replace(
            self,
            outcome=answer.outcome,
            reference=answer.reference,
            message=answer.message,
            authorisation=made if approved else self.authorisation,
            done=answer.amount if approved else Decimal(0),
        )


def apply(payment: Payment, op: PaymentOperation, answer: GatewayAnswer) -> Payment:
    """The payment once the gateway answered `op`: what was done moves its amounts."""
    if op.kind is OperationKind.AUTHORISE:
        renewal = payment.status is PaymentStatus.AUTHORISED
        if renewal and payment.authorisation != answer.reference:
            return _renewed(payment, answer) if answer.outcome is Outcome.APPROVED else payment
        return _authorised(payment, answer)
    if answer.outcome is not Outcome.APPROVED:
        return replace(payment, message=f"{op.kind} declined: {answer.message}")
    return _moved(payment, op, answer.amount)


def _moved(payment: Payment, op: PaymentOperation, amount: Decimal) -> Payment:
    """What an approved capture, void or refund did to the payment."""
    if op.kind is OperationKind.CAPTURE:
        captured = replace(payment, captured=payment.captured + amount, message=None)
        return replace(captured, status=PaymentStatus.CLOSED) if captured.open <= 0 else captured
    if op.kind is OperationKind.REFUND:
        return replace(payment, refunded=payment.refunded + amount)
    if op.authorisation != payment.authorisation:  # an orphan's void: the payment held none
        return payment
    return replace(payment, voided=payment.voided + amount, status=PaymentStatus.CLOSED)


def _authorised(payment: Payment, answer: GatewayAnswer) -> Payment:
    if answer.outcome is Outcome.APPROVED:
        return replace(
            payment,
            status=PaymentStatus.AUTHORISED,
            authorisation=answer.reference,
            authorised=answer.amount,
            expires_at=answer.expires_at,
            message=None,
        )
    return replace(payment, status=PaymentStatus.DECLINED, message=answer.message)


def _renewed(payment: Payment, answer: GatewayAnswer) -> Payment:
    # What the old authorisation held beyond what was captured is gone with it.
    return replace(
        payment,
        authorisation=answer.reference,
        authorised=payment.captured + payment.voided + answer.amount,
        expires_at=answer.expires_at,
    )


def orphans(payment: Payment, ops: list[PaymentOperation]) -> list[str]:
    """Authorisations made for the payment that it does not hold and nothing has
    voided or captured: each still holds the customer's money at the gateway."""
    made = [op.authorisation for op in ops if op.kind is OperationKind.AUTHORISE and op.approved]
    settled = {
        op.authorisation
        for op in ops
        if op.kind in (OperationKind.VOID, OperationKind.CAPTURE) and op.outcome is not None
    }
    return [
        reference
        for reference in made
        if reference is not None and reference != payment.authorisation and reference not in settled
    ]


def refundable(payment: Payment, ops: list[PaymentOperation]) -> dict[str, Decimal]:
    """Per authorisation, what may still be refunded: captured, less refunded and
    refunds on their way (pending)."""
    left: dict[str, Decimal] = {}
    for op in ops:
        if op.authorisation is None:
            continue
        if op.kind is OperationKind.CAPTURE:
            change = op.done
        elif op.kind is OperationKind.REFUND:
            change = -(op.done if op.outcome is not None else op.amount)
        else:
            continue
        left[op.authorisation] = left.get(op.authorisation, Decimal(0)) + change
    return left


def refund_parts(
    payment: Payment, ops: list[PaymentOperation], amount: Decimal
) -> list[tuple[str, Decimal]]:
    """`amount` taken from the authorisations that captured it, the newest first;
    OverRefund when they hold less."""
    left = refundable(payment, ops)
    if amount > sum(left.values(), Decimal(0)):
        total = sum(left.values(), Decimal(0))
        raise OverRefund(
            f"amount: at most {total} {payment.currency} may still be refunded",
            extra={"field": "amount", "refundable": str(total)},
        )
    parts: list[tuple[str, Decimal]] = []
    for reference in reversed(list(left)):  # ops come oldest first
        take = min(amount, left[reference])
        if take > 0:
            parts.append((reference, take))
            amount -= take
    return parts


def payment_document(payment: Payment) -> dict[str, object]:
    def money(amount: Decimal) -> str:  # to the currency's minor unit: "0.00"
        return str(from_minor(to_minor(amount, payment.currency), payment.currency))

    return {
        "method": str(payment.method),
        "status": str(payment.status),
        "currency": payment.currency,
        "amount": money(payment.amount),
        "authorised": money(payment.authorised),
        "captured": money(payment.captured),
        "voided": money(payment.voided),
        "refunded": money(payment.refunded),
        "expires_at": payment.expires_at.isoformat() if payment.expires_at else None,
        "message": payment.message,
    }


UNANSWERED = timedelta(hours=1)  # a call this old without its answer is looked at


@dataclass(frozen=True)
class PaymentDiscrepancy:
    """Where an order's payment and the gateway's record disagree (`ordino check`)."""

    order_id: str
    authorisation: str | None
    problem: str


@dataclass(frozen=True)
class _Held:
    """What Ordino's operations say one authorisation holds."""

    authorised: Decimal = Decimal(0)
    captured: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    voided: bool = False


def held(ops: list[PaymentOperation]) -> dict[str, _Held]:
    """Per authorisation made, what the approved operations did with it."""
    found: dict[str, _Held] = {}
    for op in ops:
        if not op.approved or op.authorisation is None:
            continue
        was = found.get(op.authorisation, _Held())
        if op.kind is OperationKind.AUTHORISE:
            found[op.authorisation] = replace(was, authorised=op.done)
        elif op.kind is OperationKind.CAPTURE:
            found[op.authorisation] = replace(was, captured=was.captured + op.done)
        elif op.kind is OperationKind.REFUND:
            found[op.authorisation] = replace(was, refunded=was.refunded + op.done)
        else:
            found[op.authorisation] = replace(was, voided=True)
    return found


def discrepancies(
    payment: Payment,
    ops: list[PaymentOperation],
    gateway: dict[str, GatewayAuthorisation | None],
    now: datetime,
) -> list[PaymentDiscrepancy]:
    """Everything on which the payment, its operations and the gateway's record of
    its authorisations (`gateway`, by reference) disagree; operations begun more than
    `UNANSWERED` ago and still without an answer are reported too."""
    said, stale = held(ops), now - UNANSWERED
    found = [
        PaymentDiscrepancy(payment.order_id, op.key, f"{op.kind} unanswered since {op.created_at}")
        for op in ops
        if op.outcome is None and op.created_at < stale
    ]
    for reference, ours in said.items():
        theirs = gateway.get(reference)
        found += [
            PaymentDiscrepancy(payment.order_id, reference, problem)
            for problem in _disagreements(ours, theirs, reference == payment.authorisation, now)
        ]
    totals = (
        quantize(sum((h.captured for h in said.values()), Decimal(0)), payment.currency),
        quantize(sum((h.refunded for h in said.values()), Decimal(0)), payment.currency),
    )
    if totals != (payment.captured, payment.refunded):
        problem = f"the payment says captured {payment.captured}, refunded {payment.refunded}; "
        problem += f"its operations {totals[0]}, {totals[1]}"
        found.append(PaymentDiscrepancy(payment.order_id, payment.authorisation, problem))
    return found


def _disagreements(
    ours: _Held, theirs: GatewayAuthorisation | None, current: bool, now: datetime
) -> list[str]:
    if theirs is None:
        return ["the gateway has no such authorisation"]
    problems = [
        f"{name}: Ordino {mine}, gateway {gateways}"
        for name, mine, gateways in (
            ("authorised", ours.authorised, theirs.authorised),
            ("captured", ours.captured, theirs.captured),
            ("refunded", ours.refunded, theirs.refunded),
            ("voided", ours.voided, theirs.voided),
        )
        if mine != gateways
    ]
    live = now < theirs.expires_at
    if not current and live and not theirs.voided and theirs.captured == 0:
        problems.append("held at the gateway for no payment (an orphan: to void)")
    return problems

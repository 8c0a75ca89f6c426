"""Payments: the gateway Ordino asks to authorise, capture, void and refund, what
it answers, and the keyed record of each call (`PaymentOperation`).

Every call carries an idempotency key: the gateway does a call once per key,
answers a repeat with the first answer, and tells what it did under a key
(`lookup`). Amounts are in the payment's currency, as Decimals of its minor unit.
The gateway is never called inside a database transaction: each call is written
(pending) before it is made. What the operations add up to is
`ordino.payments.domain.ledger`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from ordino.kernel.domain import from_minor, to_minor


class PaymentMethod(StrEnum):
    """How the customer pays (an order's tender), as the order records it."""

    CARD = "card"  # authorised by the gateway, captured as it ships
    GIFT_CARD = "gift_card"  # a balance Ordino keeps, held as the order is placed
    STORE_CREDIT = "store_credit"  # the customer's balance Ordino keeps, held so too
    INVOICE = "invoice"  # on account (B2B): billed on the account's terms
    MARKETPLACE = "marketplace"  # paid on the marketplace: captured there

    @property
    def by_gateway(self) -> bool:
        """Whether the gateway holds and moves its money (else Ordino records it)."""
        return self is PaymentMethod.CARD

    @property
    def balance(self) -> bool:
        """Whether it is held from a balance Ordino keeps."""
        return self in (PaymentMethod.GIFT_CARD, PaymentMethod.STORE_CREDIT)


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"  # the card's bank said no: final, asking again changes nothing
    FAILED = "failed"  # the gateway could not do it now (an error): ask again later
    # Never a gateway's answer: Ordino gave the call up, the gateway having done
    # nothing under its key (a later answer under it is still recorded).
    ABANDONED = "abandoned"


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


class PaymentStatus(StrEnum):
    PENDING = "pending"  # to authorise
    AUTHORISED = "authorised"  # some or none of it captured yet
    DECLINED = "declined"  # the authorisation was refused: the order is held
    CLOSED = "closed"  # what shipped captured, the rest voided (or nothing was left)


@dataclass
class Payment:
    """One tender of an order (the `tender`-th as the order named them): authorised
    for what it pays of the order's total, captured per parcel shipped (its part of
    the parcel's invoice), the rest voided once nothing more can ship.

    `token` is the gateway's token for the customer's card (the sandbox's test card
    numbers stand for such tokens): Ordino never takes card numbers. `reference` is
    what else it is paid from: a gift card's account, the customer's store credit,
    the business's account. A tender not paid through the gateway is authorised
    (held) as the order is placed and its operations are recorded by Ordino, with
    `authorisation` its own (`ordino:<payment id>`)."""

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
    tender: int = 0
    reference: str | None = None

    @property
    def open(self) -> Decimal:
        """Authorised and neither captured nor voided."""
        return self.authorised - self.captured - self.voided

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def card_of(payments: Sequence[Payment]) -> Payment | None:
    """The order's tender paid through the gateway (an order has at most one)."""
    return next((p for p in payments if p.method.by_gateway), None)


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
    `done` what the gateway did (authorised, captured, voided or refunded);
    `expires_at` an authorisation's end, as the gateway answered it."""

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
    expires_at: datetime | None = None

    @property
    def approved(self) -> bool:
        return self.outcome is Outcome.APPROVED

    @property
    def pending(self) -> bool:
        return self.outcome is None

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
            expires_at=answer.expires_at if self.kind is OperationKind.AUTHORISE else None,
        )

    def abandoned(self) -> PaymentOperation:
        return replace(self, outcome=Outcome.ABANDONED, message="given up: nothing was done")


def shown_reference(payment: Payment) -> str | None:
    """What a tender is paid from, as the order tells it: a gift card's code by its
    last four characters (the code spends it), the customer's or business's account."""
    if payment.reference is None:
        return None
    kind, _, name = payment.reference.partition(":")
    return f"…{name[-4:]}" if kind == PaymentMethod.GIFT_CARD else name or kind


def payment_document(payment: Payment) -> dict[str, object]:
    def money(amount: Decimal) -> str:  # to the currency's minor unit: "0.00"
        return str(from_minor(to_minor(amount, payment.currency), payment.currency))

    return {
        "method": str(payment.method),
        "reference": shown_reference(payment),
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

"""Payments: the gateway Ordino asks to authorise, capture, void and refund, and
what it answers.

Every call carries an idempotency key: the gateway does a call once per key and
answers a repeat with the first answer, so a call that timed out is simply made
again with the same key. Amounts are in the payment's currency, as Decimals of its
minor unit. The gateway is never called inside a database transaction: a
payment operation is written first (pending), the call is made, and its outcome is
written in a transaction of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


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

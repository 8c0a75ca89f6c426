"""The sandbox payment gateway: a card gateway for development, demos and tests that
behaves like a real one (Stripe's test cards are the model) and keeps its own ledger
in the database, so every Ordino process sees the same authorisations.

The token is a test card number. 4000000000000002 is declined (card declined), as is
4000000000009995 (insufficient funds); 4000000000000119 fails (processing error);
4000000000003220 is authorised but the answer to the first call is lost
(GatewayTimeout), and the same call with the same key answers it; 4000000000000341 is
authorised and every capture of it declined; any other number of 12 to 19 digits is
authorised. An authorisation expires 7 days after it was made.

Invariants (the second also held by the table's checks):
- a key is done once: its answer is stored with a fingerprint of the request, and
  the key answers the same again, or fails for another request. A failure is not
  stored, since nothing was done: the same key asks again;
- captured <= authorised and refunded <= captured: an operation locks the
  authorisation's row, so concurrent captures never take more than was authorised;
- no whole card number is stored, only its last four digits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import BadAmount, from_minor, is_currency, new_id, parse_amount, to_minor
from ordino.payments.adapters.sandbox_tables import sandbox_authorisations, sandbox_operations
from ordino.payments.domain.payments import (
    GatewayAnswer,
    GatewayAuthorisation,
    GatewayTimeout,
    Outcome,
)

LIFETIME = timedelta(days=7)  # of an authorisation
KEY_LENGTH = 255  # the longest idempotency key the operations table holds
_CARD_NUMBER = re.compile(r"[0-9]{12,19}")

INVALID_CARD = "invalid card"
INVALID_CURRENCY = "invalid currency"
INVALID_AMOUNT = "invalid amount"
NO_SUCH_AUTHORISATION = "no such authorisation"
EXPIRED = "authorisation expired"
VOIDED = "authorisation voided"
OVER_AUTHORISED = "amount exceeds what remains authorised"
NOTHING_TO_VOID = "nothing left to void"
OVER_CAPTURED = "amount exceeds what was captured and not refunded"


@dataclass(frozen=True)
class SandboxCard:
    """How a test card behaves."""

    declined: str | None = None  # why its authorisations are declined
    failed: str | None = None  # why its authorisations fail
    loses_answer: bool = False  # the first answer to its authorisation never arrives
    declines_captures: bool = False


APPROVING = SandboxCard()
CARDS = {
    "4000000000000002": SandboxCard(declined="card declined"),
    "4000000000009995": SandboxCard(declined="insufficient funds"),
    "4000000000000119": SandboxCard(failed="processing error"),
    "4000000000003220": SandboxCard(loses_answer=True),
    "4000000000000341": SandboxCard(declines_captures=True),
}


@dataclass(frozen=True)
class Authorisation:
    id: str
    currency: str
    authorised: int  # minor units, as the rest
    captured: int
    refunded: int
    voided: bool
    declines_captures: bool
    expires_at: datetime


def capture_refusal(authorisation: Authorisation, amount: int, now: datetime) -> str | None:
    """Why capturing `amount` (minor units) now is declined, if it is."""
    if authorisation.voided:
        return VOIDED
    if now >= authorisation.expires_at:
        return EXPIRED
    if authorisation.declines_captures:
        return "card declined"
    if amount > authorisation.authorised - authorisation.captured:
        return OVER_AUTHORISED
    return None


def void_refusal(authorisation: Authorisation, now: datetime) -> str | None:
    if authorisation.voided:
        return VOIDED
    if now >= authorisation.expires_at:
        return EXPIRED
    if authorisation.captured == authorisation.authorised:
        return NOTHING_TO_VOID
    return None


def refund_refusal(authorisation: Authorisation, amount: int) -> str | None:
    if amount > authorisation.captured - authorisation.refunded:
        return OVER_CAPTURED
    return None


@dataclass(frozen=True)
class Request:
    kind: str
    key: str
    fingerprint: str  # of what is asked: the same key for another request is refused


def _request(kind: str, key: str, *parts: str) -> Request:
    return Request(kind, key, hashlib.sha256(" ".join((kind, *parts)).encode()).hexdigest())


def _canonical(amount: Decimal) -> str:
    """The same text for the same amount: 10 and 10.00 are one request."""
    return str(amount.normalize()) if amount.is_finite() else str(amount)


@dataclass(frozen=True)
class Done:
    """What an operation did: its answer, as stored under its key."""

    outcome: Outcome
    authorisation_id: str | None = None
    amount_minor: int = 0
    currency: str | None = None
    reference: str | None = None
    message: str | None = None
    expires_at: datetime | None = None
    loses_answer: bool = False

    def answer(self) -> GatewayAnswer:
        currency = self.currency
        amount = Decimal(0) if currency is None else from_minor(self.amount_minor, currency)
        return GatewayAnswer(self.outcome, self.reference, amount, self.expires_at, self.message)


def _failed(message: str) -> Done:
    return Done(Outcome.FAILED, message=message)


def _declined(message: str, authorisation: Authorisation | None = None) -> Done:
    if authorisation is None:
        return Done(Outcome.DECLINED, message=message)
    return Done(
        Outcome.DECLINED, authorisation.id, currency=authorisation.currency, message=message
    )


def _approved(
    authorisation: Authorisation, amount: int, now: datetime, expires_at: datetime | None = None
) -> Done:
    return Done(
        Outcome.APPROVED,
        authorisation.id,
        amount,
        authorisation.currency,
        new_id(now),
        expires_at=expires_at,
    )


class SandboxGateway:
    """A PaymentGateway over its own tables: each call is one short transaction on a
    connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def authorise(
        self, token: str, amount: Decimal, currency: str, key: str, now: datetime
    ) -> GatewayAnswer:
        request = _request("authorise", key, token[-4:], _canonical(amount), currency)
        return self._once(request, now, partial(_authorise, token, amount, currency, now))

    def capture(
        self, authorisation: str, amount: Decimal, key: str, now: datetime
    ) -> GatewayAnswer:
        request = _request("capture", key, authorisation, _canonical(amount))
        return self._once(request, now, partial(_capture, authorisation, amount, now))

    def void(self, authorisation: str, key: str, now: datetime) -> GatewayAnswer:
        request = _request("void", key, authorisation)
        return self._once(request, now, partial(_void, authorisation, now))

    def refund(self, authorisation: str, amount: Decimal, key: str, now: datetime) -> GatewayAnswer:
        request = _request("refund", key, authorisation, _canonical(amount))
        return self._once(request, now, partial(_refund, authorisation, amount, now))

    def lookup(self, key: str) -> GatewayAnswer | None:
        """What was done under `key`: its answer, or None when nothing was (a call
        that failed did nothing)."""
        query = select(sandbox_operations).where(sandbox_operations.c.key == key)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else _done(row).answer()

    def authorisation(self, reference: str) -> GatewayAuthorisation | None:
        query = select(sandbox_authorisations).where(sandbox_authorisations.c.id == reference)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        return GatewayAuthorisation(
            row.id,
            row.currency,
            from_minor(row.authorised_minor, row.currency),
            from_minor(row.captured_minor, row.currency),
            from_minor(row.refunded_minor, row.currency),
            row.voided,
            row.expires_at,
        )

    def _once(
        self, request: Request, now: datetime, act: Callable[[Connection], Done]
    ) -> GatewayAnswer:
        """The answer stored under the request's key, or `act`'s, stored there."""
        if not 0 < len(request.key) <= KEY_LENGTH:
            return _failed(f"an idempotency key has 1 to {KEY_LENGTH} characters").answer()
        try:
            done = self._do(request, now, act)
        except IntegrityError:  # the key was done concurrently: the winner's answer holds
            with self.engine.connect() as connection:
                stored = _stored(connection, request)
            if stored is None:
                raise
            done = stored
        if done.loses_answer:
            raise GatewayTimeout(f"no answer to {request.kind} in time")
        return done.answer()

    def _do(self, request: Request, now: datetime, act: Callable[[Connection], Done]) -> Done:
        with self.engine.begin() as connection:
            stored = _stored(connection, request)
            if stored is not None:
                return stored
            done = act(connection)
            if done.outcome is not Outcome.FAILED:  # a failure did nothing: asked again
                _store(connection, request, done, now)
            return done


def _authorise(token: str, amount: Decimal, currency: str, now: datetime, c: Connection) -> Done:
    if not _CARD_NUMBER.fullmatch(token):
        return _declined(INVALID_CARD)
    if not is_currency(currency):
        return _declined(INVALID_CURRENCY)
    minor = _minor(amount, currency)
    if minor is None:
        return _declined(INVALID_AMOUNT)
    card = CARDS.get(token, APPROVING)
    if card.failed:
        return _failed(card.failed)
    if card.declined:
        return _declined(card.declined)
    now = now.astimezone(UTC)
    authorisation = Authorisation(
        new_id(now), currency, minor, 0, 0, False, card.declines_captures, now + LIFETIME
    )
    _add(c, authorisation, token[-4:], now)
    return Done(
        Outcome.APPROVED,
        authorisation.id,
        minor,
        currency,
        reference=authorisation.id,
        expires_at=authorisation.expires_at,
        loses_answer=card.loses_answer,
    )


def _capture(authorisation_id: str, amount: Decimal, now: datetime, c: Connection) -> Done:
    authorisation = _locked(c, authorisation_id)
    if authorisation is None:
        return _declined(NO_SUCH_AUTHORISATION)
    minor = _minor(amount, authorisation.currency)
    if minor is None:
        return _declined(INVALID_AMOUNT, authorisation)
    refusal = capture_refusal(authorisation, minor, now)
    if refusal is not None:
        return _declined(refusal, authorisation)
    _change(c, authorisation.id, captured_minor=sandbox_authorisations.c.captured_minor + minor)
    return _approved(authorisation, minor, now, authorisation.expires_at)


def _void(authorisation_id: str, now: datetime, c: Connection) -> Done:
    authorisation = _locked(c, authorisation_id)
    if authorisation is None:
        return _declined(NO_SUCH_AUTHORISATION)
    refusal = void_refusal(authorisation, now)
    if refusal is not None:
        return _declined(refusal, authorisation)
    _change(c, authorisation.id, voided=True)
    return _approved(authorisation, authorisation.authorised - authorisation.captured, now)


def _refund(authorisation_id: str, amount: Decimal, now: datetime, c: Connection) -> Done:
    authorisation = _locked(c, authorisation_id)
    if authorisation is None:
        return _declined(NO_SUCH_AUTHORISATION)
    minor = _minor(amount, authorisation.currency)
    if minor is None:
        return _declined(INVALID_AMOUNT, authorisation)
    refusal = refund_refusal(authorisation, minor)
    if refusal is not None:
        return _declined(refusal, authorisation)
    _change(c, authorisation.id, refunded_minor=sandbox_authorisations.c.refunded_minor + minor)
    return _approved(authorisation, minor, now)


def _minor(amount: Decimal, currency: str) -> int | None:
    """A positive amount with at most the currency's minor digits, in minor units."""
    try:
        minor = to_minor(parse_amount(amount, currency), currency)
    except BadAmount:
        return None
    return minor if minor > 0 else None


def _add(c: Connection, authorisation: Authorisation, last4: str, now: datetime) -> None:
    c.execute(
        insert(sandbox_authorisations).values(
            id=authorisation.id,
            token_last4=last4,
            currency=authorisation.currency,
            authorised_minor=authorisation.authorised,
            captured_minor=0,
            refunded_minor=0,
            voided=False,
            declines_captures=authorisation.declines_captures,
            created_at=now,
            expires_at=authorisation.expires_at,
        )
    )


def _locked(c: Connection, authorisation_id: str) -> Authorisation | None:
    """The authorisation, locked until the transaction ends (SQLite: the whole
    database is, from BEGIN IMMEDIATE)."""
    a = sandbox_authorisations.c
    query = select(sandbox_authorisations).where(a.id == authorisation_id).with_for_update()
    row = c.execute(query).first()
    if row is None:
        return None
    return Authorisation(
        row.id,
        row.currency,
        row.authorised_minor,
        row.captured_minor,
        row.refunded_minor,
        row.voided,
        row.declines_captures,
        row.expires_at,
    )


def _change(c: Connection, authorisation_id: str, **values: object) -> None:
    table = sandbox_authorisations
    c.execute(update(table).where(table.c.id == authorisation_id).values(**values))


def _stored(c: Connection, request: Request) -> Done | None:
    """The answer stored under the request's key; a failure if it was for another
    request."""
    query = select(sandbox_operations).where(sandbox_operations.c.key == request.key)
    row = c.execute(query).first()
    if row is None:
        return None
    if row.fingerprint != request.fingerprint:
        return _failed(f"key {request.key!r} was used for another request")
    return _done(row)


def _done(row: Row[tuple[object, ...]]) -> Done:
    return Done(
        Outcome(row.outcome),
        row.authorisation_id,
        row.amount_minor,
        row.currency,
        row.reference,
        row.message,
        row.expires_at,
    )


def _store(c: Connection, request: Request, done: Done, now: datetime) -> None:
    c.execute(
        insert(sandbox_operations).values(
            key=request.key,
            kind=request.kind,
            fingerprint=request.fingerprint,
            authorisation_id=done.authorisation_id,
            amount_minor=done.amount_minor,
            currency=done.currency,
            outcome=str(done.outcome),
            reference=done.reference,
            message=done.message,
            expires_at=done.expires_at,
            created_at=now,
        )
    )

"""What a payment's operations add up to, and which call it needs next.

The operations are the payment's ledger: per authorisation (`Held`), what the
gateway authorised, captured, voided and refunded under it. The payment's amounts
are summed from them whenever an answer is recorded (`recorded`), never added to
by hand, so an answer recorded late, after a crash or out of order still leaves
the payment right.

Invariants:
- the payment's authorisation is the newest approved; the others were superseded
  (they expired) or are orphans (a retry of the earlier code made a second);
- at most one authorisation call is pending for a payment: a new one is planned
  only when none is (`next_authorisation`), under the payment's lock;
- money held that the order will not take is voided: any authorisation's live
  remainder but the payment's own, and that one too once nothing more ships
  (`to_void`);
- a refund never exceeds what was captured less what was refunded or is being
  refunded (`refund_parts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from ordino.kernel.domain import OverRefund, quantize
from ordino.payments.domain.payments import (
    GatewayAnswer,
    GatewayAuthorisation,
    OperationKind,
    Outcome,
    Payment,
    PaymentOperation,
    PaymentStatus,
)

ZERO = Decimal(0)
UNANSWERED = timedelta(hours=1)  # a call this old without its answer is looked at


@dataclass(frozen=True)
class Held:
    """What the operations say one authorisation holds."""

    authorised: Decimal = ZERO
    captured: Decimal = ZERO
    voided: Decimal = ZERO  # what a void released
    refunded: Decimal = ZERO
    void_answered: bool = False  # approved or declined: nothing more to void
    expires_at: datetime | None = None

    @property
    def remainder(self) -> Decimal:
        return self.authorised - self.captured - self.voided

    def live(self, now: datetime) -> bool:
        """Still holding the customer's money at the gateway."""
        unexpired = self.expires_at is None or now < self.expires_at
        return not self.void_answered and self.remainder > 0 and unexpired


def held(ops: list[PaymentOperation]) -> dict[str, Held]:
    """Per authorisation, in the order they were made, what the answers did with it."""
    found: dict[str, Held] = {}
    for op in ops:
        if op.authorisation is None or op.outcome in (None, Outcome.ABANDONED):
            continue
        was = found.get(op.authorisation, Held())
        if op.kind is OperationKind.VOID:
            found[op.authorisation] = replace(was, voided=was.voided + op.done, void_answered=True)
        elif not op.approved:
            continue
        elif op.kind is OperationKind.AUTHORISE:
            found[op.authorisation] = replace(was, authorised=op.done, expires_at=op.expires_at)
        elif op.kind is OperationKind.CAPTURE:
            found[op.authorisation] = replace(was, captured=was.captured + op.done)
        else:
            found[op.authorisation] = replace(was, refunded=was.refunded + op.done)
    return found


def recorded(
    payment: Payment, ops: list[PaymentOperation], op: PaymentOperation, answer: GatewayAnswer
) -> Payment:
    """The payment once `op`, answered by `answer`, is recorded among `ops`: its
    state moved by the answer, its amounts summed from every operation."""
    ledger = [op if kept.key == op.key else kept for kept in ops]
    if op.key not in {kept.key for kept in ops}:
        ledger.append(op)
    return summed(_moved(payment, op, answer), ledger)


def _moved(payment: Payment, op: PaymentOperation, answer: GatewayAnswer) -> Payment:
    approved = answer.outcome is Outcome.APPROVED
    if op.kind is OperationKind.AUTHORISE and approved:
        return replace(
            payment,
            status=PaymentStatus.AUTHORISED,
            authorisation=answer.reference,
            expires_at=answer.expires_at,
            message=None,
        )
    if op.kind is OperationKind.AUTHORISE and payment.status is not PaymentStatus.AUTHORISED:
        return replace(payment, status=PaymentStatus.DECLINED, message=answer.message)
    if op.kind is OperationKind.VOID and op.authorisation != payment.authorisation:
        return payment  # an orphan's: not the payment's to tell
    if not approved:
        return replace(payment, message=f"{op.kind} declined: {answer.message}")
    return replace(payment, message=None) if op.kind is OperationKind.CAPTURE else payment


def summed(payment: Payment, ops: list[PaymentOperation]) -> Payment:
    """The payment's amounts from its operations: authorised is what its own
    authorisation holds, and of the others what was captured or voided (the rest of
    a superseded one lapsed with it)."""
    books = held(ops)
    own = books.get(payment.authorisation or "", Held())
    others = [h for reference, h in books.items() if reference != payment.authorisation]
    totals = replace(
        payment,
        authorised=_sum(
            [own.authorised, *(h.captured + h.voided for h in others)], payment.currency
        ),
        captured=_sum((h.captured for h in books.values()), payment.currency),
        voided=_sum((h.voided for h in books.values()), payment.currency),
        refunded=_sum((h.refunded for h in books.values()), payment.currency),
    )
    if totals.status is PaymentStatus.AUTHORISED and totals.open <= 0:
        return replace(totals, status=PaymentStatus.CLOSED)
    return totals


def _sum(amounts: Iterable[Decimal], currency: str) -> Decimal:
    # In the currency's digits ("0.00", not "0"): as the payment tells them in its events.
    return quantize(sum(amounts, ZERO), currency)


def to_void(
    payment: Payment, ops: list[PaymentOperation], now: datetime, settling: bool
) -> list[str]:
    """Authorisations holding money the order will not take: every live one but the
    payment's own, and its own too when `settling` (nothing more will be captured)."""
    return [
        reference
        for reference, h in held(ops).items()
        if h.live(now) and (settling or reference != payment.authorisation)
    ]


def next_authorisation(
    payment: Payment, ops: list[PaymentOperation], amount: Decimal, now: datetime
) -> PaymentOperation:
    """The authorisation call to make: the one still pending, else a new one, keyed
    by its number."""
    made = [op for op in ops if op.kind is OperationKind.AUTHORISE]
    waiting = [op for op in made if op.pending]
    if waiting:
        return waiting[-1]
    key = f"{payment.order_id}:authorise:{len(made) + 1}"
    return PaymentOperation(key, payment.id, OperationKind.AUTHORISE, amount, now)


def next_capture(
    payment: Payment, ops: list[PaymentOperation], key: str, amount: Decimal, now: datetime
) -> PaymentOperation | None:
    """The call a parcel's capture (`key`: its fulfillment) needs next: its capture
    still pending, or a new one; first a new authorisation when the payment's has
    expired. None when the capture was answered, or there is nothing to take."""
    mine = [op for op in ops if op.kind is OperationKind.CAPTURE and _of(op.key, f"{key}:capture")]
    if mine and mine[-1].pending:
        return mine[-1]
    if mine and mine[-1].outcome is not Outcome.ABANDONED:
        return None
    if payment.status is not PaymentStatus.AUTHORISED or amount <= 0:
        return None
    if payment.expired(now):
        return next_authorisation(payment, ops, payment.open, now)
    return PaymentOperation(
        f"{key}:capture:{len(mine) + 1}",
        payment.id,
        OperationKind.CAPTURE,
        min(amount, payment.open),
        now,
        authorisation=payment.authorisation,
    )


def _of(key: str, prefix: str) -> bool:
    return key == prefix or key.startswith(f"{prefix}:")


def next_void(
    payment: Payment, ops: list[PaymentOperation], now: datetime, settling: bool
) -> PaymentOperation | None:
    """The void to make: one still pending, else one for the first authorisation
    holding money the order will not take."""
    waiting = [op for op in ops if op.kind is OperationKind.VOID and op.pending]
    if waiting:
        return waiting[0]
    books = held(ops)
    for reference in to_void(payment, ops, now, settling):
        key = f"{payment.order_id}:void:{reference}"
        remainder = books[reference].remainder
        return PaymentOperation(
            key, payment.id, OperationKind.VOID, remainder, now, authorisation=reference
        )
    return None


def given_up(op: PaymentOperation, payment: Payment, now: datetime) -> bool:
    """Whether a pending call the gateway did nothing under is to be given up, not
    made: a capture on an authorisation that expired or was superseded (the gateway
    refuses it now; the parcel is captured on the payment's authorisation instead)."""
    if op.kind is not OperationKind.CAPTURE:
        return False
    return op.authorisation != payment.authorisation or payment.expired(now)


def refundable(ops: list[PaymentOperation]) -> dict[str, Decimal]:
    """Per authorisation, what may still be refunded: captured, less refunded and
    refunds on their way (pending)."""
    left = {reference: h.captured - h.refunded for reference, h in held(ops).items()}
    for op in ops:
        if op.kind is OperationKind.REFUND and op.pending and op.authorisation is not None:
            left[op.authorisation] = left.get(op.authorisation, ZERO) - op.amount
    return left


def refund_parts(
    currency: str, ops: list[PaymentOperation], amount: Decimal
) -> list[tuple[str, Decimal]]:
    """`amount` taken from the authorisations that captured it, the newest first;
    OverRefund when they hold less."""
    left = refundable(ops)
    total = quantize(sum(left.values(), ZERO), currency)
    if amount > total:
        raise OverRefund(
            f"amount: at most {total} {currency} may still be refunded",
            extra={"field": "amount", "refundable": str(total)},
        )
    parts: list[tuple[str, Decimal]] = []
    for reference in reversed(list(left)):
        take = min(amount, left[reference])
        if take > 0:
            parts.append((reference, take))
            amount -= take
    return parts


@dataclass(frozen=True)
class PaymentDiscrepancy:
    """Where an order's payment and the gateway's record disagree (`ordino check`):
    `subject` is the authorisation, or the operation's key for a call unanswered."""

    order_id: str
    subject: str | None
    problem: str


def discrepancies(
    payment: Payment,
    ops: list[PaymentOperation],
    gateway: Mapping[str, GatewayAuthorisation | None],
    now: datetime,
) -> list[PaymentDiscrepancy]:
    """Everything on which the payment, its operations and the gateway's record of
    its authorisations (`gateway`, by reference) disagree; operations begun more than
    `UNANSWERED` ago and still without an answer are reported too."""
    order = payment.order_id
    found = [
        PaymentDiscrepancy(order, op.key, f"{op.kind} unanswered since {op.created_at}")
        for op in ops
        if op.pending and op.created_at < now - UNANSWERED
    ]
    for reference, ours in held(ops).items():
        own = reference == payment.authorisation
        problems = _disagreements(ours, gateway.get(reference), own, now)
        found += [PaymentDiscrepancy(order, reference, problem) for problem in problems]
    said = summed(payment, ops)
    amounts = ("authorised", "captured", "voided", "refunded")
    for name in amounts:
        stored = quantize(getattr(payment, name), payment.currency)
        derived = quantize(getattr(said, name), payment.currency)
        if stored != derived:
            problem = f"{name}: the payment says {stored}, its operations {derived}"
            found.append(PaymentDiscrepancy(order, payment.authorisation, problem))
    return found


def _disagreements(
    ours: Held, theirs: GatewayAuthorisation | None, own: bool, now: datetime
) -> list[str]:
    if theirs is None:
        return ["the gateway has no such authorisation"]
    problems = [
        f"{name}: Ordino {mine}, gateway {gateways}"
        for name, mine, gateways in (
            ("authorised", ours.authorised, theirs.authorised),
            ("captured", ours.captured, theirs.captured),
            ("refunded", ours.refunded, theirs.refunded),
            ("voided", ours.voided > 0, theirs.voided),
        )
        if mine != gateways
    ]
    holding = not theirs.voided and theirs.authorised > theirs.captured
    if not own and holding and now < theirs.expires_at:
        problems.append("holds money at the gateway for no payment (to void)")
    return problems

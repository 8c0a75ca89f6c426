"""A return (return authorisation): units of an order's lines the customer sends back,
who started it and where, why, how they travel, and what came back.

States (a transition table, `TRANSITIONS`):

    requested ─► authorised ─► in_transit ─► received_in_part ─► received ─► closed
        │            │  │           │                │                          ▲
        ├► declined  │  └───────────┴────────────────┴─► (received, closed) ────┘
        └► cancelled ◄┘

A return is authorised by a rule of the policy or by a person; the goods are on
their way once a carrier or a drop-off point has them; each receipt counts what
came back (all of it: received; some: received_in_part); closing it gives up on
what did not come (counted missing) — a returnless return closes straight from
authorised, the customer keeping the goods.

Invariants:
  * the units of a return's lines are positive and never more than the order's
    line may still return (`Order.returnable`: delivered or picked up, less returned
    and being returned), whatever other returns of the order asked; several returns
    of one order share that;
  * each unit of a return not ended is counted once: open (on its way), received or
    missing, `open + received + missing == quantity`; a receipt never counts more
    than is open; a declined or cancelled return holds none (its open units went
    back to what the order may return), a closed one counted them missing;
  * the order's counters follow every change in the same step (`Order.start_return`,
    `Order.end_return`), so `returned + being_returned` of a line is what its returns
    hold: received and missing ones (the customer has them no more), and open ones
    of returns not ended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import (
    FieldError,
    IllegalTransition,
    InvalidInput,
    TransitionTable,
    transition,
)
from ordino.orders.domain import Order, OrderScope


class ReturnStatus(StrEnum):
    REQUESTED = "requested"  # asked for, waiting for a decision
    AUTHORISED = "authorised"  # may be sent back (by a rule of the policy or a person)
    IN_TRANSIT = "in_transit"  # a carrier or drop-off point has the goods
    RECEIVED_IN_PART = "received_in_part"  # some units came back, others are awaited
    RECEIVED = "received"  # every unit is accounted for (received, or missing)
    CLOSED = "closed"  # nothing more happens: refunded, or given up on
    DECLINED = "declined"  # refused: nothing is sent back
    CANCELLED = "cancelled"  # withdrawn before the goods travelled


S = ReturnStatus
TRANSITIONS: TransitionTable[S] = {
    S.REQUESTED: frozenset({S.AUTHORISED, S.DECLINED, S.CANCELLED}),
    # Closed from authorised: returnless (the customer keeps the goods).
    S.AUTHORISED: frozenset({S.IN_TRANSIT, S.RECEIVED_IN_PART, S.RECEIVED, S.CANCELLED, S.CLOSED}),
    # Closed from in transit: the parcel was lost on its way back.
    S.IN_TRANSIT: frozenset({S.RECEIVED_IN_PART, S.RECEIVED, S.CLOSED}),
    S.RECEIVED_IN_PART: frozenset({S.RECEIVED_IN_PART, S.RECEIVED, S.CLOSED}),
    S.RECEIVED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
}
ENDED = frozenset({S.CLOSED, S.DECLINED, S.CANCELLED})
RECEIVING = frozenset({S.AUTHORISED, S.IN_TRANSIT, S.RECEIVED_IN_PART})


class Initiator(StrEnum):
    """Who started the return."""

    CUSTOMER = "customer"  # on their page
    AGENT = "agent"  # customer service, on the console or the API
    STORE = "store"  # a store associate, the customer at the counter
    CHANNEL = "channel"  # a shop or marketplace that took the request


class ReturnMethod(StrEnum):
    """How the goods travel back."""

    STORE = "store"  # dropped off at a store (shows the return code)
    CARRIER_DROP_OFF = "carrier_drop_off"  # at a carrier's point (shows the code)
    CARRIER_PICKUP = "carrier_pickup"  # a carrier collects at the customer's address
    MAIL = "mail"  # posted with a printed return label


class RefundTo(StrEnum):
    """Where a return's refunds go."""

    ORIGINAL = "original"  # back to what paid the order (its tenders)
    STORE_CREDIT = "store_credit"  # the customer's store credit, to spend again


@dataclass(frozen=True)
class ReturnLineRequest:
    line_no: int
    quantity: int
    reason: str  # a reason code of the policy (`ReturnPolicy.reasons`)
    note: str | None = None
    exchange_sku: str | None = None  # another size or colour instead of the money


@dataclass(frozen=True)
class ReturnLine:
    line_no: int
    sku: str
    quantity: int
    reason: str
    note: str | None = None
    received: int = 0
    missing: int = 0  # never arrived: given up on when the return closed
    # Where its units go (`ordino.returns.engine.routing`), decided when authorised;
    # None: not decided yet, or nowhere (the customer keeps them: `route`).
    destination: str | None = None
    route: str | None = None  # why: returnless, vendor, stays, needed, cheapest, nowhere
    exchange_sku: str | None = None  # exchanged for it (`ordino.returns.domain.exchanges`)

    @property
    def open(self) -> int:
        """Units on their way back, not received, not given up on."""
        return self.quantity - self.received - self.missing

    @property
    def back(self) -> int:
        """Units the customer gave up: received, or kept (returnless)."""
        return self.quantity if self.route == "returnless" else self.received


@dataclass(frozen=True)
class ReturnLabel:
    """The carrier's label of a return sent back by carrier (the document itself is
    kept beside the return: `Returns.label_document`)."""

    carrier: str
    tracking_number: str
    created_at: datetime
    voided_at: datetime | None = None  # the return ended before the parcel travelled


# How the goods travel by carrier: a label is booked for them (to print, or to show
# as a code at the carrier's point, which prints it).
BY_CARRIER = frozenset(
    {ReturnMethod.MAIL, ReturnMethod.CARRIER_DROP_OFF, ReturnMethod.CARRIER_PICKUP}
)


@dataclass
class ReturnAuthorization:
    id: str
    order_id: str
    code: str  # shown at a store or a carrier's point (`ordino.returns.domain.codes`)
    status: ReturnStatus
    initiator: Initiator
    method: ReturnMethod
    lines: list[ReturnLine]
    created_at: datetime
    updated_at: datetime
    started_by: str  # the API key, user, or "customer" that asked
    location_id: str | None = None  # where it was started (a store), if at one
    decided_by: str | None = None  # the rule or the person that authorised or declined
    reason: str | None = None  # why it was declined, cancelled or closed
    label: ReturnLabel | None = None  # the carrier's, once booked
    refund_to: RefundTo = RefundTo.ORIGINAL
    # When the goods first travelled: a carrier or drop-off point took them, or they
    # were received. None: they never left the customer.
    travelled_at: datetime | None = None
    # How its exchanges are placed (`ExchangeMode`'s value), as the policy said when
    # it was asked; None: it asks for none.
    exchange_mode: str | None = None
    version: int = 1

    @property
    def ended(self) -> bool:
        return self.status in ENDED

    def travelled(self, now: datetime) -> None:
        if self.travelled_at is None:
            self.travelled_at = now

    @property
    def label_to_void(self) -> bool:
        """Ended (withdrawn, declined, closed) with a label booked before the parcel
        travelled: it never will."""
        unused = self.label is not None and self.label.voided_at is None
        return unused and self.ended and self.travelled_at is None

    @property
    def needs_label(self) -> bool:
        """Authorised to travel by carrier, with goods going somewhere, and no label yet."""
        sent = any(line.destination for line in self.lines)
        ready = self.status is S.AUTHORISED and self.method in BY_CARRIER
        return ready and sent and self.label is None

    @property
    def open_units(self) -> dict[int, int]:
        """Units on their way back, by line; none once the return ended."""
        if self.ended:
            return {}
        return {line.line_no: line.open for line in self.lines if line.open}

    def line(self, line_no: int) -> ReturnLine:
        found = next((line for line in self.lines if line.line_no == line_no), None)
        if found is None:
            raise InvalidInput.of("line_no", f"the return has no line {line_no}")
        return found

    def move(self, target: ReturnStatus, now: datetime) -> None:
        self.status = transition(TRANSITIONS, self.status, target)
        self.updated_at = now


@dataclass(frozen=True)
class ReturnQuery:
    """Which returns a list shows: in these states (None: any), before the id
    `before` (a page's cursor), of a channel's orders, of a location (each when
    given: a scoped key's own)."""

    statuses: tuple[ReturnStatus, ...] | None = None
    before: str | None = None
    channel: str | None = None
    location_id: str | None = None


def visible_to(scope: OrderScope, order: Order, ra: ReturnAuthorization) -> bool:
    """Whether a caller of this scope may see the return: one of its channel's orders;
    for a store, one it served, or started at it, or going to it."""
    if scope.admits(order):
        return True
    if scope.location_id is None or not OrderScope(
        scope.channel, None, scope.actor, scope.customer
    ).admits(order):
        return False
    here = scope.location_id
    return ra.location_id == here or any(line.destination == here for line in ra.lines)


@dataclass(frozen=True)
class Started:
    """How a return was started: by whom (their role's `initiator`, their name
    `by`), at which location (a store), how the goods travel, where refunds go."""

    initiator: Initiator
    method: ReturnMethod
    by: str
    location_id: str | None = None
    refund_to: RefundTo = RefundTo.ORIGINAL
    exchange_mode: str | None = None  # how exchanges asked are placed (the policy's)


def request_return(
    order: Order,
    ids: tuple[str, str],
    asked: Sequence[ReturnLineRequest],
    how: Started,
    now: datetime,
) -> ReturnAuthorization:
    """A return of `asked` from `order` (`ids`: its id and code), requested as `how`
    says: the order's lines count the units as being returned. InvalidInput naming
    `lines[i]…` for a line the order lacks, the same line twice, or more units than
    the line may still return."""
    refuse_bad_lines(order, asked)
    return_id, code = ids
    ra = ReturnAuthorization(
        return_id,
        order.id,
        code,
        S.REQUESTED,
        how.initiator,
        how.method,
        [
            ReturnLine(
                a.line_no,
                order.line(a.line_no).sku,
                a.quantity,
                a.reason,
                a.note,
                exchange_sku=a.exchange_sku,
            )
            for a in asked
        ],
        now,
        now,
        how.by,
        how.location_id,
        refund_to=how.refund_to,
        exchange_mode=how.exchange_mode if any(a.exchange_sku for a in asked) else None,
    )
    order.start_return({a.line_no: a.quantity for a in asked}, now)
    record_event(order, ra, "return.requested", now)
    return ra


def refuse_bad_lines(order: Order, asked: Sequence[ReturnLineRequest]) -> None:
    """InvalidInput naming `lines[i]…`: no line, a line the order lacks or named
    twice, fewer than one unit, more than the line may still return."""
    if not asked:
        raise InvalidInput.of("lines", "name at least one line to return")
    numbers = {line.line_no for line in order.lines}
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, a in enumerate(asked):
        if a.line_no not in numbers:
            errors.append(FieldError(f"lines[{i}].line_no", f"the order has no line {a.line_no}"))
        elif a.line_no in seen:
            errors.append(FieldError(f"lines[{i}].line_no", f"line {a.line_no} is named twice"))
        elif a.quantity < 1:
            errors.append(FieldError(f"lines[{i}].quantity", "must be at least 1"))
        elif a.quantity > (returnable := order.returnable(a.line_no)):
            errors.append(FieldError(f"lines[{i}].quantity", _at_most(returnable)))
        seen.add(a.line_no)
    if errors:
        raise InvalidInput("the return asks for units the order cannot return", errors=errors)


def _at_most(returnable: int) -> str:
    if returnable == 0:
        return "none of the line's units may be returned (not delivered, or returned already)"
    return f"at most {returnable} may be returned (delivered, less returned or being returned)"


def authorise(
    order: Order,
    ra: ReturnAuthorization,
    by: str,
    routes: Mapping[int, tuple[str | None, str]],
    now: datetime,
) -> None:
    """The return may go ahead, its lines to where `routes` (line_no → destination,
    why) send them; `by`: the policy's rule that approved it, or a person."""
    ra.move(S.AUTHORISED, now)
    ra.decided_by = by
    ra.lines = [
        replace(line, destination=routes[line.line_no][0], route=routes[line.line_no][1])
        if line.line_no in routes
        else line
        for line in ra.lines
    ]
    record_event(order, ra, "return.authorised", now)


def decline(order: Order, ra: ReturnAuthorization, by: str, reason: str, now: datetime) -> None:
    """Refused: nothing is sent back, the units may be returned again."""
    ra.move(S.DECLINED, now)
    ra.decided_by, ra.reason = by, reason
    _release(order, ra, now)
    record_event(order, ra, "return.declined", now)


def cancel(order: Order, ra: ReturnAuthorization, reason: str | None, now: datetime) -> None:
    """Withdrawn before the goods travelled: the units may be returned again."""
    ra.move(S.CANCELLED, now)
    ra.reason = reason
    _release(order, ra, now)
    record_event(order, ra, "return.cancelled", now)


def labelled(order: Order, ra: ReturnAuthorization, label: ReturnLabel, now: datetime) -> None:
    """The carrier booked the parcel: the customer prints its label, or shows the
    return's code where they drop it off."""
    if ra.label is not None:
        raise IllegalTransition(
            f"return {ra.id} has its label", extra={"label": ra.label.tracking_number}
        )
    ra.label = label
    ra.updated_at = now
    record_event(order, ra, "return.label_created", now)


def hand_over(order: Order, ra: ReturnAuthorization, now: datetime) -> None:
    """A carrier or drop-off point has the goods."""
    ra.move(S.IN_TRANSIT, now)
    ra.travelled(now)
    record_event(order, ra, "return.in_transit", now)


def close(order: Order, ra: ReturnAuthorization, reason: str | None, now: datetime) -> None:
    """Nothing more will happen: what did not come back is counted missing (lost on
    its way, or kept: the customer has it no more to return), and the return is
    closed."""
    missing = ra.open_units
    ra.move(S.CLOSED, now)
    ra.reason = reason
    for line_no, quantity in missing.items():
        line = ra.line(line_no)
        ra.lines[ra.lines.index(line)] = replace(line, missing=line.missing + quantity)
        order.end_return(line_no, quantity, 0, now)
    record_event(order, ra, "return.closed", now, {"missing": _units(missing)})


def _release(order: Order, ra: ReturnAuthorization, now: datetime) -> None:
    """The units the return held go back to what the order's lines may return."""
    for line in ra.lines:
        if line.open:
            order.end_return(line.line_no, 0, line.open, now)


def _units(by_line: Mapping[int, int]) -> list[dict[str, int]]:
    return [{"line_no": no, "quantity": q} for no, q in sorted(by_line.items()) if q]


def record_event(
    order: Order,
    ra: ReturnAuthorization,
    event_type: str,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    """On the order's timeline (and to its webhooks), the return as it is now; the
    order's roll-ups derived again."""
    order.touch(now)
    details = {"return": return_document(ra), "return_state": str(order.return_state)}
    order.record(event_type, now, details | (extra or {}))


def return_document(ra: ReturnAuthorization) -> dict[str, Any]:
    return {
        "id": ra.id,
        "order_id": ra.order_id,
        "code": ra.code,
        "status": str(ra.status),
        "initiator": str(ra.initiator),
        "method": str(ra.method),
        "refund_to": str(ra.refund_to),
        "exchange_mode": ra.exchange_mode,
        "started_by": ra.started_by,
        "location_id": ra.location_id,
        "decided_by": ra.decided_by,
        "reason": ra.reason,
        "label": None
        if ra.label is None
        else {
            "carrier": ra.label.carrier,
            "tracking_number": ra.label.tracking_number,
            "created_at": ra.label.created_at.isoformat(),
            "voided_at": ra.label.voided_at.isoformat() if ra.label.voided_at else None,
        },
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "quantity": line.quantity,
                "reason": line.reason,
                "note": line.note,
                "received": line.received,
                "missing": line.missing,
                "open": 0 if ra.ended else line.open,
                "destination": line.destination,
                "route": line.route,
                "exchange_sku": line.exchange_sku,
            }
            for line in ra.lines
        ],
        "created_at": ra.created_at.isoformat(),
        "updated_at": ra.updated_at.isoformat(),
    }

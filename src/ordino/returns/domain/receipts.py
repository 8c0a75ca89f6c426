"""Receipts of returned goods at any location that takes returns (a store receiving
an online order's goods too): the units that came back, their condition, what is
done with each, and the units the parcel lacked.

    disposition        what happens to the units                 stock
    restock            back on this location's shelf             on hand up here
    send_on            on to another location (`to`)             in transit there
    return_to_vendor   back to their supplier (`to`)             none: they leave
    refurbish          repaired before they sell again           none yet
    write_off          not sellable                              none

Invariants:
  * a receipt counts at most the units still awaited on each line (received and
    missing together), at least one; a receipt of units already received is refused
    before anything changes, so two receipts of the same units at once give one;
  * `to` names where the units go for send_on and return_to_vendor (another
    location), and nothing for the others;
  * the units received or missing are the customer's no more (`Order.end_return`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import FieldError, IllegalTransition, InvalidInput
from ordino.orders.domain import Order
from ordino.returns.domain.returns import (
    RECEIVING,
    ReturnAuthorization,
    ReturnStatus,
    record_event,
)


class Condition(StrEnum):
    NEW = "new"  # as sold, unopened
    OPENED = "opened"  # opened or tried, sellable
    DAMAGED = "damaged"


class Disposition(StrEnum):
    RESTOCK = "restock"
    SEND_ON = "send_on"
    RETURN_TO_VENDOR = "return_to_vendor"
    REFURBISH = "refurbish"
    WRITE_OFF = "write_off"


ELSEWHERE = frozenset({Disposition.SEND_ON, Disposition.RETURN_TO_VENDOR})


@dataclass(frozen=True)
class ReceivedUnits:
    line_no: int
    quantity: int
    condition: Condition
    disposition: Disposition
    to: str | None = None  # where send_on and return_to_vendor units go


@dataclass(frozen=True)
class ReturnReceipt:
    id: str
    location_id: str  # where the goods were received
    lines: tuple[ReceivedUnits, ...]
    missing: tuple[tuple[int, int], ...]  # (line_no, units) the parcel lacked
    received_at: datetime
    by: str


def receive(order: Order, ra: ReturnAuthorization, receipt: ReturnReceipt, now: datetime) -> None:
    """The receipt's units came back (and its missing ones never will): counted on the
    return and the order's lines; every unit accounted for, the return is received,
    else received in part. IllegalTransition when the return awaits nothing now;
    InvalidInput naming `lines[i]`/`missing[i]` for what it does not await."""
    if ra.status not in RECEIVING:
        raise IllegalTransition(
            f"return {ra.id} is {ra.status}: nothing is received on it now",
            extra={"from": str(ra.status), "to": str(ReturnStatus.RECEIVED)},
        )
    refuse_bad_receipt(ra, receipt)
    received, missing = _by_line(receipt)
    for line in list(ra.lines):
        got, lost = received[line.line_no], missing[line.line_no]
        if got or lost:
            done = replace(line, received=line.received + got, missing=line.missing + lost)
            ra.lines[ra.lines.index(line)] = done
            order.end_return(line.line_no, got + lost, 0, now)
    ra.travelled(now)
    ra.move(ReturnStatus.RECEIVED_IN_PART if ra.open_units else ReturnStatus.RECEIVED, now)
    record_event(order, ra, "return.received", now, {"receipt": receipt_document(receipt)})


def refuse_bad_receipt(ra: ReturnAuthorization, receipt: ReturnReceipt) -> None:
    awaited = {line.line_no: line.open for line in ra.lines}
    errors = [
        *_bad_units(receipt, awaited),
        *_bad_destinations(receipt),
        *_bad_missing(receipt, awaited),
    ]
    received, missing = _by_line(receipt)
    errors += [
        FieldError("lines", f"line {no}: {received[no] + missing[no]} counted, {open_} awaited")
        for no, open_ in sorted(awaited.items())
        if received[no] + missing[no] > open_ and not errors
    ]
    if not receipt.lines and not receipt.missing:
        errors.append(FieldError("lines", "count at least one unit received or missing"))
    if errors:
        raise InvalidInput("the receipt counts units the return does not await", errors=errors)


def _bad_units(receipt: ReturnReceipt, awaited: dict[int, int]) -> list[FieldError]:
    errors = []
    for i, units in enumerate(receipt.lines):
        if units.line_no not in awaited:
            errors.append(
                FieldError(f"lines[{i}].line_no", f"the return has no line {units.line_no}")
            )
        elif not 0 < units.quantity <= awaited[units.line_no]:
            left = awaited[units.line_no]
            errors.append(FieldError(f"lines[{i}].quantity", f"{left} are awaited on the line"))
    return errors


def _bad_destinations(receipt: ReturnReceipt) -> list[FieldError]:
    errors = []
    for i, units in enumerate(receipt.lines):
        if units.disposition in ELSEWHERE and units.to in (None, receipt.location_id):
            errors.append(FieldError(f"lines[{i}].to", f"{units.disposition}: name where they go"))
        elif units.disposition not in ELSEWHERE and units.to is not None:
            errors.append(FieldError(f"lines[{i}].to", f"{units.disposition} units stay here"))
    return errors


def _bad_missing(receipt: ReturnReceipt, awaited: dict[int, int]) -> list[FieldError]:
    return [
        FieldError(f"missing[{i}]", f"line {line_no}: {awaited.get(line_no, 0)} are awaited")
        for i, (line_no, quantity) in enumerate(receipt.missing)
        if not 0 < quantity <= awaited.get(line_no, 0)
    ]


def _by_line(receipt: ReturnReceipt) -> tuple[Counter[int], Counter[int]]:
    received: Counter[int] = Counter()
    for units in receipt.lines:
        received[units.line_no] += units.quantity
    missing: Counter[int] = Counter()
    for line_no, quantity in receipt.missing:
        missing[line_no] += quantity
    return received, missing


def receipt_document(receipt: ReturnReceipt) -> dict[str, Any]:
    return {
        "id": receipt.id,
        "location_id": receipt.location_id,
        "received_at": receipt.received_at.isoformat(),
        "by": receipt.by,
        "lines": [
            {
                "line_no": u.line_no,
                "quantity": u.quantity,
                "condition": str(u.condition),
                "disposition": str(u.disposition),
                "to": u.to,
            }
            for u in receipt.lines
        ],
        "missing": [{"line_no": no, "quantity": q} for no, q in receipt.missing],
    }


def receipt_from_document(document: dict[str, Any]) -> ReturnReceipt:
    return ReturnReceipt(
        document["id"],
        document["location_id"],
        tuple(
            ReceivedUnits(
                u["line_no"],
                u["quantity"],
                Condition(u["condition"]),
                Disposition(u["disposition"]),
                u["to"],
            )
            for u in document["lines"]
        ),
        tuple((m["line_no"], m["quantity"]) for m in document["missing"]),
        datetime.fromisoformat(document["received_at"]),
        document["by"],
    )


def units_received(receipts: Sequence[ReturnReceipt]) -> dict[tuple[int, Condition], int]:
    """Units received by line and condition, over the receipts (what refunds read)."""
    found: Counter[tuple[int, Condition]] = Counter()
    for receipt in receipts:
        for units in receipt.lines:
            found[(units.line_no, units.condition)] += units.quantity
    return dict(found)

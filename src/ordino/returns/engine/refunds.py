"""What a return's refund gives back: the units it refunds at what each paid (price,
less discounts, plus taxes), less the restocking fees their reasons keep and the
return shipping fee, plus the order's shipping when the policy gives it back; at
most what the order's tenders may still refund.

Pure: the order, the question and the policy in; the preview out, to the cent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal

from ordino.kernel.domain import quantize
from ordino.orders.domain import FulfillmentStatus, Order
from ordino.pricing.domain import BilledPart, billed_charge, billed_units
from ordino.returns.domain.policy import ReturnPolicy, ReturnReason
from ordino.returns.domain.refunds import (
    RefundedUnits,
    RefundOn,
    RefundPreview,
    RefundQuestion,
    ReturnRefund,
    ShippingRefund,
)
from ordino.returns.domain.returns import BY_CARRIER, ReturnAuthorization, ReturnStatus

_GOT = (FulfillmentStatus.DELIVERED, FulfillmentStatus.PICKED_UP)


def refund_question(
    ra: ReturnAuthorization,
    earlier: Sequence[ReturnRefund],
    policy: ReturnPolicy,
    refundable: Decimal,
) -> RefundQuestion:
    """What a refund of the return now is worked out from, after the `earlier`
    refunds of the order's returns (this one's among them), when the tenders may
    still give back `refundable`."""
    before: dict[int, set[int]] = {}
    mine: Counter[int] = Counter()
    for refund in earlier:
        for units in refund.lines:
            before.setdefault(units.line_no, set()).update(units.units)
            if refund.return_id == ra.id:
                mine[units.line_no] += units.count
    kept = frozenset(line.line_no for line in ra.lines if line.route == "returnless")
    travelled = any(line.line_no not in kept for line in ra.lines)
    return RefundQuestion(
        units_due(ra, mine, policy),
        {no: frozenset(units) for no, units in before.items()},
        {line.line_no: line.reason for line in ra.lines},
        ra.method in BY_CARRIER and travelled,
        kept,
        any(r.return_shipping_fee for r in earlier if r.return_id == ra.id),
        any(r.shipping for r in earlier),
        refundable,
    )


# A returnless line's units are the customer's once authorised (and stay so when the
# return is closed: closing counts them missing).
_KEEPING = frozenset({ReturnStatus.AUTHORISED, ReturnStatus.CLOSED})


def units_due(
    ra: ReturnAuthorization, refunded: Mapping[int, int], policy: ReturnPolicy
) -> dict[int, int]:
    """Units of each line the return may refund now, less those it refunded:
    received; with refunds on drop-off, the whole parcel once a carrier has it (in
    transit; once received, what was); those the customer keeps, of a returnless
    line (authorised, or closed since: they were never to come back)."""
    carried = policy.refunds.refund_on is RefundOn.DROP_OFF and ra.status is ReturnStatus.IN_TRANSIT
    due: dict[int, int] = {}
    for line in ra.lines:
        kept = line.route == "returnless" and ra.status in _KEEPING
        units = line.quantity if kept else line.received + (line.open if carried else 0)
        if units > refunded.get(line.line_no, 0):
            due[line.line_no] = units - refunded.get(line.line_no, 0)
    return due


def preview_refund(order: Order, question: RefundQuestion, policy: ReturnPolicy) -> RefundPreview:
    """ValueError when the question refunds more units of a line than were delivered.
    Nothing due: nothing refunded (neither shipping nor a fee without units)."""
    currency = order.currency
    refundable = quantize(question.refundable, currency)
    if not any(count > 0 for count in question.units.values()):
        nothing = quantize(Decimal(0), currency)
        return RefundPreview(currency, (), nothing, nothing, nothing, refundable, nothing)
    reasons = {reason.code: reason for reason in policy.reasons}
    lines = tuple(
        _refunded(order, line_no, count, question, reasons.get(question.reasons[line_no]))
        for line_no, count in sorted(question.units.items())
        if count > 0
    )
    fault = any(
        reasons[code].merchant_fault for code in question.reasons.values() if code in reasons
    )
    terms = policy.refunds
    fee = terms.fee_in(currency) if question.by_carrier and not fault else Decimal(0)
    fee = Decimal(0) if question.fee_charged else quantize(fee, currency)
    gives = _gives_shipping(order, question, terms.refund_shipping, fault)
    shipping = shipping_paid(order) if gives and not question.shipping_refunded else Decimal(0)
    goods = sum((u.paid - u.restocking_fee for u in lines), Decimal(0))
    total = quantize(max(Decimal(0), goods - fee + shipping), currency)
    return RefundPreview(currency, lines, shipping, fee, total, refundable, min(total, refundable))


def _refunded(
    order: Order, line_no: int, count: int, question: RefundQuestion, reason: ReturnReason | None
) -> RefundedUnits:
    """The lowest-numbered units the customer got of the line that no refund took."""
    taken_before = question.refunded_before.get(line_no, frozenset())
    free = [unit for unit in delivered_units(order, line_no) if unit not in taken_before]
    taken = tuple(free[:count])
    if len(taken) < count:
        raise ValueError(f"line {line_no} delivered fewer than {count} units not refunded")
    price = order.line(line_no).price
    paid = quantize(sum((price.unit_paid(unit) for unit in taken), Decimal(0)), order.currency)
    share = reason.restocking_fee if reason is not None else Decimal(0)
    if line_no in question.kept:
        share = Decimal(0)  # nothing was sent back, nothing to restock
    return RefundedUnits(line_no, taken, paid, quantize(paid * share, order.currency))


def credit_basis(order: Order, preview: RefundPreview) -> tuple[BilledPart, ...]:
    """What the refund gives back, as its credit note credits it: each refunded unit
    as it was billed (with its taxes), the shipping charges when it is refunded."""
    units = tuple(
        billed_units(order.line(refunded.line_no).price, unit, 1)
        for refunded in preview.lines
        for unit in refunded.units
    )
    if not preview.shipping:
        return units
    shipping = tuple(
        billed_charge(charge, k)
        for k, charge in enumerate(order.charges)
        if charge.kind == "shipping"
    )
    return units + shipping


def delivered_units(order: Order, line_no: int) -> list[int]:
    """The line's units the customer got (delivered or collected), in the order they
    left (`FulfillmentLine.first_unit`)."""
    return sorted(
        unit
        for fo in order.fulfillments
        if fo.status in _GOT
        for fl in fo.lines
        if fl.line_no == line_no and fl.first_unit is not None
        for unit in range(fl.first_unit, fl.first_unit + fl.quantity)
    )


def shipping_paid(order: Order) -> Decimal:
    """What the order's shipping charges came to (after their discounts, with tax)."""
    total = sum((c.total for c in order.charges if c.kind == "shipping"), Decimal(0))
    return quantize(total, order.currency)


def _gives_shipping(
    order: Order, question: RefundQuestion, rule: ShippingRefund, fault: bool
) -> bool:
    if rule is ShippingRefund.MERCHANT_FAULT:
        return fault
    if rule is ShippingRefund.NEVER:
        return False
    return all(_all_back(order, line.line_no, question) for line in order.lines) and any(
        delivered_units(order, line.line_no) for line in order.lines
    )


def _all_back(order: Order, line_no: int, question: RefundQuestion) -> bool:
    """Every unit of the line not cancelled was delivered, and all come back refunded
    with this refund (nothing more of it ships: its shipping is no longer earned)."""
    line = order.line(line_no)
    got = len(delivered_units(order, line_no))
    refunded = len(question.refunded_before.get(line_no, ())) + question.units.get(line_no, 0)
    return got == line.quantity - line.cancelled and refunded == got

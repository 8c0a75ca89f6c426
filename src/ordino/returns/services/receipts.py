"""Returned goods received at a location that takes returns, and what becomes of
them: restocked there (on hand up, a `restock` movement, and the units waiting for
supply looked at again), sent on (a transfer on its way from here, never on this
shelf), back to their vendor, refurbished or written off (they leave the stock
Ordino counts: the receipt keeps where they went).

Invariants:
  * the receipt, the return, the order's counters, the movements and transfers and
    the `return.received` event commit together, under the order's lock: two
    receipts of the same units at once give one (the second finds them received);
  * a receipt is made once per Idempotency-Key: a retry gets the first answer;
  * a caller who cannot see the return otherwise (a store where it was neither
    started nor is going) receives it by its code: a code of another return is
    refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from ordino.inventory.domain import (
    Adjustment,
    CreateSupply,
    MovementKind,
    Source,
    SupplyKind,
    plan_adjustments,
)
from ordino.inventory.services import record_supply, write_plan
from ordino.kernel.domain import (
    FILL_BACKORDERS,
    FieldError,
    IdempotencyKey,
    InvalidInput,
    Job,
    NotFound,
    new_id,
)
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.network.domain import Location, LocationType
from ordino.orders.domain import EVERY_ORDER, Order, OrderScope
from ordino.returns.domain import (
    Disposition,
    ReceivedUnits,
    ReturnAuthorization,
    ReturnReceipt,
    read_code,
    receipt_document,
    receive,
    return_document,
    visible_to,
)
from ordino.returns.services.exchanges import after_exchange_due
from ordino.returns.services.lookup import found_return, missing_return, order_of
from ordino.returns.services.policy import policy_of
from ordino.returns.services.ports import ReturnsWork
from ordino.returns.services.refunds import refund_due

TRANSFER_DAYS = 3  # when goods sent on from a receipt are expected where they go


@dataclass(frozen=True)
class ReceiveReturn:
    return_id: str
    location_id: str
    lines: tuple[ReceivedUnits, ...]  # `to` None for send_on: where the return routed it
    missing: tuple[tuple[int, int], ...] = ()
    code: str | None = None  # as shown by the customer: needed where the return is not seen


def receive_return(
    cmd: ReceiveReturn,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Receive the units (201 with the return and the receipt)."""
    return with_retries(lambda _: _receive_once(cmd, uow, now, scope, idempotency))


def _receive_once(
    cmd: ReceiveReturn,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope,
    idempotency: IdempotencyKey | None,
) -> Answer:
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        order, ra = _locked_for_receipt(uow, cmd, scope)
        here = _taking_returns(uow, cmd.location_id)
        lines = tuple(_resolved(uow, order, ra, units, here) for units in cmd.lines)
        _refuse_unknown_destinations(uow, lines)
        receipt = ReturnReceipt(new_id(now), here.id, lines, cmd.missing, now, scope.actor)
        receive(order, ra, receipt, now)
        _move_stock(uow, order, ra, receipt, now)
        uow.returns.add_receipt(ra.id, receipt)
        refund_due(uow, order, ra, now, asked=False)  # as the policy says: on receipt
        after_exchange_due(uow, ra, now)
        uow.returns.save(ra)
        uow.orders.save(order)
        answer = Answer(201, return_document(ra) | {"receipt": receipt_document(receipt)})
        remember(uow, idempotency, answer, now, order.id)
        uow.commit()
    return answer


def _locked_for_receipt(
    uow: ReturnsWork, cmd: ReceiveReturn, scope: OrderScope
) -> tuple[Order, ReturnAuthorization]:
    """The order locked and the return read again; seen by the caller, or shown to
    them by its code (a store where the customer brings it)."""
    ra = found_return(uow.returns.get(cmd.return_id), cmd.return_id)
    if cmd.code is not None and read_code(cmd.code) != ra.code:
        raise InvalidInput.of("code", "not this return's code: it names another return, or none")
    order = uow.orders.get(ra.order_id, for_update=True)
    shown = cmd.code is not None and scope.channel in (None, order.channel if order else None)
    if order is None or not (shown or visible_to(scope, order, ra)):
        raise missing_return(ra.id)
    order.acting = scope.actor
    return order, found_return(uow.returns.get(ra.id), ra.id)


def _taking_returns(uow: ReturnsWork, location_id: str) -> Location:
    location = uow.network.get(location_id)
    if location is None or not location.returns:
        raise InvalidInput.of("location_id", f"{location_id} is no location that takes returns")
    return location


def _resolved(
    uow: ReturnsWork, order: Order, ra: ReturnAuthorization, units: ReceivedUnits, here: Location
) -> ReceivedUnits:
    """Units sent on go where the return was routed, back to their vendor the
    product's vendor, unless the receipt says where."""
    if units.to is not None or units.disposition not in (
        Disposition.SEND_ON,
        Disposition.RETURN_TO_VENDOR,
    ):
        return units
    if units.disposition is Disposition.SEND_ON:
        going = next((line.destination for line in ra.lines if line.line_no == units.line_no), None)
        return replace(units, to=going if going != here.id else None)
    line = next((li for li in order.lines if li.line_no == units.line_no), None)
    product = uow.catalog.get(line.sku) if line else None
    vendor = product.attributes.get(policy_of(uow).routing.vendor_attribute) if product else None
    return replace(units, to=vendor)


def _refuse_unknown_destinations(uow: ReturnsWork, lines: Sequence[ReceivedUnits]) -> None:
    """Units sent on go to a location of the network; back to their vendor, to a
    supplier's."""
    errors = []
    for i, units in enumerate(lines):
        if units.to is None:
            continue
        found = uow.network.get(units.to)
        vendor = units.disposition is Disposition.RETURN_TO_VENDOR
        if found is None or (found.type is LocationType.SUPPLIER) != vendor:
            kind = "a supplier's location" if vendor else "a location of the network"
            errors.append(FieldError(f"lines[{i}].to", f"{units.to} is not {kind}"))
    if errors:
        raise InvalidInput("the receipt sends units where they cannot go", errors=errors)


def _move_stock(
    uow: ReturnsWork, order: Order, ra: ReturnAuthorization, receipt: ReturnReceipt, now: datetime
) -> None:
    """Restocked units on hand here; units sent on in transit to where they go, never
    on this shelf (nothing reserved here holds them back); the rest leave no stock."""
    about = Source(receipt.by, now, f"return {ra.code}", f"order/{order.id}")
    restocked = [u for u in receipt.lines if u.disposition is Disposition.RESTOCK]
    if restocked:
        deltas = [
            Adjustment(
                None, receipt.location_id, order.line(u.line_no).sku, u.quantity, about.reason
            )
            for u in restocked
        ]
        current = uow.movements.current((d.location_id, d.sku) for d in deltas)
        write_plan(uow, plan_adjustments(deltas, current, (), MovementKind.RESTOCK, about), about)
        # Units restocked may be what orders wait for: the worker sources them.
        uow.jobs.add(Job.new(FILL_BACKORDERS, {}, now, key="all"), now)
    going = [u for u in receipt.lines if u.disposition is Disposition.SEND_ON]
    for n, units in enumerate(going, 1):
        transfer = CreateSupply(
            f"RET-{ra.code}-{receipt.id[-6:]}-{n}",
            SupplyKind.TRANSFER,
            units.to or "",
            now + timedelta(days=TRANSFER_DAYS),
            ((order.line(units.line_no).sku, units.quantity),),
            receipt.location_id,
            f"return {ra.code}: sent on",
        )
        record_supply(uow, transfer, about, off_the_shelf=False)


def return_by_code(code: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER) -> dict[str, Any]:
    """The return the customer shows the code of (typed or scanned): any store finds
    it by it, a channel's key among its channel's orders only."""
    plain = read_code(code)
    if plain is None:  # names no return
        raise NotFound(
            f"no return of code {code}: a return code is R and nine letters or digits",
            extra={"code": code},
        )
    with uow:
        ra = uow.returns.by_code(plain)
        order = None if ra is None else uow.orders.get(ra.order_id)
    if ra is None or order is None or scope.channel not in (None, order.channel):
        raise NotFound(f"no return of code {plain}", extra={"code": plain})
    return return_document(ra)


def receipts_of(
    return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        order_of(uow, ra, scope)
        found = uow.returns.receipts(ra.id)
    return {"items": [receipt_document(r) for r in found]}

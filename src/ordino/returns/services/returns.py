"""Returns asked for and decided: started by the customer, an agent, a store or a
channel; authorised by the policy's rule or a person, or declined; withdrawn; on
their way; closed.

Invariants:
  * every change of a return locks its order first (the order's lines count what is
    being returned, so two returns of one order asked at once cannot together take
    more than it may still return), then reads the return again;
  * the return, the order's counters and the `return.*` event commit together; a
    refusal (the policy's, bad lines) changes nothing;
  * a return is asked once per Idempotency-Key: a retry gets the first answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from ordino.access.domain import counter_subjects
from ordino.access.services import attempt, succeeded
from ordino.kernel.domain import (
    Forbidden,
    IdempotencyKey,
    IllegalTransition,
    InvalidInput,
    NotFound,
    OrdinoError,
    is_id,
    new_id,
)
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.orders.domain import EVERY_ORDER, Order, OrderScope
from ordino.orders.services import existing_order
from ordino.returns.domain import (
    APPROVED_BY_POLICY,
    Initiator,
    ProductClasses,
    RefundTo,
    ReturnAuthorization,
    ReturnLineRequest,
    ReturnMethod,
    ReturnPolicy,
    ReturnQuery,
    ReturnStatus,
    Started,
    approved,
    authorise,
    cancel,
    close,
    decline,
    exchange_document,
    facts,
    hand_over,
    new_return_code,
    refuse_return,
    request_return,
    return_document,
)
from ordino.returns.services.exchanges import after_exchange_due, refuse_exchanges_asked
from ordino.returns.services.labels import after_authorised, after_withdrawn
from ordino.returns.services.lookup import found_return, locked_return, order_of
from ordino.returns.services.policy import policy_of
from ordino.returns.services.ports import ReturnsWork
from ordino.returns.services.refunds import refund_due
from ordino.returns.services.routing import routes_for, routings


@dataclass(frozen=True)
class StartReturn:
    order_id: str
    lines: tuple[ReturnLineRequest, ...]
    method: ReturnMethod
    initiator: Initiator
    location_id: str | None = None  # the store it is started at, if at one
    refund_to: RefundTo = RefundTo.ORIGINAL
    # The customer's e-mail, as they say it at a store's counter: a store starts a
    # return of an order it did not serve with it (bought online, or elsewhere).
    customer_email: str | None = None


def start_return(
    cmd: StartReturn,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Ask for a return (201 with it): refused as the policy says (which rule), else
    requested, and authorised at once when the policy's rule approves it. A store
    giving the customer's e-mail starts it for any order of its channel, guessing
    limited as the customer's own lookup is."""
    guessing = cmd.customer_email is not None and scope.location_id is not None
    subjects = counter_subjects(scope.actor, cmd.order_id) if guessing else []
    if subjects:
        attempt(subjects, uow, now, "start a return of this order")
    try:
        answer = with_retries(lambda _: _start_once(cmd, uow, now, scope, idempotency))
    except NotFound:
        raise  # a wrong e-mail (or no such order): it counts
    except OrdinoError:
        if subjects:  # the e-mail was right; the policy or the lines refused
            succeeded(subjects, uow)
        raise
    if subjects:
        succeeded(subjects, uow)
    return answer


def order_to_return(
    uow: ReturnsWork, order_id: str, scope: OrderScope, email: str | None, *, for_update: bool
) -> Order:
    """The order, as the caller may see it; for a store, with the customer's e-mail,
    any order of its channel whose customer it is (else NotFound, the same as for an
    order that does not exist)."""
    if email is None or scope.location_id is None:
        return existing_order(uow, order_id, scope, for_update=for_update)
    anywhere = replace(scope, location_id=None)
    order = existing_order(uow, order_id, anywhere, for_update=for_update)
    if order.customer.erased or order.customer.email != email.strip().lower():
        raise NotFound(f"no order {order_id}", extra={"order_id": order_id})
    return order


def _start_once(
    cmd: StartReturn,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope,
    idempotency: IdempotencyKey | None,
) -> Answer:
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        order = order_to_return(uow, cmd.order_id, scope, cmd.customer_email, for_update=True)
        policy = policy_of(uow)
        refuse_return(order, cmd.lines, cmd.method, _classes(uow, order, policy), policy, now)
        refuse_exchanges_asked(uow, order, cmd.lines, policy)
        asked = facts(order, cmd.lines, (cmd.initiator, cmd.method), now)
        how = Started(
            cmd.initiator,
            cmd.method,
            scope.actor,
            cmd.location_id,
            cmd.refund_to,
            str(policy.exchanges.mode),
        )
        ra = request_return(order, (new_id(now), new_return_code()), cmd.lines, how, now)
        if approved(policy, asked):
            authorise(order, ra, APPROVED_BY_POLICY, routes_for(uow, order, ra, policy, now), now)
            after_authorised(uow, ra, now)
            refund_due(uow, order, ra, now, asked=False)  # what the customer keeps
            after_exchange_due(uow, ra, now)
        uow.returns.add(ra)
        uow.orders.save(order)
        answer = Answer(201, return_document(ra))
        remember(uow, idempotency, answer, now, order.id)
        uow.commit()
    return answer


def _classes(uow: ReturnsWork, order: Order, policy: ReturnPolicy) -> ProductClasses:
    products = uow.catalog.products(sorted({line.sku for line in order.lines}))
    return ProductClasses({p.sku: p.attributes.get(policy.class_attribute) for p in products})


class ReturnAction(StrEnum):
    """What a person (or a carrier's scan) does to a return."""

    AUTHORISE = "authorise"
    DECLINE = "decline"
    CANCEL = "cancel"
    HAND_OVER = "hand_over"  # a carrier or drop-off point took the goods
    CLOSE = "close"


_ACTIONS: dict[
    ReturnAction, Callable[[Order, ReturnAuthorization, str, str | None, datetime], None]
] = {
    ReturnAction.DECLINE: lambda order, ra, by, reason, now: decline(
        order, ra, by, reason or "declined", now
    ),
    ReturnAction.CANCEL: lambda order, ra, _by, reason, now: cancel(order, ra, reason, now),
    ReturnAction.HAND_OVER: lambda order, ra, _by, _reason, now: hand_over(order, ra, now),
    ReturnAction.CLOSE: lambda order, ra, _by, reason, now: close(order, ra, reason, now),
}


def act_on_return(
    return_id: str,
    action: ReturnAction,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
    reason: str | None = None,
) -> dict[str, Any]:
    """Take `action` on the return (IllegalTransition when its state does not allow
    it); the return as it is now."""
    return with_retries(lambda _: _act_once(return_id, action, uow, now, scope, reason))


def _act_once(
    return_id: str,
    action: ReturnAction,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope,
    reason: str | None,
) -> dict[str, Any]:
    with uow:
        order, ra = locked_return(uow, return_id, scope)
        if action is ReturnAction.CANCEL:
            _refuse_others_return(ra, scope)
            _refuse_refunded(uow, ra)
        if action is ReturnAction.AUTHORISE:
            routes = routes_for(uow, order, ra, policy_of(uow), now)
            authorise(order, ra, scope.actor, routes, now)
            after_authorised(uow, ra, now)
        else:
            _ACTIONS[action](order, ra, scope.actor, reason, now)
        if ra.ended:  # withdrawn, declined, closed: a label never used is voided
            after_withdrawn(uow, ra, now)
        if action in (ReturnAction.AUTHORISE, ReturnAction.HAND_OVER):
            refund_due(uow, order, ra, now, asked=False)  # kept, or carried: as the policy says
        after_exchange_due(uow, ra, now)
        uow.returns.save(ra)
        uow.orders.save(order)
        uow.commit()
    return return_document(ra)


def _refuse_refunded(uow: ReturnsWork, ra: ReturnAuthorization) -> None:
    """A return that refunded some of its units (what the customer keeps, or an
    exchange's) is not withdrawn: its units would be returned, and refunded, again."""
    if any(r.return_id == ra.id for r in uow.returns.refunds_of_order(ra.order_id)):
        raise IllegalTransition(
            f"return {ra.id} refunded some of its units: close it instead of withdrawing it",
            extra={"return_id": ra.id},
        )


def _refuse_others_return(ra: ReturnAuthorization, scope: OrderScope) -> None:
    """A store withdraws the returns started at it, no other (a channel's key sees
    its own channel's only; customer service any)."""
    if scope.location_id is not None and ra.location_id != scope.location_id:
        raise Forbidden(
            f"this key acts for location {scope.location_id}: the return was not started there",
            extra={"return_id": ra.id},
        )


def get_return(return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER) -> dict[str, Any]:
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        order_of(uow, ra, scope)
    return return_document(ra)


def return_exchanges(
    return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The return's exchange orders, in their order."""
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        order_of(uow, ra, scope)
        return {"items": [exchange_document(e) for e in uow.returns.exchanges(ra.id)]}


def return_routings(
    return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """Where the return's lines were sent, each decision explained, oldest first."""
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        order_of(uow, ra, scope)
        return {"items": routings(ra.id, uow)}


def return_label(
    return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> tuple[str, str]:
    """The return's label to print (media type, document), or NotFound until booked."""
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        order_of(uow, ra, scope)
        found = uow.returns.label_document(ra.id)
    if found is None:
        raise NotFound(f"return {return_id} has no label (yet)", extra={"return_id": return_id})
    return found


def return_code(return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER) -> str:
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        order_of(uow, ra, scope)
    return ra.code


def order_returns(
    order_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The order's returns, oldest first."""
    with uow:
        order = existing_order(uow, order_id, scope)
        found = uow.returns.of_order(order.id)
    return {"items": [return_document(ra) for ra in found]}


def find_returns(
    uow: ReturnsWork,
    statuses: list[ReturnStatus] | None,
    limit: int,
    before: str | None = None,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """Returns, the newest first (the queue: those in `statuses`), those the caller
    may see (its channel's; a store's: `visible_to`); `next_cursor`: the page after."""
    if before is not None and not is_id(before):
        raise InvalidInput.of("cursor", "not a cursor: give the next_cursor of a page")
    asked = tuple(statuses) if statuses else None
    query = ReturnQuery(asked, before, scope.channel, scope.location_id)
    with uow:
        page = uow.returns.find(query, limit + 1)
    return {
        "items": [return_document(ra) for ra in page[:limit]],
        "next_cursor": page[limit - 1].id if len(page) > limit else None,
    }

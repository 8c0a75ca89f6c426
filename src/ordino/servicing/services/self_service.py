"""A customer's self-service: finding their order (its number and e-mail, or a
signed link), seeing it, and cancelling within the policy. Changing the address and
collecting at a store are in `ordino.servicing.services.changes`.

Entry points for the web pages and the public API: each takes plain values (a
token, a number and an e-mail, line quantities) and answers plain data (the
customer's view of the order, `ordino.servicing.services.customer_view`). A customer reaches
an order only through its token; a wrong number or e-mail is one and the same
"not found", never telling which half was wrong.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.access.domain import lookup_subjects
from ordino.access.services import attempt, succeeded
from ordino.inventory.domain import Source
from ordino.inventory.services import AvailabilityQuery, StockPicture, read_availability
from ordino.kernel.domain import (
    ConfigurationKind,
    IdempotencyKey,
    InvalidInput,
    NotFound,
    OrdinoError,
)
from ordino.kernel.services import ORDINO, Changed, record
from ordino.network.domain import ProductQuery
from ordino.orchestration.services import cancel_units
from ordino.orders.domain import EVERY_ORDER, Order, OrderQuery, OrderScope, OrderStatus
from ordino.orders.services import Capture, OrdersWork, cancel_order, existing_order
from ordino.promising.services import Promising
from ordino.returns.domain import (
    Initiator,
    RefundTo,
    ReturnAuthorization,
    ReturnLineRequest,
    ReturnMethod,
    ReturnPolicy,
    ReturnRefund,
    choices,
    exchange_document,
)
from ordino.returns.services import StartReturn, given_refunds
from ordino.returns.services import policy_of as return_policy_of
from ordino.returns.services import start_return as start_return_as
from ordino.servicing.domain.self_service import (
    CUSTOMER,
    POLICY_NAME,
    CancelUntil,
    SelfServicePolicy,
    delivered_to_address,
    policy_document,
    refuse_cancel,
    released,
)
from ordino.servicing.services.customer_view import customer_view
from ordino.servicing.services.links import Links
from ordino.servicing.services.ports import ServicingWork

AS_CUSTOMER = OrderScope(actor=CUSTOMER, customer=True)


@dataclass(frozen=True)
class SelfService:
    """What self-service works with besides the unit of work: the links' signer and
    the engines capture uses (`capture`: its sourcing engine, promise rules and
    transit times)."""

    links: Links = field(default_factory=lambda: Links(secrets.token_urlsafe(32)))
    capture: Capture = field(default_factory=Capture)

    def deciding(self) -> Capture:
        """The engines over a picture of its own, loaded in the change's transaction:
        a change lets go of the order's units before it decides, and the process's
        shared picture must never see what was not committed."""
        picture = StockPicture()
        rules = self.capture.promises().rules
        transit = self.capture.promises().transit
        return Capture(self.capture.engine, picture, Promising(picture, rules, transit))


def find_order(
    number: str,
    email: str,
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
    address: str | None,
) -> dict[str, Any]:
    """The order of that number (the channel's, as the customer saw it) and e-mail
    (any case), with a link to it: `{token, order}`. NotFound when either is wrong.
    Guessing is limited per order number, per e-mail and per client `address`
    (`ordino.access.domain.throttling`): TooManyAttempts, even for the right pair."""
    subjects = lookup_subjects(number, email, address)
    attempt(subjects, uow, now, "find this order")
    query = OrderQuery(customer_email=email.strip().lower(), external_id=number.strip())
    with uow:
        found = [order for order in uow.orders.find(query, 1) if AS_CUSTOMER.admits(order)]
        if not found:
            raise NotFound("no order with that number and e-mail")
        policy = policy_of(uow)
        token = self_service.links.make(found[0].id, now, policy.link_valid)
        answer = {"token": token, "order": _view(uow, found[0], policy, now)}
    succeeded(subjects, uow)
    return answer


def link_to(
    order_id: str,
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
) -> str:
    """A signed link's token for the order's customer (for a notification), valid for
    the policy's `link_hours`."""
    with uow:
        existing_order(uow, order_id, scope)
        return self_service.links.make(order_id, now, policy_of(uow).link_valid)


def order_for(
    token: str, uow: ServicingWork, self_service: SelfService, now: datetime
) -> dict[str, Any]:
    """The customer's view of the order the link names."""
    order_id = self_service.links.order_of(token, now)
    with uow:
        return _view(uow, existing_order(uow, order_id, AS_CUSTOMER), policy_of(uow), now)


def return_options(
    token: str, uow: ServicingWork, self_service: SelfService, now: datetime
) -> dict[str, Any]:
    """The order as the customer sees it, and what the return policy lets a return of
    it say: its reasons (code and words), how the goods may travel, where refunds may
    go."""
    order_id = self_service.links.order_of(token, now)
    with uow:
        order = existing_order(uow, order_id, AS_CUSTOMER)
        view = _view(uow, order, policy_of(uow), now)
        returns = return_policy_of(uow)
        instead = exchange_choices(uow, order, returns) if returns.exchanges.allowed else {}
    instead = _in_stock(instead, order.channel, uow, self_service, now)
    return {
        "order": view,
        "reasons": [{"code": r.code, "label": r.label} for r in returns.reasons],
        "methods": [str(m) for m in returns.methods],
        "refund_to": [str(r) for r in RefundTo],
        "exchanges": instead,
    }


def _in_stock(
    offered: dict[int, list[dict[str, str]]],
    channel: str,
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
) -> dict[int, list[dict[str, str]]]:
    """Of what may be exchanged, what the channel has to sell now."""
    skus = tuple(sorted({x["sku"] for choices in offered.values() for x in choices}))
    if not skus:
        return {}
    asked = AvailabilityQuery(skus, channel=channel)
    try:
        answer = read_availability(asked, uow, self_service.capture.picture, now)
    except OrdinoError:  # a product the stock does not know yet: offered, as the policy says
        return offered
    stocked = {item["sku"] for item in answer["items"] if item["available"] > 0}
    kept = {no: [x for x in xs if x["sku"] in stocked] for no, xs in offered.items()}
    return {no: xs for no, xs in kept.items() if xs}


def exchange_choices(
    uow: ServicingWork, order: Order, policy: ReturnPolicy
) -> dict[int, list[dict[str, str]]]:
    """line_no → what the line may be exchanged for (another size or colour: the
    products sharing its `group_attribute`, with a price in the order's currency)."""
    attribute, found = policy.exchanges.group_attribute, {}
    products = {p.sku: p for p in uow.catalog.products(sorted({x.sku for x in order.lines}))}
    for line in order.lines:
        returned = products.get(line.sku)
        group = None if returned is None else returned.attributes.get(attribute)
        if group is None or not order.returnable(line.line_no):
            continue
        same = uow.catalog.search(ProductQuery.of(attributes=[(attribute, group)]), 50)
        found[line.line_no] = [
            {"sku": p.sku, "name": p.name, "price": str(p.prices[order.currency])}
            for p in choices(returned, same, order.currency, attribute)
        ]
    return {no: offered for no, offered in found.items() if offered}


@dataclass(frozen=True)
class ReturnAsked:
    """What a customer asks to return, how it travels, where its refunds go."""

    lines: Sequence[ReturnLineRequest]
    method: ReturnMethod
    refund_to: RefundTo = RefundTo.ORIGINAL


def start_return(
    token: str,
    asked: ReturnAsked,
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
    idempotency: IdempotencyKey | None = None,
) -> dict[str, Any]:
    """The customer starts a return of their order, as the return policy allows (its
    refusals name their rule), once per `idempotency` key (kept per order: another
    customer's key is another key, and a newer link of theirs the same); the order
    as they see it now, with the return's code."""
    order_id = self_service.links.order_of(token, now)
    once = None if idempotency is None else replace(idempotency, scope=f"{CUSTOMER}:{order_id}")
    cmd = StartReturn(
        order_id,
        tuple(asked.lines),
        asked.method,
        Initiator.CUSTOMER,
        None,
        asked.refund_to,
    )
    start_return_as(cmd, uow, now, AS_CUSTOMER, once)
    return order_for(token, uow, self_service, now)


def cancel(
    token: str,
    units: Mapping[int, int] | None,
    uow: ServicingWork,
    self_service: SelfService,
    now: datetime,
    reason: str | None = None,
) -> dict[str, Any]:
    """Cancel some units (line_no → units), or, `units` None, the whole order, as the
    policy allows; NotAllowed (changing nothing) when it does not."""
    order_id = self_service.links.order_of(token, now)

    def guard(_: OrdersWork, order: Order) -> None:
        refuse_cancel(order, policy_of(uow), now)  # the same unit of work, entered

    if units is None:
        cancel_order(order_id, uow, now, reason, AS_CUSTOMER, guard)
    else:
        source = Source(CUSTOMER, now, reason)
        cancel_units(order_id, units, uow, source, AS_CUSTOMER, guard)
    return order_for(token, uow, self_service, now)


def policy_of(uow: ServicingWork) -> SelfServicePolicy:
    """The policy stored, else the default (in an entered unit of work)."""
    stored = uow.self_service_policy.get("default")
    if stored is None:
        return SelfServicePolicy()
    policy, version = stored
    return replace(policy, version=version)


def get_policy(uow: ServicingWork) -> dict[str, Any]:
    with uow:
        return policy_view(policy_of(uow))


def put_policy(
    policy: SelfServicePolicy, uow: ServicingWork, now: datetime, by: str = ORDINO
) -> dict[str, Any]:
    """Replace the policy (the change's `before` is the policy as it applied, the
    default if none was stored), recorded as `by`'s."""
    if problems := policy.problems():
        raise InvalidInput("the policy cannot apply", errors=problems)
    with uow:
        before = policy_document(policy_of(uow))
        uow.self_service_policy.put(policy, now)
        saved = policy_of(uow)
        what = (ConfigurationKind.SELF_SERVICE_POLICY, POLICY_NAME, saved.version)
        record(uow, what, before, policy_document(saved), Changed(by, now))
        uow.commit()
    return policy_view(saved)


def policy_view(policy: SelfServicePolicy) -> dict[str, Any]:
    return {
        "cancel_until": str(policy.cancel_until),
        "cancel_minutes": policy.cancel_minutes,
        "change_address": policy.change_address,
        "convert_to_pickup": policy.convert_to_pickup,
        "change_pickup_store": policy.change_pickup_store,
        "link_hours": policy.link_hours,
        "version": policy.version,
        "default": policy.version == 0,
    }


def _view(
    uow: ServicingWork, order: Order, policy: SelfServicePolicy, now: datetime
) -> dict[str, Any]:
    events = uow.outbox.of_subject(f"order/{order.id}")
    refunds = given_refunds(uow, order.id)
    found = uow.returns.of_order(order.id)
    asked = {line.exchange_sku for ra in found for line in ra.lines if line.exchange_sku}
    names = uow.catalog.names([line.sku for line in order.lines] + sorted(asked))
    returns = []
    for ra in found:
        exchanges = _exchanges(uow, ra)
        paid = sum((Decimal(x["money"]["credit"]) for x in exchanges if x["money"]), Decimal(0))
        returns.append(customer_return(ra, refunds, names, paid) | {"exchanges": exchanges})
    may = allowed(order, policy, now)
    return customer_view(order, events, uow.network.all(), names, may, returns)


def allowed(order: Order, policy: SelfServicePolicy, now: datetime) -> dict[str, bool]:
    """What the customer may do to the order now (the page offers only these)."""
    open_ = order.status not in (OrderStatus.CANCELLED, OrderStatus.FULFILLED)
    before_release = open_ and not released(order)
    to_address = delivered_to_address(order)
    return {
        "cancel": _may_cancel(order, policy, now),
        "change_address": before_release and policy.change_address and to_address,
        "convert_to_pickup": before_release and policy.convert_to_pickup and to_address,
        "change_pickup_store": before_release and policy.change_pickup_store and not to_address,
        "start_return": any(order.returnable(line.line_no) for line in order.lines),
    }


def _exchanges(uow: ServicingWork, ra: ReturnAuthorization) -> list[dict[str, Any]]:
    """The return's exchanges as its customer sees them: each with its order's number
    and state, once placed."""
    found = []
    for exchange in uow.returns.exchanges(ra.id) if ra.exchange_mode else ():
        placed = None if exchange.order_id is None else uow.orders.get(exchange.order_id)
        document = exchange_document(exchange)
        found.append(
            {
                "seq": exchange.seq,
                "status": str(exchange.status),
                "number": None if placed is None else placed.external_id,
                "order_status": None if placed is None else str(placed.status),
                "lines": document["lines"],
                "money": document["money"],
            }
        )
    return found


def customer_return(
    ra: ReturnAuthorization,
    refunds: Sequence[ReturnRefund],
    names: Mapping[str, str],
    exchanged: Decimal = Decimal(0),
) -> dict[str, Any]:
    """A return as its customer sees it: no one's name, no location, no routing;
    refunded, what its refunds gave back less what paid its exchanges (`exchanged`)."""
    given = sum((r.amount for r in refunds if r.return_id == ra.id), Decimal(0)) - exchanged
    label = ra.label if ra.label is not None and ra.label.voided_at is None else None
    return {
        "code": ra.code,
        "status": str(ra.status),
        "method": str(ra.method),
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "quantity": line.quantity,
                "reason": line.reason,
                "received": line.received,
                "exchange_sku": line.exchange_sku,
                "exchange_name": names.get(line.exchange_sku) if line.exchange_sku else None,
            }
            for line in ra.lines
        ],
        "tracking_number": label.tracking_number if label else None,
        "refunded": str(given),
        "created_at": ra.created_at.isoformat(),
    }


def _may_cancel(order: Order, policy: SelfServicePolicy, now: datetime) -> bool:
    try:
        refuse_cancel(order, policy, now)
    except OrdinoError:
        return False
    if policy.cancel_until is CancelUntil.MINUTES:  # units that left cannot be
        return any(line.allocated or order.waiting(line) for line in order.lines)
    return True

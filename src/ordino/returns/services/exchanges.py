"""Exchanges of returns (`ordino.returns.domain.exchanges`): asked with the return,
placed by the worker as linked orders, paid by what the returned units are worth.

Invariants:
  * the exchange order, its exchange record, and (regular) the store credit that
    pays it with its return refunds are written in one transaction: the order
    exists exactly when the money that pays it was given, and a retry finds it;
  * an exchange's order is placed once: its id in the channel is the return's and
    the exchange's number (`exchange_number`), which the channel's unique ids
    refuse twice;
  * a unit of a regular exchange's line is not refunded as money while its exchange
    waits to be placed (`held`): only once its exchange was refused;
  * a withdrawn return's advanced exchange order is cancelled (unless it left).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ordino.kernel.domain import (
    DuplicateOrder,
    InsufficientStock,
    InvalidInput,
    NotAllowed,
    NotFound,
    OrdinoError,
    OverRefund,
    PromiseUnavailable,
    exchange_job,
    new_id,
)
from ordino.kernel.services import with_retries
from ordino.network.domain import Product
from ordino.orchestration.services import GiveBack, give_as_store_credit, give_back
from ordino.orders.domain import EVERY_ORDER, EXCHANGE, LineRequest, Order, PlaceOrder
from ordino.orders.services import Capture, cancel_order, existing_order, place_order
from ordino.payments.domain import BalanceKind, PaymentMethod, TenderAsked, account_of
from ordino.pricing.domain import GivenDiscount
from ordino.returns.domain import (
    Exchange,
    ExchangedUnits,
    ExchangeMode,
    ExchangeStatus,
    RefundPreview,
    RefundTo,
    ReturnAuthorization,
    ReturnLineRequest,
    ReturnPolicy,
    ReturnRefund,
    ReturnStatus,
    exchange_document,
    exchange_number,
    record_event,
    refuse_exchanges,
    split,
    to_exchange,
)
from ordino.returns.engine import credit_basis, preview_refund
from ordino.returns.services.policy import policy_of
from ordino.returns.services.ports import ReturnsWork
from ordino.returns.services.refunds import back, question_for, refund_due

WITHDRAWN = frozenset({ReturnStatus.CANCELLED, ReturnStatus.DECLINED})
# Why an exchange order cannot be placed, and will not be by trying again: the SKU
# out of stock, its product or price gone, the policy's refusal, the order's tenders
# unable to give its value. Anything else (a capture on its way, a race lost too
# often) fails the job, which the worker tries again later.
LASTING = (InvalidInput, NotFound, InsufficientStock, NotAllowed, OverRefund, PromiseUnavailable)


def refuse_exchanges_asked(
    uow: ReturnsWork, order: Order, asked: Sequence[ReturnLineRequest], policy: ReturnPolicy
) -> None:
    """As `refuse_exchanges` says, reading the products and the order's card."""
    wanted = {a.exchange_sku for a in asked if a.exchange_sku is not None}
    if not wanted:
        return
    skus = sorted(wanted | {order.line(a.line_no).sku for a in asked})
    products = {p.sku: p for p in uow.catalog.products(skus)}
    card = _card_token(uow, order.id) is not None
    refuse_exchanges(
        order, [(a.line_no, a.exchange_sku) for a in asked], products, policy.exchanges, card
    )


def after_exchange_due(uow: ReturnsWork, ra: ReturnAuthorization, now: datetime) -> None:
    """A return asking for exchanges changed: the worker places (or cancels) what is
    due (nothing, when nothing is)."""
    if ra.exchange_mode is not None:
        uow.jobs.add(exchange_job(ra.id, now), now)


def _due(
    uow: ReturnsWork, ra: ReturnAuthorization, exchanges: Sequence[Exchange]
) -> dict[int, int]:
    """Units of each exchange line an exchange may take now: advanced, all of them
    once authorised (not withdrawn); regular, those back (received, carried as the
    policy refunds them, or kept: `back`)."""
    if ra.status is ReturnStatus.REQUESTED or ra.status in WITHDRAWN:
        return {}
    if ra.exchange_mode == ExchangeMode.ADVANCED:
        basis = {line.line_no: line.quantity for line in ra.lines}
    else:
        basis = back(ra, policy_of(uow))
    return to_exchange([(line.line_no, line.exchange_sku) for line in ra.lines], basis, exchanges)


@dataclass(frozen=True)
class _Read:
    """What placing a return's exchange reads first."""

    ra: ReturnAuthorization
    order: Order
    exchanges: list[Exchange]
    due: dict[int, int]
    products: dict[str, Product]
    token: str | None
    value: RefundPreview | None  # what the units due paid, unit by unit


def settle_exchanges(return_id: str, uow: ReturnsWork, capture: Capture, now: datetime) -> None:
    """The worker's: place the return's exchange order for what is due, or record why
    it could not be (its units are then refunded as money); a withdrawn return's
    advanced exchange orders cancelled."""
    read = _read(uow, return_id)
    if read is None:
        return
    ra = read.ra
    if ra.status in WITHDRAWN:
        for exchange in read.exchanges:
            if exchange.status is ExchangeStatus.PLACED and exchange.order_id is not None:
                _cancel(uow, ra, exchange, now)
        return
    if not read.due or read.value is None:
        return
    units = tuple(
        ExchangedUnits(no, str(ra.line(no).exchange_sku), n) for no, n in sorted(read.due.items())
    )
    seq = len(read.exchanges) + 1
    exchange = Exchange(
        new_id(now),
        ra.id,
        seq,
        ExchangeMode(str(ra.exchange_mode)),
        units,
        ExchangeStatus.PLACED,
        now,
    )
    _place(uow, capture, read, exchange, now)


def _place(
    uow: ReturnsWork, capture: Capture, read: _Read, exchange: Exchange, now: datetime
) -> None:
    """The exchange order placed, paid and recorded in one transaction; or, when it
    cannot be, the exchange recorded refused (its units refunded as money)."""
    ra, order = read.ra, read.order
    lines = _lines(read, exchange.units)
    if lines is None or read.token is None:
        why = "the product asked, its price or the order's card is gone"
        with_retries(lambda _: _refused(uow, ra.id, exchange, why, now))
        return
    cmd = PlaceOrder(
        order.channel,
        exchange_number(ra.code, exchange.seq),
        order.currency,
        order.customer,
        order.ship_to,
        order.ship_to_point,
        lines,
        type=EXCHANGE,
        placed_by=f"return:{ra.code}",
        language=order.language,
        exchange_of=ra.id,
    )
    try:
        place_order(cmd, uow, capture, now, paying=_Paying(uow, ra.id, exchange, read.token, now))
    except DuplicateOrder as taken:
        if not _ours(uow, ra, taken.extra.get("order_id")):
            why = f"its number {cmd.external_id} is another order's"
            with_retries(lambda _: _refused(uow, ra.id, exchange, why, now))
    except _NotDue:
        return
    except LASTING as refused:  # anything else passes: the job is tried again later
        why = str(refused)
        with_retries(lambda _: _refused(uow, ra.id, exchange, why, now))


def _ours(uow: ReturnsWork, ra: ReturnAuthorization, order_id: object) -> bool:
    """Whether the order that has the exchange's number is this return's exchange
    (placed by another worker at the same time), not another order."""
    with uow:
        found = None if not isinstance(order_id, str) else uow.returns.exchange_of_order(order_id)
    return found is not None and found.return_id == ra.id


def _read(uow: ReturnsWork, return_id: str) -> _Read | None:
    with uow:
        ra = uow.returns.get(return_id)
        if ra is None or ra.exchange_mode is None:
            return None
        order = existing_order(uow, ra.order_id)
        exchanges = uow.returns.exchanges(ra.id)
        due = _due(uow, ra, exchanges)
        asked = sorted({str(line.exchange_sku) for line in ra.lines if line.exchange_sku})
        products = {p.sku: p for p in uow.catalog.products(asked)}
        value = _value(uow, order, ra, due) if due else None
        return _Read(ra, order, exchanges, due, products, _card_token(uow, order.id), value)


def _lines(read: _Read, units: Sequence[ExchangedUnits]) -> tuple[LineRequest, ...] | None:
    """The exchange order's lines at the catalogue's prices; an even one (the same price
    as the line returned) less what the returned units' discounts took off, so that
    it costs what they paid. None: a product or its price is gone."""
    currency, lines = read.order.currency, []
    for u in units:
        product = read.products.get(u.sku)
        if product is None or currency not in product.prices:
            return None
        price, returned = product.prices[currency], read.order.line(u.line_no).price
        taken = Decimal(0)
        if price == returned.sale_price and read.value is not None:
            paid = next(r for r in read.value.lines if r.line_no == u.line_no)
            taken = sum((price - returned.unit_net(k) for k in paid.units), Decimal(0))
        code = read.ra.code
        given = (GivenDiscount(taken, code, f"priced as the units of return {code}"),)
        lines.append(LineRequest(u.sku, u.quantity, price, given if taken else ()))
    return tuple(lines)


def _value(
    uow: ReturnsWork, order: Order, ra: ReturnAuthorization, units: Mapping[int, int]
) -> RefundPreview:
    """What the `units` of the return are worth: what they paid, less the policy's
    restocking fees; an exchange keeps no return shipping fee and gives no shipping
    back."""
    policy = policy_of(uow)
    payments = uow.payments.of_order(order.id)
    question = question_for(uow, order, ra, policy, payments)
    asked = replace(question, units=dict(units), fee_charged=True, shipping_refunded=True)
    return preview_refund(order, asked, policy)


class _NotDue(Exception):
    """The units an exchange was to take are not due any more (another worker placed
    it, or customer service refunded them as money, since they were read)."""


class _Paying:
    """How an exchange order is paid (`ordino.orders.services.capture.Paying`), in its
    transaction: regular, by the returned units' value as store credit, the card
    for what it leaves; advanced, by the card."""

    def __init__(
        self, uow: ReturnsWork, return_id: str, exchange: Exchange, token: str | None, now: datetime
    ) -> None:
        self.uow, self.return_id, self.exchange = uow, return_id, exchange
        self.token, self.now = token, now

    def tenders(self, total: Decimal) -> tuple[TenderAsked, ...]:
        card = TenderAsked(PaymentMethod.CARD, None, self.token)
        order, ra = self._locked()
        due = _due(self.uow, ra, self.uow.returns.exchanges(ra.id))
        if any(u.quantity > due.get(u.line_no, 0) for u in self.exchange.units):
            raise _NotDue  # exchanged, or refunded as money, since it was read
        if self.exchange.mode is ExchangeMode.ADVANCED:
            return (card,)
        money = split(self._value(order, ra).amount, total)
        self.exchange = replace(self.exchange, money=money)
        account = account_of(BalanceKind.STORE_CREDIT, order.customer.email)
        if not money.credit:
            return (card,)
        if not money.charge:
            return (TenderAsked(PaymentMethod.STORE_CREDIT, None, account),)
        return (TenderAsked(PaymentMethod.STORE_CREDIT, money.credit, account), card)

    def settle(self, placed: Order, _total: Decimal) -> None:
        uow, now = self.uow, self.now
        order, ra = self._locked()
        exchange = replace(self.exchange, order_id=placed.id)
        if exchange.mode is ExchangeMode.REGULAR:
            self._pay(order, ra, exchange)
        uow.returns.put_exchange(exchange)
        record_event(order, ra, "return.exchanged", now, {"exchange": exchange_document(exchange)})
        if exchange.mode is ExchangeMode.REGULAR:
            refund_due(uow, order, ra, now, asked=False)  # the return closed when all is
        uow.returns.save(ra)
        uow.orders.save(order)

    def _locked(self) -> tuple[Order, ReturnAuthorization]:
        ra = self.uow.returns.get(self.return_id)
        assert ra is not None
        return existing_order(self.uow, ra.order_id, EVERY_ORDER, for_update=True), ra

    def _value(self, order: Order, ra: ReturnAuthorization) -> RefundPreview:
        units = {u.line_no: u.quantity for u in self.exchange.units}
        return _value(self.uow, order, ra, units)

    def _pay(self, order: Order, ra: ReturnAuthorization, exchange: Exchange) -> None:
        uow, now = self.uow, self.now
        money = exchange.money
        assert money is not None
        payments = uow.payments.of_order(order.id, for_update=True)
        preview = self._value(order, ra)
        whole = not money.refund
        gave: list[tuple[str, Decimal]] = []
        if money.credit:  # its credit note credits the units when it is all they gave
            basis = credit_basis(order, preview) if whole else ()
            what = GiveBack(money.credit, f"exchange of return {ra.code}", basis)
            gave.append((give_as_store_credit(uow, order, payments, what, now)["id"], money.credit))
        if money.refund:
            giving = give_as_store_credit if ra.refund_to is RefundTo.STORE_CREDIT else give_back
            what = GiveBack(money.refund, f"return {ra.code}: the exchange's difference")
            gave.append((giving(uow, order, payments, what, now)["id"], money.refund))
        if not gave:  # worth nothing (fees kept it all): the units counted, all the same
            gave.append((new_id(now), Decimal(0)))
        for k, (refund_id, amount) in enumerate(gave):
            refund = ReturnRefund(
                refund_id,
                ra.id,
                preview.lines if k == 0 else (),
                Decimal(0),
                Decimal(0),
                amount,
                now,
            )
            uow.returns.add_refund(order.id, refund)


def _refused(uow: ReturnsWork, return_id: str, exchange: Exchange, why: str, now: datetime) -> None:
    """The exchange could not be placed: recorded, told, and its units refunded as
    money as the policy says."""
    with uow:
        ra = uow.returns.get(return_id)
        assert ra is not None
        order = existing_order(uow, ra.order_id, EVERY_ORDER, for_update=True)
        refused = replace(exchange, status=ExchangeStatus.REFUSED, reason=why[:200], money=None)
        uow.returns.put_exchange(refused)
        details = {"exchange": exchange_document(refused)}
        record_event(order, ra, "return.exchange_refused", now, details)
        refund_due(uow, order, ra, now, asked=False)
        uow.returns.save(ra)
        uow.orders.save(order)
        uow.commit()


def _cancel(uow: ReturnsWork, ra: ReturnAuthorization, exchange: Exchange, now: datetime) -> None:
    """The return was withdrawn: its advanced exchange order is cancelled (one that
    left already is the customer's, paid by its card)."""
    assert exchange.order_id is not None
    try:
        cancel_order(exchange.order_id, uow, now, f"return {ra.code} was withdrawn")
        status, reason = ExchangeStatus.CANCELLED, ra.reason
    except OrdinoError as kept:
        status, reason = ExchangeStatus.PLACED, f"not cancelled: {kept}"
    with uow:
        uow.returns.put_exchange(replace(exchange, status=status, reason=reason))
        uow.commit()


def _card_token(uow: ReturnsWork, order_id: str) -> str | None:
    """The original order's card's token (an exchange's difference is charged to it)."""
    return next(
        (p.token for p in uow.payments.of_order(order_id) if p.method.by_gateway and p.token),
        None,
    )

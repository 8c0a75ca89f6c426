"""Order capture: one snapshot read, one pure decision
(`ordino.orders.engine.capture`), one write.

The snapshot comes from the process's picture of stock and settings (no query once
it holds them; the capacity a promise uses is read each time); a retry (the
reservation lost its race: the picture may be stale) reads the order's stock from
the database. Everything the order writes (the order, its payment, its sourcing
record, the idempotent answer, the reservations, the jobs) is written in one commit,
where the reservations are conditional: stock that went to another order meanwhile
is LostRace, and the retry plans again.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from ordino.inventory.services import StockPicture, order_stock
from ordino.kernel.domain import Change, DuplicateOrder, IdempotencyKey, InvalidInput, LostRace
from ordino.kernel.services import CREATED, Answer, remember, replay, with_retries
from ordino.network.domain import Channel
from ordino.orders.domain import Order
from ordino.orders.domain.advancing import hold
from ordino.orders.domain.commands import PlaceOrder, order_problems
from ordino.orders.domain.pipelines import BUILT_IN
from ordino.orders.engine.capture import (
    Captured,
    CaptureSnapshot,
    Deciders,
    Sourced,
    buyer_of,
    decide_capture,
    plan_capture,
)
from ordino.orders.services.orders import with_payments
from ordino.orders.services.ports import OrdersWork
from ordino.payments.domain import (
    Balance,
    Entry,
    EntryKind,
    Payment,
    PaymentMethod,
    TenderAsked,
)
from ordino.pricing.domain import Conversion
from ordino.pricing.services import promotions_and_tax, settlement
from ordino.promising.domain import CartLine, OrderPromise
from ordino.promising.services import PromiseQuery, Promising, promise_snapshot
from ordino.sourcing.engine import RulesEngine, SourcingEngine
from ordino.sourcing.services import sourcing_settings

CREDIT_LIMIT = "credit_limit"  # the rule of the hold an order past its account's limit gets


@dataclass(frozen=True)
class Capture:
    """What order capture works with besides the unit of work."""

    engine: SourcingEngine = field(default_factory=RulesEngine)
    picture: StockPicture = field(default_factory=StockPicture)
    promising: Promising | None = None  # None: promises from the same picture

    def promises(self) -> Promising:
        return self.promising or Promising(self.picture)

    def deciders(self) -> Deciders:
        return Deciders(self.engine, self.promises().rules)


class Paying(Protocol):
    """How an order placed for another's sake (an exchange of a return) is paid,
    once its total is known: its tenders, and what the same transaction does first
    (the money that pays it given, as store credit, before its tenders take it)."""

    def tenders(self, total: Decimal) -> tuple[TenderAsked, ...]: ...
    def settle(self, order: Order, total: Decimal) -> None: ...


def place_order(
    cmd: PlaceOrder,
    uow: OrdersWork,
    capture: Capture | SourcingEngine,
    now: datetime,
    idempotency: IdempotencyKey | None = None,
    paying: Paying | None = None,
) -> Answer:
    """Place the order, sourced by its profile and reserved. The first attempt plans
    from the process's picture of stock; a retry (the reservation lost its race: the
    picture may be stale) plans from the database. `paying`: its tenders are given
    once it is priced (the command's own are none), in its transaction."""
    if problems := order_problems(cmd):
        raise InvalidInput("the order cannot be placed as given", errors=problems)
    if not isinstance(capture, Capture):
        capture = Capture(capture)
    asking = _Asking(idempotency, paying)
    return with_retries(lambda n: _place_once(cmd, uow, capture, now, asking, retry=n > 0))


@dataclass(frozen=True)
class _Asking:
    """How the caller asked: under an idempotency key, paid once priced."""

    idempotency: IdempotencyKey | None
    paying: Paying | None


def _place_once(
    cmd: PlaceOrder,
    uow: OrdersWork,
    capture: Capture,
    now: datetime,
    asking: _Asking,
    *,
    retry: bool,
) -> Answer:
    idempotency, paying = asking.idempotency, asking.paying
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        if retry or paying is not None:  # else left to the unique constraint
            _refuse_duplicate(uow, cmd)
        snapshot = capture_snapshot(uow, capture, cmd, now, fresh=retry)
        captured = decide_capture(cmd, snapshot, capture.deciders(), now)
        if paying is not None:  # priced: paid as it says (a pure decision, made again)
            total = captured.order.total.amount
            paid = replace(cmd, tenders=paying.tenders(total))
            captured = decide_capture(paid, snapshot, capture.deciders(), now)
            paying.settle(captured.order, total)
        # A balance too short the first time may be the same order's, placed twice or
        # with the same key: the retry names the duplicate or replays the answer.
        take_tenders(uow, captured, now, final=retry)
        answer = Answer(CREATED, with_payments(captured.order, captured.payments))
        _write(uow, captured, answer, idempotency, now)
        # The store writes all of it here. LostRace when the stock went to another
        # order (the retry re-plans) or the order or key arrived twice (the retry
        # names the duplicate or replays the first answer).
        uow.commit()
        return answer


def plan_order(
    uow: OrdersWork, capture: Capture, cmd: PlaceOrder, now: datetime, *, fresh: bool
) -> tuple[Sourced, OrderPromise | None]:
    """The order planned as capture plans it (a customer's change plans again so).
    `fresh`: from the database, not the picture."""
    snapshot = capture_snapshot(uow, capture, cmd, now, fresh=fresh, priced=False)
    return plan_capture(cmd, snapshot, capture.deciders(), now)


def capture_snapshot(
    uow: OrdersWork,
    capture: Capture,
    cmd: PlaceOrder,
    now: datetime,
    *,
    fresh: bool,
    priced: bool = True,
) -> CaptureSnapshot:
    """What capture decides from, from the process's picture; `fresh`: the order's
    stock from the database (the picture forgets it, as it proved stale); `priced`
    false: what planning needs only (a change plans an order again, never prices it:
    no promotions, tax or exchange rate read)."""
    picture, skus = capture.picture, [line.sku for line in cmd.lines]
    types, cart = _types(uow, cmd.type), None if cmd.promise is None else _cart(cmd)
    if fresh:
        picture.forget(Change(frozenset(skus)))
    stock = (
        order_stock(uow, picture, cmd.channel, skus, fresh=fresh)
        if cart is None
        else promise_snapshot(cart, uow, capture.promises(), now)
    )
    channels = picture.channels(uow)
    promotions, tax, exchange = None, None, None
    if priced:
        promotions, tax = promotions_and_tax(uow, picture, buyer_of(cmd), now, fresh=fresh)
        if cmd.exchange_of is not None:  # priced as what it replaces, or the catalogue
            promotions = None
        exchange = _exchange(uow, picture, channels.get(cmd.channel), cmd, now)
    return CaptureSnapshot(
        channels,
        types,
        picture.products(uow, skus),
        picture.carriers(uow),
        picture.operations(uow),
        sourcing_settings(picture, uow),
        stock,
        fresh,
        tax,
        promotions,
        exchange,
    )


def _exchange(
    uow: OrdersWork, picture: StockPicture, channel: Channel | None, cmd: PlaceOrder, now: datetime
) -> Conversion | InvalidInput | None:
    """The rate the order is settled at in its channel's currency, or why there is
    none (capture says so once the order's other fields are checked)."""
    if channel is None:
        return None
    try:
        return settlement(uow, picture, channel, cmd.currency, channel.today(now))
    except InvalidInput as none:
        return none


def _cart(cmd: PlaceOrder) -> PromiseQuery:
    """The order as a promise's cart and destination, through its channel's view."""
    return PromiseQuery(
        tuple(CartLine(line.sku, line.quantity) for line in cmd.lines),
        cmd.ship_to.country,
        cmd.ship_to_point,
        cmd.ship_to.postal_code,
        cmd.channel,
    )


def _types(uow: OrdersWork, name: str | None) -> Set[str]:
    """The order types that exist among those the order may name: the built-in
    ones, and the one it names when it is configured."""
    if name is None or name in BUILT_IN or uow.order_types.get(name) is None:
        return BUILT_IN.keys()
    return BUILT_IN.keys() | {name}


def _refuse_duplicate(uow: OrdersWork, cmd: PlaceOrder) -> None:
    existing = uow.orders.id_for_external(cmd.channel, cmd.external_id)
    if existing is not None:
        raise DuplicateOrder(
            f"channel {cmd.channel} already placed order {cmd.external_id}",
            extra={"order_id": existing},
        )


def _write(
    uow: OrdersWork,
    captured: Captured,
    answer: Answer,
    idempotency: IdempotencyKey | None,
    now: datetime,
) -> None:
    order = captured.order
    if order.promise is not None:
        uow.capacity.take(order.promise.capacity)  # LostRace when a day filled up
    uow.promotion_uses.take(order.id, captured.uses)  # LostRace when a limit was reached
    uow.orders.add(order)
    for payment in captured.payments:
        uow.payments.add(payment)
    for op in captured.authorised:
        uow.payments.add_answered(op, order.currency, now)
    uow.sourcing.add(order.id, 1, captured.sourced.record, now)
    remember(uow, idempotency, answer, now, order.id)
    uow.inventory.reserve(order.reservations(now), now, captured.sourced.floors)
    for job in captured.jobs_at_commit:
        uow.jobs.add_at_commit(job, now)
    for job in captured.jobs:
        uow.jobs.add(job, now)


def take_tenders(uow: OrdersWork, captured: Captured, now: datetime, *, final: bool) -> None:
    """What the order's tenders pay, taken as it is placed: gift cards' and store
    credit's off their balances, each one conditional statement (only while the
    balance holds it), so no two orders spend the same money; what it buys on account
    added to what the account owes, the order held (`credit_limit`) when that takes
    it past its limit. A balance that holds too little: InvalidInput naming its
    tender when `final`, else LostRace (for the caller to look again)."""
    order = captured.order
    # In the accounts' order: two orders taking from the same two accounts wait for
    # each other, never in a circle.
    for payment in sorted(captured.payments, key=lambda p: p.reference or ""):
        if payment.amount <= 0 or payment.reference is None:
            continue
        if payment.method is PaymentMethod.INVOICE:
            _charge_account(uow, order, payment, now)
        elif payment.method.balance:
            held = Entry(payment.reference, EntryKind.HELD, -payment.amount, now, order.id,
                         order.acting)  # fmt: skip
            if not uow.balances.hold(held, order.currency):
                if not final:
                    raise LostRace(f"{payment.reference} holds too little: look again")
                raise _short(uow.balances.get(payment.reference), payment)


def _charge_account(uow: OrdersWork, order: Order, payment: Payment, now: datetime) -> None:
    assert payment.reference is not None
    charged = Entry(payment.reference, EntryKind.CHARGED, payment.amount, now, order.id,
                    order.acting)  # fmt: skip
    owes = uow.credit_accounts.charge(charged, payment.currency)
    name = payment.reference.partition(":")[2]
    if owes is None and (other := uow.credit_accounts.get(name)) is not None:
        why = f"account {name} owes in {other.currency}"
        raise InvalidInput.of(f"tenders[{payment.tender}].account", why)
    if owes is not None and owes.open > owes.limit:
        past = f"{owes.open} {owes.currency}, past its limit of {owes.limit}"
        hold(order, CREDIT_LIMIT, f"account {owes.account} would owe {past}", "ordino", now)


def _short(balance: Balance | None, payment: Payment) -> InvalidInput:
    field = f"tenders[{payment.tender}]"
    if balance is None:
        named = "code" if payment.method is PaymentMethod.GIFT_CARD else "email"
        return InvalidInput.of(f"{field}.{named}", f"no {payment.method} here")
    if balance.currency != payment.currency:
        return InvalidInput.of(f"{field}.amount", f"its balance is in {balance.currency}")
    holds = f"{balance.balance} {balance.currency}"
    return InvalidInput.of(f"{field}.amount", f"the {payment.method} holds {holds}")

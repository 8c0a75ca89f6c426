"""Order capture's decision: from a snapshot read at once, the order placed or the
reason it cannot be.

In order: the rules every order keeps (`ordino.orders.engine.capture_rules`); then
its plan, sourced by its profile over what the channel's view lets it sell, or, with
a delivery option chosen, that option made again now (still offered, no later than
the date the customer was shown) and kept: a shipped option sourced by the profile
among the locations that deliver by its date, a pickup at the store chosen; then the
order with its payment, its sourcing record, the floors its reservation keeps, the
capacity its promise takes, its money as pricing prices it, and the jobs that drive
it.

Pure: the same snapshot and `now` give the same decision. A snapshot from the
process's picture (`fresh` false) that falls short may be behind another process's
commit: the decision is then LostRace, and the retry reads from the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from ordino.inventory.domain import Floor
from ordino.inventory.engine import OrderStock, sourcing_stock
from ordino.kernel.domain import (
    FieldError,
    InsufficientStock,
    InvalidInput,
    Job,
    LostRace,
    Money,
    PromiseUnavailable,
    Timer,
    advance_job,
    expect_job,
    timer_job,
)
from ordino.network.domain import (
    CarrierService,
    Channel,
    LocationOperations,
    ProductFacts,
    PromiseDestination,
    refuse_unknown_skus,
)
from ordino.orders.domain.advancing import hold
from ordino.orders.domain.commands import PlaceOrder, to_source
from ordino.orders.domain.orders import Order
from ordino.orders.domain.pipelines import SHIPPING_FREE
from ordino.orders.engine.capture_rules import refuse_what_cannot_be_placed
from ordino.payments.domain import (
    Payment,
    PaymentMethod,
    PaymentOperation,
    TenderAsked,
    allot,
    tender_payments,
)
from ordino.pricing.domain import Cart, CartLine, Conversion
from ordino.pricing.engine import (
    Buyer,
    PriceDifference,
    Pricing,
    PromotionEngine,
    PromotionUse,
    TaxProvider,
    pricing_with,
    quote_cart,
)
from ordino.promising.domain import (
    Method,
    OrderPromise,
    Promise,
    PromiseChoice,
    PromiseOption,
    Source,
    capacity_needed,
)
from ordino.promising.domain import plan_of as plan_of_option
from ordino.promising.engine import (
    Promised,
    PromiseRules,
    PromiseSnapshot,
    chosen_by_customer,
    delivery_sites,
    keeping,
    promise_from,
)
from ordino.sourcing.domain import CAPTURE, LineDemand, SourcingPlan, SourcingRecord
from ordino.sourcing.engine import (
    Decision,
    Outcome,
    SourcingEngine,
    SourcingSettings,
    plan_of,
    record_of,
    sourcing_request,
    stock_sites,
)

# The hold a channel that flags prices not the catalogue's puts on such an order.
PRICE_CHECK = "price_check"


@dataclass(frozen=True)
class CaptureSnapshot:
    """Everything capture decides from. `types`: the order types that exist among
    those the order may name; `products`: the order's known SKUs; `stock`: the
    positions to source over, or, with a promise chosen, what the promise is made
    from; `fresh`: read from the database, not from the process's picture."""

    channels: Mapping[str, Channel]
    types: Set[str]
    products: Mapping[str, ProductFacts]
    carriers: Sequence[CarrierService]
    operations: Mapping[str, LocationOperations]
    settings: SourcingSettings
    stock: OrderStock | PromiseSnapshot
    fresh: bool
    tax: TaxProvider | None = None  # None: Ordino works out no tax
    promotions: PromotionEngine | None = None  # None: no promotions (with the uses of
    # those with limits as they were read)
    # Into the channel's settlement currency; why there is no rate (refused in turn).
    exchange: Conversion | InvalidInput | None = None


@dataclass(frozen=True)
class Deciders:
    """How capture decides: the sourcing engine, and the promise's rules."""

    sourcing: SourcingEngine
    promising: PromiseRules


@dataclass(frozen=True)
class Sourced:
    """An order's plan, the floor each position must keep, and the decision's record."""

    plan: SourcingPlan
    floors: Mapping[tuple[str, str], Floor]
    record: SourcingRecord
    backorder: bool = False  # what the plan lacks waits for supply


@dataclass(frozen=True)
class Captured:
    """The order placed, and all that is written with it."""

    order: Order
    payments: tuple[Payment, ...]  # one per tender (none: paid already)
    sourced: Sourced
    jobs_at_commit: tuple[Job, ...]  # written with the commit
    jobs: tuple[Job, ...]  # written now (one waits for every order)
    uses: tuple[PromotionUse, ...] = ()  # taken from the promotions' limits at commit
    # The tenders Ordino authorises itself, authorised (a balance's held at commit).
    authorised: tuple[PaymentOperation, ...] = ()


def decide_capture(
    cmd: PlaceOrder, snapshot: CaptureSnapshot, deciders: Deciders, now: datetime
) -> Captured:
    """The order placed, or the refusal that names why not."""
    s = snapshot
    refuse_what_cannot_be_placed(cmd, now, s.channels, s.types, s.products, s.carriers)
    # Priced first: a price, code or tax refused is named whatever the stock.
    channel = s.channels[cmd.channel]
    quoted = quote_cart(order_cart(cmd), buyer_of(cmd), pricing_of(cmd, channel, s), now)
    if refused := quoted.promoted.refused_codes():
        errors = [FieldError(f"codes[{i}]", f"{o.code}: {o.reason}") for i, o in refused]
        raise InvalidInput("a promotion code given gives nothing", errors=errors)
    if isinstance(s.exchange, InvalidInput):  # no rate to settle it at
        raise s.exchange
    money = replace(quoted.money, exchange=s.exchange)  # settled in its channel's currency
    tenders = tenders_of(cmd)
    paid = allot(money.total, cmd.currency, tenders) if tenders else ()
    cmd = replace(cmd, customer=replace(cmd.customer, vat_id=quoted.buyer_vat_id))
    sourced, promise = plan_capture(cmd, snapshot, deciders, now)
    order = Order.place(cmd, sourced.plan, now, money, promise, backorder=sourced.backorder)
    if quoted.differences:  # the channel flags them: a person looks before it goes on
        hold(order, PRICE_CHECK, _flagged(quoted.differences), f"channel:{channel.name}", now)
    payments, authorised = tender_payments(order.id, order.currency, tenders, paid, now)
    at_commit, jobs = _jobs(order, sourced.record, now)
    uses = quoted.promoted.uses
    return Captured(order, tuple(payments), sourced, at_commit, jobs, uses, tuple(authorised))


def tenders_of(cmd: PlaceOrder) -> tuple[TenderAsked, ...]:
    """The order's tenders, each naming what it is paid from: store credit and an
    account not named are the customer's (by their email)."""
    own = {PaymentMethod.STORE_CREDIT: f"store_credit:{cmd.customer.email.casefold()}",
           PaymentMethod.INVOICE: f"invoice:{cmd.customer.email.casefold()}"}  # fmt: skip
    return tuple(
        replace(t, reference=own[t.method]) if t.reference is None and t.method in own else t
        for t in cmd.tenders
    )


def order_cart(cmd: PlaceOrder) -> Cart:
    """The order's lines at the caller's prices (and a marketplace's money, as given)."""
    lines = tuple(
        CartLine(line.sku, line.quantity, line.unit_price, line.discounts, line.taxes)
        for line in cmd.lines
    )
    return Cart(cmd.channel, cmd.currency, lines, cmd.charges, cmd.exchange_of is not None)


def buyer_of(cmd: PlaceOrder) -> Buyer:
    """Whom the order is for, and whether it pays no shipping (they collect it, or it
    is an exchange): by its type, or by the delivery option chosen."""
    c, choice = cmd.customer, cmd.promise
    method = None if choice is None else Method.of_option(choice.option_id)
    collects = cmd.type in SHIPPING_FREE or (method is not None and method.collected)
    return Buyer(cmd.ship_to.country, c.email, c.group, c.vat_id, cmd.codes, collects)


def pricing_of(cmd: PlaceOrder, channel: Channel, snapshot: CaptureSnapshot) -> Pricing:
    """What the order is priced with: the catalogue's prices in its currency and the
    products' tax classes, the promotions and the tax provider capture read."""
    s = snapshot
    return pricing_with(channel, s.products, cmd.currency, s.promotions, s.tax)


def _flagged(differences: Sequence[PriceDifference]) -> str:
    """The hold's reason: each line whose price is not the catalogue's, as many as
    200 characters hold, and how many more."""
    reason = "prices not the catalogue's: "
    for i, difference in enumerate(differences):
        text = ("; " if i else "") + str(difference)
        left = len(differences) - i - 1
        if i and len(reason + text) + (len(f"; … and {left} more") if left else 0) > 200:
            return f"{reason}; … and {len(differences) - i} more"
        reason += text
    return reason


def plan_capture(
    cmd: PlaceOrder, snapshot: CaptureSnapshot, deciders: Deciders, now: datetime
) -> tuple[Sourced, OrderPromise | None]:
    """The order sourced by its profile, or, with a promise chosen, promised again and
    sourced to keep it: how capture plans, and how a customer's change plans again."""
    if isinstance(snapshot.stock, PromiseSnapshot):
        return _promised(cmd, snapshot, snapshot.stock, deciders, now)
    return _sourced(cmd, snapshot, snapshot.stock, deciders.sourcing), None


def _sourced(
    cmd: PlaceOrder, snapshot: CaptureSnapshot, stock: OrderStock, engine: SourcingEngine
) -> Sourced:
    """The order sourced by its profile over what the channel's view lets it sell,
    and the floor each position must keep (so the reservation leaves what the view
    holds back)."""
    at_locations, floors = sourcing_stock(stock.view, stock.positions, stock.locations)
    to = PromiseDestination(cmd.ship_to.country, cmd.ship_to_point, cmd.ship_to.postal_code)
    sites = stock_sites(at_locations, stock.locations, to)
    request = sourcing_request(
        snapshot.settings, to_source(cmd, cmd.service), sites, _weights(snapshot)
    )
    decision = engine.decide(request)
    plan = plan_of(request, decision)
    if decision.outcome is not Outcome.SOURCED:
        if not snapshot.fresh:  # the picture may be behind another process's commit
            raise LostRace("the picture of stock is short; the database may not be")
        refuse_unknown_skus([line.sku for line in cmd.lines], snapshot.products.keys(), "the order")
        if decision.outcome is Outcome.REFUSED:
            _refuse_shortfalls(plan, decision)
    record = record_of(request, decision, CAPTURE)
    return Sourced(plan, floors, record, backorder=decision.outcome is Outcome.BACKORDERED)


def _promised(
    cmd: PlaceOrder,
    snapshot: CaptureSnapshot,
    made_from: PromiseSnapshot,
    deciders: Deciders,
    now: datetime,
) -> tuple[Sourced, OrderPromise]:
    """The delivery option the customer chose, made again now: the option must still
    be offered, and no later than the date they were shown. A shipped option is
    sourced by the order's profile among the locations that deliver by its date; a
    pickup is at the store the customer chose."""
    assert cmd.promise is not None
    choice, made = cmd.promise, promise_from(made_from, deciders.promising)
    option = made.answer.option(choice.option_id)
    if option is None or (choice.deliver_by and option.delivery_latest > choice.deliver_by):
        if not snapshot.fresh:  # the picture may be behind another process's commit
            raise LostRace("the picture does not keep the promise; the database may")
        _refuse_promise(choice, option, made.answer)
    assert option is not None
    if option.method is Method.SHIP and option.service is not None:
        option, sourced = _ship_sourced(cmd, snapshot, option, made, deciders.sourcing)
    else:
        demands = [LineDemand(n, line.sku, line.quantity) for n, line in enumerate(cmd.lines, 1)]
        plan = plan_of_option(demands, option)
        sourced = Sourced(plan, made.floors, chosen_by_customer(option, plan))
    taken = capacity_needed(option, snapshot.operations)
    return sourced, OrderPromise.of(option, taken, now)


def _ship_sourced(
    cmd: PlaceOrder,
    snapshot: CaptureSnapshot,
    option: PromiseOption,
    made: Promised,
    engine: SourcingEngine,
) -> tuple[PromiseOption, Sourced]:
    """The shipped option sourced by the profile among the locations that deliver by
    its latest date; the option with the sources chosen."""
    assert option.service is not None
    sites, ship_dates = delivery_sites(keeping(made, option.service, option.delivery_latest))
    request = sourcing_request(
        snapshot.settings, to_source(cmd, option.service), sites, _weights(snapshot)
    )
    decision = engine.decide(request)
    if decision.outcome is not Outcome.SOURCED:
        if not snapshot.fresh:
            raise LostRace("the picture does not keep the promise; the database may")
        raise PromiseUnavailable(
            f"sourcing profile {decision.profile} keeps option {option.id} from no location",
            extra={"option_id": option.id, "profile": decision.profile},
        )
    plan = plan_of(request, decision)
    dated = tuple(replace(a, ship_date=ship_dates[a.location_id]) for a in plan.allocations)
    sources = tuple(
        Source(a.location_id, a.sku, a.quantity, a.ship_date) for a in dated if a.ship_date
    )
    packages = len({a.location_id for a in dated})
    option = replace(
        option,
        sources=sources,
        cost=Money(option.cost.amount / option.packages, option.cost.currency).times(packages),
        packages=packages,
    )
    record = record_of(request, decision, CAPTURE)
    return option, Sourced(SourcingPlan(dated, ()), made.floors, record)


def _weights(snapshot: CaptureSnapshot) -> dict[str, Decimal | None]:
    return {sku: facts.weight_kg for sku, facts in snapshot.products.items()}


def _jobs(order: Order, record: SourcingRecord, now: datetime) -> tuple[tuple[Job, ...], ...]:
    """What drives the order: its advance (at commit); a backordered one's waiting
    units dated by the supply on its way (at once: one job waits for every order),
    and its cancellation when its profile gives the supply a deadline."""
    if not order.backordered:
        return (advance_job(order.id, now),), ()
    at_commit = [advance_job(order.id, now)]
    if days := record.explanation.get("cancel_after_days"):
        due = now + timedelta(days=days)
        at_commit.append(timer_job(Timer.BACKORDER, order.id, order.id, due, now))
    return tuple(at_commit), (expect_job(now),)


def _refuse_promise(choice: PromiseChoice, option: PromiseOption | None, answer: Promise) -> None:
    offered = [promise_option.id for promise_option in answer.options]
    if option is None:
        raise PromiseUnavailable(
            f"option {choice.option_id} is not offered now",
            extra={"option_id": choice.option_id, "offered": offered},
        )
    raise PromiseUnavailable(
        f"option {choice.option_id} now delivers by {option.delivery_latest}, "
        f"not by {choice.deliver_by}",
        extra={
            "option_id": choice.option_id,
            "delivery_latest": option.delivery_latest.isoformat(),
            "offered": offered,
        },
    )


def _refuse_shortfalls(plan: SourcingPlan, decision: Decision) -> None:
    short = [
        {
            "line_no": s.line_no,
            "sku": s.sku,
            "requested": s.requested,
            "available": s.available,
            "short": s.short,
        }
        for s in plan.shortfalls
    ]
    skus = ", ".join(sorted({s.sku for s in plan.shortfalls}))
    raise InsufficientStock(
        f"not enough stock of {skus}",
        extra={
            "shortfalls": short,
            "sourcing": {
                "profile": decision.profile,
                "version": decision.version,
                "strategy": decision.strategy,
            },
        },
    )

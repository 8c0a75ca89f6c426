"""The outside world of `ordino simulate traffic`, as decisions: what a shop's
customers order and how they pay, which delivery option they take, what a location
does next with a fulfillment order and how long it takes, when a carrier delivers,
whether a customer comes for a pickup, and what customer service does with a hold.

Invariants: pure (no clock, no I/O; delays are seconds for the caller to wait).
Every decision is drawn from a generator seeded by the run's seed and what the
decision is about (an order's number; a fulfillment order's number within its order
and the state it is in; a hold), never by when it is taken or what was decided
before: with the same seed the same orders are placed and each fulfillment order
meets the same fate, however the server's timing interleaves them. Every draw is
made whatever the rates, so changing one rate changes only what it governs.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

APPROVED_CARD = "4242424242424242"  # the sandbox gateway's cards (docs/orchestration.md)
DECLINED_CARD = "4000000000000002"
REJECT_REASONS = ("not-found", "damaged", "no-capacity", "other")
MARKETPLACES = ("zalando", "amazon")  # their orders come paid
PAYMENT_HOLD = "payment"  # the rule of the hold a declined card puts
FINAL = frozenset({"fulfilled", "cancelled"})  # order statuses nothing follows

_FIRST = ("Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas")
_LAST = ("Bauer", "Fischer", "Hofer", "Huber", "Koch", "Meyer", "Schmidt", "Wagner", "Weber")


def generator(seed: int, *about: object) -> random.Random:
    """The generator for one decision: seeded by the run's seed and what it is about
    (a string seed is hashed with SHA-512, the same in every process)."""
    return random.Random("/".join(str(part) for part in (seed, *about)))


@dataclass(frozen=True)
class Product:
    sku: str
    price: str  # the unit price, a decimal in the catalogue's currency


@dataclass(frozen=True)
class Destination:
    country: str
    postal_code: str
    city: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Site:
    """A location the simulation plays: it polls its queue; `carrier` collects its parcels."""

    id: str
    carrier: str


@dataclass(frozen=True)
class Catalogue:
    """What the shop sells and where its customers live, and the locations."""

    products: tuple[Product, ...]
    destinations: tuple[Destination, ...]
    sites: tuple[Site, ...]
    currency: str = "EUR"

    def carrier_of(self, location_id: str) -> str:
        return next((s.carrier for s in self.sites if s.id == location_id), "parcel")


@dataclass(frozen=True)
class Behaviour:
    """How the outside parties behave: shares (0 to 1) and mean seconds."""

    lines: tuple[int, int] = (1, 4)  # lines an order has, at least and at most
    promise_rate: float = 0.5  # customers who ask for the delivery options first
    pickup_rate: float = 0.4  # of those, who collect at a store when one is offered
    express_rate: float = 0.2  # of those shipping, who want it soonest
    marketplace_rate: float = 0.1  # orders a marketplace passes on, paid there
    decline_rate: float = 0.05  # card payments declined
    reject_rate: float = 0.05  # fulfillment orders a location turns down
    split_rate: float = 0.2  # shipments of two units or more sent in two parcels
    no_show_rate: float = 0.1  # pickups never collected
    pace: float = 1.0  # mean seconds a location takes for a step
    transit: float = 5.0  # mean seconds a carrier takes to deliver
    collect: float = 3.0  # mean seconds a customer takes to come for a pickup
    review: float = 2.0  # mean seconds customer service takes over a hold
    customers: int = 2_000  # distinct customers, each living at one destination
    picks: bool = True  # locations report picked and packed (False: accept, then ship)
    deliver: bool = True  # carriers report deliveries


def _delay(rng: random.Random, mean: float) -> float:
    return rng.uniform(0.5, 1.5) * mean


class Want(StrEnum):
    PICKUP = "pickup"
    EXPRESS = "express"
    STANDARD = "standard"


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: str


@dataclass(frozen=True)
class PlannedOrder:
    """An order the shop is about to place."""

    number: int
    channel: str
    email: str
    name: str
    destination: Destination
    lines: tuple[OrderLine, ...]
    card: str | None  # the card's token; None: paid at the marketplace
    asks_promise: bool
    wants: Want
    currency: str = "EUR"

    def cart(self) -> dict[str, Any]:
        """The body of POST /v1/promises."""
        d = self.destination
        return {
            "lines": [{"sku": line.sku, "quantity": line.quantity} for line in self.lines],
            "destination": {"country": d.country, "postal_code": d.postal_code},
            "channel": self.channel,
        }

    def body(self, external_id: str, option_id: str | None) -> dict[str, Any]:
        """The body of POST /v1/orders, with the delivery option chosen (if any)."""
        d = self.destination
        body: dict[str, Any] = {
            "channel": self.channel,
            "external_id": external_id,
            "currency": self.currency,
            "customer": {"email": self.email, "name": self.name},
            "ship_to": {
                "name": self.name,
                "line1": f"Kundenweg {self.number % 200 + 1}",
                "city": d.city,
                "postal_code": d.postal_code,
                "country": d.country,
                "latitude": d.latitude,
                "longitude": d.longitude,
            },
            "lines": [
                {"sku": line.sku, "quantity": line.quantity, "unit_price": line.unit_price}
                for line in self.lines
            ],
        }
        if option_id is not None:
            body["promise"] = {"option_id": option_id}
        if self.card is not None:
            body["payment"] = {"method": "card", "token": self.card}
        return body


def plan_order(seed: int, number: int, catalogue: Catalogue, behaviour: Behaviour) -> PlannedOrder:
    """The `number`th order of the run: 1 to 4 lines of the catalogue, a customer
    among `behaviour.customers` (each always at the same address), a card that
    approves or is declined, or a marketplace that took the payment."""
    rng = generator(seed, "order", number)
    marketplace = rng.random() < behaviour.marketplace_rate
    declined = rng.random() < behaviour.decline_rate
    asks = rng.random() < behaviour.promise_rate
    pickup, express = rng.random() < behaviour.pickup_rate, rng.random() < behaviour.express_rate
    channel = rng.choice(MARKETPLACES)
    count = min(rng.randint(*behaviour.lines), len(catalogue.products))
    products = rng.sample(catalogue.products, count)
    quantities = [rng.choice((1, 1, 1, 2)) for _ in products]
    customer = rng.randrange(behaviour.customers)
    home = generator(seed, "customer", customer).choice(catalogue.destinations)
    return PlannedOrder(
        number,
        channel if marketplace else "web",
        f"customer{customer:05d}@example.com",
        f"{_FIRST[customer % len(_FIRST)]} {_LAST[customer // len(_FIRST) % len(_LAST)]}",
        home,
        tuple(OrderLine(p.sku, q, p.price) for p, q in zip(products, quantities, strict=True)),
        None if marketplace else DECLINED_CARD if declined else APPROVED_CARD,
        asks and not marketplace,
        Want.PICKUP if pickup else Want.EXPRESS if express else Want.STANDARD,
        catalogue.currency,
    )


def choose_option(order: PlannedOrder, options: Sequence[Mapping[str, Any]]) -> str | None:
    """The option a customer takes from POST /v1/promises's `options`: the soonest
    pickup when they want to collect and one is offered, else the soonest delivery
    (express) or the cheapest (standard); None: no option suits, order without one."""
    pickups = [o for o in options if o["method"] in ("pickup", "ship_to_store")]
    ships = [o for o in options if o["method"] == "ship"]
    if order.wants is Want.PICKUP and pickups:
        return str(min(pickups, key=lambda o: (o["delivery"]["latest"], o["id"]))["id"])
    if not ships:
        return None

    def soonest(o: Mapping[str, Any]) -> tuple[str, Decimal, str]:
        return (o["delivery"]["latest"], Decimal(o["cost"]["amount"]), o["id"])

    def cheapest(o: Mapping[str, Any]) -> tuple[Decimal, str, str]:
        return (Decimal(o["cost"]["amount"]), o["delivery"]["latest"], o["id"])

    return str(min(ships, key=soonest if order.wants is Want.EXPRESS else cheapest)["id"])


class Step(StrEnum):
    """What a party reports: the last part of the path it posts to."""

    ACCEPT = "accept"
    REJECT = "reject"
    PICKED = "picked"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"  # the carrier
    READY = "ready"  # the store: waiting for the customer (shipped in: arrived)
    PICKED_UP = "picked-up"  # the customer came with the code
    NOT_COLLECTED = "not-collected"
    CANCEL = "cancel"  # customer service, of a hold
    RELEASE = "release"


@dataclass(frozen=True)
class Action:
    """What to report after `delay` seconds, with what body (the caller adds what only
    it knows: the pickup code the customer was sent, when a parcel arrived)."""

    step: Step
    delay: float
    body: Mapping[str, Any] | None = None


def acting_location(fulfillment: Mapping[str, Any]) -> str | None:
    """Whose queue a fulfillment order is work for: the store, once it waits there for
    the customer; before it leaves, the location holding it; else nobody's (a
    carrier has it, or it is done)."""
    status = fulfillment["status"]
    if status == "ready":
        return str(fulfillment["store_id"] or fulfillment["location_id"])
    if status in ("released", "accepted", "picked", "packed"):
        return str(fulfillment["location_id"])
    return None


def next_action(
    seed: int,
    order_key: object,
    fulfillment: Mapping[str, Any],
    behaviour: Behaviour,
    carrier: str,
    may_split: bool = True,
) -> Action | None:
    """What happens next to a fulfillment order in its state, and after how long;
    None: nothing more (done, turned down, or no carrier reports deliveries).
    `order_key` is the order's number in the run (its id for another's orders)."""
    number = str(fulfillment["id"]).rsplit("-", 1)[-1]
    status, method = fulfillment["status"], fulfillment["method"]
    rng = generator(seed, "fulfillment", order_key, number, status)
    if status == "released":
        return _accept_or_reject(rng, behaviour)
    if status == "packed" or (status == "accepted" and not behaviour.picks):
        return _ship(rng, behaviour, fulfillment, carrier, f"{order_key}-{number}", may_split)
    if status in ("accepted", "picked"):
        picking = status == "accepted"
        step = Step.PICKED if picking else Step.READY if method == "pickup" else Step.PACKED
        return Action(step, _delay(rng, behaviour.pace))
    if status == "shipped" and behaviour.deliver:
        step = Step.READY if method == "ship_to_store" else Step.DELIVERED
        return Action(step, _delay(rng, behaviour.transit))
    if status == "ready":
        return _collect(rng, behaviour)
    return None


def _accept_or_reject(rng: random.Random, behaviour: Behaviour) -> Action:
    rejects, reason = rng.random() < behaviour.reject_rate, rng.choice(REJECT_REASONS)
    delay = _delay(rng, behaviour.pace)
    if rejects:
        return Action(Step.REJECT, delay, {"reason": reason})
    return Action(Step.ACCEPT, delay)


def _ship(
    rng: random.Random,
    behaviour: Behaviour,
    fulfillment: Mapping[str, Any],
    carrier: str,
    reference: str,
    may_split: bool,
) -> Action:
    splits, delay = rng.random() < behaviour.split_rate, _delay(rng, behaviour.pace)
    tracking = f"{carrier.upper()[:4]}{reference}{rng.randrange(10_000):04d}"
    body: dict[str, Any] = {"carrier": carrier, "tracking_number": tracking}
    if splits and may_split:
        first = first_parcel(fulfillment["lines"])
        if first:
            body["lines"] = first
    return Action(Step.SHIPPED, delay, body)


def first_parcel(lines: Sequence[Mapping[str, Any]]) -> list[dict[str, int]]:
    """The first of two parcels: half the units (rounded up), lines in order; none
    when there is a single unit to send."""
    total = sum(int(line["quantity"]) for line in lines)
    if total < 2:
        return []
    left, parcel = (total + 1) // 2, []
    for line in lines:
        take = min(left, int(line["quantity"]))
        if take:
            parcel.append({"line_no": int(line["line_no"]), "quantity": take})
        left -= take
    return parcel


def _collect(rng: random.Random, behaviour: Behaviour) -> Action:
    """The customer comes with their code; or does not, and the store, having waited
    twice as long as customers take, reports it not collected."""
    stays_away, delay = rng.random() < behaviour.no_show_rate, _delay(rng, behaviour.collect)
    if stays_away:
        return Action(Step.NOT_COLLECTED, 2 * delay)
    return Action(Step.PICKED_UP, delay)


def review_hold(
    seed: int, order_key: object, hold: Mapping[str, Any], behaviour: Behaviour
) -> Action:
    """Customer service on a held order: a declined card is cancelled (the customer
    did not come back with another); any other hold is looked into and released."""
    rng = generator(seed, "hold", order_key, hold["id"])
    step = Step.CANCEL if hold["rule"] == PAYMENT_HOLD else Step.RELEASE
    return Action(step, _delay(rng, behaviour.review), {"note": "simulated customer service"})


def settled(order: Mapping[str, Any]) -> bool:
    """Nothing of the order is held at a location, nor is it on hold: what is open of
    it has left already, or waits for stock to arrive (which no party brings)."""
    return not order.get("on_hold") and all(line["allocated"] == 0 for line in order["lines"])


def rerouted(order: Mapping[str, Any]) -> bool:
    """A location turned part of the order down, and another took it on."""
    fulfillments = order.get("fulfillments", [])
    turned_down = {f["location_id"] for f in fulfillments if f["status"] == "rejected"}
    return any(
        f["status"] not in ("rejected", "cancelled") and f["location_id"] not in turned_down
        for f in fulfillments
        if turned_down
    )


def summarise(orders: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What became of the run's orders (as GET /v1/orders/{id} shows them)."""
    by_status: dict[str, int] = {}
    fulfillments: dict[str, int] = {}
    rejected = rerouted_orders = rerouted_done = held = 0
    for order in orders:
        by_status[order["status"]] = by_status.get(order["status"], 0) + 1
        for f in order.get("fulfillments", []):
            fulfillments[f["status"]] = fulfillments.get(f["status"], 0) + 1
        rejected += any(f["status"] == "rejected" for f in order.get("fulfillments", []))
        if rerouted(order):
            rerouted_orders += 1
            rerouted_done += order["status"] == "fulfilled"
        held += bool(order.get("holds"))
    return {
        "orders": sum(by_status.values()),
        "by_status": dict(sorted(by_status.items())),
        "fulfillment_orders": dict(sorted(fulfillments.items())),
        "with_a_rejection": rejected,
        "rerouted": rerouted_orders,
        "rerouted_and_fulfilled": rerouted_done,
        "held": held,
    }

"""The outside parties of `ordino simulate traffic` (and `ordino bench
orchestration`), playing against a running Ordino over its HTTP API:

- the shop places orders at a rate, some after asking for the delivery options;
- the locations poll their queues (GET /v1/fulfillments) and work through what
  they find: accept or reject, pick, pack, ship; a store makes pickups ready;
- carriers deliver what was shipped (to a store: it is ready there);
- customers come for their pickups with the code they were sent, which reaches
  them as Ordino's `fulfillment.ready_for_pickup` webhook to a receiver of the
  simulation's own; customer service resolves holds (`order.held`).

What each party does and when is ordino_lab.traffic's decision; here are only
the calls and the waiting. Once a party has a fulfillment order it follows it
through every step it takes part in; the polls find the new ones.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ordino_lab.traffic import (
    FINAL,
    Action,
    Behaviour,
    Catalogue,
    PlannedOrder,
    Step,
    acting_location,
    choose_option,
    next_action,
    plan_order,
    review_hold,
    settled,
)
from ordino_lab.traffic_http import Api, Tally

COUNTED = {  # a step answered, as the progress counts it
    Step.ACCEPT: "accepted",
    Step.REJECT: "rejected",
    Step.PICKED: "picked",
    Step.PACKED: "packed",
    Step.SHIPPED: "shipped",
    Step.DELIVERED: "delivered",
    Step.READY: "ready",
    Step.PICKED_UP: "picked_up",
    Step.NOT_COLLECTED: "not_collected",
    Step.CANCEL: "holds_cancelled",
    Step.RELEASE: "holds_released",
}
RETRIES = 3  # a step that got no answer, or a 5xx, is tried again this often
CODE_WAIT = 60.0  # seconds a customer at the counter waits for the code to reach them


@dataclass(frozen=True)
class Plan:
    """How a run goes: the seed, how many orders at what rate, how often the
    locations look, how long to wait after the last order for the rest to happen."""

    seed: int
    run_id: str  # makes the external ids of the run's orders unique
    rate: float  # orders a second
    orders: int | None = None
    duration: float | None = None  # seconds of placing (with `orders`: whichever first)
    poll: float = 0.5
    drain: float = 120.0
    statuses: tuple[str, ...] = ()  # what a location's poll asks for (none: its to-do)
    clients: int = 32  # orders in flight at most
    final: frozenset[str] = FINAL  # order statuses the run follows an order to


@dataclass
class Traffic:
    api: Api
    catalogue: Catalogue
    behaviour: Behaviour
    plan: Plan
    tally: Tally = field(default_factory=Tally)
    numbers: dict[str, int] = field(default_factory=dict)  # order id -> its number
    open: dict[str, str] = field(default_factory=dict)  # order id -> status, until final
    codes: dict[str, str] = field(default_factory=dict)  # fulfillment id -> pickup code
    busy: set[str] = field(default_factory=set)  # fulfillment orders a party follows
    ended: set[str] = field(default_factory=set)  # nobody is to report more of these
    seen: set[str] = field(default_factory=set)  # fulfillment orders and events seen
    no_split: set[str] = field(default_factory=set)  # the rest of a split: one parcel
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    failures: list[tuple[str, str, Any]] = field(default_factory=list)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    # The shop

    async def shop(self) -> None:
        """Place orders at the plan's rate (open: a slow answer does not hold the next
        order back), at most `clients` in flight; return once all are answered."""
        plan, loop = self.plan, asyncio.get_running_loop()
        start, in_flight = loop.time(), asyncio.Semaphore(plan.clients)
        placing: list[asyncio.Task[None]] = []
        number = 0
        while plan.orders is None or number < plan.orders:
            due = start + number / plan.rate
            if plan.duration is not None and due - start >= plan.duration:
                break
            await asyncio.sleep(max(0.0, due - loop.time()))
            number += 1
            placing.append(self.spawn(self._place(number, in_flight)))
        await asyncio.gather(*placing)

    async def _place(self, number: int, in_flight: asyncio.Semaphore) -> None:
        order = plan_order(self.plan.seed, number, self.catalogue, self.behaviour)
        external_id = f"{self.plan.run_id}-{number:06d}"
        async with in_flight:
            option = await self._option(order) if order.asks_promise else None
            status, answer = await self.api.call(
                "POST", "/v1/orders", order.body(external_id, option)
            )
            if status == 409 and option is not None:  # no longer offered: order without it
                self.tally.add("promise_gone")
                status, answer = await self.api.call(
                    "POST", "/v1/orders", order.body(external_id, None)
                )
        if status != 201:
            self.tally.add("refused")
            self.tally.failed("order", status, answer)
            return
        self.numbers[answer["id"]] = number
        self.open[answer["id"]] = answer["status"]
        self.tally.add("placed")
        self.tally.add("promised" if answer.get("promise") else "unpromised")

    async def _option(self, order: PlannedOrder) -> str | None:
        status, answer = await self.api.call("POST", "/v1/promises", order.cart())
        if status != 200:
            self.tally.failed("promise", status)
            return None
        return choose_option(order, answer["options"])

    # The locations, the carriers, the customers at the counter

    async def locations(self) -> None:
        """Each location looks at its queue every `poll` seconds until the run stops."""
        while not self.stopping.is_set():
            await asyncio.gather(*(self._look(site.id) for site in self.catalogue.sites))
            with suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), self.plan.poll)

    async def _look(self, location_id: str) -> None:
        params = [("location_id", location_id), ("limit", "200")]
        params += [("status", status) for status in self.plan.statuses]
        status, answer = await self.api.call("GET", "/v1/fulfillments", params=params)
        if status != 200:
            self.tally.failed("queue", status)
            return
        for fo in answer["items"]:
            # A look answered before a party's last report is stale: what ended stays so.
            stale = fo["id"] in self.ended
            if stale or fo["id"] in self.busy or acting_location(fo) != location_id:
                continue
            if fo["status"] == "released" and fo["id"] not in self.seen:
                self.tally.add("released")
            self.seen.add(fo["id"])
            self.busy.add(fo["id"])  # now, so that the next look leaves it alone
            self.spawn(self._follow(fo["order_id"], fo))

    async def _follow(self, order_id: str, fo: Mapping[str, Any]) -> None:
        """Take a fulfillment order through every step the parties report, each after
        its delay, until nobody is to report more (or a report failed: a later look
        finds it again)."""
        key: object = self.numbers.get(order_id, order_id)
        fo_id = fo["id"]
        try:
            current: Mapping[str, Any] | None = fo
            while current is not None:
                carrier = self.catalogue.carrier_of(current["location_id"])
                may_split = current["id"] not in self.no_split
                action = next_action(
                    self.plan.seed, key, current, self.behaviour, carrier, may_split
                )
                if action is None:
                    self.ended.add(fo_id)
                    return
                await asyncio.sleep(action.delay)
                current = await self._report(current, action)
        finally:
            self.busy.discard(fo_id)

    async def _report(self, fo: Mapping[str, Any], action: Action) -> Mapping[str, Any] | None:
        step, body = action.step, dict(action.body or {})
        if step is Step.PICKED_UP:
            code = await self._code(fo["id"])
            if code is None:  # the notification never came: the customer cannot collect
                self.tally.add("no_code")
                return None
            body["code"] = code
        if step is Step.DELIVERED:
            body["delivered_at"] = datetime.now(UTC).isoformat()
        path = f"/v1/fulfillments/{fo['id']}/{step}"
        status, answer = await self._post(path, body or None)
        if status != 200:
            self.tally.failed(str(step), status, answer)
            self.failures.append((str(fo["id"]), str(step), answer))
            return None
        self.tally.add(COUNTED[step])
        self._note(answer["order"])
        if step is Step.SHIPPED and "lines" in body:
            self._rest_ships_whole(answer["order"], fo)
        fulfillment: Mapping[str, Any] = answer["fulfillment"]
        return fulfillment

    async def _post(self, path: str, body: Any) -> tuple[int, Any]:
        status, answer = 0, None
        for attempt in range(RETRIES):
            status, answer = await self.api.call("POST", path, body)
            if 0 < status < 500:
                break
            await asyncio.sleep(0.5 * (attempt + 1))
        return status, answer

    def _rest_ships_whole(self, order: Mapping[str, Any], shipped: Mapping[str, Any]) -> None:
        """What stayed behind when a parcel left is the second parcel: it goes whole."""
        for f in order["fulfillments"]:
            same_place = f["location_id"] == shipped["location_id"]
            if same_place and f["status"] == shipped["status"] and f["id"] != shipped["id"]:
                self.no_split.add(f["id"])

    async def _code(self, fulfillment_id: str) -> str | None:
        deadline = time.monotonic() + CODE_WAIT
        while fulfillment_id not in self.codes and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return self.codes.get(fulfillment_id)

    # What the customers and customer service are told (Ordino's webhooks)

    def hear(self, event: Mapping[str, Any]) -> None:
        """An event from the receiver (at least once: repeats are dropped)."""
        if event["id"] in self.seen:
            return
        self.seen.add(event["id"])
        data = event["data"]
        if event["type"] == "fulfillment.ready_for_pickup":
            self.codes[data["fulfillment"]["id"]] = data["pickup_code"]
        elif event["type"] == "order.held":
            self.tally.add("held")
            self.spawn(self._review(data["order_id"], data["hold"]))

    async def _review(self, order_id: str, hold: Mapping[str, Any]) -> None:
        key: object = self.numbers.get(order_id, order_id)
        action = review_hold(self.plan.seed, key, hold, self.behaviour)
        await asyncio.sleep(action.delay)
        path = f"/v1/orders/{order_id}/holds/{hold['id']}/{action.step}"
        status, answer = await self._post(path, dict(action.body or {}))
        if status != 200:
            self.tally.failed(f"hold {action.step}", status, answer)
            return
        self.tally.add(COUNTED[action.step])
        self._note(answer["order"])

    # Keeping count of the orders

    def _note(self, order: Mapping[str, Any]) -> None:
        if order["id"] not in self.open:
            return
        if order["status"] in self.plan.final:
            del self.open[order["id"]]
            self.tally.add(f"orders_{order['status']}")
        else:
            self.open[order["id"]] = order["status"]

    async def drain(self) -> None:
        """After the last order: wait until every order of the run is done, or settled
        with no party holding any of it (the rest waits for supply, or for nobody:
        no carrier reports), or `drain` seconds have passed."""
        deadline = time.monotonic() + self.plan.drain
        refreshed = time.monotonic()
        while self.open and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            if time.monotonic() - refreshed >= 2:
                orders = await self.refresh(list(self.open))
                refreshed = time.monotonic()
                if not self.busy and all(settled(order) for order in orders):
                    return

    async def refresh(self, order_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Read the orders again (what changed without a party's report: a hold, a
        reroute, a backorder filled); their documents."""
        orders = await self.read(order_ids)
        for order in orders:
            self._note(order)
        return orders

    async def read(self, order_ids: Iterable[str]) -> list[dict[str, Any]]:
        at_once = asyncio.Semaphore(8)

        async def one(order_id: str) -> dict[str, Any] | None:
            async with at_once:
                status, answer = await self.api.call("GET", f"/v1/orders/{order_id}")
            return answer if status == 200 else None

        found = await asyncio.gather(*(one(order_id) for order_id in order_ids))
        return [order for order in found if order is not None]

    async def stop(self) -> None:
        """Stop the polls and whatever a party still waits for."""
        self.stopping.set()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

"""Jobs: work done after a commit, by a worker, durably.

A job is written in the same transaction as the change that calls for it, so it
exists exactly when the change does. A worker claims it for a lease; a worker that
dies holding it loses the lease and another takes the job again, so every job runs
at least once and its handler must be idempotent (running it twice changes what
running it once did, not more). A failing job is tried again later, each wait
longer than the last (`Backoff`), until its attempts run out: then it is dead, kept
with its last error for someone to look at and requeue.

A job may carry a `key`: a second job of the same kind and key, while the first
waits, is not added (enqueueing is idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ordino.kernel.domain.ids import new_id

# The kinds of job Ordino enqueues (their handlers: ordino.app.job_handlers).
FILL_BACKORDERS = "backorders.fill"  # supply arrived: source the units waiting for it
EXPECT_BACKORDERS = "backorders.expect"  # supply on its way changed: date what waits
DELIVER_WEBHOOKS = "webhooks.deliver"  # post a subscription's waiting events, in order
ADVANCE_ORDER = "orders.advance"  # run an order's pipeline on (checks, …, release)
CAPTURE_PAYMENT = "payments.capture"  # capture what a parcel took (key: its fulfillment)
SETTLE_PAYMENT = "payments.settle"  # void what is authorised and will not ship
REFUND_PAYMENT = "payments.refund"  # make the gateway calls of a refund asked for
RETURN_LABEL = "returns.label"  # book the carrier's label of a return (key: the return)
RETURN_EXCHANGE = "returns.exchange"  # place (or cancel) a return's exchange order


class JobStatus(StrEnum):
    QUEUED = "queued"  # waits for its time and a worker
    RUNNING = "running"  # a worker holds its lease
    DONE = "done"
    DEAD = "dead"  # out of attempts


@dataclass(frozen=True)
class Backoff:
    """How long a failed job waits before it is tried again: `first`, then `factor`
    times longer each time, never more than `most`."""

    first: timedelta = timedelta(seconds=5)
    factor: float = 4.0
    most: timedelta = timedelta(hours=1)

    def wait(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure (1: the first)."""
        seconds = self.first.total_seconds() * self.factor ** max(0, attempts - 1)
        return min(self.most, timedelta(seconds=seconds))


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    payload: dict[str, Any]
    run_at: datetime
    key: str | None = None
    max_attempts: int = 8
    attempts: int = 0  # claims so far

    @classmethod
    def new(
        cls,
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        *,
        key: str | None = None,
        run_at: datetime | None = None,
        max_attempts: int = 8,
    ) -> Job:
        return cls(new_id(now), kind, payload, run_at or now, key, max_attempts)


@dataclass(frozen=True)
class DeadJob:
    id: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    error: str
    failed_at: datetime
    key: str | None = field(default=None)


def advance_job(order_id: str, now: datetime, run_at: datetime | None = None) -> Job:
    """Run the order's pipeline from where it stands (past its end: release what was
    allocated since); one waits per order at a time."""
    return Job.new(ADVANCE_ORDER, {"order_id": order_id}, now, key=order_id, run_at=run_at)


def capture_job(order_id: str, fulfillment_id: str, amount: str, now: datetime) -> Job:
    """Capture `amount` (the goods that left with a parcel, or were handed over)."""
    payload = {"order_id": order_id, "key": fulfillment_id, "amount": amount}
    return Job.new(CAPTURE_PAYMENT, payload, now, key=fulfillment_id)


def expect_job(now: datetime) -> Job:
    """Date every backordered line again by the supply on its way; one waits at a time."""
    return Job.new(EXPECT_BACKORDERS, {}, now, key="all")


def settle_job(order_id: str, now: datetime) -> Job:
    return Job.new(SETTLE_PAYMENT, {"order_id": order_id}, now, key=order_id)


def refund_job(order_id: str, refund_id: str, now: datetime) -> Job:
    return Job.new(
        REFUND_PAYMENT, {"order_id": order_id, "refund_id": refund_id}, now, key=refund_id
    )


def exchange_job(return_id: str, now: datetime) -> Job:
    return Job.new(RETURN_EXCHANGE, {"return_id": return_id}, now, key=return_id)


def label_job(return_id: str, now: datetime) -> Job:
    return Job.new(RETURN_LABEL, {"return_id": return_id}, now, key=return_id)


TIMER_DUE = "timers.due"  # a service level's time came: check it was met


class Timer(StrEnum):
    """The service levels an order is timed against."""

    ACCEPT = "accept"
    SHIP = "ship"
    PICKUP = "pickup"
    BACKORDER = "backorder"


def timer_job(timer: Timer, order_id: str, subject: str, run_at: datetime, now: datetime) -> Job:
    """Check at `run_at` that the order (its fulfillment order `subject`, or the order
    itself) met the service level `timer`: accept, ship, pickup, backorder."""
    payload = {"timer": timer, "order_id": order_id, "subject": subject}
    return Job.new(TIMER_DUE, payload, now, key=f"{timer}:{subject}", run_at=run_at)

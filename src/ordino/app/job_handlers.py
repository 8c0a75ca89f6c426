"""What the worker does: the handler of each kind of job Ordino enqueues."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.app.unit_of_work import UnitOfWork
from ordino.events.services.webhooks import Post, deliver
from ordino.kernel.domain.jobs import (
    ADVANCE_ORDER,
    CAPTURE_PAYMENT,
    DELIVER_WEBHOOKS,
    EXPECT_BACKORDERS,
    FILL_BACKORDERS,
    REFUND_PAYMENT,
    RETURN_EXCHANGE,
    RETURN_LABEL,
    SETTLE_PAYMENT,
    TIMER_DUE,
    settle_job,
)
from ordino.kernel.services.server_keys import ServerKeys
from ordino.network.domain import CarrierLabels
from ordino.orchestration.services import payments, timers
from ordino.orchestration.services.pipelines import advance_order
from ordino.orchestration.services.rerouting import expect_backorders, fill_backorders
from ordino.orchestration.services.worker import Handler, enqueue
from ordino.orders.services.capture import Capture
from ordino.payments.domain.payments import PaymentGateway
from ordino.returns.services import settle_exchanges, settle_label


@dataclass(frozen=True)
class Outside:
    """What the worker's jobs reach beyond the database: webhook receivers (`post`,
    with the keys their secrets are sealed under), the payment gateway and the
    carrier's label service."""

    post: Post
    gateway: PaymentGateway
    keys: ServerKeys
    carrier: CarrierLabels


def handlers(
    uow: Callable[[], UnitOfWork],
    capture: Capture,
    outside: Outside,
    clock: Callable[[], datetime],
) -> Mapping[str, Handler]:
    def fill(_payload: Mapping[str, Any], now: datetime) -> None:
        fill_backorders(uow(), capture, now)

    def expect(_payload: Mapping[str, Any], now: datetime) -> None:
        expect_backorders(uow(), now)

    def webhooks(payload: Mapping[str, Any], _now: datetime) -> None:
        deliver(payload["webhook_id"], uow(), outside.post, clock, outside.keys)

    def advance(payload: Mapping[str, Any], now: datetime) -> None:
        advance_order(payload["order_id"], uow(), outside.gateway, now)

    def capture_payment(payload: Mapping[str, Any], now: datetime) -> None:
        amount = Decimal(payload["amount"])
        payments.capture(payload["order_id"], payload["key"], amount, uow(), outside.gateway, now)
        enqueue(uow(), settle_job(payload["order_id"], now), now)

    def settle(payload: Mapping[str, Any], now: datetime) -> None:
        payments.settle(payload["order_id"], uow(), outside.gateway, now)

    def refund(payload: Mapping[str, Any], now: datetime) -> None:
        payments.refund(payload["order_id"], payload["refund_id"], uow(), outside.gateway, now)

    def timer(payload: Mapping[str, Any], now: datetime) -> None:
        timers.check(payload, uow(), capture, now)

    return {
        TIMER_DUE: timer,
        **_returns(uow, capture, outside),
        FILL_BACKORDERS: fill,
        EXPECT_BACKORDERS: expect,
        DELIVER_WEBHOOKS: webhooks,
        ADVANCE_ORDER: advance,
        CAPTURE_PAYMENT: capture_payment,
        SETTLE_PAYMENT: settle,
        REFUND_PAYMENT: refund,
    }


def _returns(
    uow: Callable[[], UnitOfWork], capture: Capture, outside: Outside
) -> Mapping[str, Handler]:
    """Returns' jobs: a label booked or voided, an exchange order placed or cancelled."""

    def label(payload: Mapping[str, Any], now: datetime) -> None:
        settle_label(payload["return_id"], uow(), outside.carrier, now)

    def exchange(payload: Mapping[str, Any], now: datetime) -> None:
        settle_exchanges(payload["return_id"], uow(), capture, now)

    return {RETURN_LABEL: label, RETURN_EXCHANGE: exchange}

"""What the worker does: the handler of each kind of job Ordino enqueues."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ordino.domain.jobs import ADVANCE_ORDER, DELIVER_WEBHOOKS, FILL_BACKORDERS
from ordino.services.orders import Capture
from ordino.services.pipelines import advance_order
from ordino.services.rerouting import fill_backorders
from ordino.services.unit_of_work import UnitOfWork
from ordino.services.webhooks import Post, deliver
from ordino.services.worker import Handler


def handlers(
    uow: Callable[[], UnitOfWork],
    capture: Capture,
    post: Post,
    clock: Callable[[], datetime],
) -> Mapping[str, Handler]:
    def fill(payload: Mapping[str, Any], now: datetime) -> None:
        fill_backorders(uow(), capture, now)

    def webhooks(payload: Mapping[str, Any], now: datetime) -> None:
        deliver(payload["webhook_id"], uow(), post, clock)

    def advance(payload: Mapping[str, Any], now: datetime) -> None:
        advance_order(payload["order_id"], uow(), now)

    return {FILL_BACKORDERS: fill, DELIVER_WEBHOOKS: webhooks, ADVANCE_ORDER: advance}

"""How well the promises were kept: the on-time rate and slack of the deliveries
recorded, per location, carrier or service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.promising.domain.promises import PromisePerformance
from ordino.promising.services.ports import PromisingWork

GROUPS = ("location", "carrier", "service")


def promise_performance(
    by: str, since: datetime, until: datetime, uow: PromisingWork
) -> list[dict[str, Any]]:
    with uow:
        found = uow.deliveries.performance(by, since, until)
    return [performance_answer(group, by) for group in found]


def performance_answer(group: PromisePerformance, by: str) -> dict[str, Any]:
    return {
        by: group.key,
        "deliveries": group.deliveries,
        "on_time": group.on_time,
        "on_time_rate": round(group.on_time_rate, 4),
        "mean_slack_days": round(group.mean_slack_days, 2),
    }

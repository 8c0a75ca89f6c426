"""The dashboard's KPIs over a range of UTC days, for the API and the console: each
day's figures and the range's, as plain data, and the days as CSV rows.

How each figure is counted is `ordino.analytics.domain.kpis` (and docs/analytics.md);
here the range is checked, the facts read in one unit of work, and the answer shaped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from ordino.analytics.domain.kpis import (
    MAX_DAYS,
    Figures,
    days_of,
    figures,
    summed,
    tally_days,
)
from ordino.analytics.services.ports import AnalyticsWork
from ordino.kernel.domain import InvalidInput, from_minor
from ordino.network.domain import known_channel
from ordino.network.services import channels_of


@dataclass(frozen=True)
class KpiQuery:
    """The UTC days from `start` to before `end`, of one channel or of all (None)."""

    start: date
    end: date
    channel: str | None = None

    def check(self) -> None:
        if self.end <= self.start:
            raise InvalidInput.of("to", "must be after from")
        if (self.end - self.start).days > MAX_DAYS:
            raise InvalidInput.of("to", f"at most {MAX_DAYS} days after from")

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(), UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end, time(), UTC)


@dataclass(frozen=True)
class KpiReport:
    query: KpiQuery
    days: list[Figures]
    total: Figures


def kpis(query: KpiQuery, uow: AnalyticsWork) -> KpiReport:
    """The figures of each day of the range, and of the range."""
    query.check()
    since, until = query.since, query.until
    with uow:
        if query.channel is not None:
            known_channel(channels_of(uow), query.channel)
        placed = uow.analytics.placed_orders(since, until, query.channel)
        delivered = uow.deliveries.between(since, until, query.channel)
        rejected = uow.analytics.store_rejections(since, until, query.channel)
    tallies = tally_days(days_of(query.start, query.end), placed, delivered, rejected)
    days = [figures(tally, day) for day, tally in tallies.items()]
    return KpiReport(query, days, figures(summed(tallies.values()), None))


def report_answer(report: KpiReport) -> dict[str, Any]:
    query = report.query
    return {
        "from": query.start.isoformat(),
        "to": query.end.isoformat(),
        "channel": query.channel,
        "days": [figures_answer(day) for day in report.days],
        "total": figures_answer(report.total),
    }


def figures_answer(found: Figures) -> dict[str, Any]:
    return {
        **({"day": found.day.isoformat()} if found.day is not None else {}),
        "orders": found.orders,
        "revenue": [
            {"amount": str(amount), "currency": currency}
            for currency, amount in found.revenue.items()
        ],
        "shipping": [
            {"amount": str(amount), "currency": currency}
            for currency, amount in found.shipping.items()
        ],
        "deliveries": found.deliveries,
        "on_time": found.on_time,
        "on_time_rate": _rounded(found.on_time_rate, 4),
        "mean_slack_days": _rounded(found.mean_slack_days, 2),
        "orders_fulfilled": found.orders_fulfilled,
        "orders_split": found.orders_split,
        "split_rate": _rounded(found.split_rate, 4),
        "fulfilment_cost": [
            {
                "currency": currency,
                "orders": cost.orders,
                "total": str(cost.total),
                "per_order": str(cost.per_order),
                "shipping_charged": str(cost.shipping_charged),
                "shipping_margin": str(cost.shipping_margin),
            }
            for currency, cost in found.fulfilment_cost.items()
        ],
        "orders_cancelled": found.orders_cancelled,
        "units_cancelled": found.units_cancelled,
        "store_rejections": found.store_rejections,
    }


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


CSV_COUNTS = (
    "orders",
    "deliveries",
    "on_time",
    "on_time_rate",
    "mean_slack_days",
    "orders_fulfilled",
    "orders_split",
    "split_rate",
    "orders_cancelled",
    "units_cancelled",
    "store_rejections",
)
CSV_MONEY = (
    "revenue",
    "shipping",
    "orders_costed",
    "fulfilment_cost",
    "cost_per_order",
    "shipping_margin",
)


def kpis_csv(report: KpiReport) -> str:
    """The days as CSV, a row each: the counts, then for each currency of the range
    (in code order) its money columns, named `revenue_EUR` and so on."""
    total = report.total
    currencies = sorted(set(total.revenue) | set(total.fulfilment_cost))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    money = [f"{name}_{currency}" for currency in currencies for name in CSV_MONEY]
    writer.writerow(["day", *CSV_COUNTS, *money])
    for day in report.days:
        writer.writerow(_csv_row(day, currencies))
    return out.getvalue()


def _csv_row(day: Figures, currencies: list[str]) -> list[str]:
    answer = figures_answer(day)
    row = [
        answer["day"],
        *("" if answer[name] is None else str(answer[name]) for name in CSV_COUNTS),
    ]
    for currency in currencies:
        cost = day.fulfilment_cost.get(currency)
        row.append(str(day.revenue.get(currency, from_minor(0, currency))))
        row.append(str(day.shipping.get(currency, from_minor(0, currency))))
        if cost is None:
            row.extend(("0", "", "", ""))
        else:
            costs = (cost.orders, cost.total, cost.per_order, cost.shipping_margin)
            row.extend(str(value) for value in costs)
    return row

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
    ReturnFacts,
    ReturnRate,
    days_of,
    figures,
    return_rates,
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
    return_rates: dict[str, list[ReturnRate]]  # by sku, reason, channel: the range's


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
        facts = uow.analytics
        returned = ReturnFacts(
            facts.returns_started(since, until, query.channel),
            facts.return_receipts(since, until, query.channel),
            facts.refunds_given(since, until, query.channel),
        )
        rates = return_rates(
            facts.sold_units(since, until, query.channel),
            facts.returned_units(since, until, query.channel),
        )
    tallies = tally_days(days_of(query.start, query.end), placed, delivered, rejected, returned)
    days = [figures(tally, day) for day, tally in tallies.items()]
    return KpiReport(query, days, figures(summed(tallies.values()), None), rates)


def report_answer(report: KpiReport) -> dict[str, Any]:
    query = report.query
    return {
        "from": query.start.isoformat(),
        "to": query.end.isoformat(),
        "channel": query.channel,
        "days": [figures_answer(day) for day in report.days],
        "total": figures_answer(report.total),
        "return_rates": {
            kind: [
                {
                    "key": r.key,
                    "sold": r.sold,
                    "returned": r.returned,
                    "rate": _rounded(r.rate, 4),
                }
                for r in rates
            ]
            for kind, rates in report.return_rates.items()
        },
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
        "returns": found.returns,
        "units_returned": found.units_returned,
        "units_received": found.units_received,
        "units_restocked": found.units_restocked,
        "restock_rate": _rounded(found.restock_rate, 4),
        "refunds": found.refunds,
        "appeasements": found.appeasements,
        "refunded": [
            {"amount": str(amount), "currency": currency}
            for currency, amount in found.refunded.items()
        ],
        "mean_hours_to_refund": _rounded(found.mean_hours_to_refund, 2),
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
    "returns",
    "units_returned",
    "units_received",
    "units_restocked",
    "restock_rate",
    "refunds",
    "appeasements",
    "mean_hours_to_refund",
)
CSV_MONEY = (
    "revenue",
    "shipping",
    "orders_costed",
    "fulfilment_cost",
    "cost_per_order",
    "shipping_margin",
    "refunded",
)


def kpis_csv(report: KpiReport) -> str:
    """The days as CSV, a row each: the counts, then for each currency of the range
    (in code order) its money columns, named `revenue_EUR` and so on."""
    total = report.total
    currencies = sorted(set(total.revenue) | set(total.fulfilment_cost) | set(total.refunded))
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
        row.append(str(day.refunded.get(currency, from_minor(0, currency))))
    return row

"""The dashboard: orders and revenue per day, on-time rate against the promise,
promise slack, split shipments, fulfilment cost per order, cancellations and store
rejections, units returned, restocked and refunded, over a chosen range and channel
(and the range's most returned SKUs, reasons and channels), from live data
(`ordino.analytics.services.dashboard`), drawn as SVG charts; the days as CSV."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ordino.analytics.domain.kpis import Figures
from ordino.analytics.services.dashboard import KpiQuery, KpiReport, kpis, kpis_csv
from ordino.console import charts
from ordino.console.charts import Chart
from ordino.console.menu import N_
from ordino.console.rendering import language_of, render
from ordino.console.session import allowed, csrf_token
from ordino.kernel.domain import InvalidInput, OrdinoError, Permission

router = APIRouter(prefix="/console", include_in_schema=False)
DAYS = 14  # shown when no range is chosen: the last two weeks, today included


@router.get("/dashboard")
def dashboard(request: Request) -> Response:
    who = allowed(request, Permission.REPORTS_READ)
    chosen = _chosen(request)
    context: dict[str, Any] = {"who": who, "csrf": csrf_token(request), "chosen": chosen}
    try:
        report = kpis(_query(chosen), request.app.state.uow())
    except OrdinoError as error:
        context |= {"problem": str(error), "charts": [], "total": None}
        return render(request, "console/dashboard.html", context, 422)
    context |= {
        "charts": _charts(report, language_of(request)),
        "total": report.total,
        "rates": report.return_rates,
    }
    return render(request, "console/dashboard.html", context)


@router.get("/dashboard.csv")
def dashboard_csv(request: Request) -> Response:
    allowed(request, Permission.REPORTS_READ)
    try:
        query = _query(_chosen(request))
        report = kpis(query, request.app.state.uow())
    except OrdinoError:
        return dashboard(request)  # the page says what is wrong
    name = f"ordino-kpis-{query.start}-{query.end}.csv"
    return Response(
        kpis_csv(report),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _chosen(request: Request) -> dict[str, str]:
    today: date = request.app.state.clock().date()
    params = request.query_params
    return {
        "from": params.get("from") or str(today - timedelta(days=DAYS - 1)),
        "to": params.get("to") or str(today),
        "channel": params.get("channel", "").strip(),
    }


def _query(chosen: dict[str, str]) -> KpiQuery:
    """The range chosen, both days included (the service's `end` is the day after)."""
    days = {}
    for name in ("from", "to"):
        try:
            days[name] = date.fromisoformat(chosen[name])
            end = days[name] + timedelta(days=1)
        except (ValueError, OverflowError):
            raise InvalidInput.of(name, "a date, YYYY-MM-DD") from None
    return KpiQuery(days["from"], end, chosen["channel"] or None)


def _charts(report: KpiReport, language: str) -> list[Chart]:
    currency = next(iter(report.total.revenue), None)
    # Refunds in the revenue's currency, else in the first they were given in.
    refunded_in = currency if currency in report.total.refunded else None
    refunded_in = refunded_in or next(iter(report.total.refunded), currency)

    def bar_chart(key: str, title: str, unit: str, points: Any) -> Chart:
        return charts.bar_chart(key, title, unit, points, language)

    def per_day(value: Any) -> list[tuple[date, float | None]]:
        return [(f.day, value(f)) for f in report.days if f.day is not None]

    def cost(f: Figures) -> float | None:
        found = f.fulfilment_cost.get(currency) if currency else None
        return None if found is None else float(found.per_order)

    def margin(f: Figures) -> float | None:
        found = f.fulfilment_cost.get(currency) if currency else None
        return None if found is None else float(found.shipping_margin)

    def percent(rate: float | None) -> float | None:
        return None if rate is None else round(rate * 100, 1)

    return [
        bar_chart("orders", "Orders", "", per_day(lambda f: f.orders)),
        bar_chart(
            "revenue",
            "Revenue",
            currency or "",
            per_day(lambda f: float(f.revenue.get(currency, 0)) if currency else 0),
        ),
        bar_chart(
            "on_time",
            "On time against the promise",
            "%",
            per_day(lambda f: percent(f.on_time_rate)),
        ),
        bar_chart("slack", "Promise slack (days, mean)", "", per_day(lambda f: f.mean_slack_days)),
        bar_chart("split", "Split shipments", "%", per_day(lambda f: percent(f.split_rate))),
        bar_chart("cost", "Fulfilment cost per order", currency or "", per_day(cost)),
        bar_chart(
            "shipping_margin", "Shipping charged less its cost", currency or "", per_day(margin)
        ),
        bar_chart("cancelled", "Orders cancelled", "", per_day(lambda f: f.orders_cancelled)),
        bar_chart("rejections", "Store rejections", "", per_day(lambda f: f.store_rejections)),
        bar_chart("returned", N_("Units returned"), "", per_day(lambda f: f.units_returned)),
        bar_chart(
            "refunded",
            N_("Refunded"),
            refunded_in or "",
            per_day(lambda f: float(f.refunded.get(refunded_in, 0)) if refunded_in else 0),
        ),
    ]

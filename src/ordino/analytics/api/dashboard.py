"""The dashboard's figures (KPIs) per UTC day, as JSON and as CSV
(docs/analytics.md says how each is counted)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, Field

from ordino.analytics.services import dashboard as analytics
from ordino.analytics.services.dashboard import KpiQuery
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Identifier, Strict, query_of, query_parameters
from ordino.http.security import require
from ordino.kernel.domain import Permission

router = APIRouter(prefix="/v1/analytics", dependencies=[Depends(require(Permission.REPORTS_READ))])

DEFAULT_DAYS = 30


def _date(value: object) -> date:
    """Only YYYY-MM-DD: Pydantic alone would take a number as a Unix time."""
    try:
        if isinstance(value, str) and _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError("must be a date, YYYY-MM-DD")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Day = Annotated[date, BeforeValidator(_date)]


class KpiParams(Strict):
    start: Day | None = Field(
        None, alias="from", description="The first UTC day (default: 30 days before to)"
    )
    end: Day | None = Field(
        None, alias="to", description="The UTC day after the last (default: tomorrow)"
    )
    channel: Identifier | None = Field(None, description="Only this channel's orders")


class RevenueOut(BaseModel):
    amount: str
    currency: str


class CostOut(BaseModel):
    currency: str
    orders: int = Field(description="Orders costed")
    total: str
    per_order: str
    shipping_charged: str = Field(description="What the orders costed were paid for shipping")
    shipping_margin: str = Field(description="shipping_charged less the cost")


class FiguresOut(BaseModel):
    orders: int
    revenue: list[RevenueOut]
    shipping: list[RevenueOut] = Field(
        description="What the orders were paid for shipping (after discounts, no tax)"
    )
    deliveries: int
    on_time: int
    on_time_rate: float | None
    mean_slack_days: float | None
    orders_fulfilled: int
    orders_split: int
    split_rate: float | None
    fulfilment_cost: list[CostOut]
    orders_cancelled: int
    units_cancelled: int
    store_rejections: int
    returns: int = Field(description="Returns started")
    units_returned: int = Field(description="Their units (none of one declined or withdrawn)")
    units_received: int = Field(description="Returned units received")
    units_restocked: int = Field(description="Of those, back on the shelf")
    restock_rate: float | None = Field(description="units_restocked of units_received")
    refunds: int = Field(description="Refunds of returns given")
    appeasements: int = Field(description="Goodwill refunds given")
    refunded: list[RevenueOut] = Field(description="Both together, in the orders' currencies")
    mean_hours_to_refund: float | None = Field(
        description="From a return's last receipt to its refund, over the refunds after one"
    )


class ReturnRateOut(BaseModel):
    key: str
    sold: int = Field(description="Units sold in the range (by reason: every unit)")
    returned: int = Field(description="Units of returns started in the range")
    rate: float | None


class ReturnRatesOut(BaseModel):
    sku: list[ReturnRateOut]
    reason: list[ReturnRateOut]
    channel: list[ReturnRateOut]


class DayOut(FiguresOut):
    day: str


class KpisOut(BaseModel):
    from_: str = Field(alias="from")
    to: str
    channel: str | None
    days: list[DayOut]
    total: FiguresOut = Field(description="Over the whole range")
    return_rates: ReturnRatesOut = Field(
        description="The most returned SKUs, reasons and channels of the range (20 each)"
    )


def _days_before(day: date, days: int) -> date:
    """`days` before `day`, or the calendar's first day if there are not so many."""
    return day - timedelta(days=days) if (day - date.min).days > days else date.min


def _query(request: Request) -> KpiQuery:
    params = query_of(KpiParams, request)
    end = params.end or clock(request).date() + timedelta(days=1)
    start = params.start or _days_before(end, DEFAULT_DAYS)
    return KpiQuery(start, end, params.channel)


@router.get(
    "/kpis",
    response_model=KpisOut,
    openapi_extra={"parameters": query_parameters(KpiParams)},
)
def get_kpis(request: Request) -> Response:
    """Per UTC day from `from` to before `to` (at most 366 days), and over the range:
    orders placed and their value per currency, deliveries on time against the
    promise and mean slack in days, split rate, fulfilment cost per order per
    currency, orders and units cancelled, rejections at stores."""
    report = analytics.kpis(_query(request), unit_of_work(request))
    return JSONResponse(analytics.report_answer(report))


@router.get(
    "/kpis.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
    openapi_extra={"parameters": query_parameters(KpiParams)},
)
def get_kpis_csv(request: Request) -> Response:
    """The days of `GET /v1/analytics/kpis` as CSV, a row each."""
    query = _query(request)
    report = analytics.kpis(query, unit_of_work(request))
    name = f"ordino-kpis-{query.start}-{query.end}{'-' + query.channel if query.channel else ''}"
    return Response(
        analytics.kpis_csv(report),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )

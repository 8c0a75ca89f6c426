"""Replay a shipment history in time order, promising every order of a window as the
model would have at the moment it was placed.

The guarantee: a promise made on UTC day D comes from a model that knows only the
deliveries completed before D began. The model is retrained every `retrain_days`
on those deliveries (`train` filters them again) and told each day of the ones
completed since (`observe`), which recalibrates it. So changing anything about a
delivery completed on day D or later changes no promise made before D ends.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from statistics import fmean

from ordino.promising.domain.history import Shipment, slack_days
from ordino.promising.engine.transit import Leg, TransitModel, TransitSettings, train
from ordino.promising.engine.transit_features import ordered
from ordino.promising.engine.transit_recent import day_of

Progress = Callable[[int, int], object]  # (orders promised so far, orders in the window)


@dataclass(frozen=True)
class Promise:
    shipment_id: str
    promised_by: date
    learnt: bool  # False: the fallback, the history being too thin


@dataclass(frozen=True)
class Kept:
    """How a set of promises fared."""

    promises: int
    on_time: float  # share delivered on or before the promised date
    mean_slack: float  # days from delivery to the promised date; late ones count below 0


@dataclass(frozen=True)
class ReplayReport:
    promises: tuple[Promise, ...]
    confidence: float
    ours: Kept | None  # every promise of ours
    learnt: Kept | None  # the model's own promises (no fallbacks): the achieved confidence
    history: Kept | None  # the history's promised_by, where it has one
    by_month: tuple[tuple[str, Kept, Kept | None], ...]  # order month: ours, history's
    retrains: int


@dataclass(frozen=True)
class ReplayPlan:
    first: date  # order dates (the order's own calendar) replayed, both included
    last: date | None = None
    confidence: float = 0.95
    retrain_days: int = 7
    fallback_days: int = 30  # promised where the model declines; stands in for carrier tables
    settings: TransitSettings | None = None


def replay(
    shipments: Sequence[Shipment], plan: ReplayPlan, progress: Progress | None = None
) -> ReplayReport:
    window = _window(shipments, plan)
    settings = plan.settings or TransitSettings(levels=(plan.confidence,), legs=(Leg.LEAD,))
    delivered = sorted(shipments, key=lambda s: (s.delivered_at, s.shipment_id))
    delivery_times = [s.delivered_at for s in delivered]
    model: TransitModel | None = None
    trained_on, retrains, promises = 0, 0, []
    for day, orders in groupby(window, key=lambda s: day_of(s.ordered_at)):
        moment = datetime.combine(date.fromordinal(day), time(), UTC)
        known = bisect.bisect_left(delivery_times, moment)  # delivered before the day began
        if model is None or day - trained_on >= plan.retrain_days:
            model = train(delivered[:known], moment, settings)
            trained_on, retrains = day, retrains + 1
        else:
            model = model.observe(delivered[_first_unseen(delivery_times, model) : known], moment)
        promises += _promised(model, list(orders), plan)
        if progress is not None:
            progress(len(promises), len(window))
    return _report(window, promises, plan.confidence, retrains)


def _window(shipments: Sequence[Shipment], plan: ReplayPlan) -> list[Shipment]:
    """The orders to promise, in the order they were placed."""
    inside = [
        s
        for s in shipments
        if plan.first <= s.ordered_at.date()
        and (plan.last is None or s.ordered_at.date() <= plan.last)
    ]
    return sorted(inside, key=lambda s: (s.ordered_at, s.shipment_id))


def _first_unseen(delivery_times: list[datetime], model: TransitModel) -> int:
    return bisect.bisect_left(delivery_times, model.as_of)


def _promised(model: TransitModel, orders: list[Shipment], plan: ReplayPlan) -> list[Promise]:
    days = model.promise_days_many([ordered(order) for order in orders], plan.confidence)
    return [
        Promise(
            order.shipment_id,
            order.ordered_at.date() + timedelta(plan.fallback_days if learnt is None else learnt),
            learnt is not None,
        )
        for order, learnt in zip(orders, days, strict=True)
    ]


def kept(pairs: Iterable[tuple[date, Shipment]]) -> Kept | None:
    """How promises (date, shipment) fared; None for none."""
    slacks = [slack_days(promised_by, shipment) for promised_by, shipment in pairs]
    if not slacks:
        return None
    return Kept(len(slacks), sum(s >= 0 for s in slacks) / len(slacks), fmean(slacks))


def _report(
    window: list[Shipment], promises: list[Promise], confidence: float, retrains: int
) -> ReplayReport:
    ours = list(zip((p.promised_by for p in promises), window, strict=True))
    learnt = [pair for pair, p in zip(ours, promises, strict=True) if p.learnt]
    history = [(s.promised_by, s) for s in window if s.promised_by is not None]
    return ReplayReport(
        promises=tuple(promises),
        confidence=confidence,
        ours=kept(ours),
        learnt=kept(learnt),
        history=kept(history),
        by_month=_by_month(ours, history),
        retrains=retrains,
    )


def _by_month(
    ours: list[tuple[date, Shipment]], history: list[tuple[date, Shipment]]
) -> tuple[tuple[str, Kept, Kept | None], ...]:
    def month(pair: tuple[date, Shipment]) -> str:
        return pair[1].ordered_at.strftime("%Y-%m")

    theirs = {m: kept(pairs) for m, pairs in groupby(sorted(history, key=month), key=month)}
    rows = []
    for m, pairs in groupby(sorted(ours, key=month), key=month):
        mine = kept(pairs)
        if mine is not None:
            rows.append((m, mine, theirs.get(m)))
    return tuple(rows)

"""The replay: every order of the window promised once, in time order, by a model that
knows only the deliveries completed before it promises; and how the promises fared."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from ordino.promising.domain.history import slack_days
from ordino.promising.engine.transit import Leg, TransitSettings
from ordino.promising.engine.transit_boosting import Boosting
from ordino.promising.services.replay import ReplayPlan, ReplayReport, kept, replay
from tests.support.shipments import BRASILIA, START, a_history, poisoned

SETTINGS = TransitSettings(
    levels=(0.9,),
    legs=(Leg.LEAD,),
    boosting=Boosting(rounds=40),
    holdout_days=14,
    settle_days=7,
    calibration_size=150,
)
HISTORY = a_history(days=90, per_day=12)
FIRST, LAST = START.date() + timedelta(days=50), START.date() + timedelta(days=74)
PLAN = ReplayPlan(FIRST, LAST, 0.9, retrain_days=5, settings=SETTINGS)


@pytest.fixture(scope="module")
def report() -> ReplayReport:
    return replay(HISTORY, PLAN)


@pytest.mark.parametrize(
    "poisoned_from",
    [
        datetime.combine(FIRST + timedelta(days=7), time(0), BRASILIA),
        datetime.combine(FIRST + timedelta(days=12), time(13, 37), BRASILIA),
        datetime.combine(FIRST + timedelta(days=20), time(21, 5), BRASILIA),
    ],
)
def test_no_promise_sees_a_delivery_completed_after_it(
    report: ReplayReport, poisoned_from: datetime
) -> None:
    # Every delivery completed from `poisoned_from` on is made 40 days later, and every
    # order placed from then on goes elsewhere: no promise made before may change.
    replayed = replay(poisoned(HISTORY, poisoned_from), PLAN)

    placed = {s.shipment_id: s.ordered_at for s in HISTORY}
    before = [p for p in report.promises if placed[p.shipment_id] < poisoned_from]
    after = [p for p in report.promises if placed[p.shipment_id] >= poisoned_from]
    assert before and after
    assert replayed.promises[: len(before)] == tuple(before)
    assert replayed.promises[len(before) :] != tuple(after)  # the poison does act


def test_every_order_of_the_window_is_promised_once_in_time_order(report: ReplayReport) -> None:
    window = [s for s in HISTORY if FIRST <= s.ordered_at.date() <= LAST]
    window.sort(key=lambda s: (s.ordered_at, s.shipment_id))

    assert [p.shipment_id for p in report.promises] == [s.shipment_id for s in window]
    assert all(p.learnt for p in report.promises)
    # Every 5 days over the 26 UTC days the window's local dates touch.
    assert report.retrains == 6


def test_the_report_compares_ours_with_the_history_s_promises(report: ReplayReport) -> None:
    by_id = {s.shipment_id: s for s in HISTORY}
    ours = [(p.promised_by, by_id[p.shipment_id]) for p in report.promises]
    theirs = [(s.promised_by, s) for _, s in ours if s.promised_by is not None]

    assert report.ours == kept(ours) == report.learnt
    assert report.history == kept(theirs)
    assert report.ours is not None and report.history is not None
    slacks = [slack_days(day, s) for day, s in ours]
    assert report.ours.mean_slack == pytest.approx(sum(slacks) / len(slacks))
    assert sum(k.promises for _, k, _ in report.by_month) == len(report.promises)


def test_the_confidence_asked_is_about_the_confidence_achieved(report: ReplayReport) -> None:
    assert report.learnt is not None
    assert 0.85 <= report.learnt.on_time <= 0.96


def test_where_history_is_thin_the_fallback_is_promised() -> None:
    first_days = ReplayPlan(START.date(), START.date() + timedelta(days=2), settings=SETTINGS)

    early = replay(HISTORY, first_days)

    placed_on = {s.shipment_id: s.ordered_at.date() for s in HISTORY}
    assert early.promises and not any(p.learnt for p in early.promises)
    assert all(p.promised_by == placed_on[p.shipment_id] + timedelta(30) for p in early.promises)
    assert early.learnt is None

"""The transit-time model: calibrated promises, silence where history is thin, the same
answer for the same input, adaptation to drift, and nothing learnt from the future."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from statistics import median

import pytest

from ordino.promising.domain.history import Place, Shipment
from ordino.promising.engine.transit import Leg, TransitModel, TransitQuery, TransitSettings, train
from ordino.promising.engine.transit_boosting import Boosting
from ordino.promising.engine.transit_features import ordered
from ordino.promising.engine.transit_format import UnreadableModel, from_json, to_json
from tests.support.shipments import REGIONS, START, a_history, extra_quantile, extra_share, midnight
from tests.support.shipments import poisoned as poison

FAST = TransitSettings(
    levels=(0.9,),
    boosting=Boosting(rounds=60),
    holdout_days=14,
    settle_days=7,
    calibration_size=400,
)
HISTORY = a_history(days=120, per_day=20)
AS_OF = midnight(START.date() + timedelta(days=90))


@pytest.fixture(scope="module")
def model() -> TransitModel:
    return train(HISTORY, AS_OF, FAST)


def _placed(history: Sequence[Shipment], after: datetime) -> list[Shipment]:
    return [s for s in history if s.ordered_at >= after]


def _coverage(model: TransitModel, shipments: Sequence[Shipment], confidence: float) -> float:
    days = model.promise_days_many([ordered(s) for s in shipments], confidence)
    kept = [s.lead_days <= d for s, d in zip(shipments, days, strict=True) if d is not None]
    assert len(kept) == len(shipments)
    return sum(kept) / len(kept)


def test_a_promise_at_90_percent_keeps_about_90_percent(model: TransitModel) -> None:
    later = _placed(HISTORY, AS_OF)  # 600 orders the model never saw delivered

    coverage = _coverage(model, later, 0.9)

    # Whole days: the least promise keeping 90% keeps 91.8% of this distribution.
    assert extra_share(extra_quantile(0.9)) == pytest.approx(0.918, abs=0.001)
    assert 0.87 <= coverage <= 0.95


def test_each_region_is_promised_after_its_own_lead_times(model: TransitModel) -> None:
    later = _placed(HISTORY, AS_OF)
    medians = []

    for region in sorted(REGIONS, key=lambda region: REGIONS[region][1]):
        to_region = [s for s in later if s.destination.region == region]
        days = model.promise_days_many([ordered(s) for s in to_region], 0.9)
        medians.append(median(d for d in days if d is not None))
        assert 0.82 <= _coverage(model, to_region, 0.9) <= 0.98

    assert medians == sorted(medians) and medians[0] < medians[-1] - 5  # SP, RJ, then AM


def test_the_transit_leg_is_promised_from_the_shipping_moment(model: TransitModel) -> None:
    shipment = _placed(HISTORY, AS_OF)[0]
    assert shipment.shipped_at is not None
    query = TransitQuery(shipment.shipped_at, shipment.origin, shipment.destination)

    transit = model.promise_days(query, 0.9, Leg.TRANSIT)
    lead = model.promise_days(ordered(shipment), 0.9)

    assert transit is not None and lead is not None
    assert 0 < transit <= lead


def test_thin_history_gets_no_promise(model: TransitModel) -> None:
    shipment = _placed(HISTORY, AS_OF)[0]
    abroad = replace(ordered(shipment), destination=Place("1000-001", "11", "PT"))
    by_a_new_service = replace(ordered(shipment), carrier="DHL", service="express")
    barely = train(HISTORY[:40], AS_OF, FAST)

    assert model.promise_days(ordered(shipment), 0.9) is not None
    assert model.promise_days(abroad, 0.9) is None
    assert model.promise_days(by_a_new_service, 0.9) is None
    assert barely.learners == {}
    assert barely.promise_days(ordered(shipment), 0.9) is None


def test_the_same_history_gives_the_same_model_and_promises(model: TransitModel) -> None:
    again = train(list(reversed(HISTORY)), AS_OF, FAST)
    later = [ordered(s) for s in _placed(HISTORY, AS_OF)]

    assert to_json(again) == to_json(model)
    assert again.promise_days_many(later, 0.9) == model.promise_days_many(later, 0.9)


def test_a_saved_model_loads_and_promises_the_same(model: TransitModel) -> None:
    loaded = from_json(to_json(model))
    later = [ordered(s) for s in _placed(HISTORY, AS_OF)]

    assert loaded.promise_days_many(later, 0.9) == model.promise_days_many(later, 0.9)
    assert to_json(loaded) == to_json(model)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ('{"format": "something else"}', "not an Ordino transit model"),
        ('{"format": "ordino-transit-model", "version": 99}', "model version 99"),
        ('{"format": "ordino-transit-model", "version": 1}', "a damaged transit model"),
    ],
)
def test_what_is_not_a_model_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(UnreadableModel, match=message):
        from_json(text)


def test_deliveries_after_as_of_are_not_looked_at(model: TransitModel) -> None:
    assert to_json(train(poison(HISTORY, AS_OF), AS_OF, FAST)) == to_json(model)


def test_observe_takes_only_deliveries_between_the_two_moments(model: TransitModel) -> None:
    before = next(s for s in HISTORY if s.delivered_at < AS_OF)
    after = next(s for s in HISTORY if s.delivered_at >= AS_OF + timedelta(days=1))

    with pytest.raises(ValueError, match="not delivered between"):
        model.observe([before], AS_OF + timedelta(days=1))
    with pytest.raises(ValueError, match="not delivered between"):
        model.observe([after], AS_OF + timedelta(days=1))


def test_confidence_must_be_a_share(model: TransitModel) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        model.promise_days(ordered(HISTORY[0]), 95)


def test_calibration_follows_a_drift_as_deliveries_complete() -> None:
    # From day 60 every order takes 6 days more; the model learnt before that.
    drifting = a_history(days=120, per_day=20, drift=lambda day: 6 if day >= 60 else 0)
    as_of = midnight(START.date() + timedelta(days=60))
    stale = train(drifting, as_of, FAST)
    later = _placed(drifting, as_of + timedelta(days=40))

    told = stale
    for day in range(1, 41):  # told each day of the deliveries completed the day before
        moment = as_of + timedelta(days=day)
        told = told.observe([s for s in drifting if told.as_of <= s.delivered_at < moment], moment)

    assert _coverage(stale, later, 0.9) < 0.7
    assert 0.85 <= _coverage(told, later, 0.9) <= 0.97
    assert told.as_of == as_of + timedelta(days=40)


def test_a_history_that_thins_out_calibrates_on_its_newest_deliveries() -> None:
    first_60_days = HISTORY[:1200]  # orders up to day 60, the model as of day 90

    thinned = train(first_60_days, AS_OF, FAST)

    assert len(thinned.learners[Leg.LEAD, 0.5].calibration.scores) == FAST.calibration_size


def test_a_query_without_an_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="needs its offset"):
        TransitQuery(datetime(2026, 4, 1, 10, 0))  # noqa: DTZ001

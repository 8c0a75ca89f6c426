"""The pieces under the transit model: conformity scores and promises agree exactly on
whole days; the margin keeps the share asked; recent performance counts only the
days before the query's."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.promising.engine.transit_calibration import Calibration, Scale, promised, scores
from ordino.promising.engine.transit_recent import ALL, Delivery, RecentPerformance


@given(
    taken=st.integers(0, 200),
    predicted=st.floats(-5, 150),
    margin=st.floats(-3, 30),
    scale=st.sampled_from(Scale),
)
def test_a_delivery_is_kept_exactly_when_its_score_is_within_the_margin(
    taken: int, predicted: float, margin: float, scale: Scale
) -> None:
    if scale is Scale.RATIO:
        margin = margin / 10
    score = scores(np.array([float(taken)]), np.array([predicted]), scale)[0]
    days = promised(np.array([predicted]), margin, scale)[0]

    if score <= margin:
        assert taken <= days
    if score > margin + 1e-6:
        # A promise is never of fewer than 0 days: a margin below that keeps a
        # same-day delivery all the same.
        assert taken > days or taken == days == 0


@pytest.mark.parametrize("scale", list(Scale))
def test_the_margin_keeps_the_confidence_asked_on_its_scores(scale: Scale) -> None:
    rng = np.random.default_rng(3)
    taken = rng.integers(1, 30, 500).astype(float)
    predicted = rng.uniform(0, 20, 500)
    calibration = Calibration(size=500).adding(scores(taken, predicted, scale).tolist())

    for confidence in (0.8, 0.9, 0.95, 0.98):
        margin = calibration.margin(confidence, minimum=50)
        assert margin is not None
        kept = float(np.mean(taken <= promised(predicted, margin, scale)))
        assert confidence <= kept <= confidence + 0.01


def test_a_margin_needs_enough_scores_and_keeps_the_newest() -> None:
    calibration = Calibration(size=3).adding([5.0, 1.0]).adding([2.0, 3.0])

    assert calibration.scores == (1.0, 2.0, 3.0)
    assert calibration.margin(0.5, minimum=4) is None
    assert calibration.margin(0.5, minimum=3) == 2.0
    assert calibration.margin(0.99, minimum=3) == 3.0


def test_recent_percentiles_count_only_the_window_before_the_day() -> None:
    day = 740_000
    deliveries = [Delivery("lead", ALL, day - 1, 3)] * 10 + [
        Delivery("lead", ALL, day - 20, 9)
    ] * 10
    deliveries += [Delivery("lead", ALL, day, 50)] * 100  # completed on the day itself
    deliveries += [Delivery("lead", "BR/AM", day - 1, 12)] * 9  # too few to tell
    recent = RecentPerformance().adding(deliveries)

    medians, p90s = recent.percentiles("lead", [ALL, "BR/AM", "BR/SP", None], [day] * 4, 30)
    shorter = recent.percentiles("lead", [ALL], [day], window=14)

    assert (medians[0], p90s[0]) == (3, 9)
    assert (shorter[0][0], shorter[1][0]) == (3, 3)
    assert all(math.isnan(value) for value in (*medians[1:], *p90s[1:]))
    assert recent.since(day).tallies == {("lead", ALL): {day: {50: 100}}}

"""The transit-time model: how many days to promise a shipment at a chosen confidence.

Learned from shipment history (`ordino.promising.domain.history`): per leg (order to
delivery, hand-over to delivery) LightGBM trees of the days taken, by default one
centre (least squares on log days) or else a quantile model per level
(`transit_boosting`), fed with the query's own features and the recent performance
of completed deliveries (`transit_features`), and calibrated on deliveries they did
not learn from to the confidence asked (`transit_calibration`).

Invariants:
  * `train(shipments, as_of)` uses only the shipments delivered before `as_of`, and
    `model.observe(delivered, as_of)` only the ones given, which must be delivered
    before its `as_of` and after the model's: nothing later can reach a promise;
  * the same input gives the same model and the same promises (one thread,
    deterministic trees, ties broken by shipment id);
  * a query the history says too little about gets None, never a guess: the
    caller falls back to its carriers' tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import lightgbm
import numpy as np

from ordino.promising.domain.history import Shipment
from ordino.promising.engine import transit_boosting as boosting
from ordino.promising.engine.transit_calibration import Calibration, Scale, promised, scores
from ordino.promising.engine.transit_features import (
    CATEGORICAL,
    Leg,
    TransitQuery,
    Windows,
    categories,
    days_taken,
    deliveries_of,
    matrix,
    query_of,
)
from ordino.promising.engine.transit_recent import Floats, RecentPerformance, day_of

__all__ = ["Leg", "TransitModel", "TransitQuery", "TransitSettings", "train"]


@dataclass(frozen=True)
class TransitSettings:
    # Quantile models fitted per leg (objective QUANTILE only; LOG fits one centre).
    levels: tuple[float, ...] = (0.8, 0.9, 0.95, 0.98)
    legs: tuple[Leg, ...] = (Leg.LEAD, Leg.TRANSIT)
    boosting: boosting.Boosting = field(default_factory=boosting.Boosting)
    windows: Windows = field(default_factory=Windows)
    scale: Scale = Scale.DAYS
    min_training: int = 200  # deliveries a leg needs to be learnt at all
    min_history: int = 30  # deliveries to a country (and carrier service) to answer for it
    holdout_days: int = 28  # the newest deliveries are kept out of fitting, to calibrate on
    # Orders of the last days before the holdout are fitted only once settled: of
    # them only the quick ones have arrived, and they would teach that all are quick.
    settle_days: int = 21
    calibration_size: int = 300  # newest scores the margin is taken from
    min_calibration: int = 50
    retention_days: int = 240  # recent tallies kept: the window plus the longest leads


@dataclass(frozen=True)
class Learner:
    """One base model and the calibration of its promises."""

    booster: lightgbm.Booster
    calibration: Calibration


@dataclass(frozen=True)
class TransitModel:
    as_of: datetime  # it knows the deliveries completed before this moment
    settings: TransitSettings
    vocabulary: Mapping[str, tuple[str, ...]]
    recent: RecentPerformance
    support: Mapping[str, int]  # deliveries known per leg, country (and carrier service)
    learners: Mapping[tuple[Leg, float], Learner]

    def promise_days(
        self, query: TransitQuery, confidence: float, leg: Leg = Leg.LEAD
    ) -> int | None:
        """Whole days after `query.at`'s date that keep `confidence` of promises, or
        None when the history is too thin for this query."""
        return self.promise_days_many([query], confidence, leg)[0]

    def promise_days_many(
        self, queries: Sequence[TransitQuery], confidence: float, leg: Leg = Leg.LEAD
    ) -> list[int | None]:
        if not 0 < confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
        learner = self._learner(leg, confidence)
        margin = None
        if learner is not None:
            margin = learner.calibration.margin(confidence, self.settings.min_calibration)
        if learner is None or margin is None or not queries:
            return [None] * len(queries)
        predicted = boosting.predict(
            learner.booster, self._rows(queries, leg), self.settings.boosting
        )
        days = promised(predicted, margin, self.settings.scale)
        return [int(d) if self._knows(q, leg) else None for q, d in zip(queries, days, strict=True)]

    def observe(self, delivered: Sequence[Shipment], as_of: datetime) -> TransitModel:
        """The model told of deliveries completed since its `as_of`, up to `as_of`:
        recent performance and calibration follow them; the trees stay as they are."""
        outside = [s.shipment_id for s in delivered if not self.as_of <= s.delivered_at < as_of]
        if outside:
            raise ValueError(f"not delivered between {self.as_of} and {as_of}: {outside[:5]}")
        ordered = _by_delivery(delivered)
        recent = self.recent.adding(deliveries_of(ordered))
        model = replace(self, as_of=as_of, recent=recent, support=_support(ordered, self.support))
        learners = {
            key: model._scored(key, learner, ordered) for key, learner in self.learners.items()
        }
        return replace(model, learners=learners, recent=recent.since(model._first_kept_day()))

    def _learner(self, leg: Leg, confidence: float) -> Learner | None:
        levels = [level for (of, level) in self.learners if of is leg]
        if not levels:
            return None
        nearest = min(levels, key=lambda level: (abs(level - confidence), -level))
        return self.learners[leg, nearest]

    def _rows(self, queries: Sequence[TransitQuery], leg: Leg) -> Floats:
        latest = day_of(self.as_of)
        return matrix(queries, leg, self.vocabulary, self.recent, latest, self.settings.windows)

    def _knows(self, query: TransitQuery, leg: Leg) -> bool:
        key = _support_key(leg, query.destination.country, query.carrier, query.service)
        return self.support.get(key, 0) >= self.settings.min_history

    def _scored(
        self, key: tuple[Leg, float], learner: Learner, delivered: Sequence[Shipment]
    ) -> Learner:
        leg = key[0]
        queries, taken = _examples(delivered, leg)
        if not queries:
            return learner
        predicted = boosting.predict(
            learner.booster, self._rows(queries, leg), self.settings.boosting
        )
        new = scores(taken, predicted, self.settings.scale)
        return Learner(learner.booster, learner.calibration.adding(new.tolist()))

    def _first_kept_day(self) -> int:
        return day_of(self.as_of - timedelta(days=self.settings.retention_days))


def train(
    shipments: Iterable[Shipment],
    as_of: datetime,
    settings: TransitSettings | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> TransitModel:
    """A model of the shipments delivered before `as_of` (the others are not looked at).

    The deliveries of the last `holdout_days` (at least the `calibration_size`
    newest) are kept out of fitting and calibrate it; all of them feed recent
    performance and support. `progress(done, total)` is told of each leg learnt."""
    settings = settings or TransitSettings()
    known = _by_delivery([s for s in shipments if s.delivered_at < as_of])
    recent = RecentPerformance().adding(deliveries_of(known))
    vocabulary = _vocabulary(known, settings.legs)
    model = TransitModel(as_of, settings, vocabulary, recent, _support(known, {}), {})
    split = _holdout_start(known, as_of, settings)
    settled = split - timedelta(days=settings.settle_days)
    fitted = [s for s in known if s.delivered_at < split and s.ordered_at < settled]
    held = [s for s in known if s.delivered_at >= split]
    learners: dict[tuple[Leg, float], Learner] = {}
    for leg in settings.legs:
        learners |= _learners(model, leg, fitted, held)
        if progress is not None:
            progress(settings.legs.index(leg) + 1, len(settings.legs))
    return replace(model, learners=learners, recent=recent.since(model._first_kept_day()))


def _holdout_start(
    known: Sequence[Shipment], as_of: datetime, settings: TransitSettings
) -> datetime:
    """Where the deliveries kept to calibrate begin: `holdout_days` before `as_of`, or
    earlier when those days hold fewer than a calibration's worth (a history that
    thins out at its end, such as a sample of orders up to a date)."""
    split = as_of - timedelta(days=settings.holdout_days)
    if len(known) >= settings.calibration_size:
        split = min(split, known[-settings.calibration_size].delivered_at)
    return split


def _learners(
    model: TransitModel, leg: Leg, fitted: Sequence[Shipment], held: Sequence[Shipment]
) -> dict[tuple[Leg, float], Learner]:
    """The leg's learners, one per level, fitted on `fitted` and calibrated on `held`."""
    settings = model.settings
    queries, taken = _examples(fitted, leg)
    if len(queries) < settings.min_training:
        return {}
    rows = model._rows(queries, leg)
    categorical = list(range(len(CATEGORICAL)))
    learners = {}
    for level in settings.boosting.levels(settings.levels):
        booster = boosting.fit(rows, taken, level, categorical, settings.boosting)
        empty = Learner(booster, Calibration(size=settings.calibration_size))
        learners[leg, level] = model._scored((leg, level), empty, held)
    return learners


def _examples(shipments: Sequence[Shipment], leg: Leg) -> tuple[list[TransitQuery], Floats]:
    """The queries of a leg as they stood when it began, and the days each took."""
    queries, taken = [], []
    for shipment in shipments:
        query, days = query_of(shipment, leg), days_taken(shipment, leg)
        if query is not None and days is not None:
            queries.append(query)
            taken.append(days)
    return queries, np.array(taken, dtype=np.float64)


def _by_delivery(shipments: Iterable[Shipment]) -> list[Shipment]:
    return sorted(shipments, key=lambda s: (s.delivered_at, s.shipment_id))


def _vocabulary(shipments: Sequence[Shipment], legs: Sequence[Leg]) -> dict[str, tuple[str, ...]]:
    queries = [q for leg in legs for s in shipments if (q := query_of(s, leg)) is not None]
    return {name: tuple(values) for name, values in categories(queries).items()}


def _support_key(leg: Leg, country: str | None, carrier: str | None, service: str | None) -> str:
    if carrier is None and service is None:
        return f"{leg}|{country}"
    return f"{leg}|{country}|{carrier or ''}|{service or ''}"


def _support(shipments: Sequence[Shipment], before: Mapping[str, int]) -> dict[str, int]:
    """Deliveries known per leg and destination country, and per carrier service there."""
    counts = Counter(before)
    for shipment in shipments:
        country = shipment.destination.country
        for leg in Leg:
            if days_taken(shipment, leg) is None:
                continue
            counts[_support_key(leg, country, None, None)] += 1
            if shipment.carrier is not None or shipment.service is not None:
                counts[_support_key(leg, country, shipment.carrier, shipment.service)] += 1
    return dict(counts)

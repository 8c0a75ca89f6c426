"""Transit-time models on disk: saved by `ordino promise train`, loaded by the server.

The server reads the model named by the setting ORDINO_TRANSIT_MODEL with
`load_model(path)`; a model is a JSON document (`ordino.promising.engine.transit_format`),
written whole or not at all so a server never reads half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from ordino.network.domain import CarrierService, Lane
from ordino.promising.domain.history import Place, Shipment
from ordino.promising.engine.transit import Leg, TransitModel, TransitQuery
from ordino.promising.engine.transit_boosting import Objective
from ordino.promising.engine.transit_format import UnreadableModel, from_json, to_json

__all__ = [
    "LearnedTransit",
    "ModelSummary",
    "UnreadableModel",
    "end_of",
    "load_model",
    "save_model",
    "summary",
]


def save_model(model: TransitModel, path: Path) -> None:
    text = to_json(model)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temporary).chmod(0o644)  # readable by the server's user, as a plain write would be
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_model(path: Path | str) -> TransitModel:
    """The model saved at `path`; UnreadableModel when it is not one."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableModel(f"cannot read the transit model {path}: {error}") from None
    return from_json(text)


def end_of(shipments: Sequence[Shipment]) -> datetime:
    """Just after the last order: the moment a model of the whole history is as of.

    Not the last delivery: an export of orders up to a date (delivered ones only)
    goes on with the slowest of its last orders only, and a model calibrated on
    those would promise as if every shipment were that slow."""
    return max(s.ordered_at for s in shipments) + timedelta(seconds=1)


@dataclass(frozen=True)
class ModelSummary:
    as_of: datetime
    known: dict[Leg, int]  # deliveries known per leg
    learners: list[tuple[str, int]]  # each base model (its leg, and level) and the scores held


def summary(model: TransitModel) -> ModelSummary:
    known = {leg: 0 for leg in Leg}
    for key, count in model.support.items():
        leg, *rest = key.split("|")
        if len(rest) == 1:  # per country; the carrier-service counts are within them
            known[Leg(leg)] += count
    per_level = model.settings.boosting.objective is Objective.QUANTILE
    learners = [
        (f"{leg} at {level:.0%}" if per_level else str(leg), len(learner.calibration.scores))
        for (leg, level), learner in sorted(model.learners.items())
    ]
    return ModelSummary(model.as_of, known, learners)


class LearnedTransit:
    """A saved model as the promise engine's transit estimator: calendar days from
    the hand-over to the carrier to delivery, at the confidence the server promises
    (`ORDINO_PROMISE_CONFIDENCE`), or None where its history is thin (the carrier's
    table then stands). The hand-over is taken at 17:00 UTC of the ship day: the
    engine knows the day, not the carrier's hour. Asked of the carrier and service
    first; a history that does not know them answers for the lane."""

    HAND_OVER = time(17, 0)

    def __init__(self, model: TransitModel, confidence: float) -> None:
        self.model, self.confidence = model, confidence

    def latest_days(self, lane: Lane, service: CarrierService, shipped_on: date) -> int | None:
        query = TransitQuery(
            at=datetime.combine(shipped_on, self.HAND_OVER, tzinfo=UTC),
            origin=Place(None, None, lane.origin_country, lane.origin),
            destination=Place(
                lane.destination_postal_code, None, lane.destination_country, lane.destination
            ),
            carrier=service.carrier,
            service=service.code,
        )
        days = self.model.promise_days(query, self.confidence, Leg.TRANSIT)
        if days is None:  # a history without this carrier: what it knows of the lane
            general = replace(query, carrier=None, service=None)
            days = self.model.promise_days(general, self.confidence, Leg.TRANSIT)
        return days

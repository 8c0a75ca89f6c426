"""The transit-time model as text: one JSON document, safe to load (no pickle).

    {"format": "ordino-transit-model", "version": 1, "as_of": RFC 3339,
     "settings": {...}, "vocabulary": {feature: [values]}, "support": {key: n},
     "recent": [[leg, key, "YYYY-MM-DD", {days taken: deliveries}], ...],
     "learners": [{"leg", "level", "size", "scores": [...], "trees": LightGBM text}]}

A model written by one version loads in the same version only: a different
layout is refused with a clear error rather than misread.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from ordino.promising.engine import transit_boosting as boosting
from ordino.promising.engine.transit import Learner, TransitModel, TransitSettings
from ordino.promising.engine.transit_calibration import Calibration, Scale
from ordino.promising.engine.transit_features import Leg, Windows
from ordino.promising.engine.transit_recent import RecentPerformance

FORMAT, VERSION = "ordino-transit-model", 1


class UnreadableModel(ValueError):
    """The text is not a transit model this version can read."""


def to_json(model: TransitModel) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "as_of": model.as_of.isoformat(),
        "settings": asdict(model.settings),
        "vocabulary": {name: list(values) for name, values in model.vocabulary.items()},
        "support": dict(sorted(model.support.items())),
        "recent": _recent(model.recent),
        "learners": [
            _learner(leg, level, learner) for (leg, level), learner in model.learners.items()
        ],
    }
    return json.dumps(document, indent=1)


def from_json(text: str) -> TransitModel:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UnreadableModel(f"not JSON: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UnreadableModel(f'not an Ordino transit model (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise UnreadableModel(
            f"model version {document.get('version')}, this Ordino reads {VERSION}"
        )
    try:
        return _model(document)
    except (KeyError, TypeError, ValueError) as error:
        raise UnreadableModel(f"a damaged transit model: {error!r}") from None


def _recent(recent: RecentPerformance) -> list[list[Any]]:
    return [
        [
            leg,
            key,
            date.fromordinal(day).isoformat(),
            {str(t): n for t, n in sorted(counts.items())},
        ]
        for (leg, key), days in sorted(recent.tallies.items())
        for day, counts in sorted(days.items())
    ]


def _learner(leg: Leg, level: float, learner: Learner) -> dict[str, Any]:
    return {
        "leg": leg.value,
        "level": level,
        "size": learner.calibration.size,
        "scores": list(learner.calibration.scores),
        "trees": boosting.to_text(learner.booster),
    }


def _model(document: dict[str, Any]) -> TransitModel:
    tallies: dict[tuple[str, str], dict[int, dict[int, int]]] = {}
    for leg, key, day, counts in document["recent"]:
        day_number = date.fromisoformat(day).toordinal()
        tallies.setdefault((leg, key), {})[day_number] = {int(t): int(n) for t, n in counts.items()}
    learners = {
        (Leg(item["leg"]), float(item["level"])): Learner(
            boosting.from_text(item["trees"]),
            Calibration(tuple(float(s) for s in item["scores"]), int(item["size"])),
        )
        for item in document["learners"]
    }
    return TransitModel(
        as_of=datetime.fromisoformat(document["as_of"]),
        settings=_settings(document["settings"]),
        vocabulary={name: tuple(values) for name, values in document["vocabulary"].items()},
        recent=RecentPerformance(tallies),
        support={key: int(n) for key, n in document["support"].items()},
        learners=learners,
    )


def _settings(fields: dict[str, Any]) -> TransitSettings:
    return TransitSettings(
        **{
            **fields,
            "levels": tuple(float(level) for level in fields["levels"]),
            "legs": tuple(Leg(leg) for leg in fields["legs"]),
            "boosting": boosting.Boosting(
                **{
                    **fields["boosting"],
                    "objective": boosting.Objective(fields["boosting"]["objective"]),
                }
            ),
            "windows": Windows(**fields["windows"]),
            "scale": Scale(fields["scale"]),
        }
    )

"""Gradient-boosted trees (LightGBM) of the days a shipment takes, kept deterministic.

One thread and LightGBM's deterministic mode: the same rows give the same trees,
bit for bit, on any machine with the same LightGBM. Trees are kept as LightGBM's
own text format, which loads without running code (unlike a pickle).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import lightgbm
import numpy as np

from ordino.promising.engine.transit_recent import Floats


class Objective(StrEnum):
    # Least squares on log(1 + days): a centre (about the median) that calibration
    # widens to any confidence. Steadier than quantile trees on thin histories:
    # docs/promising.md has the comparison.
    LOG = "log"
    QUANTILE = "quantile"  # one model per level, each predicting its quantile


@dataclass(frozen=True)
class Boosting:
    rounds: int = 300
    leaves: int = 7
    learning_rate: float = 0.05
    min_leaf: int = 50
    feature_fraction: float = 1.0
    objective: Objective = Objective.LOG

    def levels(self, asked: tuple[float, ...]) -> tuple[float, ...]:
        """The levels to fit: the centre only, unless each level is a model."""
        return asked if self.objective is Objective.QUANTILE else (0.5,)

    def parameters(self, level: float) -> dict[str, Any]:
        return {
            "objective": "quantile" if self.objective is Objective.QUANTILE else "regression",
            "alpha": level,
            "num_leaves": self.leaves,
            "learning_rate": self.learning_rate,
            "min_data_in_leaf": self.min_leaf,
            "min_data_per_group": self.min_leaf,
            "feature_fraction": self.feature_fraction,
            "cat_smooth": 10.0,
            "lambda_l2": 1.0,
            "num_threads": 1,
            "deterministic": True,
            "force_row_wise": True,
            "seed": 7,
            "verbosity": -1,
        }


def fit(
    rows: Floats, days_taken: Floats, level: float, categorical: list[int], boosting: Boosting
) -> lightgbm.Booster:
    """A booster predicting the `level` quantile of the days taken."""
    data = lightgbm.Dataset(
        rows,
        label=days_taken if boosting.objective is Objective.QUANTILE else np.log1p(days_taken),
        categorical_feature=categorical,
        free_raw_data=True,
        params={"verbosity": -1, "max_bin": 63},
    )
    return lightgbm.train(boosting.parameters(level), data, num_boost_round=boosting.rounds)


def predict(booster: lightgbm.Booster, rows: Floats, boosting: Boosting) -> Floats:
    if len(rows) == 0:
        return np.zeros(0)
    predicted = np.asarray(booster.predict(rows, num_threads=1), dtype=np.float64)
    return predicted if boosting.objective is Objective.QUANTILE else np.expm1(predicted)


def to_text(booster: lightgbm.Booster) -> str:
    return str(booster.model_to_string())


def from_text(text: str) -> lightgbm.Booster:
    return lightgbm.Booster(model_str=text)

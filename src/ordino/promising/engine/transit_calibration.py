"""Calibration: the margin that makes a quantile model's promises keep the confidence
asked for on recent deliveries (split conformal prediction over a rolling window).

A base model predicts a quantile q of the days a shipment takes. Its conformity
score on a completed delivery that it did not learn from says how far the promise
had to move to cover it; the margin for confidence c is the c-quantile of the
newest scores (with the finite-sample correction), so c of them would have been
kept. As deliveries complete, their scores replace the oldest: when performance
drifts the margin follows within a window's worth of deliveries.

Scores are exact for whole-day promises. With scale RATIO the promise is
floor((q + 1) * e^m) and a delivery taking y days is kept iff
log(y) - log(q + 1) <= m; with DAYS it is floor(q + m) + 1, kept iff y - 1 - q <= m.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from ordino.promising.engine.transit_recent import Floats

# A score taken back to days may land a hair below the whole day it came from.
ROUNDING = 1e-9


class Scale(StrEnum):
    DAYS = "days"  # margins in days: the same for a 2-day and a 20-day shipment
    RATIO = "ratio"  # margins in proportion: a long shipment gets a longer one


def scores(days_taken: Floats, predicted: Floats, scale: Scale) -> Floats:
    """Each delivery's conformity score: the least margin that would have kept it."""
    q = np.maximum(predicted, 0.0)
    if scale is Scale.DAYS:
        result: Floats = days_taken - 1 - q
        return result
    # A same-day delivery (0 days) is kept by any promise: a score below any other.
    ratio: Floats = np.log(np.maximum(days_taken, 0.5)) - np.log(q + 1)
    return ratio


def promised(predicted: Floats, margin: float, scale: Scale) -> npt.NDArray[np.int64]:
    """Whole days to promise for each prediction, given the margin."""
    q = np.maximum(predicted, 0.0)
    if scale is Scale.DAYS:
        days: Floats = np.floor(q + margin + ROUNDING) + 1
    else:
        days = np.floor((q + 1) * math.exp(margin) + ROUNDING)
    return np.maximum(days, 0).astype(np.int64)


@dataclass(frozen=True)
class Calibration:
    """The newest scores of one base model, oldest first, at most `size` of them."""

    scores: tuple[float, ...] = ()
    size: int = 600

    def adding(self, new: Iterable[float]) -> Calibration:
        return Calibration((*self.scores, *new)[-self.size :], self.size)

    def margin(self, confidence: float, minimum: int) -> float | None:
        """The margin that would have kept `confidence` of the scores; None with fewer
        than `minimum` of them."""
        n = len(self.scores)
        if n < minimum:
            return None
        rank = min(n, math.ceil(confidence * (n + 1)))
        return sorted(self.scores)[rank - 1]

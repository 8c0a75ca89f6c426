"""Recent performance: how long deliveries completed lately took, overall and per region.

Deliveries are tallied by the UTC day they were completed on, per leg (order to
delivery, ship to delivery) and per key (`ALL`, or a destination region key). The
statistics for a query on day D are taken over the days before D only, so every
delivery they count was completed before any moment of day D: a promise made on D
never sees a delivery of D or later. Percentiles are exact over whole days; values
above CAP_DAYS count as CAP_DAYS (the percentiles used are well below that).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

ALL = "*"
CAP_DAYS = 120
MIN_COUNT = 10  # fewer deliveries in a window tell too little: the statistic is NaN

Floats = npt.NDArray[np.float64]
# (leg, key) -> UTC day ordinal -> days taken -> deliveries
Tallies = Mapping[tuple[str, str], Mapping[int, Mapping[int, int]]]


def day_of(moment: datetime) -> int:
    """The UTC day ordinal of an aware moment."""
    return moment.astimezone(UTC).date().toordinal()


@dataclass(frozen=True)
class Delivery:
    """One completed delivery as the tallies see it."""

    leg: str
    key: str
    day: int  # UTC day ordinal of completion
    days_taken: int


@dataclass(frozen=True)
class RecentPerformance:
    tallies: Tallies = field(default_factory=dict)
    # Statistics already taken, by (leg, key, day, window): the tallies never change,
    # and every promise of a day asks for the same few.
    _known: dict[tuple[str, str, int, int], tuple[float, float]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def adding(self, deliveries: Iterable[Delivery]) -> RecentPerformance:
        added = Counter((d.leg, d.key, d.day, d.days_taken) for d in deliveries)
        # Copies only the days that change: the replay adds a day at a time.
        tallies = {key: dict(days) for key, days in self.tallies.items()}
        changed: dict[tuple[str, str, int], dict[int, int]] = {}
        for (leg, key, day, taken), count in sorted(added.items()):
            if (leg, key, day) not in changed:
                changed[leg, key, day] = dict(tallies.get((leg, key), {}).get(day, {}))
            counts = changed[leg, key, day]
            counts[taken] = counts.get(taken, 0) + count
        for (leg, key, day), counts in changed.items():
            tallies.setdefault((leg, key), {})[day] = counts
        return RecentPerformance(tallies)

    def since(self, first_day: int) -> RecentPerformance:
        """Only the days from `first_day` on: what older days told is no longer recent."""
        kept = {
            key: {day: counts for day, counts in days.items() if day >= first_day}
            for key, days in self.tallies.items()
        }
        return RecentPerformance({key: days for key, days in kept.items() if days})

    def percentiles(
        self, leg: str, keys: Sequence[str | None], days: Sequence[int], window: int
    ) -> tuple[Floats, Floats]:
        """The median and 90th percentile of days taken over the `window` days before
        each of `days`, for each query's key (NaN where too few were completed)."""
        wanted: dict[str, set[int]] = {}
        for key, day in zip(keys, days, strict=True):
            if key is not None and (leg, key, day, window) not in self._known:
                wanted.setdefault(key, set()).add(day)
        for key, missing in sorted(wanted.items()):
            ordered = np.array(sorted(missing))
            counts = self._window_counts(leg, key, ordered, window)
            found = zip(ordered, _percentile(counts, 0.5), _percentile(counts, 0.9), strict=True)
            for day, median, p90 in found:
                self._known[leg, key, int(day), window] = (float(median), float(p90))
        medians = np.full(len(keys), np.nan)
        p90s = np.full(len(keys), np.nan)
        for index, (key, day) in enumerate(zip(keys, days, strict=True)):
            if key is not None:
                medians[index], p90s[index] = self._known[leg, key, day, window]
        return medians, p90s

    def _window_counts(
        self, leg: str, key: str, days: npt.NDArray[np.int64], window: int
    ) -> npt.NDArray[np.int64]:
        """Counts per days taken, summed over [day - window, day) for each day."""
        first = int(days.min()) - window
        span = int(days.max()) - first
        dense = np.zeros((span + 1, CAP_DAYS + 1), dtype=np.int64)
        tallied = self.tallies.get((leg, key), {})
        for day in range(first, first + span):  # not every day kept: a query wants a window
            for taken, count in tallied.get(day, {}).items():
                dense[day - first + 1, min(taken, CAP_DAYS)] += count
        cumulative = dense.cumsum(axis=0)  # row r: days first .. first + r - 1
        end = days - first
        summed: npt.NDArray[np.int64] = cumulative[end] - cumulative[end - window]
        return summed


def _percentile(counts: npt.NDArray[np.int64], q: float) -> Floats:
    """The lower q-quantile of each row's histogram; NaN under MIN_COUNT."""
    cumulative = counts.cumsum(axis=1)
    total = cumulative[:, -1]
    index: Floats = (cumulative >= q * total[:, None]).argmax(axis=1).astype(np.float64)
    index[total < MIN_COUNT] = np.nan
    return index

"""Bar charts drawn on the server as SVG (no charting script to serve): one bar a
day, from zero (up, or down for a negative value such as late deliveries' slack);
a day without a value (a rate of nothing) has no bar. The numbers behind each chart
go with it, as a table, for screen readers and for copying.

The axis runs to a round number above the highest value ("40,000", not "38999.7"),
written in the reader's locale, and the plot starts right of the longest label:
labels are never cut off. The drawing is about as wide as it is shown (a third of
a desktop, a phone's width), so its text is shown at about its own size."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel import numbers

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 400, 180, 22, 12
CHAR_WIDTH = 7.0  # of a digit at the axis's 12 px, generously
MIN_LEFT = 28


@dataclass(frozen=True)
class Bar:
    day: date
    value: float | None
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    key: str  # names it in the page (ids, tests)
    title: str
    unit: str
    bars: list[Bar]
    top: float  # the axis's highest value
    bottom: float  # and lowest (0, or below for negatives)
    zero_y: float
    top_label: str
    bottom_label: str
    left: float  # where the plot starts: right of the labels

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    @property
    def top_y(self) -> float:
        return PAD_TOP

    @property
    def bottom_y(self) -> float:
        return HEIGHT - PAD_BOTTOM


def nice(value: float) -> float:
    """The round number at or above `value` an axis runs to: 1, 2, 2.5 or 5 times a
    power of ten."""
    if value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(float(step * power) for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def bar_chart(
    key: str,
    title: str,
    unit: str,
    points: Sequence[tuple[date, float | None]],
    language: str = "en",
) -> Chart:
    values = [v for _, v in points if v is not None]
    top = nice(max([0.0, *values])) or 1.0
    bottom = -nice(-min([0.0, *values]))
    labels = [numbers.format_decimal(v, locale=language) for v in (top, bottom)]
    left = max(MIN_LEFT, max(len(label) for label in labels) * CHAR_WIDTH + 8)
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    scale = plot_h / (top - bottom)
    zero_y = PAD_TOP + top * scale
    step = (WIDTH - left) / max(len(points), 1)
    bars = []
    for n, (day, value) in enumerate(points):
        x = left + n * step + step * 0.15
        if value is None:
            bars.append(Bar(day, None, x, zero_y, step * 0.7, 0))
            continue
        h = abs(value) * scale
        y = zero_y - h if value >= 0 else zero_y
        bars.append(Bar(day, value, x, y, step * 0.7, h))
    return Chart(key, title, unit, bars, top, bottom, zero_y, labels[0], labels[1], left)

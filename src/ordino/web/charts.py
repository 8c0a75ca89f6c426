"""Bar charts drawn on the server as SVG (no charting script to serve): one bar a
day, from zero (up, or down for a negative value such as late deliveries' slack);
a day without a value (a rate of nothing) has no bar. The numbers behind each chart
go with it, as a table, for screen readers and for copying."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 180, 48, 22, 10


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

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    @property
    def left(self) -> int:
        return PAD_LEFT


def bar_chart(
    key: str, title: str, unit: str, points: Sequence[tuple[date, float | None]]
) -> Chart:
    values = [v for _, v in points if v is not None]
    top = max([0.0, *values]) or 1.0
    bottom = min([0.0, *values])
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    scale = plot_h / (top - bottom)
    zero_y = PAD_TOP + top * scale
    step = (WIDTH - PAD_LEFT) / max(len(points), 1)
    bars = []
    for n, (day, value) in enumerate(points):
        x = PAD_LEFT + n * step + step * 0.15
        if value is None:
            bars.append(Bar(day, None, x, zero_y, step * 0.7, 0))
            continue
        h = abs(value) * scale
        y = zero_y - h if value >= 0 else zero_y
        bars.append(Bar(day, value, x, y, step * 0.7, h))
    return Chart(key, title, unit, bars, top, bottom, zero_y)

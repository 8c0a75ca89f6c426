"""The dashboard's charts: an axis runs to a round number written for the reader,
and the plot starts right of its longest label."""

from __future__ import annotations

from datetime import date

from ordino.console.charts import CHAR_WIDTH, bar_chart, nice

MONDAY, TUESDAY = date(2026, 11, 2), date(2026, 11, 3)


def test_an_axis_runs_to_a_round_number_above_the_highest_value() -> None:
    assert [nice(v) for v in (0, 0.4, 3, 7, 100, 120, 38_999.7)] == [
        0.0,
        0.5,
        5.0,
        10.0,
        100.0,
        200.0,
        50_000.0,
    ]


def test_the_labels_fit_left_of_the_plot_in_the_readers_numbers() -> None:
    german = bar_chart("revenue", "Revenue", "EUR", [(MONDAY, 38_999.7), (TUESDAY, -12.0)], "de")

    assert (german.top_label, german.bottom_label) == ("50.000", "-20")
    assert german.left >= len("50.000") * CHAR_WIDTH + 6
    assert german.bars[0].x > german.left
    assert german.bars[0].height == german.zero_y - german.bars[0].y

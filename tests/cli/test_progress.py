"""Progress where stderr is not a terminal: a line now and then, not silence."""

from __future__ import annotations

import io

from ordino.cli.progress import progress


def test_off_a_terminal_progress_is_told_in_lines() -> None:
    out = io.StringIO()  # not a terminal

    with progress(4_000, "counting 4,000 positions", every=0, file=out) as bar:
        bar.update(1_000)
        bar.update(2_000)
        bar.update(1_000)

    assert bar.pos == 4_000
    assert out.getvalue().splitlines() == [
        "counting 4,000 positions",
        "counting 4,000 positions: 1,000 of 4,000 (25%)",
        "counting 4,000 positions: 3,000 of 4,000 (75%)",
        "counting 4,000 positions: 4,000 of 4,000 (100%)",
    ]


def test_lines_come_no_oftener_than_asked() -> None:
    out = io.StringIO()

    with progress(10, "loading 10 products", every=3600, file=out) as bar:
        for _ in range(10):
            bar.update(1)

    assert out.getvalue().splitlines() == ["loading 10 products"]

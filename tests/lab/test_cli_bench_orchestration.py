"""`ordino bench orchestration` runs end to end on SQLite with a handful of orders:
a server and an `ordino worker` process, orders placed, released, accepted and
shipped by the locations, and the figures read back from the outbox. Its speed is
measured by hand (docs/benchmarks.md); here only that every order gets through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ordino.app.main import main


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_few_orders_go_from_capture_to_shipped_and_are_measured(
    database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "orchestration.json"
    result = CliRunner().invoke(
        main,
        [
            *("bench", "orchestration", "--database-url", database_url, "--json", str(out)),
            *("--workers", "1", "--servers", "1", "--rate", "4", "--seconds", "2"),
            *("--settle", "0", "--warmup", "2", "--locations", "2", "--skus", "10"),
        ],
    )

    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert (figures["orders"], figures["never_shipped"], figures["errors"]) == (8, 0, {})
    assert figures["check"] == "clean"
    for latency in ("capture_to_released_ms", "capture_to_shipped_ms"):
        assert set(figures[latency]) == {"p50", "p99", "max"}
        assert figures[latency]["p50"] <= figures[latency]["max"]
    assert figures["capture_to_released_ms"]["max"] <= figures["capture_to_shipped_ms"]["max"]

"""`ordino bench steps` takes a handful of orders through every step of their life on
PostgreSQL and counts the database's work at each. Its figures are measured by hand
(docs/benchmarks.md); here only that the bench works and tells the steps apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ordino.app.main import main
from ordino_lab import database_work
from ordino_lab.bench_steps import STEPS


def test_orders_go_through_every_step_and_each_steps_work_is_counted(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_work, "SETTLE_SECONDS", 0.0)
    out = tmp_path / "steps.json"

    result = CliRunner().invoke(
        main,
        [
            *("bench", "steps", "--database-url", pg_url, "--json", str(out)),
            *("--orders", "4", "--warmup", "1", "--servers", "1", "--workers", "1"),
            *("--locations", "2", "--skus", "10", "--idle", "0.5"),
        ],
    )

    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    steps = figures["steps"]
    assert list(steps) == list(STEPS)
    assert steps["captured"]["requests"] == 4
    assert steps["captured"]["jobs"] == 0  # its jobs are the next step's
    assert steps["authorised and released"]["jobs"] >= 4  # each order's advance
    assert steps["accepted"]["requests"] >= 4  # a fulfillment order at least each
    assert steps["shipped"]["jobs"] == 0  # its jobs are the next step's
    assert steps["paid"]["jobs"] >= 4  # each parcel's capture from the card
    # (The counts of pg_stat_database are complete only once the server's backends
    # have reported them, which the bench waits for and this test does not;
    # pg_stat_statements counts each statement as it ends.)
    if "statements_per_order" in steps["captured"]:  # pg_stat_statements loaded
        assert steps["captured"]["statements_per_order"] >= 3  # the stock, the order's writes
        assert all(steps[name]["statements_per_order"] > 0 for name in STEPS)
    assert figures["check"] == "clean"
    assert "whole life" in result.output

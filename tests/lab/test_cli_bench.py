"""The stock benchmarks run end to end on a small network (their figures are measured
by hand on the reference machine: docs/benchmarks.md; here only that they work)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from ordino.app.check import check_inventory
from ordino.app.main import main
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.store.engine import make_engine


def _bench(database_url: str, tmp_path: Path, *args: str) -> dict[str, object]:
    out = tmp_path / f"{args[0]}.json"
    result = CliRunner().invoke(
        main, ["bench", *args, "--database-url", database_url, "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    figures: dict[str, object] = json.loads(out.read_text())
    return figures


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_load_feed_and_read_a_small_network(database_url: str, tmp_path: Path) -> None:
    size = ("--locations", "12", "--skus", "40")

    loaded = _bench(database_url, tmp_path, "load", *size)
    fed = _bench(
        database_url, tmp_path, "feed", *size, "--workers", "1", "--updates", "200", "--batch", "20"
    )
    read = _bench(
        database_url,
        tmp_path,
        "availability",
        *size,
        "--workers",
        "1",
        "--hot-skus",
        "10",
        "--seconds",
        "1",
        "--rate",
        "40",
    )

    assert (loaded["positions"], fed["updates"], fed["requests"]) == (480, 200, {"200": 10})
    for mode in ("sku", "cart", "nearest"):
        assert read[mode]["statuses"] == {"200": 40}  # type: ignore[index]
    engine = make_engine(database_url)
    assert check_inventory(SqlUnitOfWork(engine)) == []
    engine.dispose()


def test_the_sourcing_bench_compares_the_heuristic_with_the_optimum(tmp_path: Path) -> None:
    out = tmp_path / "sourcing.json"
    result = CliRunner().invoke(
        main,
        ["bench", "sourcing", "--problems", "6", "--candidates", "6", "--json", str(out)],
    )

    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["compared"] == 6
    assert figures["proven_optimal"] == 6
    assert figures["gap_percent_median"] >= 0  # the exact model is never worse


def test_without_a_database_url_a_bench_writes_to_a_temporary_database_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = tmp_path / "mine.db"  # the user's database, which a bench must not touch
    monkeypatch.chdir(tmp_path)  # where the demo's ordino.db would be
    out = tmp_path / "load.json"

    result = CliRunner().invoke(
        main,
        ["bench", "load", "--locations", "2", "--skus", "3", "--json", str(out)],
        env={"ORDINO_DATABASE_URL": f"sqlite:///{configured}"},
    )

    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["positions"] == 6
    assert not configured.exists()
    assert not (tmp_path / "ordino.db").exists()
    said = result.stderr.splitlines()
    match = re.fullmatch(
        r"no --database-url: benchmarking on a temporary SQLite database in (\S+), "
        r"removed afterwards",
        said[0],
    )
    assert match is not None, said
    assert not Path(match.group(1)).exists()
    # Every step says what it does (the long ones with a bar, which shows its label
    # alone where stderr is not a terminal).
    assert said[1:] == [
        "loading 2 locations",
        "loading 3 products",
        "counting 6 positions",
        "updating the planner's statistics (ANALYZE)",
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_search_bench_loads_its_catalogue_once_and_counts_statements(
    database_url: str, tmp_path: Path
) -> None:
    first = _bench(database_url, tmp_path, "search", "--products", "300", "--rounds", "5")
    again = _bench(database_url, tmp_path, "search", "--products", "300", "--rounds", "5")

    kinds = [name for name in first if isinstance(first[name], dict)]
    assert len(kinds) == 6
    for name in kinds:
        for figures in (first[name], again[name]):
            assert isinstance(figures, dict)
            assert 1 <= figures["statements"] <= 20, (name, figures)
            assert 0 < figures["p50_ms"] <= figures["p99_ms"], (name, figures)
    with make_engine(database_url).connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM products")) == 300

"""`ordino simulate`: a generated scenario written and read back, a day of orders
through a profile with the report as text and as JSON, a second profile compared,
the shipped example, and a bad file refused with the field named."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ordino.app.main import main
from ordino.sourcing.domain.scenario import scenario_from_document
from tests.support.scenarios import a_profile_document, a_scenario_document

EXAMPLE = Path(__file__).parents[2] / "examples" / "scenarios" / "day-of-orders.json"


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_generated_day_runs_and_its_report_adds_up(tmp_path: Path) -> None:
    scenario = tmp_path / "day.json"
    made = CliRunner().invoke(
        main,
        [
            *("simulate", "generate-scenario", "--orders", "40", "--locations", "12"),
            *("--skus", "60", "--seed", "2", "--out", str(scenario)),
        ],
    )
    assert made.exit_code == 0, made.output

    result = CliRunner().invoke(
        main, ["simulate", "sourcing", "--scenario", str(scenario), "--json", "--top", "3"]
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [run] = report["runs"]
    assert run["orders"] == 40
    assert run["sourced"] + run["backordered"] + run["refused"] == 40
    assert len(run["locations"]) == 3
    assert run["profile"] == {"name": "web-default", "version": 1}
    # Every step says what it does: reading, what was read, the run (a bar's label
    # where stderr is not a terminal).
    assert result.stderr.splitlines() == [
        "reading day.json",
        "day.json: 40 orders, 12 locations, 60 SKUs",
        "web-default v1",
    ]


def test_the_text_report_names_each_figure(tmp_path: Path) -> None:
    scenario = _write(tmp_path / "tiny.json", a_scenario_document())

    result = CliRunner().invoke(main, ["simulate", "sourcing", "--scenario", str(scenario)])

    assert result.exit_code == 0, result.output
    text = result.stdout
    for label in ("sourced", "cost", "split rate", "promises kept", "capacity use", "DC-HAM"):
        assert label in text
    assert "18.50 EUR" in text


def test_another_profile_is_compared_on_the_same_day(tmp_path: Path) -> None:
    scenario = _write(tmp_path / "tiny.json", a_scenario_document())
    no_stores = _write(
        tmp_path / "no-stores.json",
        a_profile_document(name="no-stores", filters={"ship_from_store": False}),
    )

    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "sourcing",
            "--scenario",
            str(scenario),
            "--compare",
            str(no_stores),
            "--json",
        ],
    )

    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)["runs"]
    assert (first["profile"]["name"], second["profile"]["name"]) == ("web", "no-stores")
    assert first["packages_by_location_type"] == {"store": 1, "warehouse": 2}
    assert second["packages_by_location_type"] == {"warehouse": 2}
    assert (first["sourced"], second["sourced"], second["backordered"]) == (3, 2, 1)


def test_a_profile_given_replaces_the_scenarios(tmp_path: Path) -> None:
    scenario = _write(tmp_path / "tiny.json", a_scenario_document())
    no_stores = _write(
        tmp_path / "p.json", a_profile_document(name="x", filters={"ship_from_store": False})
    )

    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "sourcing",
            "--scenario",
            str(scenario),
            "--profile",
            str(no_stores),
            "--json",
        ],
    )

    [run] = json.loads(result.stdout)["runs"]
    assert run["profile"]["name"] == "x"
    assert "store" not in run["packages_by_location_type"]


def test_a_bad_scenario_is_refused_with_the_field_named(tmp_path: Path) -> None:
    document = a_scenario_document()
    document["orders"][1]["lines"][0]["quantity"] = -2
    scenario = _write(tmp_path / "bad.json", document)

    result = CliRunner().invoke(main, ["simulate", "sourcing", "--scenario", str(scenario)])

    assert result.exit_code == 1
    assert "bad.json: orders[1].lines[0].quantity: must be a whole number above 0" in result.stderr
    assert result.stdout == ""


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    scenario = tmp_path / "broken.json"
    scenario.write_text("{", encoding="utf-8")

    result = CliRunner().invoke(main, ["simulate", "sourcing", "--scenario", str(scenario)])

    assert result.exit_code == 1
    assert "broken.json: not JSON" in result.stderr


def test_the_example_scenario_reads() -> None:
    scenario = scenario_from_document(json.loads(EXAMPLE.read_text(encoding="utf-8")))

    assert len(scenario.orders) == 2_000
    assert len(scenario.locations) == 200

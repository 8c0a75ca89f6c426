"""`ordino simulate sourcing|generate-scenario`: a day of orders through a sourcing
profile, offline (no database), to try a rule change before making it live; and a
generated scenario to try it on. The format is in docs/simulation.md.

Progress goes to stderr, the report to stdout (`--json`: JSON only there).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO, Any

import click

from ordino.cli.progress import progress
from ordino.kernel.domain import InvalidInput
from ordino.sourcing.cli.scenario_generator import generate
from ordino.sourcing.cli.simulation_text import print_reports
from ordino.sourcing.domain.profiles import SourcingProfile
from ordino.sourcing.domain.scenario import (
    Scenario,
    profile_from_file,
    scenario_document,
    scenario_from_document,
)
from ordino.sourcing.engine.simulation import simulate as simulate_day
from ordino.sourcing.engine.simulation_report import SimulationReport, report_document

scenario_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def simulate() -> None:
    """What-ifs over scenario files, offline: sourcing a day of orders."""


@simulate.command("sourcing")
@click.option(
    "--scenario",
    "scenario_path",
    required=True,
    type=scenario_file,
    help="Scenario file, JSON (docs/simulation.md).",
)
@click.option(
    "--profile",
    "profile_path",
    type=scenario_file,
    help="A sourcing profile document (as GET /v1/sourcing-profiles/{name} "
    "answers) to use instead of the scenario's.",
)
@click.option(
    "--compare",
    "compare_path",
    type=scenario_file,
    help="A second profile document: the same day again through it, side by side.",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(0, 100_000),
    help="Locations listed by capacity use.",
)
@click.option("--json", "as_json", is_flag=True, help="The report as JSON on stdout.")
def sourcing_command(
    scenario_path: Path,
    profile_path: Path | None,
    compare_path: Path | None,
    top: int,
    as_json: bool,
) -> None:
    """Source every order of a scenario's day, in time order, against stock and
    capacity as the earlier orders left them; report outcomes, cost, split rate,
    promises kept and capacity use per location."""
    started = time.perf_counter()
    click.echo(f"reading {scenario_path.name}", err=True)
    scenario = _scenario(scenario_path)
    click.echo(
        f"{scenario_path.name}: {len(scenario.orders):,} orders, "
        f"{len(scenario.locations):,} locations, {len(scenario.products):,} SKUs",
        err=True,
    )
    profiles = [_profile(profile_path) if profile_path else scenario.profile]
    if compare_path is not None:
        profiles.append(_profile(compare_path))
    loaded = time.perf_counter() - started
    runs = [_run(scenario, profile) for profile in profiles]
    if as_json:
        document = {
            "scenario": scenario.name,
            "load_seconds": round(loaded, 2),
            "runs": [_run_document(report, seconds, top) for report, seconds in runs],
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print_reports(runs, top, loaded)


@simulate.command("generate-scenario")
@click.option("--orders", default=10_000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--locations", default=200, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--skus", default=1_000, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--seed", default=1, show_default=True)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
)
def generate_command(orders: int, locations: int, skus: int, seed: int, out_path: Path) -> None:
    """Write a generated scenario (the same for the same options)."""
    scenario = generate(orders, locations, skus, seed)
    with out_path.open("w", encoding="utf-8") as out:
        write_scenario(scenario_document(scenario), out)
    size = out_path.stat().st_size
    click.echo(
        f"wrote {out_path}: {len(scenario.orders):,} orders, {len(scenario.locations):,} "
        f"locations, {len(scenario.products):,} SKUs ({size / 1e6:.1f} MB)",
        err=True,
    )


def write_scenario(document: dict[str, Any], out: IO[str]) -> None:
    """JSON with each list item, and each location's stock, on a line of its own:
    small, and a change to one of them is a change to one line."""
    parts = []
    for key, value in document.items():
        if isinstance(value, list):
            items = ",\n".join(f"  {_compact(item)}" for item in value)
            parts.append(f"{json.dumps(key)}: [\n{items}\n]" if value else f'"{key}": []')
        elif key == "stock":
            held = ",\n".join(f"  {json.dumps(at)}: {_compact(s)}" for at, s in value.items())
            parts.append(f'"stock": {{\n{held}\n}}' if value else '"stock": {}')
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    out.write("{\n" + ",\n".join(parts) + "\n}\n")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: not JSON: {error}") from None


def _scenario(path: Path) -> Scenario:
    try:
        return scenario_from_document(_load(path))
    except InvalidInput as error:
        raise click.ClickException(f"{path}: {error}") from None


def _profile(path: Path) -> SourcingProfile:
    try:
        return profile_from_file(_load(path))
    except InvalidInput as error:
        raise click.ClickException(f"{path}: {error}") from None


def _run(scenario: Scenario, profile: SourcingProfile) -> tuple[SimulationReport, float]:
    label = f"{profile.name} v{profile.version}"
    with progress(len(scenario.orders), label) as bar:

        def advance(done: int, _: int) -> None:
            bar.update(done - bar.pos)

        started = time.perf_counter()
        report = simulate_day(scenario, profile, advance)
    return report, time.perf_counter() - started


def _run_document(report: SimulationReport, seconds: float, top: int) -> dict[str, Any]:
    return {
        **report_document(report, top),
        "elapsed_seconds": round(seconds, 2),
        "orders_per_second": round(report.orders / seconds, 1) if seconds else None,
    }

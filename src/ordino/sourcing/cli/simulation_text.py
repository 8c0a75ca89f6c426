"""The simulation report as text: one column of figures per profile run, the
strategies that decided, and the locations by capacity use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import click

from ordino.sourcing.engine.rules import Outcome
from ordino.sourcing.engine.simulation_report import SimulationReport

Run = tuple[SimulationReport, float]  # a report and the seconds it took
LABEL, COLUMN = 26, 22


def print_reports(runs: Sequence[Run], top: int, loaded: float) -> None:
    first = runs[0][0]
    click.echo(f"scenario {first.scenario}: {first.orders:,} orders (read in {loaded:.1f} s)\n")
    click.echo(" " * LABEL + "".join(f"{_name(r):>{COLUMN}}" for r, _ in runs))
    for label, figure in ROWS:
        click.echo(f"{label:<{LABEL}}" + "".join(f"{figure(r):>{COLUMN}}" for r, _ in runs))
    click.echo(
        f"{'elapsed':<{LABEL}}"
        + "".join(f"{f'{s:.1f} s, {r.orders / s:,.0f}/s' if s else '-':>{COLUMN}}" for r, s in runs)
    )
    for report, _ in runs:
        _details(report, top, len(runs) > 1)


def _name(report: SimulationReport) -> str:
    return f"{report.profile} v{report.profile_version}"


def _share(count: int, whole: int) -> str:
    return f"{count:,} ({count / whole:.1%})" if whole else f"{count:,}"


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,}"


def _outcome(outcome: Outcome) -> Callable[[SimulationReport], str]:
    return lambda r: _share(r.count(outcome), r.orders)


ROWS: tuple[tuple[str, Callable[[SimulationReport], str]], ...] = (
    ("orders", lambda r: f"{r.orders:,}"),
    ("  sourced", _outcome(Outcome.SOURCED)),
    ("  backordered", _outcome(Outcome.BACKORDERED)),
    ("  refused", _outcome(Outcome.REFUSED)),
    ("units filled", lambda r: _share(r.units_filled, r.units)),
    ("cost", lambda r: f"{_money(r.cost.total)} {r.currency}"),
    ("  shipping", lambda r: _money(r.cost.shipping)),
    ("  handling", lambda r: _money(r.cost.handling)),
    ("  store labour", lambda r: _money(r.cost.labour)),
    ("  margin (markdown)", lambda r: _money(r.cost.margin)),
    ("cost per shipping order", lambda r: _money(r.cost_per_order)),
    ("objective (weighted)", lambda r: _money(r.objective.total)),
    ("  packages penalty", lambda r: _money(r.objective.packages)),
    ("  lateness penalty", lambda r: _money(r.objective.lateness)),
    ("packages", lambda r: f"{r.packages:,}"),
    ("split rate", lambda r: f"{r.split_rate:.1%}"),
    ("promises kept", lambda r: _share(r.promises_kept, r.orders)),
    ("orders late", lambda r: f"{r.late_orders:,}"),
    (
        "packages from stores",
        lambda r: _share(r.packages_by_type.get("store", 0), r.packages),
    ),
)


def _details(report: SimulationReport, top: int, named: bool) -> None:
    heading = f" ({_name(report)})" if named else ""
    click.echo(f"\nstrategy that decided{heading}:")
    for strategy, count in report.strategies.items():
        click.echo(f"  {strategy:<40}{_share(count, report.orders):>18}")
    if top == 0 or not report.locations:
        return
    shown = report.locations[:top]
    click.echo(
        f"\ncapacity use, busiest first{heading}: {len(shown)} of {len(report.locations)} locations"
    )
    click.echo(
        f"  {'location':<12}{'type':<11}{'packages':>9}{'units':>8}"
        f"  {'busiest day':<12}{'used/limit':>18}{'use':>8}"
    )
    for use in shown:
        day = use.busiest_day.isoformat() if use.busiest_day else "-"
        limit = f"{use.busiest:,}/{use.limit:,} {use.unit}" if use.limit is not None else "no limit"
        share = f"{use.use:.0%}" if use.use is not None else "-"
        click.echo(
            f"  {use.location_id:<12}{use.type:<11}{use.packages:>9,}{use.units:>8,}"
            f"  {day:<12}{limit:>18}{share:>8}"
        )

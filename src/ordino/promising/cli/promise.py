"""`ordino promise train|replay`: the transit-time model from a shipment history file.

`train` saves a model for the server (setting ORDINO_TRANSIT_MODEL); `replay`
promises every order of a window as the model would have at the time and compares
its promises with the history's own. The file format is in docs/promising.md.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from ordino.kernel.domain import InvalidInput
from ordino.promising.domain.history import Shipment
from ordino.promising.domain.history_csv import History, read_history

if TYPE_CHECKING:  # the model's modules load LightGBM: only when a command runs
    from ordino.promising.services.replay import Kept, ReplayPlan, ReplayReport

SHOWN = 20  # rows set aside printed; --rejected FILE takes them all


def history_options(command: Callable[..., None]) -> Callable[..., None]:
    """The history file, and what to do with its bad rows."""
    for option in reversed(
        [
            click.option(
                "--history",
                "history_path",
                required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="Shipment history, CSV (docs/promising.md).",
            ),
            click.option(
                "--strict",
                is_flag=True,
                help="Refuse a history with any bad row (default: set bad rows aside, "
                "each reported by line, and go on with the rest).",
            ),
            click.option(
                "--rejected",
                "rejected_path",
                type=click.Path(dir_okay=False, writable=True, path_type=Path),
                help="Write every row set aside (line,column,reason) to this CSV file.",
            ),
        ]
    ):
        command = option(command)
    return command


@click.group()
def promise() -> None:
    """Delivery promises: the transit-time model learnt from shipment history."""


@promise.command("train")
@history_options
@click.option(
    "--out",
    "out_path",
    default="ordino-transit.json",
    show_default=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to save the model (JSON); the server reads it from ORDINO_TRANSIT_MODEL.",
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"]),
    help="Learn only from deliveries completed before this time (default: the last order).",
)
def train_command(
    history_path: Path,
    strict: bool,
    rejected_path: Path | None,
    out_path: Path,
    as_of: datetime | None,
) -> None:
    """Learn transit times from a history and save the model."""
    from ordino.promising.engine.transit import train  # noqa: PLC0415
    from ordino.promising.services.transit_models import end_of, save_model, summary  # noqa: PLC0415

    shipments = _read(history_path, strict, rejected_path)
    started = time.monotonic()
    with _bar(2, "training") as bar:
        model = train(shipments, as_of or end_of(shipments), progress=_advance(bar))
    save_model(model, out_path)
    about = summary(model)
    click.echo(f"saved {out_path} in {time.monotonic() - started:.1f} s, as of {about.as_of}")
    for leg, count in about.known.items():
        click.echo(f"  {leg}: {count:,} deliveries known")
    for learner, scores in about.learners:
        click.echo(f"  {learner}: calibrated on the {scores:,} newest deliveries")
    if not about.learners:
        click.echo("  too little history to learn from: every promise falls back to carrier tables")


@promise.command("replay")
@history_options
@click.option("--from", "first", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="Last order date replayed.")
@click.option("--confidence", default=0.95, show_default=True, type=click.FloatRange(0.5, 0.999))
@click.option(
    "--retrain-days",
    default=7,
    show_default=True,
    type=click.IntRange(1, 365),
    help="Days between retrainings; recalibrated every day in between.",
)
@click.option(
    "--fallback-days",
    default=30,
    show_default=True,
    type=click.IntRange(0, 365),
    help="Promised where the history is too thin (stands in for carrier tables).",
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="CSV of shipment_id,promised_by.",
)
def replay_command(
    history_path: Path,
    strict: bool,
    rejected_path: Path | None,
    first: datetime,
    last: datetime | None,
    confidence: float,
    retrain_days: int,
    fallback_days: int,
    out_path: Path,
) -> None:
    """Promise every order from --from to --to as if in time order, and compare.

    Each promise comes from a model that knows only the deliveries completed
    before the UTC day of the order began."""
    from ordino.promising.services.replay import ReplayPlan, replay  # noqa: PLC0415

    shipments = _read(history_path, strict, rejected_path)
    plan = ReplayPlan(
        first.date(), last.date() if last else None, confidence, retrain_days, fallback_days
    )
    started = time.monotonic()
    with _bar(1, "replaying") as bar:
        report = replay(shipments, plan, _advance(bar))
    _write(report, out_path)
    _print(report, plan, time.monotonic() - started)


def _read(path: Path, strict: bool, rejected_path: Path | None) -> list[Shipment]:
    with path.open("rb") as raw, _bar(path.stat().st_size, f"reading {path.name}") as bar:
        try:
            history = read_history(_decoded(raw, bar.update), strict=strict)
        except InvalidInput as error:
            raise click.ClickException(str(error)) from None
    _report_set_aside(history, rejected_path)
    if not history.shipments:
        raise click.ClickException(f"{path} holds no shipments")
    return list(history.shipments)


def _report_set_aside(history: History, rejected_path: Path | None) -> None:
    """Rows set aside, each by line (the first SHOWN; all in `rejected_path`), then
    values set aside: to stderr, the command's own output staying on stdout."""
    rows = history.set_aside
    if rows:
        click.echo(f"{len(rows):,} rows set aside (--strict refuses the file instead):", err=True)
    for row in rows[:SHOWN]:
        click.echo(f"  {row.field}: {row.message}", err=True)
    if len(rows) > SHOWN:
        hint = f"all in {rejected_path}" if rejected_path else "--rejected FILE lists all"
        click.echo(f"  … and {len(rows) - SHOWN:,} more ({hint})", err=True)
    if rejected_path is not None:
        with rejected_path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "column", "reason"])
            for row in rows:
                line, column = row.field.removeprefix("line ").split(", ", 1)
                writer.writerow([line, column, row.message])
    for note in history.notes[:5]:
        click.echo(f"note: {note}", err=True)
    if len(history.notes) > 5:
        click.echo(f"note: … and {len(history.notes) - 5} more set aside", err=True)


def _decoded(raw: IO[bytes], advanced: Callable[[int], object]) -> Iterator[str]:
    for chunk in raw:
        advanced(len(chunk))
        yield chunk.decode("utf-8-sig")


def _bar(length: int, label: str) -> Any:  # click's ProgressBar, which click does not export
    return click.progressbar(length=length, label=label, file=sys.stderr, show_eta=True)


def _advance(bar: Any) -> Callable[[int, int], None]:
    """A progress callback (done, total) that moves the bar to `done`."""

    def advance(done: int, total: int) -> None:
        bar.length = total
        bar.update(done - bar.pos)

    return advance


def _write(report: ReplayReport, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["shipment_id", "promised_by"])
        writer.writerows((p.shipment_id, p.promised_by.isoformat()) for p in report.promises)


def _print(report: ReplayReport, plan: ReplayPlan, seconds: float) -> None:
    end = plan.last.isoformat() if plan.last else "the end"
    fallbacks = sum(not p.learnt for p in report.promises)
    click.echo(
        f"{len(report.promises):,} orders from {plan.first} to {end} promised in {seconds:.1f} s "
        f"({report.retrains} trainings, {fallbacks:,} fallbacks to {plan.fallback_days} days)"
    )
    click.echo(f"{'':10}{'orders':>8}{'on time':>10}{'mean slack':>13}")
    click.echo(_line("ours", report.ours))
    click.echo(_line("history", report.history))
    if report.learnt is not None:
        achieved = report.learnt.on_time
        click.echo(
            f"confidence asked {report.confidence:.1%}, achieved {achieved:.1%} "
            f"({(achieved - report.confidence) * 100:+.1f} points, the model's own promises)"
        )
    click.echo("by order month (ours | history):")
    for month, ours, theirs in report.by_month:
        click.echo(f"  {_line(month, ours)} |{_line('', theirs)[10:]}")


def _line(label: str, kept: Kept | None) -> str:
    if kept is None:
        return f"{label:10}{'-':>8}{'-':>10}{'-':>13}"
    return f"{label:10}{kept.promises:>8,}{kept.on_time:>10.1%}{kept.mean_slack:>8.2f} days"

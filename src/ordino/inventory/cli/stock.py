"""`ordino inventory import FILE.csv`: counts from a file, with a progress bar.

The file has a header with the columns `location_id`, `sku`, `on_hand` and,
optionally, `safety_stock` (in any order). Lines are numbered as an editor shows
them, the header being line 1.
"""

from __future__ import annotations

import csv
import getpass
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import click

from ordino.cli.options import database_option, units_of_work
from ordino.cli.progress import Progress, progress
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.domain.positions import MAX_ON_HAND
from ordino.inventory.services.imports import ImportReport, Line, import_counts
from ordino.kernel.domain import InvalidInput
from ordino.store.engine import connect_once, make_engine

REQUIRED = ("location_id", "sku", "on_hand")
COLUMNS = (*REQUIRED, "safety_stock")
SHOWN = 20  # rejected lines printed; --rejected FILE takes them all


@click.group()
def inventory() -> None:
    """Stock: import counts from a file."""


@inventory.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@database_option
@click.option(
    "--counted-at",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"]),
    help="When the stock was counted, with its offset (default: now). A position "
    "counted later already keeps its newer count.",
)
@click.option("--reason", default=None, help="Kept on every movement, e.g. 'year-end count'.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Batches applied at once (PostgreSQL). With more than one, a position listed "
    "twice in the file may end at either count.",
)
@click.option(
    "--rejected",
    "rejected_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write every rejected line (line,reason) to this CSV file.",
)
def import_(
    path: Path,
    database_url: str,
    counted_at: datetime | None,
    reason: str | None,
    workers: int,
    rejected_path: Path | None,
) -> None:
    """Set on hand (and safety stock) from a CSV file of counts.

    Lines naming unknown locations or SKUs, or malformed, are reported with their
    line numbers and the rest is applied; the exit status is then 1.
    """
    now = datetime.now(UTC)
    source = Source(f"cli:{getpass.getuser()}", now, reason or f"import {path.name}")
    engine = make_engine(database_url)
    try:
        connect_once(engine)
        with path.open("rb") as raw, _progress(path) as bar:
            lines = read_counts(raw, bar.update)  # progress: the bytes read
            new_uow = units_of_work(engine)
            report = import_counts(lines, counted_at, source, new_uow, workers=workers)
    except InvalidInput as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    _summary(report, rejected_path)
    if report.rejected:
        raise SystemExit(1)


def _progress(path: Path) -> AbstractContextManager[Progress]:
    return progress(path.stat().st_size, f"importing {path.name}")


def read_counts(raw: IO[bytes], advanced: Callable[[int], object] | None = None) -> Iterator[Line]:
    """Each data line as a count, or the reason it cannot be one. `advanced(n)` is told
    the bytes read, for a progress bar."""
    lines = _decoded(raw, advanced)
    reader = csv.reader(lines)
    header = next(reader, None)
    columns = _columns(header)
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        yield reader.line_num, _count(row, columns)


def _decoded(raw: IO[bytes], advanced: Callable[[int], object] | None) -> Iterator[str]:
    for chunk in raw:
        if advanced is not None:
            advanced(len(chunk))
        yield chunk.decode("utf-8-sig")


def _columns(header: list[str] | None) -> dict[str, int]:
    if header is None:
        raise InvalidInput.of("header", "the file is empty")
    names = [name.strip().lower() for name in header]
    wrong = [f"unknown column {n!r}" for n in names if n not in COLUMNS]
    wrong += [f"no column {n!r}" for n in REQUIRED if n not in names]
    if wrong:
        expected = f"{', '.join(REQUIRED)} and optionally safety_stock"
        raise InvalidInput.of("header", f"{'; '.join(wrong)} (expected {expected})")
    return {name: names.index(name) for name in COLUMNS if name in names}


def _count(row: list[str], columns: dict[str, int]) -> Count | str:
    if len(row) < len(columns):
        return f"expected {len(columns)} columns, found {len(row)}"
    location_id, sku = row[columns["location_id"]].strip(), row[columns["sku"]].strip()
    if not location_id or not sku:
        return "location_id and sku must not be empty"
    # PostgreSQL can neither store nor compare a NUL: the file's line is refused, as
    # the API refuses one (`ordino.http.request_guard`).
    for name, value in (("sku", sku), ("location_id", location_id)):
        if "\x00" in value:
            return f"{name} must not contain NUL characters"
    on_hand = _quantity(row[columns["on_hand"]])
    if on_hand is None:
        return f"on_hand must be a whole number from 0 to {MAX_ON_HAND:,}"
    safety: int | None = None
    if "safety_stock" in columns and row[columns["safety_stock"]].strip():
        safety = _quantity(row[columns["safety_stock"]])
        if safety is None:
            return f"safety_stock must be a whole number from 0 to {MAX_ON_HAND:,}"
    return Count(location_id, sku, on_hand, safety)


def _quantity(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit() or not text.isascii():
        return None
    value = int(text)
    return value if value <= MAX_ON_HAND else None


def _summary(report: ImportReport, rejected_path: Path | None) -> None:
    click.echo(
        f"{report.lines:,} lines: {report.applied:,} applied, "
        f"{report.superseded:,} superseded by a newer count, "
        f"{len(report.rejected):,} rejected; {report.short:,} positions left short"
    )
    for r in report.rejected[:SHOWN]:
        click.echo(f"  line {r.line}: {r.message}")
    if len(report.rejected) > SHOWN:
        more = len(report.rejected) - SHOWN
        hint = f" (all in {rejected_path})" if rejected_path else " (--rejected FILE lists all)"
        click.echo(f"  … and {more:,} more{hint}")
    if rejected_path is not None:
        with rejected_path.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "reason"])
            writer.writerows((r.line, r.message) for r in report.rejected)

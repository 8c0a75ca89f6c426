"""Importing counts from a file: millions of lines, in batches, one commit each.

Unlike the API's feeds, an import applies what it can: a line naming an unknown
location or SKU, or malformed (the reader's verdict), is reported with its line
number and the rest is applied. A position listed twice: the later line wins, as
it would have had it come in a later file; with batches applied in parallel
(`workers` > 1) that holds within a batch only, so a file listing a position twice
should be imported with one worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.ports import InventoryWork
from ordino.inventory.services.stock import count_stock

BATCH = 10_000


@dataclass(frozen=True)
class Rejected:
    line: int
    message: str


@dataclass
class ImportReport:
    lines: int = 0
    applied: int = 0
    superseded: int = 0
    short: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def merge(self, other: ImportReport) -> None:
        self.lines += other.lines
        self.applied += other.applied
        self.superseded += other.superseded
        self.short += other.short
        self.rejected += other.rejected

    def add(self, results: Iterable[dict[str, object]]) -> None:
        for result in results:
            self.applied += result["status"] == "applied"
            self.superseded += result["status"] == "superseded"
            self.short += bool(result["short"])


# A line as read: its number, and the count or why it could not be read.
Line = tuple[int, Count | str]


def import_counts(
    lines: Iterable[Line],
    counted_at: datetime | None,
    source: Source,
    new_uow: Callable[[], InventoryWork],
    progress: Callable[[int], None] = lambda _: None,
    workers: int = 1,
) -> ImportReport:
    """Apply the counts `lines` holds, `BATCH` at a time, `workers` batches at once (each
    with a unit of work of its own: one computes while another waits for the database);
    `progress(n)` after each batch of n lines."""
    report = ImportReport()

    def apply(batch: list[Line]) -> tuple[int, ImportReport]:
        mine, uow = ImportReport(lines=len(batch)), new_uow()
        counts = _known(batch, uow, mine)
        if counts:
            mine.add(count_stock(counts, counted_at, source, uow))
        return len(batch), mine

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ordino-import") as pool:
        running: set[Future[tuple[int, ImportReport]]] = set()
        for batch in _batches(iter(lines)):
            if len(running) >= 2 * workers:  # read ahead a little, not the whole file
                running = _collect(running, report, progress)
            running.add(pool.submit(apply, batch))
        while running:
            running = _collect(running, report, progress)
    report.rejected.sort(key=lambda r: r.line)
    return report


def _collect(
    running: set[Future[tuple[int, ImportReport]]],
    report: ImportReport,
    progress: Callable[[int], None],
) -> set[Future[tuple[int, ImportReport]]]:
    done, pending = wait(running, return_when=FIRST_COMPLETED)
    for future in done:
        lines, part = future.result()
        report.merge(part)
        progress(lines)
    return pending


def _batches(lines: Iterator[Line]) -> Iterator[list[Line]]:
    while batch := list(islice(lines, BATCH)):
        yield batch


def _known(batch: list[Line], uow: InventoryWork, report: ImportReport) -> list[Count]:
    """The batch's counts of known locations and SKUs, the later line winning; the rest
    goes to the report's rejected lines."""
    readable = [(n, c) for n, c in batch if isinstance(c, Count)]
    report.rejected += [Rejected(n, c) for n, c in batch if isinstance(c, str)]
    with uow:
        locations = uow.network.known(c.location_id for _, c in readable)
        skus = uow.catalog.known(c.sku for _, c in readable)
    counts: dict[tuple[str, str], Count] = {}
    for n, c in readable:
        if c.location_id not in locations:
            report.rejected.append(Rejected(n, f"unknown location {c.location_id!r}"))
        elif c.sku not in skus:
            report.rejected.append(Rejected(n, f"unknown SKU {c.sku!r}"))
        else:
            counts.pop((c.location_id, c.sku), None)
            counts[(c.location_id, c.sku)] = c
    return list(counts.values())

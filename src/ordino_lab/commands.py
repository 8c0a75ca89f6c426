"""The lab's commands on `ordino`: `ordino bench …` and `ordino simulate traffic`."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add the lab's commands to `main` (imported late: they import much that
    `ordino` does not need to start)."""
    from ordino_lab import (  # noqa: F401, PLC0415 (each adds its command to its group)
        bench_capture,
        bench_orchestration,
        bench_promise,
        bench_search,
        bench_sourcing,
        bench_steps,
        bench_stock,
        simulate_traffic,
    )
    from ordino_lab.bench import bench  # noqa: PLC0415

    main.add_command(bench)

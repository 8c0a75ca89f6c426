"""`ordino bench`: benchmarks (filled in below)."""

from __future__ import annotations

import click


@click.group()
def bench() -> None:
    """Benchmarks: order capture throughput and the flash sale."""

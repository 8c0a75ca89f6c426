"""A file of rates loaded by a use case: read as UTF-8 text, each problem the use case
names printed by its field, nothing loaded then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from ordino.cli.options import ready_database, terminal_user
from ordino.kernel.domain import InvalidInput
from ordino.pricing.services import PricingWork

Load = Callable[[str, PricingWork, datetime, str], dict[str, Any]]


def load_file(database_url: str, file: Path, load: Load) -> dict[str, Any]:
    """What `load` answers for the file's text, or a ClickException (nothing loaded)."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.BadParameter("is not UTF-8 text", param_hint="FILE") from None
    with ready_database(database_url) as new_uow:
        try:
            return load(text, new_uow(), datetime.now(UTC), terminal_user())
        except InvalidInput as refused:
            for error in refused.errors:
                click.echo(f"{file.name}: {error.field}: {error.message}", err=True)
            raise click.ClickException(f"{len(refused.errors)} problems; nothing loaded") from None

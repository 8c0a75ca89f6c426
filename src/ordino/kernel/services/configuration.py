"""The record of configuration changes: each use case that changes a rule or policy
records the change in its own unit of work (so a change and its record commit
together or not at all), and admins read them here; the version check of a settings
document (optimistic concurrency) and the check that configuration names order types
that exist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.kernel.domain.configuration import (
    ConfigurationChange,
    ConfigurationKind,
    change_document,
)
from ordino.kernel.domain.errors import Conflict, InvalidInput
from ordino.kernel.services.ports import KernelWork

# Who changed configuration when no person or key did: Ordino itself (the demo).
ORDINO = "ordino"


@dataclass(frozen=True)
class Changed:
    """Who changes configuration, and when."""

    by: str
    at: datetime


def record(
    uow: KernelWork,
    what: tuple[ConfigurationKind, str, int | None],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    changed: Changed,
) -> None:
    """Record a change (in an entered unit of work, before its commit): `what` is
    (kind, name, the version after the change). A put that changed nothing is still
    recorded: someone wrote the configuration, and the version moved."""
    kind, name, version = what
    change = ConfigurationChange(kind, name, version, before, after, changed.by, changed.at)
    uow.configuration_changes.add(change)


def list_changes(
    uow: KernelWork,
    kind: ConfigurationKind | None = None,
    name: str | None = None,
    limit: int = 50,
    cursor: int | None = None,
) -> dict[str, Any]:
    """Changes newest first, a page at a time: `next_cursor` asks for the older ones."""
    with uow:
        found = uow.configuration_changes.find(kind, name, limit + 1, cursor)
    page = found[:limit]
    more = len(found) > limit
    return {
        "items": [change_document(change) for change in page],
        "next_cursor": str(page[-1].id) if more and page else None,
    }


def refuse_unknown_types(uow: KernelWork, names: Iterable[str]) -> None:
    """Configuration that names order types (a sourcing profile, a hold rule) names
    types that exist, built in or configured: a typo would never match an order."""
    known = uow.order_type_names.names()
    if unknown := sorted(set(names) - known):
        message = "no order type " + ", ".join(repr(name) for name in unknown)
        raise InvalidInput.of("order_types", message)


def refuse_changed(what: str, current: int | None, version: int | None, **extra: Any) -> None:
    """Optimistic concurrency for settings: `version` is the one the caller read (0:
    it was not there), `current` the stored one (None: not there)."""
    current = current or 0
    if version is not None and version != current:
        raise Conflict(
            f"{what} is at version {current}, not {version}: read it again",
            extra={**extra, "version": current},
        )

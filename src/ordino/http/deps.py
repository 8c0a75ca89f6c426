"""What routes take from the application: a fresh unit of work and the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request


def unit_of_work(request: Request) -> Any:
    """A fresh unit of work of the app's (`ordino.app.unit_of_work.UnitOfWork`: it
    implements every capability's port), typed by the use case it is handed to."""
    return request.app.state.uow()


def clock(request: Request) -> datetime:
    return request.app.state.clock()  # type: ignore[no-any-return]

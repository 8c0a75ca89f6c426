"""What routes take from the application: a fresh unit of work and the clock."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from ordino.services.unit_of_work import UnitOfWork


def unit_of_work(request: Request) -> UnitOfWork:
    return request.app.state.uow()  # type: ignore[no-any-return]


def clock(request: Request) -> datetime:
    return request.app.state.clock()  # type: ignore[no-any-return]

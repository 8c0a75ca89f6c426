"""The counts of guessing (`ordino.access.services.throttling`) stay small and cheap under a
flood: a refused attempt adds no subject, and counting reads no table whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from ordino.access.domain.throttling import sign_in_subjects
from ordino.access.services.throttling import attempt
from ordino.access.store.tables import attempts
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.errors import TooManyAttempts
from tests.conftest import T0
from tests.support.plans import full_scans, statements
from tests.support.storage import rows

ADDRESS = "198.51.100.7"


def _try(uow: SqlUnitOfWork, username: str, minutes: int = 0) -> bool:
    """A failed sign-in as `username`; whether it was let through to be tried."""
    try:
        attempt(sign_in_subjects(username, ADDRESS), uow, T0 + timedelta(minutes=minutes), "x")
    except TooManyAttempts:
        return False
    return True


def test_an_address_past_its_limit_adds_no_more_names_to_the_counts(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    tried = [_try(uow, f"user{n}") for n in range(20)]

    refused = [_try(uow, f"another{n}") for n in range(200)]

    assert tried == [True] * 20 and refused == [False] * 200
    assert len(rows(engine, attempts)) == 21  # the address and the 20 names tried


def test_counting_an_attempt_reads_no_table_whole(uow: SqlUnitOfWork, engine: Engine) -> None:
    for n in range(5):
        _try(uow, f"user{n}")

    with statements(engine) as ran:
        _try(uow, "ada", minutes=90)  # and prunes the windows long over

    assert full_scans(engine, ran) == set()


@pytest.fixture(autouse=True)
def _no_counts(engine: Engine) -> None:
    """(The template database starts with none.)"""
    assert rows(engine, attempts) == []

"""The SQL unit of work: each attempt its own connection and transaction, and only
the repositories it uses built (a capture builds a few of the thirty-odd), afresh
for every attempt; a repository used outside an attempt is an error, not a read on
a closed connection."""

from __future__ import annotations

import pytest

from ordino.app.sql_unit_of_work import SqlUnitOfWork


def test_an_attempt_builds_only_the_repositories_it_uses(uow: SqlUnitOfWork) -> None:
    with uow:
        assert uow.orders.get("O-404") is None
        assert uow.jobs.dead(10) == []
        built = set(uow.built)

    assert built == {"orders", "jobs"}
    assert uow.built == {}


def test_every_attempt_builds_its_repositories_afresh(uow: SqlUnitOfWork) -> None:
    with uow:
        first = uow.orders
        assert uow.orders is first  # one per attempt
    with uow:
        second = uow.orders

    assert second is not first
    assert second.connection is not first.connection


def test_a_repository_outside_an_attempt_is_refused(uow: SqlUnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="outside the unit of work"):
        uow.orders.get("O-1")

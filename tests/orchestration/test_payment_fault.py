"""Money survives a dropped database connection between the gateway's answer and
Ordino's record of it.

For each kind of gateway call (authorise, capture, void, refund) the worker's
connection to PostgreSQL is terminated by the server (`pg_terminate_backend`) at
every statement from the gateway's answer to the end of the job, one order per
point; then the worker goes on without faults. Afterwards the gateway and Ordino
agree to the cent: one authorisation per order, holding what the payment says was
authorised, captured, voided and refunded, and no call left without its answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ordino.app.check import check_payments
from tests.support.api import order_of
from tests.support.money import (
    Books,
    cancel,
    placed,
    refund,
    released,
    ship,
    shipped,
)


@dataclass(frozen=True)
class Case:
    """How to bring an order to the call (`before`), what makes the call (`then`),
    and how its money ends: (status, authorised, captured, voided, refunded), and the
    gateway's (authorised, captured, refunded, voided) in minor units."""

    before: Callable[[Books], str]
    then: Callable[[Books, str], None]
    payment: tuple[str, str, str, str, str]
    gateway: tuple[int, int, int, bool]


CASES = {
    "authorise": Case(
        placed,
        lambda books, order_id: None,
        ("authorised", "119.80", "0.00", "0.00", "0.00"),
        (11980, 0, 0, False),
    ),
    "capture": Case(
        released, ship, ("closed", "119.80", "119.80", "0.00", "0.00"), (11980, 11980, 0, False)
    ),
    "void": Case(
        released, cancel, ("closed", "119.80", "0.00", "119.80", "0.00"), (11980, 0, 0, True)
    ),
    "refund": Case(
        shipped,
        refund,
        ("closed", "119.80", "119.80", "0.00", "20.00"),
        (11980, 11980, 2000, False),
    ),
}


def _run(books: Books, case: Case, kind: str, at: int | None) -> tuple[str, list[str]]:
    """One order through `case`, the connection killed at statement `at` after the
    gateway's answer to `kind`; the order and the authorisations made for it."""
    known = set(books.authorisations())
    order_id = case.before(books)
    books.gateway.kind, books.gateway.at = kind, at
    case.then(books, order_id)
    books.work()
    return order_id, sorted(set(books.authorisations()) - known)


def _agree(books: Books, case: Case, order_id: str, made: list[str]) -> None:
    payment = order_of(books.api, order_id)["tenders"][0]
    money = ("status", "authorised", "captured", "voided", "refunded")
    assert tuple(payment[name] for name in money) == case.payment
    assert len(made) == 1, f"{len(made)} authorisations for one order"
    held = books.authorisations()[made[0]]
    parts = ("authorised_minor", "captured_minor", "refunded_minor", "voided")
    assert tuple(held[name] for name in parts) == case.gateway
    assert books.unanswered() == 0


@pytest.mark.parametrize("kind", list(CASES))
def test_a_connection_killed_after_the_gateway_answered_loses_and_doubles_nothing(
    books: Books, kind: str
) -> None:
    case = CASES[kind]
    _run(books, case, kind, None)  # no fault: how many statements follow the answer
    statements = books.gateway.killer.seen
    assert statements > 0

    for at in range(1, statements + 1):
        kills = books.gateway.killer.kills
        order_id, made = _run(books, case, kind, at)
        assert books.gateway.killer.kills == kills + 1, f"no kill at statement {at}"
        _agree(books, case, order_id, made)

    uow = books.api.app.state.uow  # type: ignore[attr-defined]
    assert check_payments(uow(), books.gateway, books.clock()) == []

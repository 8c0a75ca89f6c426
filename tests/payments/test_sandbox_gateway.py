"""The sandbox payment gateway, as a card gateway behaves: its test cards, expiry,
partial captures up to the authorised amount, voids, refunds up to what was captured,
an answer per idempotency key, and no card number kept."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine

from ordino.app.schema import metadata
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.payments.adapters.sandbox_tables import sandbox_authorisations, sandbox_operations
from ordino.payments.domain.payments import GatewayAnswer, GatewayTimeout, Outcome
from tests.conftest import T0
from tests.support.storage import rows

VISA = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
PROCESSING_ERROR = "4000000000000119"
LOST_ANSWER = "4000000000003220"
CAPTURE_DECLINED = "4000000000000341"
WEEK = timedelta(days=7)
MINOR_UNITS = {"EUR": 100, "JPY": 1, "BHD": 1000}


@pytest.fixture
def gateway(uow: SqlUnitOfWork) -> SandboxGateway:
    return SandboxGateway(uow.engine)


def authorised(
    gateway: SandboxGateway,
    amount: str = "100.00",
    token: str = VISA,
    currency: str = "EUR",
    key: str = "auth-1",
) -> str:
    """The reference of an approved authorisation made at T0."""
    answer = gateway.authorise(token, Decimal(amount), currency, key, T0)
    assert answer.outcome is Outcome.APPROVED, answer
    assert answer.reference is not None
    return answer.reference


def approved(reference: str | None, amount: str, expires: bool = False) -> GatewayAnswer:
    return GatewayAnswer(
        Outcome.APPROVED, reference, Decimal(amount), T0 + WEEK if expires else None
    )


def declined(message: str) -> GatewayAnswer:
    return GatewayAnswer(Outcome.DECLINED, None, Decimal(0), None, message)


def failed(message: str) -> GatewayAnswer:
    return GatewayAnswer(Outcome.FAILED, None, Decimal(0), None, message)


def ledger(engine: Engine) -> list[tuple[int, int, int, bool]]:
    """(authorised, captured, refunded, voided) of every authorisation."""
    return [
        (r["authorised_minor"], r["captured_minor"], r["refunded_minor"], r["voided"])
        for r in rows(engine, sandbox_authorisations)
    ]


def references(engine: Engine) -> dict[str, str | None]:
    return {r["key"]: r["reference"] for r in rows(engine, sandbox_operations)}


# Authorisation and the test cards


def test_a_card_is_authorised_for_seven_days_and_only_its_last_four_digits_are_kept(
    gateway: SandboxGateway, engine: Engine
) -> None:
    answer = gateway.authorise(VISA, Decimal("100"), "EUR", "auth-1", T0)

    [row] = rows(engine, sandbox_authorisations)
    assert answer == approved(row["id"], "100.00", expires=True)
    assert row == {
        "id": answer.reference,
        "token_last4": "4242",
        "currency": "EUR",
        "authorised_minor": 10000,
        "captured_minor": 0,
        "refunded_minor": 0,
        "voided": False,
        "declines_captures": False,
        "created_at": T0,
        "expires_at": T0 + WEEK,
    }
    [operation] = rows(engine, sandbox_operations)
    assert {k: v for k, v in operation.items() if k != "fingerprint"} == {
        "key": "auth-1",
        "kind": "authorise",
        "authorisation_id": answer.reference,
        "amount_minor": 10000,
        "currency": "EUR",
        "outcome": "approved",
        "reference": answer.reference,
        "message": None,
        "expires_at": T0 + WEEK,
        "created_at": T0,
    }


@pytest.mark.parametrize("token", ["5555555555554444", "400000000000", "4000000000000000002"])
def test_any_number_not_listed_is_authorised(
    gateway: SandboxGateway, engine: Engine, token: str
) -> None:
    reference = authorised(gateway, "12.34", token=token)

    assert [r["id"] for r in rows(engine, sandbox_authorisations)] == [reference]


def test_minor_digits_follow_the_currency(gateway: SandboxGateway, engine: Engine) -> None:
    answer = gateway.authorise(VISA, Decimal("1500"), "JPY", "auth-1", T0)

    assert (answer.outcome, answer.amount) == (Outcome.APPROVED, Decimal(1500))
    assert ledger(engine) == [(1500, 0, 0, False)]


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (DECLINED, "card declined"),
        (INSUFFICIENT_FUNDS, "insufficient funds"),
        ("42424242424", "invalid card"),  # 11 digits
        ("42424242424242424242", "invalid card"),  # 20 digits
        ("4242 4242 4242 4242", "invalid card"),
        ("4242-4242-4242-4242", "invalid card"),
        ("", "invalid card"),
        ("\uff14" * 16, "invalid card"),  # full-width digits: not ASCII
    ],
)
def test_declined_cards_authorise_nothing_and_the_answer_is_kept(
    gateway: SandboxGateway, engine: Engine, token: str, message: str
) -> None:
    answer = gateway.authorise(token, Decimal("100.00"), "EUR", "auth-1", T0)

    assert answer == declined(message)
    assert rows(engine, sandbox_authorisations) == []
    assert [(r["key"], r["outcome"], r["message"]) for r in rows(engine, sandbox_operations)] == [
        ("auth-1", "declined", message)
    ]
    assert gateway.authorise(token, Decimal("100.00"), "EUR", "auth-1", T0) == answer


def test_a_processing_error_fails_does_nothing_and_the_same_key_may_ask_again(
    gateway: SandboxGateway, engine: Engine
) -> None:
    answer = gateway.authorise(PROCESSING_ERROR, Decimal("100.00"), "EUR", "auth-1", T0)

    assert answer == failed("processing error")
    assert rows(engine, sandbox_authorisations) == []
    assert rows(engine, sandbox_operations) == []
    assert gateway.authorise(VISA, Decimal("100.00"), "EUR", "auth-1", T0).outcome is (
        Outcome.APPROVED
    )


def test_a_lost_answer_is_found_by_asking_again_with_the_same_key(
    gateway: SandboxGateway, engine: Engine
) -> None:
    with pytest.raises(GatewayTimeout):
        gateway.authorise(LOST_ANSWER, Decimal("100.00"), "EUR", "auth-1", T0)
    [made] = rows(engine, sandbox_authorisations)  # made, though nobody heard of it

    again = gateway.authorise(LOST_ANSWER, Decimal("100.00"), "EUR", "auth-1", T0)

    assert again == approved(made["id"], "100.00", expires=True)
    assert ledger(engine) == [(10000, 0, 0, False)]
    assert gateway.authorise(LOST_ANSWER, Decimal("100.00"), "EUR", "auth-1", T0) == again
    assert gateway.capture(made["id"], Decimal("100.00"), "cap-1", T0).outcome is Outcome.APPROVED


def test_a_card_whose_captures_are_declined_can_still_be_voided(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, token=CAPTURE_DECLINED)

    assert gateway.capture(reference, Decimal("10.00"), "cap-1", T0) == declined("card declined")
    assert ledger(engine) == [(10000, 0, 0, False)]
    assert gateway.void(reference, "void-1", T0).amount == Decimal("100.00")
    assert ledger(engine) == [(10000, 0, 0, True)]


# Amounts and currencies


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        ("0", "EUR"),
        ("0.00", "EUR"),
        ("-1.00", "EUR"),
        ("1.001", "EUR"),
        ("0.5", "JPY"),
        ("1.0001", "BHD"),
        ("NaN", "EUR"),
        ("Infinity", "EUR"),
        ("1E+16", "EUR"),  # 10**18 cents: beyond what an amount may hold
    ],
)
def test_invalid_amounts_are_declined_everywhere(
    gateway: SandboxGateway, engine: Engine, amount: str, currency: str
) -> None:
    reference = authorised(gateway, "100", currency=currency)
    gateway.capture(reference, Decimal(50), "cap-1", T0)

    authorise = gateway.authorise(VISA, Decimal(amount), currency, "auth-2", T0)
    capture = gateway.capture(reference, Decimal(amount), "cap-2", T0)
    refund = gateway.refund(reference, Decimal(amount), "refund-1", T0)

    assert authorise == capture == refund == declined("invalid amount")
    minor = MINOR_UNITS[currency]
    assert ledger(engine) == [(100 * minor, 50 * minor, 0, False)]


@pytest.mark.parametrize("currency", ["XXX", "EURO", "eur", ""])
def test_an_unknown_currency_is_declined(
    gateway: SandboxGateway, engine: Engine, currency: str
) -> None:
    answer = gateway.authorise(VISA, Decimal("10.00"), currency, "auth-1", T0)

    assert answer == declined("invalid currency")
    assert rows(engine, sandbox_authorisations) == []


# Captures, voids, refunds


def test_captures_take_part_after_part_up_to_the_authorised_amount_and_no_more(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")

    first = gateway.capture(reference, Decimal("30.00"), "cap-1", T0)
    second = gateway.capture(reference, Decimal("69.99"), "cap-2", T0 + timedelta(days=1))
    beyond = gateway.capture(reference, Decimal("0.02"), "cap-3", T0 + timedelta(days=2))
    last = gateway.capture(reference, Decimal("0.01"), "cap-4", T0 + timedelta(days=2))
    nothing_left = gateway.capture(reference, Decimal("0.01"), "cap-5", T0 + timedelta(days=2))

    keys = references(engine)
    assert first == approved(keys["cap-1"], "30.00", expires=True)
    assert second == approved(keys["cap-2"], "69.99", expires=True)
    assert last == approved(keys["cap-4"], "0.01", expires=True)
    assert beyond == nothing_left == declined("amount exceeds what remains authorised")
    assert len({reference, keys["cap-1"], keys["cap-2"], keys["cap-4"]}) == 4
    assert ledger(engine) == [(10000, 10000, 0, False)]


def test_one_capture_beyond_the_authorised_amount_takes_nothing(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")

    answer = gateway.capture(reference, Decimal("100.01"), "cap-1", T0)

    assert answer == declined("amount exceeds what remains authorised")
    assert ledger(engine) == [(10000, 0, 0, False)]


def test_an_authorisation_expires_after_seven_days(gateway: SandboxGateway, engine: Engine) -> None:
    reference = authorised(gateway, "100.00")
    just_before = T0 + WEEK - timedelta(seconds=1)

    assert gateway.capture(reference, Decimal("40.00"), "cap-1", just_before).outcome is (
        Outcome.APPROVED
    )
    assert gateway.capture(reference, Decimal("10.00"), "cap-2", T0 + WEEK) == declined(
        "authorisation expired"
    )
    assert gateway.void(reference, "void-1", T0 + WEEK) == declined("authorisation expired")
    assert ledger(engine) == [(10000, 4000, 0, False)]
    refund = gateway.refund(reference, Decimal("40.00"), "refund-1", T0 + WEEK)
    assert refund.outcome is Outcome.APPROVED  # what was captured stays refundable


def test_a_void_cancels_what_was_not_captured(gateway: SandboxGateway, engine: Engine) -> None:
    reference = authorised(gateway, "100.00")
    gateway.capture(reference, Decimal("30.00"), "cap-1", T0)

    answer = gateway.void(reference, "void-1", T0)

    assert answer == approved(references(engine)["void-1"], "70.00")
    assert ledger(engine) == [(10000, 3000, 0, True)]
    assert gateway.capture(reference, Decimal("1.00"), "cap-2", T0) == declined(
        "authorisation voided"
    )
    assert gateway.void(reference, "void-2", T0) == declined("authorisation voided")
    assert ledger(engine) == [(10000, 3000, 0, True)]


def test_nothing_is_left_to_void_once_all_is_captured(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")
    gateway.capture(reference, Decimal("100.00"), "cap-1", T0)

    assert gateway.void(reference, "void-1", T0) == declined("nothing left to void")
    assert ledger(engine) == [(10000, 10000, 0, False)]


def test_refunds_take_up_to_what_was_captured_less_what_was_refunded(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")
    over = declined("amount exceeds what was captured and not refunded")
    assert gateway.refund(reference, Decimal("0.01"), "refund-0", T0) == over
    gateway.capture(reference, Decimal("60.00"), "cap-1", T0)

    first = gateway.refund(reference, Decimal("50.00"), "refund-1", T0)
    beyond = gateway.refund(reference, Decimal("10.01"), "refund-2", T0)
    rest = gateway.refund(reference, Decimal("10.00"), "refund-3", T0)

    keys = references(engine)
    assert (first, beyond, rest) == (
        approved(keys["refund-1"], "50.00"),
        over,
        approved(keys["refund-3"], "10.00"),
    )
    assert ledger(engine) == [(10000, 6000, 6000, False)]


@pytest.mark.parametrize("operation", ["capture", "void", "refund"])
def test_an_unknown_authorisation_is_declined(
    gateway: SandboxGateway, engine: Engine, operation: str
) -> None:
    answer = _call(gateway, operation, "no-such-authorisation", "10.00", "op-1")

    assert answer == declined("no such authorisation")
    assert rows(engine, sandbox_authorisations) == []


def _call(gateway: SandboxGateway, operation: str, reference: str, amount: str, key: str) -> Any:
    if operation == "void":
        return gateway.void(reference, key, T0)
    method = getattr(gateway, operation)
    return method(reference, Decimal(amount), key, T0)


# Idempotency


def test_an_authorisation_asked_again_with_its_key_is_the_same_one(
    gateway: SandboxGateway, engine: Engine
) -> None:
    first = gateway.authorise(VISA, Decimal("100.00"), "EUR", "auth-1", T0)

    again = gateway.authorise(VISA, Decimal("100"), "EUR", "auth-1", T0 + timedelta(hours=1))

    assert again == first
    assert ledger(engine) == [(10000, 0, 0, False)]


@pytest.mark.parametrize(
    ("operation", "amount", "done"),
    [
        ("capture", "30.00", (10000, 5000, 0, False)),
        ("void", "", (10000, 2000, 0, True)),
        ("refund", "5.00", (10000, 2000, 500, False)),
    ],
)
def test_an_operation_asked_again_with_its_key_is_done_once(
    gateway: SandboxGateway, engine: Engine, operation: str, amount: str, done: tuple[Any, ...]
) -> None:
    reference = authorised(gateway, "100.00")
    gateway.capture(reference, Decimal("20.00"), "cap-0", T0)
    first = _call(gateway, operation, reference, amount, "op-1")

    again = _call(gateway, operation, reference, amount, "op-1")

    assert first.outcome is Outcome.APPROVED
    assert again == first
    assert ledger(engine) == [done]
    assert len(rows(engine, sandbox_operations)) == 3


def test_a_declined_operation_asked_again_is_declined_again_even_if_it_would_pass_now(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")
    refused = gateway.refund(reference, Decimal("10.00"), "refund-1", T0)
    gateway.capture(reference, Decimal("50.00"), "cap-1", T0)

    again = gateway.refund(reference, Decimal("10.00"), "refund-1", T0)

    assert again == refused == declined("amount exceeds what was captured and not refunded")
    assert ledger(engine) == [(10000, 5000, 0, False)]


def test_a_key_used_for_another_request_fails_and_changes_nothing(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")
    other = authorised(gateway, "50.00", key="auth-2")
    gateway.capture(reference, Decimal("30.00"), "cap-1", T0)
    reused = failed("key 'cap-1' was used for another request")

    assert gateway.capture(reference, Decimal("31.00"), "cap-1", T0) == reused
    assert gateway.capture(other, Decimal("30.00"), "cap-1", T0) == reused
    assert gateway.refund(reference, Decimal("30.00"), "cap-1", T0) == reused
    assert gateway.void(reference, "cap-1", T0) == reused
    assert gateway.authorise(DECLINED, Decimal("100.00"), "EUR", "auth-1", T0) == failed(
        "key 'auth-1' was used for another request"
    )
    assert gateway.authorise(VISA, Decimal("100.00"), "USD", "auth-1", T0).outcome is (
        Outcome.FAILED
    )
    assert sorted(ledger(engine)) == [(5000, 0, 0, False), (10000, 3000, 0, False)]
    assert sorted(references(engine)) == ["auth-1", "auth-2", "cap-1"]


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_a_key_the_gateway_cannot_hold_fails(
    gateway: SandboxGateway, engine: Engine, key: str
) -> None:
    answer = gateway.authorise(VISA, Decimal("10.00"), "EUR", key, T0)

    assert answer == failed("an idempotency key has 1 to 255 characters")
    assert rows(engine, sandbox_authorisations) == []


# No card numbers kept


def test_no_card_number_is_stored_anywhere(gateway: SandboxGateway, engine: Engine) -> None:
    cards = [VISA, DECLINED, INSUFFICIENT_FUNDS, PROCESSING_ERROR, CAPTURE_DECLINED]
    for n, card in enumerate(cards):
        gateway.authorise(card, Decimal("10.00"), "EUR", f"auth-{n}", T0)
    with pytest.raises(GatewayTimeout):
        gateway.authorise(LOST_ANSWER, Decimal("10.00"), "EUR", "auth-lost", T0)

    stored = repr([rows(engine, table) for table in metadata.sorted_tables])

    assert [card for card in [*cards, LOST_ANSWER] if card in stored] == []
    assert sorted(r["token_last4"] for r in rows(engine, sandbox_authorisations)) == [
        "0341",
        "3220",
        "4242",
    ]


# Concurrency


def test_concurrent_captures_never_take_more_than_was_authorised(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")
    start = threading.Barrier(12)

    def capture(n: int) -> Outcome:
        start.wait()
        return gateway.capture(reference, Decimal("20.00"), f"cap-{n}", T0).outcome

    with ThreadPoolExecutor(12) as pool:
        outcomes = Counter(pool.map(capture, range(12)))

    assert outcomes == {Outcome.APPROVED: 5, Outcome.DECLINED: 7}
    assert ledger(engine) == [(10000, 10000, 0, False)]


def test_one_key_asked_concurrently_is_done_once_and_answered_alike(
    gateway: SandboxGateway, engine: Engine
) -> None:
    reference = authorised(gateway, "100.00")
    start = threading.Barrier(8)

    def capture(_: int) -> GatewayAnswer:
        start.wait()
        return gateway.capture(reference, Decimal("20.00"), "cap-1", T0)

    with ThreadPoolExecutor(8) as pool:
        answers = set(pool.map(capture, range(8)))

    assert [answer.outcome for answer in answers] == [Outcome.APPROVED]
    assert ledger(engine) == [(10000, 2000, 0, False)]

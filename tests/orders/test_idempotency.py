"""Idempotent placement: a key's first answer is kept and given again; another body under
the same key is refused; keys are scoped to the API key that sent them."""

from __future__ import annotations

import pytest

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.errors import IdempotencyKeyReused, InsufficientStock
from ordino.kernel.domain.idempotency import IdempotencyKey
from ordino.orders.services.capture import place_order
from ordino.orders.services.orders import cancel_order
from ordino.orders.store.tables import orders
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import idempotency_keys
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import counts, rows, stock_levels, with_stock

KEY = IdempotencyKey("key-web", "7c1e-place-W-1001", "fingerprint-a")


@pytest.fixture(autouse=True)
def berlin_stock(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10})


def test_the_same_key_and_body_replays_the_first_answer(uow: SqlUnitOfWork, clock: Clock) -> None:
    first = place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock(), KEY)
    written, levels = counts(uow.engine), stock_levels(uow.engine)

    again = place_order(
        a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock.advance(seconds=3), KEY
    )

    assert (again.status, again.body, again.replayed) == (201, first.body, True)
    assert first.replayed is False
    assert counts(uow.engine) == written
    assert stock_levels(uow.engine) == levels == {("DC-BER", "SKU-1"): (10, 2, 0)}


def test_the_first_answer_is_stored_with_the_key(uow: SqlUnitOfWork, clock: Clock) -> None:
    first = place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock(), KEY)

    assert rows(uow.engine, idempotency_keys) == [
        {
            "scope": "key-web",
            "key": "7c1e-place-W-1001",
            "fingerprint": "fingerprint-a",
            "status": 201,
            "body": first.body,
            "created_at": clock(),
            "order_id": first.body["id"],  # the order it is about, for an erasure
        }
    ]


def test_a_replay_is_the_first_answer_even_after_the_order_changed(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    first = place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock(), KEY)
    cancel_order(first.body["id"], uow, clock.advance(minutes=1))

    again = place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock(), KEY)

    assert again.body == first.body
    assert again.body["status"] == "placed"


def test_the_same_key_with_another_body_is_refused(uow: SqlUnitOfWork, clock: Clock) -> None:
    place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock(), KEY)
    written, levels = counts(uow.engine), stock_levels(uow.engine)
    other = IdempotencyKey(KEY.scope, KEY.key, "fingerprint-b")

    with pytest.raises(IdempotencyKeyReused) as refused:
        place_order(
            a_place_order(("SKU-1", 3), external_id="W-1002"), uow, RulesEngine(), clock(), other
        )

    assert refused.value.extra == {"idempotency_key": "7c1e-place-W-1001"}
    assert counts(uow.engine) == written
    assert stock_levels(uow.engine) == levels
    assert [row["fingerprint"] for row in rows(uow.engine, idempotency_keys)] == ["fingerprint-a"]


def test_a_key_belongs_to_the_scope_that_sent_it(uow: SqlUnitOfWork, clock: Clock) -> None:
    place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock(), KEY)
    elsewhere = IdempotencyKey("key-store", KEY.key, "fingerprint-b")

    second = place_order(
        a_place_order(("SKU-1", 1), external_id="W-1002"), uow, RulesEngine(), clock(), elsewhere
    )

    assert second.replayed is False
    assert len(rows(uow.engine, orders)) == 2
    assert stock_levels(uow.engine) == {("DC-BER", "SKU-1"): (10, 3, 0)}


def test_a_refused_placement_stores_no_answer(uow: SqlUnitOfWork, clock: Clock) -> None:
    with pytest.raises(InsufficientStock):
        place_order(a_place_order(("SKU-1", 11)), uow, RulesEngine(), clock(), KEY)

    assert rows(uow.engine, idempotency_keys) == []
    retried = place_order(a_place_order(("SKU-1", 10)), uow, RulesEngine(), clock(), KEY)
    assert retried.replayed is False

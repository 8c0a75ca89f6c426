"""The demo network loads once; API keys are found by their hash, with their role."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from ordino.access.services.keys import authenticate, create_key
from ordino.access.store.tables import api_keys
from ordino.app.check import check_inventory
from ordino.app.demo import seed_demo
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.store.movements import SqlMovements
from ordino.inventory.store.tables import positions
from ordino.kernel.domain.roles import ApiKey, Role, hash_key
from ordino.network.store.tables import locations, products
from tests.conftest import Clock
from tests.support.storage import counts, rows, with_stock

NETWORK = (locations, products, positions)
DEMO_ON_HAND = 151_588  # what the seeded generator gives; a change here changes every demo


def test_the_demo_network_loads_whole_and_once(
    uow: SqlUnitOfWork, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: SqlMovements, *args: Any) -> Any:
        raise KeyboardInterrupt  # after locations and products were written

    monkeypatch.setattr(SqlMovements, "apply", interrupted)
    with pytest.raises(KeyboardInterrupt):
        seed_demo(uow, clock())
    monkeypatch.undo()
    assert counts(uow.engine, NETWORK) == {"locations": 0, "products": 0, "positions": 0}

    assert seed_demo(uow, clock()) is True
    loaded = counts(uow.engine, NETWORK)
    assert seed_demo(uow, clock.advance(minutes=1)) is False

    # 8 locations and 300 SKUs (2,400 positions); a store in Zürich, its 303 positions,
    # and 3 guides at the 8 others (24)
    assert loaded == {"locations": 9, "products": 303, "positions": 2727}
    assert counts(uow.engine, NETWORK) == loaded
    assert [row["id"] for row in rows(uow.engine, locations)] == [
        "DC-BER",
        "DC-FRA",
        "DC-VIE",
        "ST-GRZ",
        "ST-HAM",
        "ST-KOE",
        "ST-MUC",
        "ST-VIE",
        "ST-ZRH",
    ]
    with uow.engine.connect() as connection:
        on_hand = connection.execute(text("SELECT SUM(on_hand) FROM positions")).scalar_one()
        in_transit = connection.execute(
            text("SELECT SUM(quantity) FROM supply_lines WHERE supply_id = 'TR-DEMO-1'")
        ).scalar_one()
    # Deterministic: every demo shows the same numbers; the transfer is on its way.
    assert (on_hand + in_transit, in_transit) == (DEMO_ON_HAND, 276)
    with uow:
        assert [view.name for view in uow.views.all()] == ["marketplace", "web"]
        assert uow.geo.locate("DE", "20095") is not None
        assert len(uow.operations.documents()) == 9
        carriers = [s.code for s, _ in uow.carriers.all()]
        assert carriers == ["dhl-ch", "dhl-express", "dhl-paket", "post-at"]
    assert check_inventory(uow) == []


def test_the_demo_is_not_loaded_over_an_existing_network(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 1})

    assert seed_demo(uow, clock()) is False

    assert counts(uow.engine, NETWORK) == {"locations": 1, "products": 1, "positions": 1}


def test_a_created_key_authenticates_with_its_role(uow: SqlUnitOfWork, clock: Clock) -> None:
    key = create_key(Role.STORE, "Hamburg till", uow, clock())

    found = authenticate(key, uow, admin_key=None)

    [row] = rows(uow.engine, api_keys)
    assert found == ApiKey(row["id"], Role.STORE, "Hamburg till")
    assert key.startswith("ordino_")
    assert row["key_hash"] == hash_key(key) != key  # only the hash is stored
    assert (row["role"], row["created_at"], row["revoked_at"]) == ("store", clock(), None)


def test_a_wrong_key_is_not_found(uow: SqlUnitOfWork, clock: Clock) -> None:
    key = create_key(Role.ADMIN, None, uow, clock())

    assert authenticate(key + "x", uow, admin_key=None) is None
    assert authenticate("", uow, admin_key=None) is None
    assert authenticate(hash_key(key), uow, admin_key=None) is None  # the hash is no key


def test_a_revoked_key_is_not_found(uow: SqlUnitOfWork, clock: Clock) -> None:
    key = create_key(Role.CHANNEL, "web shop", uow, clock())
    with uow.engine.begin() as connection:
        connection.execute(api_keys.update().values(revoked_at=clock()))

    assert authenticate(key, uow, admin_key=None) is None


def test_the_environment_admin_key_is_an_admin(uow: SqlUnitOfWork) -> None:
    found = authenticate("env-secret", uow, admin_key="env-secret")

    assert found == ApiKey("environment", Role.ADMIN, "ORDINO_ADMIN_KEY")


def test_without_an_environment_key_nothing_is_admin_by_default(uow: SqlUnitOfWork) -> None:
    assert authenticate("env-secret", uow, admin_key=None) is None
    assert authenticate("", uow, admin_key="") is None
    assert authenticate("env-secre", uow, admin_key="env-secret") is None


def test_keys_of_each_role_are_told_apart(uow: SqlUnitOfWork, clock: Clock) -> None:
    keys = {role: create_key(role, str(role), uow, clock()) for role in Role}

    found = {role: authenticate(key, uow, admin_key=None) for role, key in keys.items()}

    assert {role: key.role if key else None for role, key in found.items()} == {
        role: role for role in Role
    }

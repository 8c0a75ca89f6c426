"""0028_security seals the webhook secrets that were stored in clear: under
ORDINO_SECRET_KEY when the upgrade runs with it, else under a key it makes and
keeps in the database; the server opens them with the same keys afterwards, and a
downgrade gives the secrets back in clear."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.services.server_keys import ServerKeys
from ordino.store import migrate
from tests.conftest import T0

CLEAR = "a-secret-stored-in-clear"


def _with_a_clear_secret(engine: Engine) -> None:
    migrate.downgrade(engine, "0027_privacy")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO webhook_subscriptions (id, url, event_types, secret, created_at) "
                "VALUES ('H-1', 'https://hooks.example/o', '[\"*\"]', :s, '2026-11-01 08:00:00')"
            ),
            {"s": CLEAR},
        )


def _stored(engine: Engine) -> str:
    with engine.connect() as connection:
        found: str = connection.scalar(text("SELECT sealed_secret FROM webhook_subscriptions"))
    return found


@pytest.mark.parametrize("server_key", ["the operator's key", None])
def test_the_upgrade_seals_existing_secrets_and_the_server_opens_them(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, server_key: str | None
) -> None:
    if server_key is None:
        monkeypatch.delenv("ORDINO_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("ORDINO_SECRET_KEY", server_key)
    _with_a_clear_secret(engine)

    migrate.upgrade(engine)
    sealed = _stored(engine)
    keys = ServerKeys(() if server_key is None else (server_key,))
    opened = keys.sealer(SqlUnitOfWork(engine), T0).open(sealed)
    columns = {c["name"] for c in inspect(engine).get_columns("webhook_subscriptions")}
    migrate.downgrade(engine, "0027_privacy")
    with engine.connect() as connection:
        back = connection.scalar(text("SELECT secret FROM webhook_subscriptions"))
    migrate.upgrade(engine)  # the next test's database is at the head again

    assert CLEAR not in sealed
    assert opened == CLEAR
    assert "secret" not in columns and "sealed_secret" in columns
    assert back == CLEAR

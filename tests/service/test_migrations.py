"""Migrations go down to nothing and up again on every backend."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from ordino.store import migrate
from ordino.store.tables import metadata


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    migrate.downgrade(engine, "base")
    emptied = set(inspect(engine).get_table_names()) - {"alembic_version"}

    migrate.upgrade(engine)

    assert emptied == set()
    assert migrate.current(engine) == migrate.head()
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("api_keys")}
    assert "channel" in columns

"""Migrations go down to nothing and up again on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from ordino.app.check import check_inventory
from ordino.app.schema import metadata
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.store import migrate


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    migrate.downgrade(engine, "base")
    emptied = set(inspect(engine).get_table_names()) - {"alembic_version"}

    migrate.upgrade(engine)

    assert emptied == set()
    assert migrate.current(engine) == migrate.head()
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("api_keys")}
    assert "channel" in columns


def test_the_migrations_build_exactly_the_tables_the_code_defines(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_adjustments_recorded_before_movements_become_movements(engine: Engine) -> None:
    """0003 carries the adjustments over, after an opening balance, so they add up."""
    migrate.downgrade(engine, "0002_key_channel")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO locations (id, name, type, line1, city, postal_code, country, "
            "time_zone, ships, pickup, returns, updated_at) VALUES ('DC-BER', 'Berlin', "
            "'warehouse', 'Str. 1', 'Berlin', '10115', 'DE', 'Europe/Berlin', true, false, "
            "true, '2026-11-01 08:00:00')",
            "INSERT INTO products (sku, name, updated_at) VALUES ('SKU-1', 'Jacket', "
            "'2026-11-01 08:00:00')",
            "INSERT INTO positions (location_id, sku, on_hand, reserved, safety_stock, "
            "updated_at) VALUES ('DC-BER', 'SKU-1', 12, 0, 1, '2026-11-01 09:00:00')",
            "INSERT INTO inventory_adjustments VALUES ('E-1', 'DC-BER', 'SKU-1', 5, "
            "'received', '2026-11-01 08:30:00')",
        ):
            connection.execute(text(statement))

    migrate.upgrade(engine)

    with engine.connect() as connection:
        moved = connection.execute(
            text(
                "SELECT kind, quantity, on_hand_after, event_id, reason "
                "FROM inventory_movements ORDER BY id"
            )
        ).all()
    assert [tuple(row) for row in moved] == [
        ("opening", 7, 7, None, "balance when movements began"),
        ("adjustment", 5, 12, "E-1", "received"),
    ]
    assert check_inventory(SqlUnitOfWork(engine)) == []


def test_every_channel_named_before_channels_were_kept_becomes_a_known_one(
    engine: Engine,
) -> None:
    """0031 makes a channel of each name that orders, keys, users, views and sourcing
    profiles gave, so what worked before goes on working."""
    migrate.downgrade(engine, "0031_input_limits-1")  # whatever it follows
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO api_keys (id, key_hash, role, created_at, channel) VALUES "
            "('K1', 'h1', 'channel', '2026-11-01 08:00:00', 'b2b')",
            "INSERT INTO users (id, username, password_hash, role, created_at, channel) "
            "VALUES ('U1', 'ada', 'x', 'channel', '2026-11-01 08:00:00', 'app')",
            "INSERT INTO availability_views (name, document, version, updated_at) VALUES "
            """('web', '{"channels": ["web", "app"]}', 1, '2026-11-01 08:00:00')""",
            "INSERT INTO sourcing_profiles (name, document, version, updated_at) VALUES "
            """('mp', '{"channels": ["amazon"]}', 1, '2026-11-01 08:00:00')""",
        ):
            connection.execute(text(statement))

    migrate.upgrade(engine)

    with SqlUnitOfWork(engine) as uow:
        known = {(channel.name, channel.max_line_quantity) for channel, _ in uow.channels.all()}
    assert known == {("amazon", 1000), ("app", 1000), ("b2b", 1000), ("web", 1000)}


def test_0048_knows_which_returns_travelled_and_goes_back_with_returns_kept(
    engine: Engine,
) -> None:
    """Returns on their way, received or closed with a label travelled; one only
    authorised did not. Down again, the returns and their lines stay."""
    migrate.downgrade(engine, "0047_returns")
    at = "'2026-11-01 08:00:00'"
    with engine.begin() as connection:
        for n, status in enumerate(("authorised", "in_transit", "closed", "requested")):
            connection.execute(
                text(
                    "INSERT INTO returns (id, order_id, code, status, initiator, method, "
                    "started_by, created_at, updated_at, version) VALUES "
                    f"('R{n}', 'O1', 'C{n}', '{status}', 'customer', 'mail', 'customer', "
                    f"{at}, {at}, 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO return_lines (return_id, line_no, sku, quantity, reason) "
                    f"VALUES ('R{n}', 1, 'SKU-1', 1, 'wrong_size')"
                )
            )
        connection.execute(
            text(
                "INSERT INTO return_labels (return_id, carrier, tracking_number, media_type, "
                f"document, created_at) VALUES ('R2', 'dhl', 'T2', 'image/svg+xml', '<svg/>', {at})"
            )
        )

    migrate.upgrade(engine)
    with engine.connect() as connection:
        travelled = connection.execute(
            text("SELECT id FROM returns WHERE travelled_at IS NOT NULL ORDER BY id")
        ).scalars()
        assert list(travelled) == ["R1", "R2"]

    migrate.downgrade(engine, "0047_returns")
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT count(*) FROM return_lines")).scalar_one()
    assert kept == 4
    migrate.upgrade(engine)


def test_0049_keeps_a_returns_lines_asking_for_no_exchange_and_goes_back_with_them(
    engine: Engine,
) -> None:
    """Returns asked before exchanges existed ask for none; down again, they stay."""
    migrate.downgrade(engine, "0048_return_facts")
    at = "'2026-11-01 08:00:00'"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO returns (id, order_id, code, status, initiator, method, "
                "started_by, created_at, updated_at, version) VALUES "
                f"('R1', 'O1', 'C1', 'authorised', 'customer', 'store', 'customer', {at}, {at}, 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO return_lines (return_id, line_no, sku, quantity, reason) "
                "VALUES ('R1', 1, 'SKU-1', 1, 'wrong_size')"
            )
        )

    migrate.upgrade(engine)
    with engine.connect() as connection:
        mode = connection.execute(text("SELECT exchange_mode FROM returns")).scalar_one()
        sku = connection.execute(text("SELECT exchange_sku FROM return_lines")).scalar_one()
        none = connection.execute(text("SELECT count(*) FROM return_exchanges")).scalar_one()
    assert (mode, sku, none) == (None, None, 0)

    migrate.downgrade(engine, "0048_return_facts")
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT count(*) FROM return_lines")).scalar_one()
    assert kept == 1
    assert "return_exchanges" not in inspect(engine).get_table_names()
    migrate.upgrade(engine)

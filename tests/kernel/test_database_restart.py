"""A database that drops its connections (a restart, a failover, an idle timeout) costs
no request: a pooled connection is checked before it is used."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from ordino.app.server import create_app
from ordino.config import Settings
from tests.conftest import ADMIN_KEY
from tests.support.builders import a_location_body


def _drop_connections_since(engine: Engine, started: object) -> int:
    """Terminate every other connection to the database opened since `started`: the
    app's, not the test fixtures' (as a restart of the server would, all of them)."""
    with engine.connect() as connection:
        return len(
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND backend_start >= :started"
                ),
                {"started": started},
            ).all()
        )


def test_the_first_request_after_the_connections_dropped_succeeds(
    pg_url: str, pg_engine: Engine
) -> None:
    with pg_engine.connect() as connection:
        started = connection.scalar(text("SELECT clock_timestamp()"))
    quiet = {"signal_seconds": 0, "worker_seconds": 0, "relay_seconds": 0}
    app = create_app(Settings(database_url=pg_url, admin_key=ADMIN_KEY, **quiet))
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with TestClient(app, headers=headers, raise_server_exceptions=False) as api:
        assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
        assert api.get("/v1/locations/DC-BER").status_code == 200

        dropped = _drop_connections_since(pg_engine, started)
        after = api.get("/v1/locations/DC-BER")

    app.state.engine.dispose()
    assert dropped >= 1
    assert after.status_code == 200, after.text
    assert after.json()["id"] == "DC-BER"

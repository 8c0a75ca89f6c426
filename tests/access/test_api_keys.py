"""API keys are listed and revoked (CLI and API, an admin's), never shown again after
creation, and a revoked key stops working in every process: the one that revoked it
at once, the others as soon as they hear of it (the change feed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ordino.access.services.keys import authenticate, create_key
from ordino.app.main import main
from ordino.app.server import create_app
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.config import Settings
from ordino.kernel.domain.roles import Role
from tests.conftest import ADMIN_KEY, T0, Clock
from tests.support.api import refused


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _listed(result: Result) -> list[dict[str, str]]:
    """`ordino keys list`'s rows by its header's names, by name."""
    assert result.exit_code == 0, result.output
    header, *rows = (line.split("\t") for line in result.output.splitlines() if line)
    return sorted((dict(zip(header, row, strict=True)) for row in rows), key=lambda r: r["name"])


def test_keys_list_and_revoke_on_the_command_line(database_url: str, engine: Engine) -> None:
    kept = create_key(Role.AGENT, "desk", SqlUnitOfWork(engine), T0)
    gone = create_key(Role.CHANNEL, "shop", SqlUnitOfWork(engine), T0, channel="web")
    runner, db = CliRunner(), ["--database-url", database_url]
    first = _listed(runner.invoke(main, ["keys", "list", *db]))
    gone_id = next(r["id"] for r in first if r["name"] == "shop")

    revoked = runner.invoke(main, ["keys", "revoke", gone_id, *db])
    again = runner.invoke(main, ["keys", "revoke", gone_id, *db])
    unknown = runner.invoke(main, ["keys", "revoke", "NO-SUCH-KEY", *db])
    listed = runner.invoke(main, ["keys", "list", *db])

    assert (revoked.exit_code, again.exit_code, unknown.exit_code) == (0, 0, 1)
    assert f"key {gone_id} revoked" in revoked.output
    assert "no key 'NO-SUCH-KEY'" in unknown.output
    rows = _listed(listed)
    assert [(r["role"], r["name"], r["scope"], r["created"]) for r in rows] == [
        ("agent", "desk", "", T0.isoformat()),
        ("channel", "shop", "channel web", T0.isoformat()),
    ]
    assert [r["revoked"] != "" for r in rows] == [False, True]
    assert kept not in listed.output and gone not in listed.output
    assert authenticate(gone, SqlUnitOfWork(engine), None) is None
    assert authenticate(kept, SqlUnitOfWork(engine), None) is not None


def test_an_admin_creates_lists_and_revokes_keys_over_the_api(api: TestClient) -> None:
    created = api.post("/v1/keys", json={"role": "store", "name": "Hamburg till"})
    assert created.status_code == 201, created.text
    key, key_id = created.json()["key"], created.json()["id"]
    works = api.get("/v1/orders", headers=_bearer(key))

    listed = api.get("/v1/keys")
    revoked = api.delete(f"/v1/keys/{key_id}")
    again = api.delete(f"/v1/keys/{key_id}")
    refused_after = api.get("/v1/orders", headers=_bearer(key))
    unknown = api.delete("/v1/keys/NO-SUCH-KEY")
    after = api.get("/v1/keys").json()["items"]

    assert created.headers["location"] == f"/v1/keys/{key_id}"
    assert key.startswith("ordino_")
    assert works.status_code == 200
    assert listed.status_code == 200
    [shown] = listed.json()["items"]
    assert shown == {
        "id": key_id,
        "role": "store",
        "name": "Hamburg till",
        "channel": None,
        "location_id": None,
        "created_at": "2026-11-02T09:00:00+00:00",
        "revoked_at": None,
    }
    assert key not in listed.text
    assert (revoked.status_code, again.status_code) == (204, 204)
    refused(refused_after, 401, "unauthenticated")
    refused(unknown, 404, "not-found")
    assert after[0]["revoked_at"] == "2026-11-02T09:00:00+00:00"


@pytest.mark.parametrize("role", [Role.AGENT, Role.CHANNEL, Role.STORE])
def test_only_an_admin_manages_keys(api: TestClient, role: Role, clock: Clock) -> None:
    other = create_key(Role.CHANNEL, "victim", api.app.state.uow(), clock())  # type: ignore[attr-defined]
    own = _bearer(create_key(role, "caller", api.app.state.uow(), clock()))  # type: ignore[attr-defined]
    victim_id = next(k["id"] for k in api.get("/v1/keys").json()["items"] if k["name"] == "victim")

    listing = api.get("/v1/keys", headers=own)
    creating = api.post("/v1/keys", json={"role": "admin"}, headers=own)
    revoking = api.delete(f"/v1/keys/{victim_id}", headers=own)

    for response in (listing, creating, revoking):
        refused(response, 403, "forbidden")
    assert len(api.get("/v1/keys").json()["items"]) == 2  # no admin key was made
    assert api.get("/v1/orders", headers=_bearer(other)).status_code == 200  # not revoked


@pytest.fixture
def other_process(api: TestClient, database_url: str, clock: Clock) -> Iterator[TestClient]:
    """A second server process on the same database, its change feed run by hand
    (its lifespan is not started): `app.state.feed.poll()` hears what was committed."""
    settings = Settings(database_url=database_url, admin_key=ADMIN_KEY, signal_seconds=0)
    app = create_app(settings, clock=clock)
    if app.state.engine.dialect.name != "sqlite":
        pytest.skip("the poll is SQLite's feed; test_keys_across_processes covers PostgreSQL's")
    app.state.feed.poll()  # where the feed starts from
    yield TestClient(app)
    app.state.engine.dispose()


def test_a_key_revoked_in_one_process_stops_working_in_another_once_it_hears(
    api: TestClient, other_process: TestClient
) -> None:
    created: dict[str, Any] = api.post("/v1/keys", json={"role": "channel"}).json()
    before = other_process.get("/v1/orders", headers=_bearer(created["key"]))  # now cached there

    assert api.delete(f"/v1/keys/{created['id']}").status_code == 204
    other_process.app.state.feed.poll()  # type: ignore[attr-defined]
    after = other_process.get("/v1/orders", headers=_bearer(created["key"]))

    assert before.status_code == 200
    refused(after, 401, "unauthenticated")

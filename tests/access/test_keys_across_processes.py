"""A key revoked from outside (`ordino keys revoke` in another process) stops working
in every server process on PostgreSQL: each hears of it through NOTIFY and forgets
the keys it remembered."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import UTC, datetime

from sqlalchemy import Engine

from ordino.access.services.keys import NewKey, issue_key, revoke_key
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.roles import Role
from ordino_lab.load import Server, running_server

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PATIENCE = 10.0  # seconds: far above a notification's trip, and below the cache's bound


def _status(server: Server, key: str) -> int:
    request = urllib.request.Request(
        f"{server.url}/v1/orders", headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_every_server_process_refuses_a_key_once_it_is_revoked(
    pg_url: str, pg_engine: Engine
) -> None:
    issued = issue_key(NewKey(Role.CHANNEL, "shop"), SqlUnitOfWork(pg_engine), NOW, "test")

    with running_server(pg_url, workers=2, pool_size=2) as server:
        warm = {_status(server, issued["key"]) for _ in range(8)}  # both processes hold it
        revoke_key(issued["id"], SqlUnitOfWork(pg_engine), NOW, "test")
        deadline = time.monotonic() + PATIENCE
        answers = [_status(server, issued["key"]) for _ in range(8)]
        while set(answers) != {401} and time.monotonic() < deadline:
            time.sleep(0.05)
            answers = [_status(server, issued["key"]) for _ in range(8)]

    assert warm == {200}
    assert answers == [401] * 8

"""`ordino simulate traffic` against a served demo (`ordino serve` in a child
process, its own worker and relay running): the shop's orders are released,
accepted or turned down, shipped, delivered or collected with the code the
customer was sent by webhook; a rejection is sourced again and fulfilled there;
the stock adds up afterwards, and the simulation's webhook is gone."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import Engine

from ordino.app.check import check_inventory
from ordino.app.demo import seed_demo
from ordino.app.main import main
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino_lab.load import running_server

QUICK = {
    "ORDINO_WORKER_SECONDS": "0.1",
    "ORDINO_RELAY_SECONDS": "0.1",
    "ORDINO_WEBHOOK_ALLOW_PRIVATE": "1",  # the simulation's receiver listens on 127.0.0.1
}


def test_the_parties_take_orders_from_capture_to_the_customer(
    database_url: str, engine: Engine
) -> None:
    seed_demo(SqlUnitOfWork(engine), datetime.now(UTC))

    with running_server(database_url, workers=1, settings=QUICK) as server:
        result = CliRunner().invoke(
            main,
            [
                *("simulate", "traffic", "--url", server.url, "--key", server.key),
                *("--orders", "20", "--rate", "10", "--seed", "3", "--reject-rate", "0.25"),
                *("--decline-rate", "0.1", "--pace", "0.05", "--transit", "0.2"),
                *("--collect", "0.2", "--poll", "0.1", "--drain", "90", "--json"),
            ],
        )
        webhooks = _get(server.url, server.key, "/v1/webhooks")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["placed"], summary["errors"]) == (20, {})
    assert summary["by_status"]["fulfilled"] >= 10
    assert summary["counts"]["delivered"] >= 10
    assert summary["rerouted_and_fulfilled"] >= 1
    assert set(summary["by_status"]) <= {"fulfilled", "cancelled", "partially_fulfilled"}
    assert webhooks["items"] == []  # unsubscribed at the end
    assert check_inventory(SqlUnitOfWork(engine)) == []


def _get(url: str, key: str, path: str) -> dict[str, object]:
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        found: dict[str, object] = json.loads(answer.read())
    return found

"""The command line: keys, check, and the quickstart's `serve --demo`."""

from __future__ import annotations

import getpass
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx2
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordino.access.services.keys import authenticate
from ordino.access.services.users import sign_in
from ordino.access.store.tables import api_keys
from ordino.app.main import main
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.stock import count_stock
from ordino.inventory.store.tables import positions
from ordino.kernel.services.configuration import list_changes
from ordino.network.services.catalogue import put_location, put_product
from ordino.payments.store.tables import payments
from ordino.store.engine import make_engine
from ordino_lab.load import free_port
from tests.conftest import T0, Clock
from tests.support.api import network, stock, work
from tests.support.builders import a_location, a_product, an_order_body
from tests.support.storage import rows


def test_keys_create_prints_a_key_that_works_with_its_role(database_url: str) -> None:
    result = CliRunner().invoke(
        main, ["keys", "create", "--role", "store", "--database-url", database_url]
    )

    assert result.exit_code == 0, result.output
    key = result.output.strip()
    assert key.startswith("ordino_")
    engine = make_engine(database_url)
    found = authenticate(key, SqlUnitOfWork(engine), admin_key=None)
    engine.dispose()
    assert found is not None and found.role == "store"


def test_users_create_makes_a_user_who_signs_in_with_the_password(database_url: str) -> None:
    command = ["users", "create", "--username", "ada", "--role", "agent"]
    command += ["--database-url", database_url]

    made = CliRunner().invoke(main, command, input="correct horse battery\n" * 2)
    again = CliRunner().invoke(main, [*command, "--password", "another password"])
    short = CliRunner().invoke(main, [*command[:3], "bob", *command[4:], "--password", "short"])

    assert made.exit_code == 0, made.output
    assert (again.exit_code, short.exit_code) == (1, 1)
    assert "a user 'ada' exists" in again.output
    assert "at least 10 characters" in short.output
    engine = make_engine(database_url)
    found = sign_in("ada", "correct horse battery", SqlUnitOfWork(engine))
    wrong = sign_in("ada", "another password", SqlUnitOfWork(engine))
    engine.dispose()
    assert found is not None and (found.role, found.name, wrong) == ("agent", "ada", None)


def test_users_are_listed_get_a_new_password_and_are_disabled(database_url: str) -> None:
    url = ["--database-url", database_url]
    runner = CliRunner()
    for name, role in (("ada", "agent"), ("sam", "admin")):
        made = runner.invoke(
            main,
            ["users", "create", "--username", name, "--role", role, *url, "--password", "x" * 12],
        )
        assert made.exit_code == 0, made.output

    renewed = runner.invoke(
        main, ["users", "password", "--username", "ada", *url, "--password", "y" * 12]
    )
    disabled = runner.invoke(main, ["users", "disable", "--username", "sam", *url])
    nobody = runner.invoke(main, ["users", "disable", "--username", "eve", *url])
    listed = runner.invoke(main, ["users", "list", *url])

    assert (renewed.exit_code, disabled.exit_code, nobody.exit_code) == (0, 0, 1)
    assert "no user 'eve'" in nobody.output
    assert listed.output.splitlines() == ["ada\tagent", "sam\tadmin (disabled)"]
    engine = make_engine(database_url)
    signed = [
        sign_in("ada", "y" * 12, SqlUnitOfWork(engine)),
        sign_in("ada", "x" * 12, SqlUnitOfWork(engine)),
        sign_in("sam", "x" * 12, SqlUnitOfWork(engine)),
    ]
    engine.dispose()
    assert [s is not None for s in signed] == [True, False, False]


def test_keys_create_refuses_an_unknown_role(database_url: str) -> None:
    result = CliRunner().invoke(
        main, ["keys", "create", "--role", "root", "--database-url", database_url]
    )

    assert result.exit_code == 2
    assert "root" in result.output


def test_only_a_channel_key_takes_a_channel(database_url: str) -> None:
    runner = CliRunner()

    agent = runner.invoke(
        main,
        ["keys", "create", "--role", "agent", "--channel", "web", "--database-url", database_url],
    )
    channel = runner.invoke(
        main,
        ["keys", "create", "--role", "channel", "--channel", "web", "--database-url", database_url],
    )

    assert agent.exit_code == 2
    assert channel.exit_code == 0
    engine = make_engine(database_url)
    found = authenticate(channel.output.strip(), SqlUnitOfWork(engine), admin_key=None)
    engine.dispose()
    assert found is not None and (found.role, found.channel) == ("channel", "web")


def test_a_store_key_is_scoped_to_a_known_location(database_url: str) -> None:
    engine = make_engine(database_url)
    put_location(a_location("ST-HAM"), SqlUnitOfWork(engine), T0)
    runner = CliRunner()
    args = ["keys", "create", "--database-url", database_url]

    unknown = runner.invoke(main, [*args, "--role", "store", "--location", "ST-XXX"])
    agent = runner.invoke(main, [*args, "--role", "agent", "--location", "ST-HAM"])
    store = runner.invoke(main, [*args, "--role", "store", "--location", "ST-HAM"])

    assert (unknown.exit_code, agent.exit_code, store.exit_code) == (2, 2, 0)
    found = authenticate(store.output.strip(), SqlUnitOfWork(engine), admin_key=None)
    engine.dispose()
    assert found is not None and (found.role, found.location_id) == ("store", "ST-HAM")


def test_a_channel_key_is_scoped_to_a_known_channel(database_url: str) -> None:
    runner = CliRunner()
    args = ["keys", "create", "--role", "channel", "--database-url", database_url]

    unknown = runner.invoke(main, [*args, "--channel", "telesales"])
    known = runner.invoke(main, [*args, "--channel", "amazon"])

    assert (unknown.exit_code, known.exit_code) == (2, 0)
    assert "Invalid value for --channel" in unknown.output
    assert "no channel 'telesales'" in unknown.output
    engine = make_engine(database_url)
    scopes = [key["channel"] for key in rows(engine, api_keys)]
    engine.dispose()
    assert scopes == ["amazon"]


def test_check_is_clean_then_reports_a_corrupted_position(database_url: str) -> None:
    engine = make_engine(database_url)
    uow = SqlUnitOfWork(engine)
    put_location(a_location("DC-BER"), uow, T0)
    put_product(a_product("SKU-1"), uow, T0)
    count_stock([Count("DC-BER", "SKU-1", 5, 0)], T0, Source("test", T0), uow)
    runner = CliRunner()

    clean = runner.invoke(main, ["check", "--database-url", database_url])
    with engine.begin() as connection:
        connection.execute(update(positions).values(reserved=7, on_hand=6))
    broken = runner.invoke(main, ["check", "--database-url", database_url])

    assert (clean.exit_code, clean.output.split(":")[0]) == (0, "ok")
    assert broken.exit_code == 1
    assert "DC-BER SKU-1: reserved 7 but the ledger holds 0" in broken.output
    assert "DC-BER SKU-1: on hand 6 but movements add up to 5" in broken.output
    assert "short: DC-BER SKU-1: 7 reserved, 6 on hand" in broken.output
    engine.dispose()


def test_serve_demo_starts_on_a_fresh_sqlite_file_and_prints_a_working_key(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDINO_")}
    with subprocess.Popen(
        [sys.executable, "-m", "ordino", "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    ) as server:
        try:
            key = _admin_key(server)
            base = f"http://127.0.0.1:{port}"
            _wait(base)
            answer = httpx2.get(
                f"{base}/v1/availability",
                params={"skus": "SKU-0001"},
                headers={"Authorization": f"Bearer {key}"},
            )
        finally:
            server.terminate()
            server.communicate(timeout=20)

    assert (tmp_path / "ordino.db").exists()
    assert answer.status_code == 200
    assert answer.json()["items"][0]["sku"] == "SKU-0001"
    assert answer.json()["items"][0]["available"] > 0


def _admin_key(server: subprocess.Popen[str]) -> str:
    assert server.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        if match := re.search(r"Admin key: (\S+)", line):
            return match.group(1)
        if not line and server.poll() is not None:
            break
    raise AssertionError("serve --demo printed no admin key")


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{base}/health").status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not come up")


def test_check_reports_a_payment_that_disagrees_with_the_gateway(
    api: TestClient, clock: Clock, database_url: str
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    body = an_order_body(("SKU-1", 1), payment={"method": "card", "token": "4242424242424242"})
    order_id = api.post("/v1/orders", json=body).json()["id"]
    work(api, clock)
    runner = CliRunner()

    clean = runner.invoke(main, ["check", "--database-url", database_url])
    engine = api.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(update(payments).values(captured_minor=5990, status="closed"))
    broken = runner.invoke(main, ["check", "--database-url", database_url])

    assert clean.exit_code == 0, clean.output
    assert "ok: every payment agrees with the gateway" in clean.output
    assert broken.exit_code == 1
    assert f"payment of order {order_id}" in broken.output
    assert "captured: the payment says 59.90, its operations 0.00" in broken.output


def test_users_and_keys_made_on_the_command_line_are_recorded_with_who_made_them(
    database_url: str,
) -> None:
    url = ["--database-url", database_url]
    runner = CliRunner()
    user = ["users", "create", "--username", "ada", "--role", "agent", "--password", "x" * 12]
    assert runner.invoke(main, [*user, *url]).exit_code == 0
    password = ["users", "password", "--username", "ada", "--password", "y" * 12]
    assert runner.invoke(main, [*password, *url]).exit_code == 0
    assert runner.invoke(main, ["users", "disable", "--username", "ada", *url]).exit_code == 0
    made = runner.invoke(main, ["keys", "create", "--role", "store", *url])
    key_id = runner.invoke(main, ["keys", "list", *url]).output.splitlines()[1].split("\t")[0]
    assert runner.invoke(main, ["keys", "revoke", key_id, *url]).exit_code == 0

    engine = make_engine(database_url)
    found = list_changes(SqlUnitOfWork(engine))["items"]
    engine.dispose()
    me = f"cli:{getpass.getuser()}"
    assert [(c["kind"], c["name"], c["action"], c["by"]) for c in found] == [
        ("api_key", key_id, "changed", me),
        ("api_key", key_id, "created", me),
        ("user", "ada", "changed", me),
        ("user", "ada", "changed", me),
        ("user", "ada", "created", me),
    ]
    assert [c["changes"] for c in found[2:4]] == [
        [{"path": "disabled", "before": False, "after": True}],
        [{"path": "password", "before": None, "after": "changed"}],
    ]
    assert found[4]["after"] == {"role": "agent", "location_id": None, "disabled": False}
    assert made.output.strip() not in str(found) and "x" * 12 not in str(found)

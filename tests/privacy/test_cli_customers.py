"""`ordino customers export | erase`: a customer's orders to a file, and their
personal data erased (asked to confirm), recorded as the person at the terminal."""

from __future__ import annotations

import getpass
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine

from ordino.app.main import main
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.orders.domain.commands import Customer
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.orders import cancel_order
from ordino.orders.store.tables import orders
from ordino.privacy.store.tables import customer_exports, erasures
from tests.conftest import T0
from tests.support.builders import a_place_order
from tests.support.storage import rows, with_stock

EMAIL = "grace@example.org"


def _cancelled_order(engine: Engine, external_id: str) -> str:
    uow = SqlUnitOfWork(engine)
    cmd = a_place_order(external_id=external_id, customer=Customer(EMAIL, "Grace Hopper"))
    order_id: str = place_order(cmd, uow, Capture(), T0).body["id"]
    cancel_order(order_id, uow, T0, "Grace Hopper moved")
    return order_id


def test_a_customers_orders_are_exported_to_a_file(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    with_stock(SqlUnitOfWork(engine), T0, {("DC-BER", "SKU-1"): 10})
    first, second = _cancelled_order(engine, "W-1"), _cancelled_order(engine, "W-2")
    out = tmp_path / "grace.json"

    result = CliRunner().invoke(
        main,
        [
            "customers",
            "export",
            "--email",
            EMAIL,
            "--out",
            str(out),
            "--database-url",
            database_url,
        ],
    )

    assert result.exit_code == 0, result.output
    assert f"2 orders of {EMAIL} written to {out}" in result.output
    exported = json.loads(out.read_text())
    assert [o["id"] for o in exported["orders"]] == sorted([first, second], reverse=True)
    assert exported["orders"][0]["customer"]["name"] == "Grace Hopper"


def test_an_erasure_asks_first_then_erases_as_the_user_at_the_terminal(
    engine: Engine, database_url: str
) -> None:
    with_stock(SqlUnitOfWork(engine), T0, {("DC-BER", "SKU-1"): 10})
    order_id = _cancelled_order(engine, "W-1")
    command = ["customers", "erase", "--order", order_id, "--database-url", database_url]

    declined = CliRunner().invoke(main, command, input="n\n")
    unchanged = rows(engine, orders)
    done = CliRunner().invoke(main, [*command, "--yes"])
    again = CliRunner().invoke(main, [*command, "--yes"])

    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert unchanged[0]["customer_email"] == EMAIL
    assert done.exit_code == 0, done.output
    assert "erased 1 order(s)" in done.output
    [recorded] = rows(engine, erasures)
    assert (recorded["orders"], recorded["erased_by"]) == ([order_id], f"cli:{getpass.getuser()}")
    assert rows(engine, orders)[0]["customer_email"] == "erased@erased.invalid"
    assert again.exit_code == 1 and f"no order {order_id}" in again.output


def test_the_customers_commands_load_whichever_module_python_starts_from() -> None:
    """`ordino customers` is a command of its own: importing it first, or running the
    CLI as a module, loads without a circular import."""
    first = subprocess.run(
        [sys.executable, "-c", "import ordino.privacy.cli.customers"],
        check=False,
        capture_output=True,
        text=True,
    )
    as_module = subprocess.run(
        [sys.executable, "-m", "ordino.app.main", "customers", "--help"],
        check=False,
        capture_output=True,
        text=True,
    )

    assert (first.returncode, first.stderr) == (0, "")
    assert as_module.returncode == 0, as_module.stderr
    assert "export" in as_module.stdout and "erase" in as_module.stdout


def test_the_tombstone_address_names_no_customer(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """Every erased order has the tombstone e-mail: exporting or erasing it would act
    on every erased customer at once. Refused, changing nothing."""
    with_stock(SqlUnitOfWork(engine), T0, {("DC-BER", "SKU-1"): 10})
    order_id = _cancelled_order(engine, "W-1")
    erase = ["customers", "erase", "--order", order_id, "--yes", "--database-url", database_url]
    assert CliRunner().invoke(main, erase).exit_code == 0
    out = tmp_path / "erased.json"
    tombstone = ["--email", "erased@erased.invalid", "--database-url", database_url]

    exported = CliRunner().invoke(main, ["customers", "export", *tombstone, "--out", str(out)])
    erased = CliRunner().invoke(main, ["customers", "erase", *tombstone, "--yes"])

    assert exported.exit_code == erased.exit_code == 1
    assert "email: the tombstone of erased customers names no one" in exported.output
    assert "email: the tombstone of erased customers names no one" in erased.output
    assert not out.exists()
    assert len(rows(engine, erasures)) == 1
    assert rows(engine, customer_exports) == []

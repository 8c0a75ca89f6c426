"""`ordino worker --once`: a receipt enqueues the filling of backorders, and the
worker allocates the units waiting."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from ordino.cli.main import main
from ordino.domain.feeds import Source
from ordino.domain.profiles import SourcingProfile, Strategy, StrategyKind
from ordino.domain.supply import CreateSupply, Receipt, SupplyKind
from ordino.services.orders import Capture, get_order, place_order
from ordino.services.profiles import put_profile
from ordino.services.supply import create_supply, receive_supply
from ordino.store.tables import jobs
from ordino.store.uow import SqlUnitOfWork
from tests.builders import a_place_order
from tests.conftest import Clock
from tests.service.support import rows, with_stock


def test_a_receipt_has_the_worker_allocate_what_waited_for_it(
    uow: SqlUnitOfWork, clock: Clock, database_url: str
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 1})
    wait = Strategy("wait", StrategyKind.BACKORDER)
    put_profile(SourcingProfile("web", frozenset({"web"}), (Strategy("any"), wait)), uow, clock())
    order = place_order(a_place_order(("SKU-1", 3)), uow, Capture(), clock()).body
    source = Source("test", clock())
    po = CreateSupply(
        "PO-1", SupplyKind.PURCHASE_ORDER, "DC-BER", clock() + timedelta(days=1), (("SKU-1", 5),)
    )
    create_supply(po, source, uow)
    receive_supply("PO-1", Receipt("GRN-1", (("SKU-1", 5),)), source, uow)
    kinds = sorted(job["kind"] for job in rows(uow.engine, jobs))
    assert kinds == ["backorders.expect", "backorders.fill", "orders.advance"]

    result = CliRunner().invoke(main, ["worker", "--once", "--database-url", database_url])

    assert result.exit_code == 0, result.output
    line = get_order(order["id"], uow)["lines"][0]
    # Filled, and released to DC-BER by the job the filling queued.
    assert (line["status"], line["backordered"], line["released"]) == ("released", 0, 3)
    assert line["allocations"] == [{"location_id": "DC-BER", "quantity": 3, "ship_date": None}]
    # Left: only the timers that check DC-BER accepts within two hours (one per
    # fulfillment order: the unit it had may have gone out before the filled ones).
    assert {job["kind"] for job in rows(uow.engine, jobs)} == {"timers.due"}

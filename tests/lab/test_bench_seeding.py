"""`ordino bench …` runs against a database someone may use: it creates the channels
and views it needs when they are missing, and never replaces the ones configured."""

from __future__ import annotations

from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.views import AvailabilityView
from ordino.inventory.services.availability import get_view, put_view
from ordino.network.domain.channels import Channel
from ordino.network.services.channels import get_channel, put_channel
from ordino_lab.bench_network import NetworkShape, load
from ordino_lab.bench_stock import bench_views
from tests.conftest import T0


def test_the_bench_keeps_the_channels_and_views_configured(engine: Engine) -> None:
    uow = SqlUnitOfWork(engine)
    put_channel(Channel("web", 5, "the shop's own limit"), uow, T0)
    put_view(AvailabilityView("web", frozenset({"web"}), "the shop's own view"), uow, T0)

    load(engine, NetworkShape("SEED", locations=2, skus=2, warehouses=1))
    bench_views(engine)

    web = get_channel("web", uow)
    assert (web["max_line_quantity"], web["description"], web["version"]) == (
        5,
        "the shop's own limit",
        2,  # the test database's channel, then the shop's change: none by the bench
    )
    assert get_view("web", uow)["description"] == "the shop's own view"
    assert get_channel("bench", uow)["max_line_quantity"] == 1_000  # what was missing
    assert get_view("marketplace", uow)["channels"] == ["amazon", "zalando"]

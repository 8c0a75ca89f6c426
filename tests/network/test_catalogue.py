"""What the catalogue keeps of a product for capture: the currencies it is priced in
and its weight, read for many SKUs in one query; an unknown SKU has none."""

from __future__ import annotations

from decimal import Decimal

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.network.domain.products import ProductFacts
from tests.conftest import Clock
from tests.support.builders import a_product


def test_the_facts_of_known_products_in_one_read(uow: SqlUnitOfWork, clock: Clock) -> None:
    with uow:
        prices = {"EUR": Decimal("59.90"), "CHF": Decimal("64.90")}
        uow.catalog.put(a_product("SKU-1", prices=prices, weight_kg=Decimal("1.25")), clock())
        uow.catalog.put(a_product("SKU-2", prices={}, weight_kg=None), clock())
        uow.commit()

    with uow:
        found = uow.catalog.facts(["SKU-1", "SKU-2", "SKU-9", "SKU-1"])

    assert found == {
        "SKU-1": ProductFacts(prices, Decimal("1.25")),
        "SKU-2": ProductFacts({}, None),
    }

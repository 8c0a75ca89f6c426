"""Product search at catalogue scale: it goes in through indexes and pages, and reads
availability for its page only (the scale target is 100,000 SKUs x 1,000 locations:
nothing may load the catalogue or its stock)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.services.availability import Near
from ordino.inventory.services.product_search import ProductSearch, search_products
from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.domain.geo import Point
from ordino.network.domain.products import ProductQuery
from ordino.network.services.catalogue import put_products
from ordino.store import migrate
from tests.conftest import Clock
from tests.support.builders import a_product
from tests.support.storage import with_stock

SKUS = [f"JKT-{n}" for n in range(1, 6)]


def test_availability_is_read_for_the_page_only(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", sku): 3 for sku in SKUS})
    picture = StockPicture()

    page = search_products(ProductSearch(ProductQuery.of("jkt"), limit=2), uow, picture, clock())

    assert [item["sku"] for item in page["items"]] == ["JKT-1", "JKT-2"]
    assert [item["availability"]["available"] for item in page["items"]] == [3, 3]
    assert page["next_cursor"] == "JKT-2"
    assert sorted(picture.cached(SKUS)) == ["JKT-1", "JKT-2"]  # nothing else was read


def test_in_stock_reads_a_bounded_number_of_candidates_and_says_where_it_stopped(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    skus = [f"SKU-{n:02d}" for n in range(1, 31)]
    with_stock(uow, clock(), {("DC-BER", sku): 0 for sku in skus[:-1]} | {("DC-BER", "SKU-30"): 2})
    picture = StockPicture()
    search = ProductSearch(ProductQuery.of("sku"), limit=2, in_stock=True)

    page = search_products(search, uow, picture, clock())

    # Five rounds of two candidates, none in stock: the page is empty, and the cursor
    # continues after the last one read.
    assert (page["items"], page["next_cursor"]) == ([], "SKU-10")
    assert sorted(picture.cached(skus)) == skus[:10]
    rest = ProductSearch(ProductQuery.of("sku", after="SKU-20"), limit=2, in_stock=True)
    found = search_products(rest, uow, picture, clock())
    assert ([item["sku"] for item in found["items"]], found["next_cursor"]) == (["SKU-30"], None)


QUERIES = [
    ProductQuery.of("rain"),
    ProductQuery.of("rain jack", after="JKT-0100"),
    ProductQuery.of("", [("colour", "red")]),
    ProductQuery.of("jacket", [("colour", "red"), ("size", "M")], "JKT-0100"),
    ProductQuery.of("", after="JKT-0100"),
]


@pytest.mark.parametrize("analyzed", [False, True], ids=["fresh statistics", "analyzed"])
@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_a_search_reads_through_indexes_never_a_whole_table(
    uow: SqlUnitOfWork, engine: Engine, clock: Clock, query: ProductQuery, analyzed: bool
) -> None:
    """On both backends, whatever the planner's statistics (PostgreSQL here runs
    without autovacuum: a table's are what its last ANALYZE saw, or none)."""
    products = [
        a_product(f"JKT-{n:04d}", name="Rain jacket", attributes={"colour": "red", "size": "M"})
        for n in range(300)
    ]
    put_products(products, uow, clock())
    if analyzed:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    statements: list[tuple[str, Any]] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM products" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    with uow:
        found = uow.catalog.search(query, 21)
        [(statement, parameters)] = statements
        scans = _whole_table_scans(uow.catalog.connection, statement, parameters)
    event.remove(engine, "before_cursor_execute", keep)

    assert len(found) == 21
    assert scans == []


def _whole_table_scans(connection: Any, statement: str, parameters: Any) -> list[str]:
    """The steps of the statement's plan that read a whole table (in the transaction
    that ran it, with its settings)."""
    if connection.dialect.name == "sqlite":
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return [row[-1] for row in plan if row[-1].startswith("SCAN")]
    [document] = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
    nodes, found = [document[0][0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        if node["Node Type"] == "Seq Scan":
            found.append(f"Seq Scan on {node['Relation Name']}")
    return found


def test_the_upgrade_folds_the_terms_of_the_products_there_are(
    engine: Engine, uow: SqlUnitOfWork, clock: Clock
) -> None:
    migrate.downgrade(engine, "0032_securityfix")
    with engine.begin() as connection:  # as the code before stored them: unfolded
        connection.execute(
            text("INSERT INTO products (sku, name, updated_at) VALUES ('D-1', 'Crème', :t)"),
            {"t": clock()},
        )
        connection.execute(
            text("INSERT INTO product_attributes (sku, name, value) VALUES ('D-1', 'by', 'Zoë')")
        )
        for term in ("d", "1", "crème", "zoë"):
            connection.execute(
                text("INSERT INTO product_terms (term, sku) VALUES (:t, 'D-1')"), {"t": term}
            )

    migrate.upgrade(engine)

    with uow:
        assert [p.sku for p in uow.catalog.search(ProductQuery.of("creme zoe"), 10)] == ["D-1"]
        assert [p.sku for p in uow.catalog.search(ProductQuery.of("Crème"), 10)] == ["D-1"]


def _statements(engine: Engine, uow: SqlUnitOfWork, now: Any, search: ProductSearch) -> int:
    """Statements the search sends, in a new process (nothing in its picture)."""
    count = [0]

    def keep(*_: Any) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", keep)
    page = search_products(search, uow, StockPicture(), now)
    event.remove(engine, "before_cursor_execute", keep)
    assert len(page["items"]) == search.limit or search.in_stock, page
    return count[0]


@pytest.mark.parametrize("near", [None, Near(Point(52.52, 13.40), radius_km=500)], ids=str)
def test_a_page_costs_a_few_statements_whatever_its_size(
    uow: SqlUnitOfWork, engine: Engine, clock: Clock, near: Near | None
) -> None:
    """For a page of 2 and of 40 products: the same few, not one (or more) per product."""
    skus = [f"SKU-{n:03d}" for n in range(40)]
    with_stock(uow, clock(), {("DC-BER", sku): 3 for sku in skus})

    sent = [
        _statements(engine, uow, clock(), ProductSearch(ProductQuery.of("sku"), limit, near=near))
        for limit in (2, 40)
    ]

    assert sent[0] == sent[1], sent
    assert sent[1] <= 12, sent


def test_an_in_stock_search_costs_a_few_statements_however_many_candidates_it_reads(
    uow: SqlUnitOfWork, engine: Engine, clock: Clock
) -> None:
    """Candidates out of stock: it reads five pages of them, not in five rounds of
    statements (the first page alone, then the rest at once)."""
    skus = [f"SKU-{n:03d}" for n in range(60)]
    with_stock(uow, clock(), {("DC-BER", sku): 0 for sku in skus})

    sent = [
        _statements(
            engine, uow, clock(), ProductSearch(ProductQuery.of("sku"), limit, in_stock=True)
        )
        for limit in (2, 10)
    ]

    assert sent[0] == sent[1], sent
    assert sent[1] <= 16, sent  # 42 when it read five rounds of candidates

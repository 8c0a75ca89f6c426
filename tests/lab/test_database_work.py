"""The database's work per order, from two tallies of PostgreSQL's counters."""

from __future__ import annotations

from ordino_lab.database_work import HINT, Counts, Statement, per_order

DATABASE = ("xact_commit", "xact_rollback", "tup_returned", "tup_fetched", "tup_inserted",
            "tup_updated", "tup_deleted")  # fmt: skip


def _counts(
    values: tuple[int, ...], scans: dict[str, tuple[int, int]], **statements: int
) -> Counts:
    ran = {
        (10, n, True): Statement(q, calls, calls) for n, (q, calls) in enumerate(statements.items())
    }
    return Counts(dict(zip(DATABASE, values, strict=True)), scans, ran)


def test_the_difference_is_given_per_order_with_the_tables_scanned_and_the_statements() -> None:
    before = _counts((100, 4, 1000, 0, 50, 10, 0), {"orders": (3, 30), "jobs": (1, 5)}, BEGIN=7)
    after = _counts((300, 4, 3000, 0, 350, 110, 20), {"orders": (3, 30), "jobs": (11, 105)},
                    BEGIN=207, INSERT=100)  # fmt: skip

    figures = per_order(before, after, orders=100)

    assert figures["commits_per_order"] == 2.0
    assert figures["rollbacks_per_order"] == 0.0
    assert figures["inserts_per_order"] == 3.0
    assert figures["updates_per_order"] == 1.0
    assert figures["deletes_per_order"] == 0.2
    assert figures["rows_read_per_order"] == 20.0
    assert figures["sequential_scans"] == {"jobs": "10 scans, 100 rows"}  # orders: none new
    assert figures["statements_per_order"] == 3.0
    assert figures["frequent_statements"] == [
        "2.00/order, 1.0 rows: BEGIN",
        "1.00/order, 1.0 rows: INSERT",
    ]


def test_without_statements_counted_it_says_how_to_count_them() -> None:
    before = Counts(dict.fromkeys(DATABASE, 0), {})
    after = Counts(dict.fromkeys(DATABASE, 10), {})

    figures = per_order(before, after, orders=10)

    assert figures["commits_per_order"] == 1.0
    assert figures["statements"] == HINT
    assert per_order(None, None, orders=10) == {}  # not PostgreSQL: nothing counted
    assert per_order(before, after, orders=0) == {}

"""Refunds asked for at once never take more than was captured: each is written
under the payment's lock, and refunds on their way count against what is left."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ordino.kernel.domain.errors import OverRefund
from ordino.orchestration.services.refunds import RefundRequest, request_refund
from tests.support.api import order_of
from tests.support.money import Books, shipped


def test_concurrent_refunds_never_exceed_what_was_captured(books: Books) -> None:
    order_id = shipped(books)  # 119.80 captured
    state: Any = books.api.app.state  # type: ignore[attr-defined]

    def ask(n: int) -> str:
        ask = RefundRequest(order_id, "20.00", "EUR", f"appeasement {n}")
        try:
            request_refund(ask, state.uow(), books.clock())
        except OverRefund:
            return "refused"
        return "asked"

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(ask, range(12)))
    books.work()

    assert sorted(answers).count("asked") == 5  # 5 x 20.00 of 119.80
    assert order_of(books.api, order_id)["tenders"][0]["refunded"] == "100.00"
    [held] = books.authorisations().values()
    assert (held["captured_minor"], held["refunded_minor"]) == (11980, 10000)

"""Returns asked for at once never take more than the order may still return: each
is written under its order's lock, and the units being returned count at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from ordino.kernel.domain import InvalidInput
from ordino.returns.domain import Initiator, ReturnLineRequest, ReturnMethod
from ordino.returns.services import StartReturn, start_return
from tests.conftest import Clock
from tests.returns.test_api_returns import counters, delivered  # noqa: F401 (a fixture)


def test_concurrent_returns_never_take_more_than_was_delivered(
    api: TestClient,
    clock: Clock,
    delivered: str,  # noqa: F811
) -> None:
    state: Any = api.app.state  # type: ignore[attr-defined]
    one = (ReturnLineRequest(1, 1, "wrong_size"),)

    def ask(_n: int) -> str:
        cmd = StartReturn(delivered, one, ReturnMethod.STORE, Initiator.AGENT)
        try:
            start_return(cmd, state.uow(), clock())
        except InvalidInput:
            return "refused"
        return "started"

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(ask, range(12)))

    assert sorted(answers).count("started") == 3  # 3 of SKU-1 delivered
    assert counters(api, delivered) == [(0, 3, 0), (1, 0, 0)]
    assert len(api.get(f"/v1/orders/{delivered}/returns").json()["items"]) == 3

"""Several workers on one PostgreSQL queue: claims skip the jobs another holds, so
every job runs exactly once and none waits for another worker's lock."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.jobs import Job
from ordino.orchestration.services.worker import Worker
from ordino.store.tables import jobs
from tests.support.storage import rows

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_every_job_runs_exactly_once_across_workers(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    with pg_uow:
        for n in range(300):
            pg_uow.jobs.add(Job.new("count", {"n": n}, NOW), NOW)
        pg_uow.commit()
    ran: Counter[int] = Counter()
    lock = threading.Lock()

    def count(payload: Mapping[str, Any], now: datetime) -> None:
        with lock:
            ran[payload["n"]] += 1

    def work(name: str) -> int:
        worker = Worker(
            name,
            lambda: SqlUnitOfWork(pg_engine),
            lambda: NOW,
            {"count": count},
            timedelta(minutes=5),
            batch=7,
        )
        return worker.run_until_idle()

    with ThreadPoolExecutor(6) as pool:
        claimed = list(pool.map(work, [f"w{n}" for n in range(6)]))

    assert sum(claimed) == 300
    assert sorted(ran) == list(range(300))
    assert set(ran.values()) == {1}
    assert rows(pg_engine, jobs) == []

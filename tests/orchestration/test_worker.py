"""The job queue and the worker: a job runs once and goes; a failing one waits longer
each time, then is dead and can be requeued; a job whose worker died is taken again
when its lease runs out; a worker that lost its lease cannot finish the job; the same
key is queued once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.jobs import Backoff, Job
from ordino.orchestration.services.worker import Handler, Worker, dead_jobs, enqueue, requeue
from ordino.store.engine import make_engine
from ordino.store.tables import jobs
from tests.conftest import Clock
from tests.support.plans import statements
from tests.support.storage import rows

LEASE = timedelta(minutes=1)
BACKOFF = Backoff(timedelta(seconds=10), 3.0, timedelta(minutes=5))


def a_worker(
    engine: Engine, clock: Clock, handlers: Mapping[str, Handler], name: str = "w1"
) -> Worker:
    return Worker(name, lambda: SqlUnitOfWork(engine), clock, handlers, LEASE, BACKOFF)


def test_a_job_runs_once_with_its_payload_and_goes(uow: SqlUnitOfWork, clock: Clock) -> None:
    seen: list[tuple[Mapping[str, Any], object]] = []
    enqueue(uow, Job.new("greet", {"to": "Ada"}, clock()), clock())
    worker = a_worker(
        uow.engine, clock, {"greet": lambda payload, now: seen.append((payload, now))}
    )

    assert worker.run_until_idle() == 1

    assert seen == [({"to": "Ada"}, clock())]
    assert rows(uow.engine, jobs) == []
    assert worker.run_once() == 0


def test_the_jobs_of_a_batch_that_ran_are_recorded_done_together(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    ran: list[int] = []
    for n in range(3):
        enqueue(uow, Job.new("count", {"n": n}, clock()), clock())
    enqueue(uow, Job.new("break", {}, clock()), clock())

    def broken(payload: Mapping[str, Any], now: datetime) -> None:
        raise RuntimeError("broken")

    handlers = {"count": lambda payload, now: ran.append(payload["n"]), "break": broken}
    with statements(uow.engine) as executed:
        assert a_worker(uow.engine, clock, handlers).run_once() == 4

    assert sorted(ran) == [0, 1, 2]
    removals = [sql for sql, _ in executed if sql.lstrip().upper().startswith("DELETE FROM JOBS")]
    assert len(removals) == 1  # one statement for the three, not one each
    [left] = rows(uow.engine, jobs)
    assert (left["kind"], left["status"]) == ("break", "queued")  # to be tried again


def test_what_ran_of_a_batch_is_recorded_when_the_worker_stops_between_two_jobs(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    earlier = clock() - timedelta(seconds=1)  # run first: due first
    enqueue(uow, Job.new("first", {}, clock(), run_at=earlier), clock())
    enqueue(uow, Job.new("second", {}, clock()), clock())

    def stopped(payload: Mapping[str, Any], now: datetime) -> None:
        raise KeyboardInterrupt  # Ctrl-C: how a worker is stopped

    handlers = {"first": lambda payload, now: None, "second": stopped}
    with pytest.raises(KeyboardInterrupt):
        a_worker(uow.engine, clock, handlers).run_once()

    [left] = rows(uow.engine, jobs)  # the first ran and went; the second is held still
    assert (left["kind"], left["status"]) == ("second", "running")


def test_what_ran_is_recorded_before_the_next_job_once_half_the_lease_is_gone(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    earlier = clock() - timedelta(seconds=1)  # run first: due first
    enqueue(uow, Job.new("slow", {}, clock(), run_at=earlier), clock())
    enqueue(uow, Job.new("after", {}, clock()), clock())
    seen: list[list[str]] = []

    def slow(payload: Mapping[str, Any], now: datetime) -> None:
        clock.advance(seconds=LEASE.total_seconds() / 2)

    def after(payload: Mapping[str, Any], now: datetime) -> None:
        seen.append([row["kind"] for row in rows(uow.engine, jobs)])

    assert a_worker(uow.engine, clock, {"slow": slow, "after": after}).run_once() == 2

    assert seen == [["after"]]  # the slow one recorded done before it began
    assert rows(uow.engine, jobs) == []


def test_a_job_waits_for_its_time(uow: SqlUnitOfWork, clock: Clock) -> None:
    ran: list[str] = []
    later = clock() + timedelta(minutes=10)
    enqueue(uow, Job.new("later", {}, clock(), run_at=later), clock())
    worker = a_worker(uow.engine, clock, {"later": lambda payload, now: ran.append("later")})

    assert worker.run_once() == 0
    clock.advance(minutes=10)
    assert worker.run_once() == 1
    assert ran == ["later"]


def test_a_failing_job_waits_longer_each_time_then_is_dead_and_can_be_requeued(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    calls: list[object] = []

    def flaky(payload: Mapping[str, Any], now: object) -> None:
        calls.append(now)
        raise RuntimeError("carrier down")

    enqueue(uow, Job.new("flaky", {"n": 1}, clock(), max_attempts=3), clock())
    worker = a_worker(uow.engine, clock, {"flaky": flaky})

    assert worker.run_once() == 1
    [row] = rows(uow.engine, jobs)
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "queued",
        1,
        "RuntimeError: carrier down",
    )
    assert row["run_at"] == clock() + timedelta(seconds=10)
    clock.advance(seconds=9)
    assert worker.run_once() == 0  # not yet
    clock.advance(seconds=1)
    assert worker.run_once() == 1
    assert rows(uow.engine, jobs)[0]["run_at"] == clock() + timedelta(seconds=30)  # 10 x 3
    clock.advance(seconds=30)
    assert worker.run_once() == 1  # the third attempt, the last

    [row] = rows(uow.engine, jobs)
    assert (row["status"], row["attempts"]) == ("dead", 3)
    assert len(calls) == 3
    [dead] = dead_jobs(uow)
    assert (dead["kind"], dead["payload"], dead["error"]) == (
        "flaky",
        {"n": 1},
        "RuntimeError: carrier down",
    )
    clock.advance(hours=1)
    assert worker.run_once() == 0

    assert requeue(uow, dead["id"], clock())
    assert worker.run_once() == 1
    assert rows(uow.engine, jobs)[0]["attempts"] == 1


def test_a_job_nobody_handles_is_dead_at_once(uow: SqlUnitOfWork, clock: Clock) -> None:
    enqueue(uow, Job.new("unknown", {}, clock()), clock())

    a_worker(uow.engine, clock, {}).run_once()

    [dead] = dead_jobs(uow)
    assert dead["error"] == "no handler for jobs of kind unknown"


def test_a_job_whose_worker_died_runs_again_when_its_lease_runs_out(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    ran: list[str] = []
    enqueue(uow, Job.new("ship", {}, clock()), clock())
    with uow:  # a worker claims it, then dies
        [claimed] = uow.jobs.claim("dead-worker", clock(), LEASE, 10)
        uow.commit()
    survivor = a_worker(uow.engine, clock, {"ship": lambda payload, now: ran.append("ship")})

    assert survivor.run_once() == 0  # the lease holds
    clock.advance(minutes=1, seconds=1)
    assert survivor.run_once() == 1

    assert ran == ["ship"]
    assert rows(uow.engine, jobs) == []
    with uow:  # the dead worker, back, cannot finish what it no longer holds
        assert not uow.jobs.done([claimed.id], "dead-worker")


def test_a_worker_that_lost_its_lease_does_not_finish_the_job(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    enqueue(uow, Job.new("slow", {}, clock()), clock())
    with uow:
        [first] = uow.jobs.claim("w1", clock(), LEASE, 10)
        uow.commit()
    clock.advance(minutes=2)
    with uow:
        [again] = uow.jobs.claim("w2", clock(), LEASE, 10)
        uow.commit()

    with uow:
        assert not uow.jobs.done([first.id], "w1")
        assert not uow.jobs.failed(first.id, "w1", "late", clock(), None)
        assert uow.jobs.done([again.id], "w2")
        uow.commit()
    assert again.attempts == 2
    assert rows(uow.engine, jobs) == []


def test_a_key_waits_once(uow: SqlUnitOfWork, clock: Clock) -> None:
    ran: list[str] = []
    assert enqueue(uow, Job.new("fill", {}, clock(), key="all"), clock())
    assert not enqueue(uow, Job.new("fill", {}, clock(), key="all"), clock())
    assert enqueue(uow, Job.new("fill", {}, clock(), key="other"), clock())
    worker = a_worker(uow.engine, clock, {"fill": lambda payload, now: ran.append("fill")})

    assert worker.run_until_idle() == 2
    assert enqueue(uow, Job.new("fill", {}, clock(), key="all"), clock())  # ran: again


def test_a_key_queued_while_its_job_runs_runs_again_after(uow: SqlUnitOfWork, clock: Clock) -> None:
    ran: list[int] = []

    def fill(payload: Mapping[str, Any], now: datetime) -> None:
        ran.append(payload["n"])
        if payload["n"] == 1:  # something changed while it ran
            assert enqueue(uow, Job.new("fill", {"n": 2}, clock(), key="all"), clock())

    enqueue(uow, Job.new("fill", {"n": 1}, clock(), key="all"), clock())
    worker = a_worker(uow.engine, clock, {"fill": fill})

    assert worker.run_until_idle() == 2
    assert ran == [1, 2]


def test_a_key_queued_while_another_worker_runs_it_waits_for_that_one(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    enqueue(uow, Job.new("fill", {"n": 1}, clock(), key="all"), clock())
    with uow:  # one worker is running it
        [running] = uow.jobs.claim("busy-worker", clock(), LEASE, 10)
        uow.commit()
    assert enqueue(uow, Job.new("fill", {"n": 2}, clock(), key="all"), clock())
    ran: list[int] = []
    other = a_worker(uow.engine, clock, {"fill": lambda payload, now: ran.append(payload["n"])})

    assert other.run_once() == 0  # never two of one key at once
    with uow:
        assert uow.jobs.done([running.id], "busy-worker")
        uow.commit()
    assert other.run_once() == 1
    assert ran == [2]


@pytest.mark.parametrize("bad", [0, -1])
def test_backoff_waits_grow_and_stop_at_the_most(bad: int) -> None:
    assert [BACKOFF.wait(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=10),
        timedelta(seconds=30),
        timedelta(seconds=90),
        timedelta(minutes=4, seconds=30),
    ]
    assert BACKOFF.wait(9) == timedelta(minutes=5)
    assert BACKOFF.wait(bad) == timedelta(seconds=10)


def test_a_worker_whose_database_is_down_says_so_once_then_sums_up(
    clock: Clock, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    gone = make_engine(f"sqlite:///{tmp_path / 'no such folder' / 'ordino.db'}")
    worker = Worker("w1", lambda: SqlUnitOfWork(gone), clock, {}, LEASE, BACKOFF)
    caplog.set_level(logging.INFO, logger="ordino.worker")

    for _ in range(100):  # a look a second, for 99 seconds
        assert worker.run_once() == 0
        clock.advance(seconds=1)

    assert [r.getMessage() for r in caplog.records] == [
        "claiming jobs failed: OperationalError: unable to open database file",
        "claiming jobs failed: OperationalError: unable to open database file "
        "(59 times more since 09:00:00, the last at 09:00:59)",
        "claiming jobs failed: OperationalError: unable to open database file",
    ]
    assert all(record.exc_info is None for record in caplog.records)  # one line each


def test_jobs_failing_alike_again_and_again_are_summed_up(
    uow: SqlUnitOfWork, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    def down(payload: Mapping[str, Any], now: object) -> None:
        raise RuntimeError("carrier down")

    for n in range(30):
        enqueue(uow, Job.new("label", {"n": n}, clock(), max_attempts=5), clock())
    worker = a_worker(uow.engine, clock, {"label": down})
    caplog.set_level(logging.INFO, logger="ordino.worker")

    assert worker.run_until_idle() == 30
    clock.advance(seconds=60)
    assert worker.run_until_idle() == 30  # the second attempts: a new minute, said in full

    assert [r.getMessage() for r in caplog.records][:3] == [
        f"job {rows(uow.engine, jobs)[0]['id']} (label) failed, attempt 1 of 5, again at "
        "09:00:10: RuntimeError: carrier down",
        "jobs of kind label failed alike: RuntimeError: carrier down "
        "(29 times more since 09:00:00, the last at 09:00:00)",
        f"job {rows(uow.engine, jobs)[0]['id']} (label) failed, attempt 2 of 5, again at "
        "09:01:30: RuntimeError: carrier down",
    ]

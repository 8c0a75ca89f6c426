"""The job queue (ordino.kernel.domain.jobs) in a table.

A claim takes the due jobs (queued and their time come, or running with the lease
run out: their worker died) and leases them to one worker in one statement; on
PostgreSQL the jobs are picked `FOR UPDATE SKIP LOCKED`, so workers claiming at the
same moment take different jobs and none waits for another. SQLite has one writer
at a time: the claim's statement runs alone. What a worker then says of a job
counts only while it still holds the lease (`locked_by` is still it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ordino.kernel.domain.jobs import DeadJob, Job, JobStatus
from ordino.store.commit_writer import PendingWrites
from ordino.store.dialect import is_postgresql, one_of
from ordino.store.tables import jobs

_QUEUED, _RUNNING, _DEAD = (str(s) for s in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DEAD))


class SqlJobs:
    def __init__(self, connection: Connection, pending: PendingWrites) -> None:
        self.connection = connection
        self.pending = pending

    def add(self, job: Job, now: datetime) -> bool:
        """Enqueue in the unit of work's transaction; False when a job of its kind and
        key already waits."""
        dialect = postgresql if is_postgresql(self.connection) else sqlite
        statement = (
            dialect.insert(jobs)
            .values(_row(job, now))
            .on_conflict_do_nothing()
            .returning(jobs.c.id)  # (the driver's row count is not told for it)
        )
        return self.connection.execute(statement).first() is not None

    def add_at_commit(self, job: Job, now: datetime) -> None:
        """Enqueue with the unit of work's other writes at commit (one statement with
        a new order's rows, see `ordino.store.commit_writer`): for a job whose key is new,
        such as a new order's; a clash is a LostRace."""
        self.pending.insert(jobs, [_row(job, now)])

    def claim(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Job]:
        """Lease up to `limit` due jobs to `worker`, those due longest first. A job
        whose key has one running (its lease alive) waits for it: jobs of one key
        never run at once (a subscription's deliveries stay in order)."""
        c, running = jobs.c, jobs.alias("running").c
        busy = exists().where(
            running.kind == c.kind,
            running.key == c.key,
            running.status == _RUNNING,
            running.locked_until >= now,
        )
        due = or_(
            and_(c.status == _QUEUED, c.run_at <= now, ~busy),
            and_(c.status == _RUNNING, c.locked_until < now),
        )
        pick = select(c.id).where(due).order_by(c.run_at, c.id).limit(limit)
        if is_postgresql(self.connection):
            pick = pick.with_for_update(skip_locked=True)
        statement = (
            update(jobs)
            .where(c.id.in_(pick.scalar_subquery()))
            .values(
                status=_RUNNING,
                locked_by=worker,
                locked_until=now + lease,
                attempts=c.attempts + 1,
                updated_at=now,
            )
            .returning(c.id, c.kind, c.payload, c.run_at, c.key, c.max_attempts, c.attempts)
        )
        found = [Job(*row) for row in self.connection.execute(statement)]
        return sorted(found, key=lambda job: (job.run_at, job.id))

    def done(self, job_ids: Sequence[str], worker: str) -> set[str]:
        """The jobs ran: they go, in one statement; those `worker` still held (the
        others' leases were lost: they were taken again)."""
        c = jobs.c
        held = and_(one_of(self.connection, c.id, job_ids), c.locked_by == worker)
        gone = delete(jobs).where(held, c.status == _RUNNING).returning(c.id)
        return set(self.connection.scalars(gone))

    def failed(
        self, job_id: str, worker: str, error: str, now: datetime, retry_at: datetime | None
    ) -> bool:
        """The job failed: it waits until `retry_at`, or (None) it is dead. One of its
        key queued meanwhile does what it would have: it goes, and that one waits."""
        held = and_(jobs.c.id == job_id, jobs.c.locked_by == worker, jobs.c.status == _RUNNING)
        if retry_at is not None and self._twin_queued(job_id):
            twin = and_(jobs.c.status == _QUEUED, jobs.c.key.is_not(None), *_same_key(job_id))
            self.connection.execute(update(jobs).where(twin).values(run_at=retry_at))
            return bool(self.connection.execute(delete(jobs).where(held)).rowcount)
        values: dict[str, Any] = {
            "last_error": error[:2000],
            "locked_by": None,
            "locked_until": None,
            "updated_at": now,
        }
        if retry_at is None:
            values["status"] = _DEAD
        else:
            values |= {"status": _QUEUED, "run_at": retry_at}
        return bool(self.connection.execute(update(jobs).where(held).values(**values)).rowcount)

    def dead(self, limit: int) -> list[DeadJob]:
        c = jobs.c
        query = select(jobs).where(c.status == _DEAD).order_by(c.updated_at.desc()).limit(limit)
        return [
            DeadJob(
                row.id,
                row.kind,
                row.payload,
                row.attempts,
                row.last_error or "",
                row.updated_at,
                row.key,
            )
            for row in self.connection.execute(query)
        ]

    def _twin_queued(self, job_id: str) -> bool:
        query = select(func.count()).where(jobs.c.status == _QUEUED, *_same_key(job_id))
        return bool(self.connection.scalar(query))

    def requeue(self, job_id: str, now: datetime) -> bool:
        """A dead job is tried again, with all its attempts (when one of its key is
        queued already, that one will do)."""
        c = jobs.c
        if self._twin_queued(job_id):
            return bool(
                self.connection.execute(
                    delete(jobs).where(c.id == job_id, c.status == _DEAD)
                ).rowcount
            )
        statement = (
            update(jobs)
            .where(c.id == job_id, c.status == _DEAD)
            .values(status=_QUEUED, attempts=0, run_at=now, updated_at=now)
        )
        return bool(self.connection.execute(statement).rowcount)

    def waiting(self) -> int:
        c = jobs.c
        query = select(func.count()).where(c.status.in_([_QUEUED, _RUNNING]))
        return int(self.connection.scalar(query) or 0)


def _same_key(job_id: str) -> tuple[ColumnElement[bool], ...]:
    """Conditions: a job of the same kind and key as `job_id` (itself excluded)."""
    this = select(jobs.c.kind, jobs.c.key).where(jobs.c.id == job_id).subquery()
    return (
        jobs.c.id != job_id,
        jobs.c.kind == select(this.c.kind).scalar_subquery(),
        jobs.c.key == select(this.c.key).scalar_subquery(),
    )


def _row(job: Job, now: datetime) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "key": job.key,
        "payload": job.payload,
        "status": _QUEUED,
        "run_at": job.run_at,
        "attempts": 0,
        "max_attempts": job.max_attempts,
        "created_at": now,
        "updated_at": now,
    }

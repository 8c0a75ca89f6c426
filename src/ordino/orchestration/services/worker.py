"""The worker: claims due jobs (ordino.kernel.domain.jobs), runs each by its kind's handler,
and records how it went, each step a unit of work of its own: the jobs of a batch
that ran are recorded done together, once the batch has run or half its lease is
gone (one transaction for them all, not one each; a worker that dies before runs
them again, as below).

A handler gets the job's payload and the time, and does its work in its own units
of work; it must be idempotent, since a job whose worker died is run again. A
handler that raises has its job tried again after the backoff, or dead when out of
attempts; a job of a kind nobody handles is dead at once. Nothing a handler does is
inside the claim's transaction: a slow handler holds no lock, only its lease.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ordino.kernel.domain import Backoff, Job
from ordino.orchestration.services.log_repeats import Repeats
from ordino.orchestration.services.ports import OrchestrationWork

log = logging.getLogger("ordino.worker")

Handler = Callable[[Mapping[str, Any], datetime], None]


@dataclass
class Tally:
    """What a worker ran, by kind of job: done, and failed (to be tried again, or dead)."""

    done: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    @property
    def ran(self) -> int:
        return self.done.total() + self.failed.total()

    def line(self) -> str:
        """One line: `4 jobs: 2 done (a 1, b 1), 2 failed (c 2)`."""

        def kinds(counts: Counter[str]) -> str:
            return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))

        parts = [f"{self.done.total()} done ({kinds(self.done)})" if self.done else ""]
        parts.append(f"{self.failed.total()} failed ({kinds(self.failed)})" if self.failed else "")
        return f"{self.ran} jobs: " + ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Worker:
    name: str  # unique among the workers running: it holds the leases
    uow: Callable[[], OrchestrationWork]
    clock: Callable[[], datetime]
    handlers: Mapping[str, Handler]
    lease: timedelta = timedelta(minutes=5)  # longer than any handler runs
    backoff: Backoff = field(default_factory=Backoff)
    batch: int = 10
    repeats: Repeats = field(default_factory=lambda: Repeats(log))

    def run_once(self, tally: Tally | None = None) -> int:
        """Claim the due jobs (up to a batch) and run them; how many were claimed.
        `tally` counts them by kind, done or failed. Claiming that fails (the
        database gone) claims nothing: the next look tries."""
        uow, now = self.uow(), self.clock()
        try:
            with uow:
                claimed = uow.jobs.claim(self.name, now, self.lease, self.batch)
                uow.commit()
        except Exception as error:  # the database, not a job: nothing was claimed
            log.debug("claiming jobs failed", exc_info=True)
            line = f"claiming jobs failed: {_said(error)}"
            self.repeats.say("claim", now, line, line)
            return 0
        self.repeats.close(now, "claim")
        self._run_batch(claimed, now + self.lease, tally)
        return len(claimed)

    def _run_batch(self, claimed: list[Job], leased_until: datetime, tally: Tally | None) -> None:
        """Run the jobs; those that ran are recorded done together when the batch has
        run, or stops (a worker stopped between two jobs), or before the next job once
        half the lease is gone (what ran is not held by a lease running short: it
        would be run again, and its key held meanwhile)."""
        ran: list[Job] = []
        half = leased_until - self.lease / 2
        try:
            for job in claimed:
                if ran and self.clock() >= half:
                    self._done(ran)
                    ran = []
                done = self._run(job)
                if done:
                    ran.append(job)
                if tally is not None:
                    (tally.done if done else tally.failed)[job.kind] += 1
        finally:
            if ran:
                self._done(ran)

    def _done(self, ran: list[Job]) -> None:
        self._settle(ran, lambda uow: uow.jobs.done([job.id for job in ran], self.name))

    def run_until_idle(self, most: int = 1_000, tally: Tally | None = None) -> int:
        """Run batches until none is due (at most `most` batches); how many jobs ran."""
        ran = 0
        for _ in range(most):
            claimed = self.run_once(tally)
            ran += claimed
            if not claimed:
                break
        return ran

    def _run(self, job: Job) -> bool:
        """Run the job; False when it failed (recorded so: what ran is recorded with
        the rest of its batch)."""
        handler = self.handlers.get(job.kind)
        if handler is None:
            self._failed(job, f"no handler for jobs of kind {job.kind}", dead=True)
            return False
        if job.attempts > job.max_attempts:  # its workers died holding it, each time
            self._failed(job, "the job's leases ran out more times than it has attempts", True)
            return False
        try:
            handler(job.payload, self.clock())
        except Exception as error:  # any failure of the work: tried again later
            log.debug("job %s (%s) failed", job.id, job.kind, exc_info=True)
            self._failed(job, f"{type(error).__name__}: {error}", job.attempts >= job.max_attempts)
            return False
        return True

    def _failed(self, job: Job, error: str, dead: bool) -> None:
        """Record the failure, and log it in one line (the traceback at DEBUG level)."""
        now = self.clock()
        retry_at = None if dead else now + self.backoff.wait(job.attempts)

        def record(uow: OrchestrationWork) -> set[str]:
            held = uow.jobs.failed(job.id, self.name, error, now, retry_at)
            return {job.id} if held else set()

        self._settle([job], record)
        if retry_at is None:
            log.error("job %s (%s) failed, dead: %s", job.id, job.kind, error)
        else:
            again = f"attempt {job.attempts} of {job.max_attempts}, again at {retry_at:%H:%M:%S}"
            line = f"job {job.id} ({job.kind}) failed, {again}: {error}"
            alike = f"jobs of kind {job.kind} failed alike: {error}"
            self.repeats.say(f"job {job.kind} {error}", now, line, alike)

    def _settle(self, ran: list[Job], record: Callable[[OrchestrationWork], set[str]]) -> None:
        """Record how the jobs went (`record`: those this worker still held). If that
        fails (the database gone), the jobs keep their leases until they run out, and
        are run again: handlers are idempotent."""
        uow = self.uow()
        try:
            with uow:
                held = record(uow)
                uow.commit()
        except Exception:
            which = ", ".join(f"{job.id} ({job.kind})" for job in ran)
            log.exception("recording job(s) %s failed; they run again", which)
            return
        for job in ran:
            if job.id not in held:
                log.warning("job %s ran after its lease was lost; it runs again", job.id)


def _said(error: Exception) -> str:
    """The error in one line: the driver's own message, not SQLAlchemy's wrapping."""
    said = getattr(error, "orig", None) or error
    return f"{type(error).__name__}: " + " ".join(str(said).split())


def enqueue(uow: OrchestrationWork, job: Job, now: datetime) -> bool:
    """Add a job in a unit of work of its own; False when one of its key waits."""
    with uow:
        added = uow.jobs.add(job, now)
        uow.commit()
    return added


def dead_jobs(uow: OrchestrationWork, limit: int = 100) -> list[dict[str, Any]]:
    with uow:
        found = uow.jobs.dead(limit)
    return [
        {
            "id": job.id,
            "kind": job.kind,
            "key": job.key,
            "payload": job.payload,
            "attempts": job.attempts,
            "error": job.error,
            "failed_at": job.failed_at.isoformat(),
        }
        for job in found
    ]


def requeue(uow: OrchestrationWork, job_id: str, now: datetime) -> bool:
    with uow:
        again = uow.jobs.requeue(job_id, now)
        uow.commit()
    return again

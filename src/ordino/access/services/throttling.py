"""Guessing limited (`ordino.access.domain.throttling`): an attempt is counted, in its own
transaction, before it is tried (so a failure that rolls back still counts, and
every process sees it); one that succeeds is taken back."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from ordino.access.domain.throttling import WINDOW, Subject
from ordino.access.services.ports import AccessWork
from ordino.kernel.domain import TooManyAttempts

KEPT = 4 * WINDOW  # windows older than this are deleted as attempts come in


def attempt(subjects: Sequence[Subject], uow: AccessWork, now: datetime, what: str) -> None:
    """Count an attempt against each subject, in order; TooManyAttempts (naming
    `what` was tried, and how long to wait) at the first past its limit. The
    subjects after it are not counted: a refused attempt is not tried, and a client
    refused by its address cannot add a subject (a new name each time) to the table."""
    wait: timedelta | None = None
    with uow:
        uow.attempts.prune(now - KEPT)
        for subject in subjects:
            count, started = uow.attempts.count(subject.key, now, subject.limit.window)
            wait = subject.limit.wait(count, started, now)
            if wait is not None:
                break
        uow.commit()
    if wait is not None:
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise TooManyAttempts(
            f"too many attempts to {what}: try again in {seconds} seconds",
            retry_after=seconds,
        )


def succeeded(subjects: Sequence[Subject], uow: AccessWork) -> None:
    """The attempt succeeded: it does not count against its subjects."""
    with uow:
        for subject in subjects:
            uow.attempts.take_back(subject.key)
        uow.commit()

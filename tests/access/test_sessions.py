"""Console sessions cost the same however many there are: any key may sign in to the
console as often as it likes (nothing to guess, so nothing limits it), and each
sign-in forgets the sessions long over, by index."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from ordino.access.services import sessions
from ordino.access.store.tables import console_sessions
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.roles import ApiKey, Role
from tests.conftest import T0
from tests.support.plans import full_scans, statements
from tests.support.storage import rows

KEY = ApiKey("K-1", Role.CHANNEL, "shop")


def test_signing_in_forgets_sessions_long_over_by_index(uow: SqlUnitOfWork, engine: Engine) -> None:
    ended = sessions.start(KEY, False, uow, T0, 8)
    sessions.end(ended, uow, T0 + timedelta(hours=1))
    sessions.start(KEY, False, uow, T0, 8)  # expires at 8 hours

    with statements(engine) as ran:
        sessions.start(KEY, False, uow, T0 + timedelta(days=2), 8)

    assert full_scans(engine, ran) == set()
    assert len(rows(engine, console_sessions)) == 1  # both long over went

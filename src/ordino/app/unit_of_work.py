"""The whole unit of work: every capability's port at once, as the SQL unit of work
(`ordino.app.sql_unit_of_work`) implements it and the app's assembly hands it out.

Each capability's use cases speak to their own port (`ordino.<capability>.services.
ports`): a `Protocol` of the repositories it owns, extending the port of the
capability just below it, so that a use case can reach what ranks below it and
nothing above. Leaving an attempt without `commit()` rolls everything back;
repositories raise `LostRace` when a conditional write finds the state changed under
it.
"""

from __future__ import annotations

from typing import Protocol

from ordino.analytics.services.ports import AnalyticsWork


class UnitOfWork(AnalyticsWork, Protocol):
    """Every capability's repositories: what the app builds for each attempt."""

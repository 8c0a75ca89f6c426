"""The analytics capability's port: the dashboard's facts. `ordino.store` implements it
over SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ordino.analytics.domain.kpis import (
    PlacedOrder,
    RefundGiven,
    ReturnReceived,
    ReturnStarted,
    UnitsOf,
)
from ordino.privacy.services import PrivacyWork


class Analytics(Protocol):
    """The dashboard's facts, each with the time of its event."""

    def placed_orders(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[PlacedOrder]: ...
    def store_rejections(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[datetime]: ...
    def returns_started(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[ReturnStarted]: ...
    def returned_units(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[UnitsOf]: ...
    def sold_units(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[UnitsOf]: ...
    def return_receipts(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[ReturnReceived]: ...
    def refunds_given(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[RefundGiven]: ...


class AnalyticsWork(PrivacyWork, Protocol):
    """What analytics's use cases may use in one attempt: its own repositories and
    every lower capability's.
    """

    @property
    def analytics(self) -> Analytics: ...

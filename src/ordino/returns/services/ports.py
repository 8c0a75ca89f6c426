"""The returns capability's port: returns and the return policy. `ordino.store`
implements it over SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from ordino.kernel.services import NamedDocuments
from ordino.network.domain import Label
from ordino.orchestration.services import OrchestrationWork
from ordino.returns.domain import (
    Appeasement,
    ReturnAuthorization,
    ReturnPolicy,
    ReturnQuery,
    ReturnReceipt,
    ReturnRefund,
)


class Returns(Protocol):
    def add(self, ra: ReturnAuthorization) -> None: ...
    def save(self, ra: ReturnAuthorization) -> None: ...  # LostRace: changed since read
    def get(self, return_id: str) -> ReturnAuthorization | None: ...
    def by_code(self, code: str) -> ReturnAuthorization | None: ...
    def of_order(self, order_id: str) -> list[ReturnAuthorization]: ...
    def find(self, query: ReturnQuery, limit: int) -> list[ReturnAuthorization]: ...
    def add_receipt(self, return_id: str, receipt: ReturnReceipt) -> None: ...
    def receipts(self, return_id: str) -> list[ReturnReceipt]: ...  # oldest first
    def add_refund(self, order_id: str, refund: ReturnRefund) -> None: ...
    def refunds_of_order(self, order_id: str) -> list[ReturnRefund]: ...  # oldest first
    def add_appeasement(self, appeasement: Appeasement) -> None: ...
    def appeasements(self, order_id: str) -> list[Appeasement]: ...  # oldest first
    def add_label(self, return_id: str, label: Label) -> None: ...
    def label_document(self, return_id: str) -> tuple[str, str] | None: ...
    def void_label(self, return_id: str, now: datetime) -> None: ...
    def add_routing(
        self, routing_id: str, return_id: str, decided_at: datetime, reason: str, routes: list[Any]
    ) -> None: ...
    def routings(self, return_id: str) -> list[dict[str, Any]]: ...
    def disagreeing(self) -> list[tuple[str, int, str]]: ...  # `ordino check`


class ReturnsWork(OrchestrationWork, Protocol):
    """What returns' use cases may use in one attempt: its own repositories and every
    lower capability's."""

    @property
    def returns(self) -> Returns: ...
    @property
    def return_policy(self) -> NamedDocuments[ReturnPolicy]: ...

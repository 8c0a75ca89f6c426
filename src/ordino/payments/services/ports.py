"""The payments capability's port: payments and their operations with the gateway.
`ordino.store` implements it over SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ordino.payments.domain.payments import Payment, PaymentOperation
from ordino.pricing.services import PricingWork


class Payments(Protocol):
    def add(self, payment: Payment) -> None: ...
    def of_order(self, order_id: str, *, for_update: bool = False) -> Payment | None: ...
    def get(self, payment_id: str, *, for_update: bool = False) -> Payment | None: ...
    def save(self, payment: Payment) -> None: ...
    def operation(self, key: str) -> PaymentOperation | None: ...
    def begin(self, op: PaymentOperation, currency: str) -> None: ...  # LostRace: begun
    def complete(self, op: PaymentOperation, currency: str, now: datetime) -> bool: ...
    def operations(self, payment_id: str) -> list[PaymentOperation]: ...
    def by_card(self, after: str | None, limit: int) -> list[Payment]: ...


class PaymentsWork(PricingWork, Protocol):
    """What payments's use cases may use in one attempt: its own repositories and every
    lower capability's.
    """

    @property
    def payments(self) -> Payments: ...

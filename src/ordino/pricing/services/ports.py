"""The pricing capability's port: the VAT rates, the tax settings, the promotions and
their uses. `ordino.store` implements it over SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from ordino.kernel.services import NamedDocuments
from ordino.pricing.domain import ExchangeRate, Promotion, TaxSettings, VatRate
from ordino.pricing.engine import PromotionUse, Usage, UsageKey
from ordino.promising.services import PromisingWork


class TaxRates(Protocol):
    def of(self, countries: Iterable[str]) -> list[VatRate]: ...
    def all(self) -> list[VatRate]: ...
    def replace(self, rates: Sequence[VatRate]) -> int: ...


class Promotions(Protocol):
    def all(self) -> list[Promotion]: ...
    def get(self, id_: str) -> Promotion | None: ...
    def version(self, id_: str, version: int) -> Promotion | None: ...
    def put(self, promotion: Promotion, now: datetime, by: str) -> tuple[bool, int]: ...
    def codes_taken(self, codes: Iterable[str], promotion_id: str) -> dict[str, str]: ...
    def claim_codes(self, promotion_id: str, codes: Iterable[str]) -> None: ...  # LostRace


class PromotionUses(Protocol):
    def of(self, keys: Iterable[UsageKey]) -> dict[UsageKey, Usage]: ...
    def take(self, order_id: str, uses: Sequence[PromotionUse]) -> None: ...  # LostRace
    def give_back(self, order_id: str) -> int: ...


class ExchangeRates(Protocol):
    def of(self, currencies: Iterable[str], since: date, until: date) -> list[ExchangeRate]: ...
    def put(self, rates: Sequence[ExchangeRate]) -> int: ...


class PricingWork(PromisingWork, Protocol):
    """What pricing's use cases may use in one attempt: its own repositories and every
    lower capability's.
    """

    @property
    def tax_rates(self) -> TaxRates: ...
    @property
    def tax_settings(self) -> NamedDocuments[TaxSettings]: ...
    @property
    def promotions(self) -> Promotions: ...
    @property
    def promotion_uses(self) -> PromotionUses: ...
    @property
    def exchange_rates(self) -> ExchangeRates: ...

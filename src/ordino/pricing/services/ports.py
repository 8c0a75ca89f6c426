"""The pricing capability's port: the VAT rates and the tax settings. `ordino.store`
implements it over SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from ordino.kernel.services import NamedDocuments
from ordino.pricing.domain import TaxSettings, VatRate
from ordino.promising.services import PromisingWork


class TaxRates(Protocol):
    def of(self, countries: Iterable[str]) -> list[VatRate]: ...
    def replace(self, rates: Sequence[VatRate]) -> int: ...


class PricingWork(PromisingWork, Protocol):
    """What pricing's use cases may use in one attempt: its own repositories and every
    lower capability's.
    """

    @property
    def tax_rates(self) -> TaxRates: ...
    @property
    def tax_settings(self) -> NamedDocuments[TaxSettings]: ...

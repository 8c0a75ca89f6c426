"""Customs' use cases: the duty and import VAT rates, loaded whole from a file."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind
from ordino.kernel.services import Changed, record
from ordino.pricing.domain import CustomsRate, parse_customs_rates
from ordino.pricing.services.ports import PricingWork

ORDINO = "ordino"


def load_customs_rates(
    text: str, uow: PricingWork, now: datetime, by: str = ORDINO
) -> dict[str, Any]:
    """The rates of a CSV file (`ordino.pricing.domain.parse_customs_rates`) become all
    the rates there are, recorded; every bad row refused by its field, nothing
    changed then."""
    rates = parse_customs_rates(text)
    with uow:
        before = uow.customs_rates.all()
        replaced = uow.customs_rates.replace(rates)
        what = (ConfigurationKind.CUSTOMS_RATES, "customs", None)
        record(uow, what, _document(before), _document(rates), Changed(by, now))
        uow.commit()
    countries = Counter(rate.country for rate in rates)
    return {"rates": len(rates), "countries": dict(sorted(countries.items())), "replaced": replaced}


def _document(rates: list[CustomsRate]) -> dict[str, str]:
    return {f"{r.country} {r.kind} {r.hs_prefix or '*'}": str(r.rate) for r in rates}

"""Tax's use cases: the settings (who the seller is), the VAT rates (loaded whole
from a file), and the provider that works out an order's tax with them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, InvalidInput
from ordino.kernel.services import Changed, record
from ordino.network.domain import Channel, PriceBasis
from ordino.pricing.domain import (
    TAX_SETTINGS,
    OrderMoney,
    TaxClass,
    TaxSettings,
    VatRate,
    parse_rates,
    tax_settings_document,
)
from ordino.pricing.engine import EuVat, TaxProvider, TaxRequest, countries_taxed
from ordino.pricing.services.ports import PricingWork

ORDINO = "ordino"


def tax_provider(uow: PricingWork, destination: str) -> TaxProvider | None:
    """The provider that taxes an order to `destination`, with the rates it may need
    (in an entered unit of work); None when Ordino is set to work out no tax."""
    found = uow.tax_settings.get(TAX_SETTINGS)
    if found is None:
        return None
    settings = found[0]
    return EuVat(
        settings.seller_country,
        uow.tax_rates.of(countries_taxed(settings.seller_country, destination)),
    )


def get_settings(uow: PricingWork) -> dict[str, Any]:
    """The settings, or, when there are none, that Ordino works out no tax."""
    with uow:
        found = uow.tax_settings.get(TAX_SETTINGS)
    if found is None:
        none = dict.fromkeys(("seller_country", "vat_id", "name", "address", "eori", "ioss"))
        return {"provider": "none", **none, "version": 0}
    return settings_view(*found)


def put_settings(
    settings: TaxSettings, uow: PricingWork, now: datetime, by: str = ORDINO
) -> tuple[bool, dict[str, Any]]:
    """Replace the settings (whether they were created), recorded as `by`'s."""
    if problems := settings.problems():
        raise InvalidInput("the tax settings cannot apply", errors=problems)
    settings = settings.compacted()
    with uow:
        before = uow.tax_settings.get(TAX_SETTINGS)
        created = uow.tax_settings.put(settings, now)
        saved, version = uow.tax_settings.get(TAX_SETTINGS) or (settings, 1)
        what = (ConfigurationKind.TAX_SETTINGS, TAX_SETTINGS, version)
        old = None if before is None else tax_settings_document(before[0])
        record(uow, what, old, tax_settings_document(saved), Changed(by, now))
        uow.commit()
    return created, settings_view(saved, version)


def settings_view(settings: TaxSettings, version: int) -> dict[str, Any]:
    return tax_settings_document(settings) | {"version": version}


def load_rates(text: str, uow: PricingWork, now: datetime, by: str = ORDINO) -> dict[str, Any]:
    """The rates of a CSV file (`ordino.pricing.domain.parse_rates`) become all the
    rates there are; every bad row refused by its field, nothing changed then."""
    rates = parse_rates(text)
    with uow:
        before = uow.tax_rates.all()
        replaced = uow.tax_rates.replace(rates)
        what = (ConfigurationKind.TAX_RATES, "vat", None)
        # Every rate before and after, by country, class and start: the audit shows
        # which changed.
        record(uow, what, _rates_document(before), _rates_document(rates), Changed(by, now))
        uow.commit()
    return rates_summary(rates) | {"replaced": replaced}


def _rates_document(rates: list[VatRate]) -> dict[str, Any]:
    return {
        f"{r.country} {r.tax_class} {r.valid_from.isoformat()}": {
            "rate": str(r.rate),
            "valid_until": None if r.valid_until is None else r.valid_until.isoformat(),
        }
        for r in rates
    }


def rates_summary(rates: list[VatRate]) -> dict[str, Any]:
    by_country = Counter(rate.country for rate in rates)
    return {"rates": len(rates), "countries": dict(sorted(by_country.items()))}


def list_rates(uow: PricingWork, countries: list[str]) -> list[dict[str, Any]]:
    with uow:
        rates = uow.tax_rates.of(countries)
    return [
        {
            "country": r.country,
            "tax_class": str(r.tax_class),
            "rate": str(r.rate),
            "valid_from": r.valid_from.isoformat(),
            "valid_until": None if r.valid_until is None else r.valid_until.isoformat(),
        }
        for r in rates
    ]


def taxed_again(
    uow: PricingWork, money: OrderMoney, channel: Channel, to: TaxedFor
) -> OrderMoney | None:
    """An order's money (as placed: prices, discounts, charges) taxed anew for
    another destination, by the provider its tax was worked out with at capture,
    at the rates of the order's day (in an entered unit of work); None when Ordino
    works out no tax, or a marketplace gave the order's own."""
    provider = tax_provider(uow, to.destination)
    if provider is None or channel.pricing.marketplace or money.tax_treatment is None:
        return None
    facts = uow.catalog.facts(line.sku for line in money.lines)
    classes = {sku: TaxClass(f.tax_class) for sku, f in facts.items()}
    bare = replace(
        money,
        lines=tuple(replace(line, taxes=()) for line in money.lines),
        charges=tuple(replace(charge, taxes=()) for charge in money.charges),
    )
    gross = _inclusive(money)
    if gross is None:  # none of its own: the channel's prices
        gross = channel.pricing.prices is PriceBasis.GROSS
    asked = TaxRequest(bare, classes, to.destination, to.vat_id, to.day, gross)
    return replace(provider.estimate(asked).money, exchange=money.exchange)


def _inclusive(money: OrderMoney) -> bool | None:
    """Whether the order's prices hold their tax, as it was taxed (whatever its
    channel says since)."""
    taxes = [t for line in money.lines for t in line.taxes]
    taxes += [t for charge in money.charges for t in charge.taxes]
    return taxes[0].inclusive if taxes else None


def rates_changed(uow: PricingWork, destination: str, since: date, until: date) -> bool:
    """Whether a VAT rate an order to `destination` may owe starts or ends between
    the two days (in an entered unit of work): else its tax on `until` is the one of
    `since`."""
    provider = tax_provider(uow, destination)
    if provider is None or not isinstance(provider, EuVat):
        return provider is not None
    return any(
        since < rate.valid_from <= until
        or (rate.valid_until is not None and since <= rate.valid_until < until)
        for rate in provider.rates
    )


@dataclass(frozen=True)
class TaxedFor:
    """Where an order's tax is worked out again for: the destination, the buyer's
    VAT id (as checked at capture), the order's day."""

    destination: str
    vat_id: str | None
    day: date

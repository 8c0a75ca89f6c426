"""The demo's money: a German seller with the VAT rates of Germany and Austria, trail
guides at the reduced rate, shipping rates on the web shop and the app (free from
50 EUR), two promotions (a winter sale on orders from 100 EUR, and a welcome code
once per customer), and a Swiss web shop selling in CHF and settling in EUR, with
exchange rates for the days around the demo's start (made up, labelled `demo`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from ordino.app.unit_of_work import UnitOfWork
from ordino.kernel.domain.configuration import DEMO_AUTHOR, ConfigurationKind
from ordino.kernel.services.configuration import Changed, record
from ordino.network.domain import Address, Customs
from ordino.network.domain.channels import ShippingRate
from ordino.network.domain.products import Product
from ordino.payments.domain import BalanceKind, CreditAccount, Entry, EntryKind, account_of
from ordino.pricing.domain import (
    TAX_SETTINGS,
    Benefit,
    CustomsRate,
    ExchangeRate,
    Limits,
    Promotion,
    RateKind,
    TaxClass,
    TaxSettings,
    VatRate,
    promotion_document,
    tax_settings_document,
)

# A made-up company, with a made-up VAT id that passes the checks: its invoices' seller.
SELLER = TaxSettings(
    "DE",
    "DE123456704",
    "Ordino Demo GmbH",
    Address("Invalidenstr. 1", "Berlin", "10115", "DE"),
    eori="DE4711000000000",
)
GIFT_CARD = account_of(BalanceKind.GIFT_CARD, "DEMO-GIFT-0025")
BUYER_ACCOUNT = "ACME-GMBH"

# Switzerland's import VAT (books at the reduced rate) and duties (none on industrial
# goods since 2024): what the Swiss shop's declarations estimate, duty paid.
CUSTOMS_RATES = [
    CustomsRate("CH", RateKind.IMPORT_VAT, "", Decimal("0.081")),
    CustomsRate("CH", RateKind.IMPORT_VAT, "4901", Decimal("0.026")),
    CustomsRate("CH", RateKind.DUTY, "", Decimal(0)),
]
SWISS_SHOP = "ch-web"
_SINCE = date(2021, 1, 1)
# (country, class, percent): Germany's and Austria's standard and reduced rates.
_VAT = [("DE", "standard", 19), ("DE", "reduced", 7), ("AT", "standard", 20), ("AT", "reduced", 10)]
CHF_PER_EURO = Decimal("0.9400")  # the demo's rate, every day
GUIDES = ("Alpine trail guide", "Danube cycle guide", "Black Forest hiking guide")


def shipping_rates() -> tuple[ShippingRate, ...]:
    """What the web shop's and the app's customers pay for shipping."""
    return (
        ShippingRate("EUR", Decimal("4.90"), frozenset({"DE", "AT"}), Decimal("50.00")),
        ShippingRate("EUR", Decimal("9.90")),  # elsewhere
        ShippingRate("CHF", Decimal("9.90"), frozenset({"CH", "LI"}), Decimal("80.00")),
    )


def in_francs(euros: Decimal) -> Decimal:
    """A demo product's price in CHF: at the demo's rate, ending in .90."""
    return (euros / CHF_PER_EURO).quantize(Decimal(1)) - Decimal("0.10")


def guides() -> list[Product]:
    """Books, at the reduced rate of VAT."""
    return [
        Product(
            f"BOOK-{n + 1:04d}",
            name,
            Decimal("0.350"),
            {"EUR": Decimal("24.90"), "CHF": in_francs(Decimal("24.90"))},
            tax_class=str(TaxClass.REDUCED),
            customs=Customs("490199", "DE", "Printed travel guide"),
        )
        for n, name in enumerate(GUIDES)
    ]


def promotions(now: datetime) -> list[Promotion]:
    winter = Promotion(
        "winter-sale",
        "Winter sale: 10 % off from 100 EUR",
        Benefit.ORDER_PERCENT,
        Decimal(10),
        "EUR",
        threshold=Decimal("100.00"),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=60),
        priority=50,
    )
    welcome = Promotion(
        "welcome",
        "Welcome: 10 EUR off your first order",
        Benefit.ORDER_AMOUNT,
        Decimal("10.00"),
        "EUR",
        threshold=Decimal("30.00"),
        codes=frozenset({"WELCOME10"}),
        limits=Limits(uses=1000, uses_per_customer=1, budget=Decimal("5000.00")),
        priority=100,
    )
    return [winter, welcome]


def exchange_rates(now: datetime) -> list[ExchangeRate]:
    """The Swiss franc at the demo's rate for the fortnight around `now`."""
    today = now.date()
    return [
        ExchangeRate("CHF", today + timedelta(days=n), CHF_PER_EURO, "demo") for n in range(-7, 8)
    ]


def load_demo_money(uow: UnitOfWork, now: datetime) -> None:
    """In the demo's transaction: the seller and its rates, the promotions, the
    exchange rates, the Swiss duties and import VAT, a gift card of 25 EUR
    (`DEMO-GIFT-0025`) and a business's credit account (`ACME-GMBH`, 1,000 EUR, 30
    days) (the channels' shipping and the products are the demo's own)."""
    uow.tax_settings.put(SELLER, now)
    what = (ConfigurationKind.TAX_SETTINGS, TAX_SETTINGS, 1)
    as_the_demos(uow, what, tax_settings_document(SELLER), now)
    rates = [
        VatRate(country, TaxClass(tax_class), Decimal(percent) / 100, _SINCE)
        for country, tax_class, percent in _VAT
    ]
    uow.tax_rates.replace(rates)
    summary: dict[str, object] = {f"{r.country} {r.tax_class}": str(r.rate) for r in rates}
    as_the_demos(uow, (ConfigurationKind.TAX_RATES, "vat", None), summary, now)
    for promotion in promotions(now):
        uow.promotions.put(promotion, now, DEMO_AUTHOR)
        uow.promotions.claim_codes(promotion.id, promotion.codes)
        what = (ConfigurationKind.PROMOTION, promotion.id, 1)
        as_the_demos(uow, what, promotion_document(promotion), now)
    francs = exchange_rates(now)
    uow.exchange_rates.put(francs)
    days: dict[str, object] = {
        "rates": len(francs),
        "from": str(francs[0].day),
        "to": str(francs[-1].day),
    }
    as_the_demos(uow, (ConfigurationKind.EXCHANGE_RATES, "demo", None), days, now)
    uow.customs_rates.replace(CUSTOMS_RATES)
    duties: dict[str, object] = {
        f"{r.country} {r.kind} {r.hs_prefix or '*'}": str(r.rate) for r in CUSTOMS_RATES
    }
    as_the_demos(uow, (ConfigurationKind.CUSTOMS_RATES, "customs", None), duties, now)
    # A gift card to pay with, and a business buying on account within a limit.
    card = Entry(GIFT_CARD, EntryKind.ISSUED, Decimal("25.00"), now, by=DEMO_AUTHOR)
    uow.balances.open(card, BalanceKind.GIFT_CARD, "EUR")
    uow.credit_accounts.put(CreditAccount(BUYER_ACCOUNT, "EUR", Decimal("1000.00")), now)


def as_the_demos(
    uow: UnitOfWork,
    what: tuple[ConfigurationKind, str, int | None],
    after: dict[str, object],
    now: datetime,
) -> None:
    """Record what the demo configured, as the demo's."""
    record(uow, what, None, after, Changed(DEMO_AUTHOR, now))

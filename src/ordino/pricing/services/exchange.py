"""Exchange rates' use cases: loaded from the ECB's files (recorded in the
configuration audit), and the conversion an order in one currency is settled in its
channel's with."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from ordino.inventory.services import StockPicture
from ordino.kernel.domain import ConfigurationKind
from ordino.kernel.services import Changed, record, with_retries
from ordino.network.domain import Channel
from ordino.pricing.domain import Conversion, conversion, parse_ecb
from ordino.pricing.domain.exchange import EURO, MAX_AGE_DAYS
from ordino.pricing.services.ports import PricingWork

ORDINO = "ordino"


def load_exchange_rates(
    text: str, uow: PricingWork, now: datetime, by: str = ORDINO
) -> dict[str, Any]:
    """The rates of an ECB CSV file (`ordino.pricing.domain.parse_ecb`) added, those of
    the same currency and day replaced; every bad cell refused by its field, nothing
    changed then."""
    rates = parse_ecb(text)
    days = sorted({rate.day for rate in rates})
    summary = {
        "rates": len(rates),
        "from": days[0].isoformat(),
        "to": days[-1].isoformat(),
        "currencies": dict(sorted(Counter(rate.currency for rate in rates).items())),
    }

    def attempt(_: int) -> None:
        """One write; a load of the same days at once is a lost race, tried again."""
        with uow:
            uow.exchange_rates.put(rates)
            what = (ConfigurationKind.EXCHANGE_RATES, rates[0].source, None)
            record(uow, what, None, summary, Changed(by, now))
            uow.commit()

    with_retries(attempt)
    return summary


def settlement(
    uow: PricingWork, picture: StockPicture, channel: Channel | None, currency: str, day: date
) -> Conversion | None:
    """How an order in `currency` on `day` is settled in its channel's currency (in an
    entered unit of work; kept by the picture, which a load of rates makes forget):
    None when the channel settles in the order's currency or names none; InvalidInput
    naming `currency` when no rate is recent enough."""
    settles_in = None if channel is None else channel.pricing.settlement_currency
    if settles_in is None or settles_in == currency:
        return None

    def read() -> Conversion:
        since = day - timedelta(days=MAX_AGE_DAYS)
        wanted = {c for c in (currency, settles_in) if c != EURO}
        return conversion(uow.exchange_rates.of(wanted, since, day), currency, settles_in, day)

    found: Conversion = picture.derived(("exchange", currency, settles_in, day), read)
    return found

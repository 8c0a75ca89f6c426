"""Exchange rates: one euro in each currency, day by day, as loaded from the ECB's
files (a load adds its days and replaces those it holds again)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, delete, insert, select, tuple_
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import ChangeLog, LostRace
from ordino.pricing.domain import ExchangeRate
from ordino.pricing.store.tables import exchange_rates

_RATES = exchange_rates.c


class SqlExchangeRates:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection, self.changes = connection, changes

    def of(self, currencies: Iterable[str], since: date, until: date) -> list[ExchangeRate]:
        """The rates of these currencies from `since` to `until`, both included."""
        query = select(exchange_rates).where(
            _RATES.currency.in_(sorted(set(currencies))), _RATES.day.between(since, until)
        )
        return [
            ExchangeRate(row.currency, row.day, Decimal(row.per_euro), row.source)
            for row in self.connection.execute(query)
        ]

    def put(self, rates: Sequence[ExchangeRate]) -> int:
        """Add the rates, replacing those of the same currency and day; how many."""
        keys = sorted({(rate.currency, rate.day) for rate in rates})
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            key = tuple_(_RATES.currency, _RATES.day)
            self.connection.execute(delete(exchange_rates).where(key.in_(chunk)))
        rows = {
            (r.currency, r.day): {
                "currency": r.currency, "day": r.day, "per_euro": str(r.per_euro),
                "source": r.source,
            }
            for r in rates
        }  # fmt: skip
        if rows:
            try:
                self.connection.execute(insert(exchange_rates), list(rows.values()))
            except IntegrityError as error:  # the same days loaded at once
                raise LostRace(str(error.orig)) from error
        self.changes.network = True  # pictures keep the rates capture converts with
        return len(rows)

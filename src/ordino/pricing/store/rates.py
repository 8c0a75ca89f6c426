"""The VAT rates in the database: those of some countries read at once, all of them
replaced at once by a file's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, delete, func, insert, select, true

from ordino.kernel.domain import ChangeLog
from ordino.pricing.domain import TaxClass, VatRate
from ordino.pricing.store.tables import tax_rates


class SqlTaxRates:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection = connection
        self.changes = changes

    def of(self, countries: Iterable[str]) -> list[VatRate]:
        """Every rate of these countries (one query)."""
        return self._read(tax_rates.c.country.in_(sorted(set(countries))))

    def all(self) -> list[VatRate]:
        return self._read(true())

    def _read(self, condition: ColumnElement[bool]) -> list[VatRate]:
        query = (
            select(tax_rates)
            .where(condition)
            .order_by(tax_rates.c.country, tax_rates.c.tax_class, tax_rates.c.valid_from)
        )
        return [_rate(row) for row in self.connection.execute(query)]

    def replace(self, rates: Sequence[VatRate]) -> int:
        """The table holds `rates` and nothing else; how many it held before."""
        self.changes.network = True  # pictures keep them with the network's settings
        before = self.connection.scalar(select(func.count()).select_from(tax_rates)) or 0
        self.connection.execute(delete(tax_rates))
        if rates:
            self.connection.execute(insert(tax_rates), [_row(rate) for rate in rates])
        return int(before)


def _row(rate: VatRate) -> dict[str, object]:
    return {
        "country": rate.country,
        "tax_class": str(rate.tax_class),
        "valid_from": rate.valid_from,
        "valid_until": rate.valid_until,
        "rate": str(rate.rate),
    }


def _rate(row: Row[Any]) -> VatRate:
    return VatRate(
        row.country, TaxClass(row.tax_class), Decimal(row.rate), row.valid_from, row.valid_until
    )

"""Customs: the duty and import VAT rates (replaced whole by a file's), and each
cross-border parcel's declaration, written as it is shipped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from ordino.pricing.domain.customs import CustomsRate, RateKind
from ordino.pricing.store.tables import customs_declarations, customs_rates

_RATES = customs_rates.c
_DECLARED = customs_declarations.c


class SqlCustomsRates:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def of(self, countries: Iterable[str]) -> list[CustomsRate]:
        query = select(customs_rates).where(_RATES.country.in_(sorted(set(countries))))
        return [_rate(row) for row in self.connection.execute(query.order_by(*_RATES))]

    def all(self) -> list[CustomsRate]:
        query = select(customs_rates).order_by(*_RATES)
        return [_rate(row) for row in self.connection.execute(query)]

    def replace(self, rates: Sequence[CustomsRate]) -> int:
        """The table holds `rates` and nothing else; how many it held before."""
        before = self.connection.scalar(select(func.count()).select_from(customs_rates)) or 0
        self.connection.execute(delete(customs_rates))
        if rates:
            rows = [
                {"country": r.country, "kind": str(r.kind), "hs_prefix": r.hs_prefix,
                 "rate": str(r.rate)}
                for r in rates
            ]  # fmt: skip
            self.connection.execute(insert(customs_rates), rows)
        return int(before)


def _rate(row: Any) -> CustomsRate:
    return CustomsRate(row.country, RateKind(row.kind), row.hs_prefix, Decimal(row.rate))


class SqlDeclarations:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(
        self, fulfillment_id: str, order_id: str, document: dict[str, Any], now: datetime
    ) -> None:
        self.connection.execute(
            insert(customs_declarations).values(
                fulfillment_id=fulfillment_id, order_id=order_id, declared_at=now, document=document
            )
        )

    def of_fulfillment(self, fulfillment_id: str) -> dict[str, Any] | None:
        found = self.connection.execute(
            select(_DECLARED.document).where(_DECLARED.fulfillment_id == fulfillment_id)
        ).scalar_one_or_none()
        return None if found is None else dict(found)

    def of_order(self, order_id: str) -> dict[str, dict[str, Any]]:
        """The order's declarations, by fulfillment order."""
        query = select(_DECLARED.fulfillment_id, _DECLARED.document).where(
            _DECLARED.order_id == order_id
        )
        return {row.fulfillment_id: dict(row.document) for row in self.connection.execute(query)}

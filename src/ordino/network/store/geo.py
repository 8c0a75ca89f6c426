"""Postal codes and where they are."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from ordino.kernel.domain import ChangeLog, Point, PostalCode
from ordino.network.store.tables import postal_codes
from ordino.store.dialect import insert_rows


class SqlGeo:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection = connection
        self.changes = changes

    def locate(self, country: str, postal_code: str) -> Point | None:
        row = self.connection.execute(
            select(postal_codes.c.latitude, postal_codes.c.longitude).where(
                postal_codes.c.country == country, postal_codes.c.postal_code == postal_code
            )
        ).first()
        return None if row is None else Point(row.latitude, row.longitude)

    def countries(self, postal_code: str) -> list[str]:
        """The countries that have this postal code."""
        query = (
            select(postal_codes.c.country)
            .where(postal_codes.c.postal_code == postal_code)
            .order_by(postal_codes.c.country)
        )
        return list(self.connection.scalars(query))

    def put(self, codes: Sequence[PostalCode]) -> None:
        """Replace the points of the codes given (the rest stay)."""
        self.changes.network = True  # where "near me" is
        wanted = {(c.country, c.postal_code) for c in codes}
        for country in sorted({country for country, _ in wanted}):
            self.connection.execute(
                postal_codes.delete().where(
                    postal_codes.c.country == country,
                    postal_codes.c.postal_code.in_(
                        sorted(code for c, code in wanted if c == country)
                    ),
                )
            )
        insert_rows(
            self.connection,
            postal_codes,
            [
                {
                    "country": c.country,
                    "postal_code": c.postal_code,
                    "place": c.place,
                    "latitude": c.point.latitude,
                    "longitude": c.point.longitude,
                }
                for c in codes
            ],
        )

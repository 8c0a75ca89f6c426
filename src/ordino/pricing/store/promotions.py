"""Promotions: the current document of each, and every version kept (an order's
discount names the version that gave it); and which promotion each code unlocks (a
code is one promotion's: the table's key keeps it so, whatever races)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import ChangeLog, LostRace
from ordino.pricing.domain import Promotion, promotion_document, promotion_from_document
from ordino.pricing.store.tables import promotion_codes, promotion_versions, promotions
from ordino.store.settings import SqlVersionedDocuments

_CODES = promotion_codes.c


class SqlPromotions(SqlVersionedDocuments[Promotion]):
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        def told() -> None:
            changes.network = True  # pictures keep the promotions that run

        super().__init__(
            connection,
            promotions.c.id,
            promotion_versions,
            (promotion_from_document, promotion_document),
            lambda promotion: promotion.id,
            told,
        )

    def codes_taken(self, codes: Iterable[str], promotion_id: str) -> dict[str, str]:
        """Of `codes`, those another promotion has, and whose."""
        query = select(_CODES.code, _CODES.promotion_id).where(
            _CODES.code.in_(sorted(set(codes))), _CODES.promotion_id != promotion_id
        )
        return {row.code: row.promotion_id for row in self.connection.execute(query)}

    def claim_codes(self, promotion_id: str, codes: Iterable[str]) -> None:
        """The promotion's codes are these; LostRace when another claimed one meanwhile."""
        self.connection.execute(delete(promotion_codes).where(_CODES.promotion_id == promotion_id))
        rows = [{"code": code, "promotion_id": promotion_id} for code in sorted(set(codes))]
        if not rows:
            return
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(promotion_codes), rows)
        except IntegrityError as error:  # another promotion's change took one first
            raise LostRace(str(error.orig)) from error

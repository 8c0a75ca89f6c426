"""Promotions: the current document of each, and every version kept (an order's
discount names the version that gave it)."""

from __future__ import annotations

from sqlalchemy import Connection

from ordino.kernel.domain import ChangeLog
from ordino.pricing.domain import Promotion, promotion_document, promotion_from_document
from ordino.pricing.store.tables import promotion_versions, promotions
from ordino.store.settings import SqlVersionedDocuments


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

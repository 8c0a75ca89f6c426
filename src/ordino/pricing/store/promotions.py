"""Promotions: the current document of each, and every version kept (an order's
discount names the version that gave it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import ChangeLog, LostRace
from ordino.pricing.domain import Promotion, promotion_document, promotion_from_document
from ordino.pricing.store.tables import promotion_versions, promotions


class SqlPromotions:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection, self.changes = connection, changes

    def all(self) -> list[Promotion]:
        query = select(promotions).order_by(promotions.c.id)
        return [
            promotion_from_document(row.id, row.document, row.version)
            for row in self.connection.execute(query)
        ]

    def get(self, id_: str) -> Promotion | None:
        row = self.connection.execute(select(promotions).where(promotions.c.id == id_)).first()
        return None if row is None else promotion_from_document(row.id, row.document, row.version)

    def version(self, id_: str, version: int) -> Promotion | None:
        kept = promotion_versions
        query = select(kept).where(kept.c.id == id_, kept.c.version == version)
        row = self.connection.execute(query).first()
        return None if row is None else promotion_from_document(row.id, row.document, row.version)

    def put(self, promotion: Promotion, now: datetime, by: str) -> tuple[bool, int]:
        """Create or replace; (created, the version it now has), that version kept with
        its author."""
        self.changes.network = True  # pictures keep the promotions that run
        kept = promotion_versions
        latest = self.connection.scalar(
            select(func.max(kept.c.version)).where(kept.c.id == promotion.id)
        )
        version = (latest or 0) + 1
        document = promotion_document(promotion)
        values = {"document": document, "version": version, "updated_at": now}
        try:
            self.connection.execute(
                insert(kept).values(
                    id=promotion.id, version=version, document=document, created_at=now,
                    created_by=by,
                )
            )  # fmt: skip
            replaced = self.connection.execute(
                update(promotions).where(promotions.c.id == promotion.id).values(**values)
            ).rowcount
            if not replaced:
                self.connection.execute(insert(promotions).values(id=promotion.id, **values))
        except IntegrityError as error:  # changed concurrently
            raise LostRace(str(error.orig)) from error
        return not replaced, version

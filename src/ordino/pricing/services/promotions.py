"""Promotions' use cases: each written as a new version (recorded in the
configuration audit), read, listed; and the engine capture applies them with."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, NotFound
from ordino.kernel.services import Changed, record, with_retries
from ordino.pricing.domain import Promotion, promotion_document
from ordino.pricing.engine import BuiltInPromotions, PromotionEngine
from ordino.pricing.services.ports import PricingWork

ORDINO = "ordino"


def promotion_engine(uow: PricingWork) -> PromotionEngine:
    """The built-in engine over every promotion there is (in an entered unit of
    work); it applies those that run when it is asked."""
    return BuiltInPromotions(tuple(uow.promotions.all()))


def put_promotion(
    promotion: Promotion, uow: PricingWork, now: datetime, by: str = ORDINO
) -> tuple[bool, dict[str, Any]]:
    """Create or change a promotion: a new version (whether it was created)."""
    promotion.refuse_problems()

    def attempt(_: int) -> tuple[bool, int]:
        """One write; a concurrent change of the same promotion is a lost race, tried
        again (then 409)."""
        with uow:
            before = uow.promotions.get(promotion.id)
            created, version = uow.promotions.put(promotion, now, by)
            what = (ConfigurationKind.PROMOTION, promotion.id, version)
            old = None if before is None else promotion_document(before)
            record(uow, what, old, promotion_document(promotion), Changed(by, now))
            uow.commit()
        return created, version

    created, version = with_retries(attempt)
    return created, promotion_view(replace(promotion, version=version))


def get_promotion(id_: str, uow: PricingWork) -> dict[str, Any]:
    with uow:
        found = uow.promotions.get(id_)
    if found is None:
        raise NotFound(f"no promotion {id_}", extra={"id": id_})
    return promotion_view(found)


def list_promotions(uow: PricingWork) -> list[dict[str, Any]]:
    with uow:
        return [promotion_view(p) for p in uow.promotions.all()]


def promotion_view(promotion: Promotion) -> dict[str, Any]:
    return {"id": promotion.id, **promotion_document(promotion), "version": promotion.version}

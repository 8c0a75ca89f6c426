"""Promotions' use cases: each written as a new version (recorded in the
configuration audit), read, listed; and the engine capture applies them with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, InvalidInput, NotFound
from ordino.kernel.services import Changed, record, with_retries
from ordino.pricing.domain import Promotion, code_of, promotion_document
from ordino.pricing.engine import (
    EVERYONE,
    BuiltInPromotions,
    Buyer,
    PromotionEngine,
    Usage,
    customer_key,
)
from ordino.pricing.services.ports import PricingWork

ORDINO = "ordino"


def promotion_engine(
    uow: PricingWork, promotions: Sequence[Promotion], buyer: Buyer, now: datetime
) -> PromotionEngine:
    """The built-in engine over these promotions (every one there is, as a picture
    keeps them), with the uses of those with limits that may apply to the buyer's
    cart now (running; needing no code or one the buyer gives), as counted now (in an
    entered unit of work): in all, and by the buyer."""
    codes = {code_of(code) for code in buyer.codes}
    counted = [
        p
        for p in promotions
        if p.limits.counted and p.runs_at(now) and (not p.codes or p.codes & codes)
    ]
    keys = [(p.id, EVERYONE) for p in counted]
    if buyer.email:
        who = customer_key(buyer.email)
        keys += [(p.id, who) for p in counted if p.limits.uses_per_customer]
    return BuiltInPromotions(promotions, uow.promotion_uses.of(keys) if keys else {})


def put_promotion(
    promotion: Promotion, uow: PricingWork, now: datetime, by: str = ORDINO
) -> tuple[bool, dict[str, Any]]:
    """Create or change a promotion: a new version (whether it was created)."""
    promotion.refuse_problems()

    def attempt(_: int) -> tuple[bool, int]:
        """One write; a concurrent change of the same promotion is a lost race, tried
        again (then 409)."""
        with uow:
            _refuse_codes_taken(uow, promotion)
            before = uow.promotions.get(promotion.id)
            _refuse_other_currency(uow, promotion, before)
            created, version = uow.promotions.put(promotion, now, by)
            uow.promotions.claim_codes(promotion.id, promotion.codes)
            what = (ConfigurationKind.PROMOTION, promotion.id, version)
            old = None if before is None else promotion_document(before)
            record(uow, what, old, promotion_document(promotion), Changed(by, now))
            uow.commit()
        return created, version

    created, version = with_retries(attempt)
    return created, promotion_view(replace(promotion, version=version))


def _refuse_codes_taken(uow: PricingWork, promotion: Promotion) -> None:
    """A code unlocks one promotion: one another promotion has is refused."""
    taken = uow.promotions.codes_taken(promotion.codes, promotion.id) if promotion.codes else {}
    if taken:
        raise InvalidInput.of(
            "codes", "; ".join(f"{code} is promotion {taken[code]}'s" for code in sorted(taken))
        )


def _refuse_other_currency(
    uow: PricingWork, promotion: Promotion, before: Promotion | None
) -> None:
    """What a promotion gave is counted in its currency: one that gave something in
    another keeps it (a new promotion starts its own counts)."""
    if before is None or before.currency == promotion.currency or not before.currency:
        return
    usage = uow.promotion_uses.of([(promotion.id, EVERYONE)]).get((promotion.id, EVERYONE))
    if usage is not None and usage.given:
        raise InvalidInput.of(
            "currency",
            f"it gave {usage.given} {before.currency}: it keeps its currency "
            "(a new promotion counts afresh)",
        )


def get_promotion(id_: str, uow: PricingWork) -> dict[str, Any]:
    """The promotion, with how often it was used and what it gave (when it counts)."""
    with uow:
        found = uow.promotions.get(id_)
        usage = uow.promotion_uses.of([(id_, EVERYONE)])
    if found is None:
        raise NotFound(f"no promotion {id_}", extra={"id": id_})
    return promotion_view(found, usage.get((id_, EVERYONE)))


def list_promotions(uow: PricingWork) -> list[dict[str, Any]]:
    with uow:
        promotions = uow.promotions.all()
        usage = uow.promotion_uses.of([(p.id, EVERYONE) for p in promotions if p.limits.counted])
    return [promotion_view(p, usage.get((p.id, EVERYONE))) for p in promotions]


def promotion_view(promotion: Promotion, usage: Usage | None = None) -> dict[str, Any]:
    """The promotion as the API shows it; `used`: the orders it applied to and what it
    gave them, counted for one with limits (cancelled orders gave theirs back)."""
    used = None
    if promotion.limits.counted:  # what it gave is counted in its own currency only
        usage = usage or Usage()
        used = {"uses": usage.used, "given": str(usage.given) if promotion.currency else None}
    document = promotion_document(promotion)
    return {"id": promotion.id, **document, "version": promotion.version, "used": used}

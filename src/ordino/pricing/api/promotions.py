"""Promotions over HTTP: each `PUT` makes a new version (an order's discount names the
version that gave it); they apply at capture to every channel that is no
marketplace (docs/money.md, Promotions)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import (
    ID_PATTERN,
    Amount,
    Currency,
    Identifier,
    PromotionCode,
    Strict,
    Text,
)
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.pricing.domain import Benefit, Limits, Promotion, Stacking
from ordino.pricing.services import get_promotion, list_promotions, put_promotion

router = APIRouter(prefix="/v1/promotions", tags=["promotions"])
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
READ = [Depends(require(Permission.SETUP_READ))]
Writer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]


class LimitsIn(Strict):
    uses: Annotated[
        int | None, Field(ge=1, le=1_000_000_000, description="Orders it applies to, in all")
    ] = None
    uses_per_customer: Annotated[
        int | None,
        Field(ge=1, le=1_000_000, description="Orders of one customer (by email) it applies to"),
    ] = None
    budget: Annotated[
        Amount | None, Field(description="What its discounts may come to, in its currency")
    ] = None

    def to_domain(self) -> Limits:
        budget = None if self.budget is None else _plain(self.budget)
        return Limits(self.uses, self.uses_per_customer, budget)


class PromotionIn(Strict):
    name: Annotated[Text, Field(description="What the customer reads on the discount")]
    benefit: Literal[
        "order_percent",
        "order_amount",
        "line_percent",
        "unit_amount",
        "shipping_percent",
        "buy_x_get_y",
    ]
    value: Annotated[
        Amount, Field(description="A percent (above 0, at most 100) or an amount, by the benefit")
    ]
    currency: Currency | None = None
    skus: Annotated[list[Identifier], Field(max_length=1000)] = []
    threshold: Amount | None = None
    buy: Annotated[int, Field(ge=0, le=1000)] = 0
    get: Annotated[int, Field(ge=0, le=1000)] = 0
    condition: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=2000,
            description="CEL over cart.{channel, currency, subtotal, units, skus}, "
            "customer.{email, group}, ship_to.country, now",
        ),
    ] = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    priority: Annotated[int, Field(ge=0, le=10_000)] = 100
    stacking: Literal["stackable", "exclusive"] = "stackable"
    codes: Annotated[
        list[PromotionCode],
        Field(max_length=1000, description="A cart must give one of them (any case); none: any"),
    ] = []
    limits: LimitsIn = LimitsIn()
    enabled: bool = True

    def to_domain(self, id_: str) -> Promotion:
        return Promotion(
            id_,
            self.name,
            Benefit(self.benefit),
            _plain(self.value),
            self.currency,
            frozenset(self.skus),
            None if self.threshold is None else _plain(self.threshold),
            self.buy,
            self.get,
            self.condition,
            self.starts_at,
            self.ends_at,
            self.priority,
            Stacking(self.stacking),
            frozenset(self.codes),
            self.limits.to_domain(),
            self.enabled,
        )


def _plain(text: str) -> Decimal:
    """ "1e3" as 1000: amounts are kept and shown as people write them."""
    number = Decimal(text.strip())
    return Decimal(f"{number:f}") if number.is_finite() and abs(number) < 10**30 else number


class LimitsOut(BaseModel):
    uses: int | None
    uses_per_customer: int | None
    budget: str | None


class UsedOut(BaseModel):
    uses: int  # orders it applied to (those cancelled gave theirs back)
    given: str | None  # what its discounts came to, in its currency (none: it has none)


class PromotionOut(BaseModel):
    id: str
    name: str
    benefit: str
    value: str
    currency: str | None
    skus: list[str]
    threshold: str | None
    buy: int
    get: int
    condition: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    priority: int
    stacking: str
    codes: list[str]
    limits: LimitsOut
    enabled: bool
    version: int
    used: UsedOut | None  # none: it has no limits, and is not counted


class PromotionList(BaseModel):
    items: list[PromotionOut]


@router.put("/{promotion_id}", response_model=PromotionOut)
def put(promotion_id: IdPath, body: PromotionIn, request: Request, caller: Writer) -> Response:
    """Create a promotion or change it (a new version); recorded with its author."""
    uow, now = unit_of_work(request), clock(request)
    created, answer = put_promotion(body.to_domain(promotion_id), uow, now, f"key:{caller.id}")
    return JSONResponse(answer, status_code=201 if created else 200)


@router.get("/{promotion_id}", response_model=PromotionOut, dependencies=READ)
def get(promotion_id: IdPath, request: Request) -> Response:
    return JSONResponse(get_promotion(promotion_id, unit_of_work(request)))


@router.get("", response_model=PromotionList, dependencies=READ)
def list_all(request: Request) -> Response:
    return JSONResponse({"items": list_promotions(unit_of_work(request))})

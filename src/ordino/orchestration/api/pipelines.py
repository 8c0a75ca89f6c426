"""Order types (their pipelines) and hold rules: configuration, as data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Strict, Text
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.orchestration.services import order_types, pipelines, timers
from ordino.orders.api import HoldOut
from ordino.orders.domain import HoldRule, OrderType, Slas, Step

router = APIRouter(prefix="/v1")

TypeName = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
RuleName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")]
READ = [Depends(require(Permission.SETUP_READ))]
Configurer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]


class SlasIn(Strict):
    accept_minutes: Annotated[int | None, Field(ge=1, le=10_080, description="None: no limit")] = (
        120
    )
    reroute_unaccepted: bool = False
    pickup_days: Annotated[int, Field(ge=1, le=60)] = 7

    def to_domain(self) -> Slas:
        return Slas(self.accept_minutes, self.reroute_unaccepted, self.pickup_days)


class OrderTypeIn(Strict):
    steps: Annotated[
        list[Step],
        Field(
            min_length=1,
            max_length=10,
            description="In the order they run; release last. checks: the hold rules; "
            "authorise: the payment; requested_date: wait until lead_days before a B2B "
            "order's requested date; ship_complete: wait until nothing is backordered",
        ),
    ]
    description: Annotated[str, Field(max_length=200)] = ""
    lead_days: Annotated[int, Field(ge=0, le=365)] = 0
    slas: SlasIn = SlasIn()


class SlasOut(BaseModel):
    accept_minutes: int | None
    reroute_unaccepted: bool
    pickup_days: int


class OrderTypeOut(BaseModel):
    name: str
    steps: list[str]
    description: str
    lead_days: int
    slas: SlasOut
    version: int
    built_in: bool = Field(description="As it comes: never configured here (version 0)")


class OrderTypeList(BaseModel):
    items: list[OrderTypeOut]


class HoldRuleOut(BaseModel):
    name: str
    expression: str
    reason: str
    order_types: list[str]
    enabled: bool
    version: int


class HoldRuleList(BaseModel):
    items: list[HoldRuleOut]


class ExceptionOut(BaseModel):
    order_id: str
    order_number: str | None = Field(description="The channel's")


class BreachOut(ExceptionOut):
    id: str
    fulfillment_id: str | None
    sla: str
    location_id: str | None
    due_at: str
    breached_at: str
    action: str
    resolved_at: str | None


class HeldOut(ExceptionOut, HoldOut):
    pass


class WaitingOrderOut(ExceptionOut):
    priority: int


class ExceptionsOut(BaseModel):
    breaches: list[BreachOut]
    holds: list[HeldOut]
    backordered: list[WaitingOrderOut]
    dead_jobs: int


@router.get("/order-types", response_model=OrderTypeList, dependencies=READ)
def list_order_types(request: Request) -> Response:
    """Every order type: the built-in ones (as configured, where they are) and any
    configured anew."""
    return JSONResponse({"items": order_types.list_order_types(unit_of_work(request))})


@router.put("/order-types/{name}", response_model=OrderTypeOut)
def put_order_type(
    name: TypeName, body: OrderTypeIn, request: Request, caller: Configurer
) -> Response:
    """Create or replace a type's pipeline. Orders placed from now on run it; those
    placed before keep the steps they began with. The change is recorded."""
    order_type = OrderType(
        name, tuple(body.steps), body.description, body.lead_days, slas=body.slas.to_domain()
    )
    uow, now = unit_of_work(request), clock(request)
    answer, created = order_types.put_order_type(order_type, uow, now, f"key:{caller.id}")
    return JSONResponse(answer, status_code=201 if created else 200)


class HoldRuleIn(Strict):
    expression: Annotated[
        str,
        Field(
            min_length=1,
            max_length=2000,
            description="CEL, true: hold (the facts: docs/orchestration.md), e.g. "
            "`order.total > 1000.0 && customer.orders_24h >= 3`",
        ),
    ]
    reason: Text
    order_types: Annotated[list[str], Field(max_length=20)] = []
    enabled: bool = True


@router.get("/hold-rules", response_model=HoldRuleList, dependencies=READ)
def list_hold_rules(request: Request) -> Response:
    return JSONResponse({"items": pipelines.list_hold_rules(unit_of_work(request))})


@router.put("/hold-rules/{name}", response_model=HoldRuleOut)
def put_hold_rule(
    name: RuleName, body: HoldRuleIn, request: Request, caller: Configurer
) -> Response:
    """Create or replace a rule; it holds orders from their next checks on. An
    expression that does not compile, or does not evaluate to true or false on an
    order with every fact, is refused (422 naming `expression`). The change is
    recorded."""
    rule = HoldRule(name, body.expression, body.reason, frozenset(body.order_types), body.enabled)
    uow, now = unit_of_work(request), clock(request)
    answer, created = pipelines.put_hold_rule(rule, uow, now, f"key:{caller.id}")
    return JSONResponse(answer, status_code=201 if created else 200)


@router.delete("/hold-rules/{name}", status_code=204)
def delete_hold_rule(name: RuleName, request: Request, caller: Configurer) -> Response:
    pipelines.remove_hold_rule(name, unit_of_work(request), clock(request), f"key:{caller.id}")
    return Response(status_code=204)


@router.get(
    "/exceptions",
    response_model=ExceptionsOut,
    dependencies=[Depends(require(Permission.HOLDS_MANAGE))],
)
def exceptions(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Response:
    """What needs a person: service levels missed and still open (a location that did
    not accept or ship in time), orders on hold, and how many jobs are dead."""
    return JSONResponse(timers.exceptions(unit_of_work(request), limit))

"""The customer's self-service, public (no API key: the order's link is the
customer's key), and its policy (an admin's). docs/self-service.md."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import EmailStr, Field, model_validator

from ordino.http.creation import PROBLEM, IdempotencyHeader, idempotency_of
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Identifier, OptionalText, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.orchestration.api import LinesOnce, by_line
from ordino.orders.api import ShipToIn
from ordino.returns.domain import RefundTo, ReturnLineRequest, ReturnMethod
from ordino.servicing.api.schemas import (
    CustomerOrderOut,
    FoundOrderOut,
    PickupStoresOut,
    PolicyOut,
)
from ordino.servicing.domain.self_service import CUSTOMER, CancelUntil, SelfServicePolicy
from ordino.servicing.services import changes, self_service
from ordino.servicing.services.self_service import ReturnAsked, SelfService

router = APIRouter(prefix="/v1", tags=["self-service"])

Token = Annotated[str, Path(min_length=1, max_length=512, pattern=r"^[A-Za-z0-9_.-]+$")]
LINK: dict[int | str, dict[str, Any]] = {
    403: {
        "description": "The link expired (link-expired) or is not valid (link-invalid)",
        **PROBLEM,
    }
}
REFUSED: dict[int | str, dict[str, Any]] = LINK | {
    409: {"description": "Not allowed by the policy or the order's state now", **PROBLEM},
    422: {"description": "Invalid input", **PROBLEM},
}


def _service(request: Request) -> SelfService:
    return request.app.state.self_service  # type: ignore[no-any-return]


class LookupIn(Strict):
    number: Annotated[str, Field(min_length=1, max_length=128, description="The order number")]
    email: EmailStr


@router.post(
    "/self-service/lookup",
    response_model=FoundOrderOut,
    responses={
        404: {"description": "No such order", **PROBLEM},
        429: {"description": "Too many attempts (see Retry-After)", **PROBLEM},
    },
)
def lookup(body: LookupIn, request: Request) -> Response:
    """The order of that number and e-mail, with a link's token to it. A wrong number
    or e-mail is the same 404. Guesses are limited per order number and per client
    address: 429 with Retry-After, even for the right pair (docs/security.md)."""
    address = request.client.host if request.client else None
    answer = self_service.find_order(
        body.number,
        str(body.email),
        unit_of_work(request),
        _service(request),
        clock(request),
        address,
    )
    return JSONResponse(answer)


@router.get("/self-service/orders/{token}", response_model=CustomerOrderOut, responses=LINK)
def get_order(token: Token, request: Request) -> Response:
    """The order as its customer sees it: status, lines, promise, parcels, timeline,
    and what the customer may still do (`allowed`)."""
    uow, now = unit_of_work(request), clock(request)
    return JSONResponse(self_service.order_for(token, uow, _service(request), now))


class CustomerCancellationIn(Strict):
    lines: Annotated[
        LinesOnce | None, Field(description="Units of lines to cancel; none: give whole_order")
    ] = None
    whole_order: bool = False
    reason: OptionalText = None

    @model_validator(mode="after")
    def _one_of(self) -> CustomerCancellationIn:
        if (self.lines is None) == (not self.whole_order):
            raise ValueError("give lines, or whole_order: true")
        return self


@router.post(
    "/self-service/orders/{token}/cancellations",
    response_model=CustomerOrderOut,
    responses=REFUSED,
)
def cancel(token: Token, body: CustomerCancellationIn, request: Request) -> Response:
    uow, now = unit_of_work(request), clock(request)
    units = None if body.whole_order else by_line(body.lines)
    answer = self_service.cancel(token, units, uow, _service(request), now, body.reason)
    return JSONResponse(answer)


class CustomerReturnLineIn(Strict):
    line_no: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    quantity: Annotated[int, Field(strict=True, ge=1, le=1_000_000)]
    reason: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    note: Annotated[str | None, Field(max_length=500)] = None
    exchange_sku: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=64,
            description="Another size or colour instead of the money, as the policy allows",
        ),
    ] = None


class CustomerReturnIn(Strict):
    lines: Annotated[list[CustomerReturnLineIn], Field(min_length=1, max_length=200)]
    method: ReturnMethod
    refund_to: RefundTo = RefundTo.ORIGINAL


@router.post(
    "/self-service/orders/{token}/returns",
    status_code=201,
    response_model=CustomerOrderOut,
    responses=REFUSED,
)
def start_return(
    token: Token,
    body: CustomerReturnIn,
    request: Request,
    idempotency_key: IdempotencyHeader = None,
) -> Response:
    """Start a return of delivered or collected units, as the return policy allows
    (a refusal names its rule: the window, a product never taken back, a method not
    offered): `201` with the order as the customer sees it, the return's code among
    its returns. Sent again with the same Idempotency-Key, it starts no second one."""
    uow, now = unit_of_work(request), clock(request)
    lines = [
        ReturnLineRequest(li.line_no, li.quantity, li.reason, li.note, li.exchange_sku)
        for li in body.lines
    ]
    asked = ReturnAsked(lines, body.method, body.refund_to)
    once = idempotency_of(CUSTOMER, idempotency_key, body, "/v1/self-service/returns")
    answer = self_service.start_return(token, asked, uow, _service(request), now, once)
    return JSONResponse(answer, status_code=201)


class AddressChangeIn(Strict):
    ship_to: ShipToIn


@router.post(
    "/self-service/orders/{token}/address", response_model=CustomerOrderOut, responses=REFUSED
)
def change_address(token: Token, body: AddressChangeIn, request: Request) -> Response:
    """Deliver to another address, sourced and promised again for it (before
    release); refused, changing nothing, when it cannot be served."""
    address, point = body.ship_to.to_domain_with_point()
    uow, now = unit_of_work(request), clock(request)
    answer = changes.change_address(token, address, point, uow, _service(request), now)
    return JSONResponse(answer)


@router.get(
    "/self-service/orders/{token}/pickup-stores",
    response_model=PickupStoresOut,
    responses=REFUSED,
)
def pickup_stores(token: Token, request: Request) -> Response:
    """Stores near the customer that can have the order ready, with when."""
    uow, now = unit_of_work(request), clock(request)
    return JSONResponse(changes.pickup_stores(token, uow, _service(request), now))


class PickupIn(Strict):
    store_id: Identifier


@router.post(
    "/self-service/orders/{token}/pickup", response_model=CustomerOrderOut, responses=REFUSED
)
def collect_at(token: Token, body: PickupIn, request: Request) -> Response:
    """Collect at this store: a delivery converted to pickup, or the pickup moved."""
    uow, now = unit_of_work(request), clock(request)
    answer = changes.collect_at(token, body.store_id, uow, _service(request), now)
    return JSONResponse(answer)


class PolicyIn(Strict):
    cancel_until: Annotated[
        Literal["release", "minutes", "never"],
        Field(description="release: until released to a location; minutes: within cancel_minutes"),
    ] = "release"
    cancel_minutes: Annotated[int, Field(ge=1, le=43_200)] = 30
    change_address: bool = True
    convert_to_pickup: bool = True
    change_pickup_store: bool = True
    link_hours: Annotated[int, Field(ge=1, le=8_760, description="How long a link is valid")] = 720

    def to_domain(self) -> SelfServicePolicy:
        return SelfServicePolicy(
            CancelUntil(self.cancel_until),
            self.cancel_minutes,
            self.change_address,
            self.convert_to_pickup,
            self.change_pickup_store,
            self.link_hours,
        )


@router.get(
    "/self-service-policy",
    response_model=PolicyOut,
    dependencies=[Depends(require(Permission.SETUP_READ))],
)
def get_policy(request: Request) -> Response:
    return JSONResponse(self_service.get_policy(unit_of_work(request)))


@router.put("/self-service-policy", response_model=PolicyOut)
def put_policy(
    body: PolicyIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))],
) -> Response:
    """Replace the policy; it applies to every order from now on. The change is recorded."""
    uow, now = unit_of_work(request), clock(request)
    answer = self_service.put_policy(body.to_domain(), uow, now, f"key:{caller.id}")
    return JSONResponse(answer)

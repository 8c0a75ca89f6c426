"""Returns over HTTP: started for an order, read, decided, withdrawn, closed; and the
return policy. docs/returns.md."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.creation import (
    PROBLEM,
    RequiredIdempotencyHeader,
    accepted,
    created,
    idempotency,
)
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, InvalidInput, Permission, Role
from ordino.orders.api import OrderIdPath
from ordino.orders.domain import scope_of
from ordino.returns.api.schemas import (
    AppeasementIn,
    AppeasementList,
    DecisionIn,
    ExchangeList,
    GivenAppeasementOut,
    ReceiptIn,
    ReceiptList,
    ReceivedReturnOut,
    RefundPreviewOut,
    ReturnIdPath,
    ReturnIn,
    ReturnList,
    ReturnOut,
    ReturnPage,
    ReturnPolicyIn,
    ReturnPolicyOut,
    ReturnRefundOut,
    RoutingList,
)
from ordino.returns.domain import Initiator, ReturnStatus
from ordino.returns.services import (
    Appease,
    ReceiveReturn,
    ReturnAction,
    StartReturn,
    act_on_return,
    appease,
    code_image,
    find_returns,
    get_policy,
    get_return,
    order_appeasements,
    order_returns,
    put_policy,
    receipts_of,
    receive_return,
    refund_preview,
    refund_return,
    return_by_code,
    return_code,
    return_exchanges,
    return_label,
    return_routings,
    start_return,
)

router = APIRouter(prefix="/v1", tags=["returns"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such return", **PROBLEM}}
DECIDED: dict[int | str, dict[str, Any]] = NOT_FOUND | {
    409: {"description": "The return's state does not allow it", **PROBLEM},
    422: {"description": "Invalid input", **PROBLEM},
}
_INITIATORS = {Role.STORE: Initiator.STORE, Role.CHANNEL: Initiator.CHANNEL}


@router.post(
    "/orders/{order_id}/returns",
    status_code=201,
    response_model=ReturnOut,
    responses={
        404: {"description": "No such order", **PROBLEM},
        409: {
            "description": "Refused by the return policy (not-allowed: `rule` says which), "
            "or the Idempotency-Key reused with another body",
            **PROBLEM,
        },
        422: {
            "description": "Invalid return: a line the order lacks, more units than it may "
            "still return, a reason the policy does not know",
            **PROBLEM,
        },
        429: {"description": "Too many wrong e-mails for the order: wait", **PROBLEM},
    },
)
def start(
    order_id: OrderIdPath,
    body: ReturnIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.RETURNS_CREATE))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """Start a return of delivered or collected units: `201` with the return and its
    code, `requested`, or `authorised` when the policy's rule approves it at once. A
    store's key starts it at its store, for an order it did not serve too when it
    gives the customer's e-mail (404 when it is not the order's: the same as no
    such order); the order's timeline gets `return.requested` (and
    `return.authorised`)."""
    cmd = StartReturn(
        order_id,
        tuple(line.to_domain() for line in body.lines),
        body.method,
        _INITIATORS.get(caller.role, Initiator.AGENT),
        caller.location_id,
        body.refund_to,
        None if body.customer_email is None else str(body.customer_email),
    )
    answer = start_return(
        cmd,
        unit_of_work(request),
        clock(request),
        scope_of(caller),
        idempotency(idempotency_key, caller, body, request.url.path),
    )
    return created(answer, f"/v1/returns/{answer.body['id']}")


@router.get(
    "/orders/{order_id}/returns",
    response_model=ReturnList,
    responses={404: {"description": "No such order", **PROBLEM}},
)
def list_order_returns(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The order's returns, oldest first."""
    return JSONResponse(order_returns(order_id, unit_of_work(request), scope_of(caller)))


class ReturnListQuery(Strict):
    status: list[ReturnStatus] | None = None
    cursor: Annotated[
        str | None, Field(max_length=32, description="next_cursor of the previous page")
    ] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


@router.get("/returns", response_model=ReturnPage)
def list_returns(
    request: Request,
    params: Annotated[ReturnListQuery, Query()],
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """Returns, the newest first; `status` (repeatable) makes a queue of them (those
    requested, waiting for a decision; those on their way)."""
    page = find_returns(
        unit_of_work(request), params.status, params.limit, params.cursor, scope_of(caller)
    )
    return JSONResponse(page)


@router.get("/returns/{return_id}", response_model=ReturnOut, responses=NOT_FOUND)
def read_return(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    return JSONResponse(get_return(return_id, unit_of_work(request), scope_of(caller)))


@router.get("/returns/{return_id}/routing", response_model=RoutingList, responses=NOT_FOUND)
def read_routing(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """Where the return's lines were sent and why: each routing decision, oldest
    first, with the places weighed for each line (distance, transport, need, credit)."""
    return JSONResponse(return_routings(return_id, unit_of_work(request), scope_of(caller)))


@router.get("/returns/{return_id}/exchanges", response_model=ExchangeList, responses=NOT_FOUND)
def read_exchanges(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The return's exchange orders, in their order: each placed (its order), refused
    (its units refunded as money instead) or cancelled with the return; a regular
    one's money (value, total, credit, charge, refund)."""
    return JSONResponse(return_exchanges(return_id, unit_of_work(request), scope_of(caller)))


SVG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "SVG"}
}


@router.get(
    "/returns/{return_id}/label",
    response_class=Response,
    responses=NOT_FOUND | SVG,
)
def read_label(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The carrier's label to print, once booked (a return sent by carrier: the worker
    books it when the return is authorised); 404 until then."""
    media_type, document = return_label(return_id, unit_of_work(request), scope_of(caller))
    return Response(document, media_type=media_type)


@router.get(
    "/returns/{return_id}/code.svg",
    response_class=Response,
    responses=NOT_FOUND | SVG,
)
def read_code_image(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The return's code as a QR image, to show at a store or a carrier's point."""
    code = return_code(return_id, unit_of_work(request), scope_of(caller))
    return Response(code_image(code), media_type="image/svg+xml")


@router.post(
    "/returns/{return_id}/receipts",
    status_code=201,
    response_model=ReceivedReturnOut,
    responses=DECIDED,
)
def receive(
    return_id: ReturnIdPath,
    body: ReceiptIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.RETURNS_RECEIVE))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """Receive returned goods at a location that takes returns: the units, their
    condition, what becomes of them (restocked here, sent on, back to the vendor,
    refurbished, written off), and those the parcel lacked. A store receives any
    return whose code the customer shows. `return.received`; restocked units are on
    hand at once."""
    location_id = body.location_id or caller.location_id
    if location_id is None:
        raise InvalidInput.of("location_id", "name where the goods were received")
    caller.require_locations([location_id])
    cmd = ReceiveReturn(
        return_id,
        location_id,
        tuple(units.to_domain() for units in body.lines),
        tuple((m.line_no, m.quantity) for m in body.missing),
        body.code,
    )
    answer = receive_return(
        cmd,
        unit_of_work(request),
        clock(request),
        scope_of(caller),
        idempotency(idempotency_key, caller, body, request.url.path),
    )
    return created(answer, f"/v1/returns/{return_id}")


@router.get("/returns/{return_id}/receipts", response_model=ReceiptList, responses=NOT_FOUND)
def list_receipts(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """What came back at each receipt, oldest first."""
    return JSONResponse(receipts_of(return_id, unit_of_work(request), scope_of(caller)))


@router.get(
    "/return-codes/{code}",
    response_model=ReturnOut,
    responses={404: {"description": "No return of this code", **PROBLEM}},
)
def find_by_code(
    code: Annotated[str, PathParam(min_length=1, max_length=32)],
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The return whose code the customer shows (typed or scanned; dashes, spaces,
    lower case and look-alike letters are read): any store finds it by it."""
    return JSONResponse(return_by_code(code, unit_of_work(request), scope_of(caller)))


@router.get(
    "/returns/{return_id}/refund-preview", response_model=RefundPreviewOut, responses=NOT_FOUND
)
def preview(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """What a refund of the return gives back now (the units received since its last
    refund, at what each paid, less the restocking fees their reasons keep and the
    return shipping fee, plus the order's shipping when the policy gives it back; at
    most what the tenders may still refund), and once every unit came back."""
    return JSONResponse(refund_preview(return_id, unit_of_work(request), scope_of(caller)))


@router.post(
    "/returns/{return_id}/refunds",
    status_code=202,
    response_model=ReturnRefundOut,
    responses=DECIDED,
)
def refund(
    return_id: ReturnIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """Refund what the return owes now, over the order's tenders (a card's part made
    by the worker): `202`; 409 when it owes nothing now. Refunds follow the policy by
    themselves (on receipt, or drop-off) when the tenders can give back then."""
    answer = refund_return(
        return_id,
        unit_of_work(request),
        clock(request),
        scope_of(caller),
        idempotency(idempotency_key, caller, DecisionIn(), request.url.path),
    )
    return accepted(answer)


@router.post(
    "/orders/{order_id}/appeasements",
    status_code=202,
    response_model=GivenAppeasementOut,
    responses={
        404: {"description": "No such order", **PROBLEM},
        409: {
            "description": "Past the role's limit (not-allowed, rule appeasement_limit), more "
            "than may still be refunded (over-refund), or the key reused with another body",
            **PROBLEM,
        },
        422: {"description": "Invalid amount, currency or reason", **PROBLEM},
    },
)
def give_appeasement(
    order_id: OrderIdPath,
    body: AppeasementIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """A goodwill refund without a return, with its reason, within the caller's role's
    limit on the order (the return policy's `refunds.appeasement_limits`): given back
    over the order's tenders (a card's part by the worker); `order.appeased`."""
    cmd = Appease(order_id, body.amount, body.currency, body.reason, str(caller.role))
    answer = appease(
        cmd,
        unit_of_work(request),
        clock(request),
        scope_of(caller),
        idempotency(idempotency_key, caller, body, request.url.path),
    )
    return accepted(answer)


@router.get(
    "/orders/{order_id}/appeasements",
    response_model=AppeasementList,
    responses={404: {"description": "No such order", **PROBLEM}},
)
def list_appeasements(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The order's goodwill refunds, oldest first."""
    return JSONResponse(order_appeasements(order_id, unit_of_work(request), scope_of(caller)))


def _act(
    action: ReturnAction, return_id: str, body: DecisionIn, request: Request, caller: ApiKey
) -> Response:
    answer = act_on_return(
        return_id, action, unit_of_work(request), clock(request), scope_of(caller), body.reason
    )
    return JSONResponse(answer)


Manager = Annotated[ApiKey, Depends(require(Permission.RETURNS_MANAGE))]


@router.post("/returns/{return_id}/authorise", response_model=ReturnOut, responses=DECIDED)
def authorise(
    return_id: ReturnIdPath, body: DecisionIn, request: Request, caller: Manager
) -> Response:
    """A requested return may go ahead (`return.authorised`)."""
    return _act(ReturnAction.AUTHORISE, return_id, body, request, caller)


@router.post("/returns/{return_id}/decline", response_model=ReturnOut, responses=DECIDED)
def decline(
    return_id: ReturnIdPath, body: DecisionIn, request: Request, caller: Manager
) -> Response:
    """A requested return is refused, `reason` saying why (`return.declined`): its
    units may be returned again."""
    return _act(ReturnAction.DECLINE, return_id, body, request, caller)


@router.post("/returns/{return_id}/cancel", response_model=ReturnOut, responses=DECIDED)
def cancel(
    return_id: ReturnIdPath,
    body: DecisionIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.RETURNS_CREATE))],
) -> Response:
    """Withdrawn before the goods travelled (`return.cancelled`)."""
    return _act(ReturnAction.CANCEL, return_id, body, request, caller)


@router.post("/returns/{return_id}/in-transit", response_model=ReturnOut, responses=DECIDED)
def in_transit(
    return_id: ReturnIdPath, body: DecisionIn, request: Request, caller: Manager
) -> Response:
    """A carrier or drop-off point has the goods (`return.in_transit`)."""
    return _act(ReturnAction.HAND_OVER, return_id, body, request, caller)


@router.post("/returns/{return_id}/close", response_model=ReturnOut, responses=DECIDED)
def close(return_id: ReturnIdPath, body: DecisionIn, request: Request, caller: Manager) -> Response:
    """Nothing more will happen: what did not come back is counted missing, and may be
    returned again (`return.closed`)."""
    return _act(ReturnAction.CLOSE, return_id, body, request, caller)


@router.get(
    "/return-policy",
    response_model=ReturnPolicyOut,
    dependencies=[Depends(require(Permission.SETUP_READ))],
)
def read_policy(request: Request) -> Response:
    return JSONResponse(get_policy(unit_of_work(request)))


@router.put(
    "/return-policy",
    response_model=ReturnPolicyOut,
    responses={422: {"description": "A policy that cannot apply", **PROBLEM}},
)
def replace_policy(
    body: ReturnPolicyIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))],
) -> Response:
    """Replace the return policy; it applies to every return asked from now on. The
    change is recorded."""
    answer = put_policy(body.to_domain(), unit_of_work(request), clock(request), f"key:{caller.id}")
    return JSONResponse(answer)

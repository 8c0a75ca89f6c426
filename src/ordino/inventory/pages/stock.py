"""Stock in the console: products found by words and attributes, each with what it
sells through a view and the nearest pickup locations that have it (a page at a
time); a SKU across the network (on hand, reserved, available at each location;
supply on its way with its dates; what each availability view sells), a location's
positions, and a position's recent movements. A store associate (a user or key
scoped to a store) sees their own store's positions only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ordino.console.rendering import render
from ordino.console.session import NotAllowed, Principal, allowed, csrf_token
from ordino.inventory.domain.supply import SupplyQuery
from ordino.inventory.services import availability, supply
from ordino.inventory.services import stock as inventory
from ordino.inventory.services.availability import Near, ReadScope
from ordino.inventory.services.product_search import ProductSearch, search_products
from ordino.kernel.domain import InvalidInput, OrdinoError, Permission
from ordino.network.domain import ProductQuery

router = APIRouter(prefix="/console/inventory", include_in_schema=False)


@router.get("")
def stock(request: Request, sku: str = "", location: str = "") -> Response:
    who = allowed(request, Permission.INVENTORY_READ)
    location = who.location_id or location
    context: dict[str, Any] = {"who": who, "csrf": csrf_token(request), "sku": sku}
    context["location"] = location
    context["search"] = search = {k: request.query_params.get(k, "").strip() for k in SEARCH}
    context["view_names"] = [v["name"] for v in availability.list_views(request.app.state.uow())]
    try:
        if search["q"] or search["attribute"]:
            context["found"] = _search(request, search, who.location_id)
        elif sku:
            context |= _sku(request, sku.strip(), who.location_id)
        elif location:
            context["positions"] = inventory.at_location(location, request.app.state.uow())
    except OrdinoError as error:
        context["problem"] = str(error)
        status = 422 if isinstance(error, InvalidInput) else 404
        return render(request, "console/inventory.html", context, status)
    return render(request, "console/inventory.html", context)


SEARCH = ("q", "attribute", "view", "postal_code", "country", "in_stock", "limit", "cursor")
PAGE = 25


def _search(request: Request, form: dict[str, str], own: str | None) -> dict[str, Any]:
    """A page of products found by the form's words and attribute (`name:value`); a
    store's associate is told its own store's stock only (`own`)."""
    attributes = []
    if form["attribute"]:
        name, _, value = form["attribute"].partition(":")
        if not name.strip() or not value.strip():
            raise InvalidInput.of("attribute", f"give name:value, not {form['attribute']!r}")
        attributes.append((name.strip(), value.strip()))
    query = ProductQuery.of(form["q"], attributes, form["cursor"] or None)
    limit = min(int(form["limit"]), 100) if form["limit"].isdigit() else PAGE
    near = None
    if form["postal_code"]:
        near = Near(None, form["country"].upper() or None, form["postal_code"])
    in_stock = bool(form["in_stock"])
    search = ProductSearch(
        query, max(1, limit), form["view"] or None, None, near, in_stock, ReadScope(own)
    )
    state = request.app.state
    return search_products(search, state.uow(), state.picture, state.clock())


@router.get("/{location_id}/{sku}")
def movements(request: Request, location_id: str, sku: str) -> Response:
    who = allowed(request, Permission.INVENTORY_READ)
    if who.location_id not in (None, location_id):
        raise NotAllowed(f"{who.name or who.actor} sees the stock of {who.location_id} only")
    context: dict[str, Any] = {"who": who, "csrf": csrf_token(request)}
    try:
        context["history"] = _history(request, who, location_id, sku)
    except OrdinoError as error:
        context["problem"] = str(error)
        return render(request, "console/movements.html", context, 404)
    return render(request, "console/movements.html", context)


def _history(request: Request, who: Principal, location_id: str, sku: str) -> dict[str, Any]:
    who.access.require_locations([location_id])
    return inventory.movements(location_id, sku, request.app.state.uow(), limit=50)


def _sku(request: Request, sku: str, own: str | None) -> dict[str, Any]:
    """The SKU at every location (at `own` only, for a store's associate)."""
    state, now = request.app.state, request.app.state.clock()
    positions = inventory.across_network(sku, state.uow())
    positions = [p for p in positions if own in (None, p["location_id"])]
    wanted = SupplyQuery(location_id=own, sku=sku, open_only=True)
    coming, _ = supply.list_supply(wanted, 50, state.uow())
    inbound = [
        {"id": s["id"], "kind": s["kind"], "location_id": s["location_id"]}
        | {"expected_at": s["expected_at"], "open": line["open"]}
        for s in coming
        for line in s["lines"]
        if line["sku"] == sku and line["open"]
    ]
    views = [view["name"] for view in availability.list_views(state.uow())] or [None]
    sells = []
    for name in views:
        query = availability.AvailabilityQuery((sku,), view=name)
        answer = availability.read_availability(query, state.uow(), state.picture, now)
        sells.append({"view": answer["view"]} | answer["items"][0])
    return {"positions": positions, "inbound": inbound, "views": sells}

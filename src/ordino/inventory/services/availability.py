"""Availability use cases: read stock through a channel's view, and keep the views.

A read names a view, or a channel (whose view it is: the one that lists the
channel, else the view named `default`, else every location with each position's
own safety stock), the SKUs, and optionally a point (coordinates, or a postal code
with its country) to find the nearest pickup locations with stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ordino.inventory.domain.views import (
    DEFAULT_VIEW,
    DEFAULT_VIEW_NAME,
    AvailabilityView,
    resolve_view,
    view_document,
)
from ordino.inventory.engine.availability import Nearby, OrderStock, SkuSummary, nearest
from ordino.inventory.services.answers import availability_view, view_answer
from ordino.inventory.services.ports import InventoryWork
from ordino.inventory.services.stock_cache import NotCached, StockPicture
from ordino.kernel.domain import (
    ConfigurationKind,
    Conflict,
    FieldError,
    Grid,
    InvalidInput,
    NotFound,
    Point,
    PostalCode,
)
from ordino.kernel.services import ORDINO, Changed, record, refuse_changed, with_retries
from ordino.network.domain import known_channel, refuse_unknown_channels
from ordino.network.services import channels_of

DEFAULT_RADIUS_KM = 50.0
DEFAULT_NEAREST = 10


@dataclass(frozen=True)
class Near:
    """Where the customer is: a point, or a postal code in a country."""

    point: Point | None = None
    country: str | None = None
    postal_code: str | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    limit: int = DEFAULT_NEAREST


@dataclass(frozen=True)
class ReadScope:
    """What the caller may see of locations' stock (per location, nearest): a store's
    key, its own store's only. (A channel's key reads through its channel's view only:
    `resolve_view`.)"""

    location_id: str | None = None


@dataclass(frozen=True)
class AvailabilityQuery:
    skus: tuple[str, ...]
    view: str | None = None
    channel: str | None = None
    near: Near | None = None
    locations: bool = False  # answer per location as well
    scope: ReadScope = field(default_factory=ReadScope)


def read_availability(
    query: AvailabilityQuery, uow: InventoryWork, picture: StockPicture, now: datetime
) -> dict[str, Any]:
    """The answer, from the process's picture of stock; what it lacks is loaded."""
    with uow:
        return _answer(query, picture, uow, now)


def cached_availability(
    query: AvailabilityQuery, picture: StockPicture, now: datetime
) -> dict[str, Any] | None:
    """The answer if the picture holds all it needs (no I/O at all), else None."""
    try:
        return _answer(query, picture, None, now)
    except NotCached:
        return None


def _answer(
    query: AvailabilityQuery, picture: StockPicture, uow: InventoryWork | None, now: datetime
) -> dict[str, Any]:
    view = view_for(picture, uow, query.view, query.channel)
    locations = picture.locations(uow)
    point = _point(picture, uow, query.near)
    stock = picture.stock(uow, query.skus)
    if unknown := [sku for sku in query.skus if not stock[sku].known]:
        raise InvalidInput.of("skus", f"unknown SKUs: {', '.join(unknown)}")
    grid = picture.grid(uow) if point is not None else None
    items = []
    for sku in dict.fromkeys(query.skus):
        summary = picture.availability(view, sku, stock[sku], locations, now)
        detail = picture.detail(view, sku, stock[sku], locations, now) if query.locations else None
        near = _nearest(summary, grid, point, query.near, query.scope.location_id)
        if detail is not None and query.scope.location_id is not None:
            detail = detail.only(query.scope.location_id)
        items.append(availability_view(summary, detail, near))
    return {"view": view.name, "items": items}


def order_stock(
    uow: InventoryWork, picture: StockPicture, channel: str, skus: Sequence[str], *, fresh: bool
) -> OrderStock:
    """What order capture sources over, through the channel's view. The SKUs'
    positions come from the picture when it holds them all, else from the database in
    one query (loading the picture would take three, and the order's own commit makes
    it forget them again); `fresh`: from the database."""
    views, locations = picture.views(uow), picture.locations(uow)
    held = {} if fresh else picture.cached(skus)
    if len(held) == len(set(skus)):
        positions = [p for entry in held.values() for p in entry.positions]
    else:
        positions = uow.inventory.sourcing_positions(skus)
    return OrderStock(resolve_view(views, None, channel), positions, locations)


def view_for(
    picture: StockPicture,
    uow: InventoryWork | None,
    name: str | None,
    channel: str | None,
) -> AvailabilityView:
    """The view a read names, or the one of the (known) channel it names; named with a
    channel, it must be that channel's own (`resolve_view`)."""
    if channel is not None:
        known_channel(picture.channels(uow), channel)
    return resolve_view(picture.views(uow), name, channel)


def put_view(
    view: AvailabilityView,
    uow: InventoryWork,
    now: datetime,
    version: int | None = None,
    by: str = ORDINO,
) -> tuple[bool, dict[str, Any]]:
    """Create or replace a view; a channel belongs to one view only. With `version`
    (the one read), refused if the view changed since. The change is recorded as
    `by`'s."""

    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            stored = {other.name: other for other in uow.views.all()}
            current = stored[view.name].version if view.name in stored else None
            refuse_changed(f"view {view.name}", current, version, view=view.name)
            refuse_unknown_channels(channels_of(uow), view.channels)
            _refuse_unknown_references(uow, view)
            for other in stored.values():
                if other.name != view.name and (shared := other.channels & view.channels):
                    raise Conflict(
                        f"view {other.name} already serves {', '.join(sorted(shared))}",
                        extra={"field": "channels", "view": other.name},
                    )
            created = uow.views.put(view, now)
            saved = uow.views.get(view.name)
            assert saved is not None
            before = stored.get(view.name)
            record(
                uow,
                (ConfigurationKind.AVAILABILITY_VIEW, view.name, saved.version),
                None if before is None else view_document(before),
                view_document(saved),
                Changed(by, now),
            )
            uow.commit()
        return created, view_answer(saved)

    return with_retries(attempt)


def _refuse_unknown_references(uow: InventoryWork, view: AvailabilityView) -> None:
    named = [("locations.include", i) for i in sorted(view.locations.include)]
    named += [("locations.exclude", i) for i in sorted(view.locations.exclude)]
    named += [
        (f"safety_stock[{n}].location_id", rule.location_id)
        for n, rule in enumerate(view.safety_stock)
        if rule.location_id is not None
    ]
    known = uow.network.known(location_id for _, location_id in named)
    errors = [
        FieldError(field, f"unknown location {location_id!r}")
        for field, location_id in named
        if location_id not in known
    ]
    skus = [(n, rule.sku) for n, rule in enumerate(view.safety_stock) if rule.sku is not None]
    known_skus = uow.catalog.known(sku for _, sku in skus)
    errors += [
        FieldError(f"safety_stock[{n}].sku", f"unknown SKU {sku!r}")
        for n, sku in skus
        if sku not in known_skus
    ]
    if errors:
        raise InvalidInput("the view names unknown locations or SKUs", errors=errors[:100])


def get_view(name: str, uow: InventoryWork) -> dict[str, Any]:
    with uow:
        view = uow.views.get(name)
    if view is None:
        if name == DEFAULT_VIEW_NAME:
            return view_answer(DEFAULT_VIEW)
        raise NotFound(f"no availability view {name}", extra={"view": name})
    return view_answer(view)


def list_views(uow: InventoryWork) -> list[dict[str, Any]]:
    with uow:
        stored = uow.views.all()
    if DEFAULT_VIEW_NAME not in {view.name for view in stored}:
        stored = [DEFAULT_VIEW, *stored]
    return [view_answer(view) for view in sorted(stored, key=lambda v: v.name)]


def delete_view(name: str, uow: InventoryWork, now: datetime, by: str = ORDINO) -> None:
    """Remove a view: its channels see through the default view again."""
    with uow:
        before = uow.views.get(name)
        if before is None or not uow.views.remove(name):
            raise NotFound(f"no availability view {name}", extra={"view": name})
        what = (ConfigurationKind.AVAILABILITY_VIEW, name, None)
        record(uow, what, view_document(before), None, Changed(by, now))
        uow.commit()


def put_postal_codes(codes: Sequence[PostalCode], uow: InventoryWork) -> int:
    with uow:
        uow.geo.put(codes)
        uow.commit()
    return len(codes)


def _point(picture: StockPicture, uow: InventoryWork | None, near: Near | None) -> Point | None:
    if near is None:
        return None
    if near.point is not None:
        return near.point
    if near.country is None or near.postal_code is None:
        raise InvalidInput.of("postal_code", "give a postal code with its country, or coordinates")
    point = picture.place(uow, near.country, near.postal_code)
    if point is None:
        raise InvalidInput.of(
            "postal_code", f"postal code {near.postal_code} in {near.country} is not known"
        )
    return point


def _nearest(
    result: SkuSummary,
    grid: Grid | None,
    point: Point | None,
    near: Near | None,
    only: str | None,
) -> list[Nearby] | None:
    if grid is None or point is None or near is None:
        return None
    return nearest(result, grid, point, near.radius_km, near.limit, only)

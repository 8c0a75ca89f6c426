"""Product search: products found by words and attributes (ordino.network.domain.products),
a page at a time, each with what it sells through a channel's availability view
and, given a place, the nearest pickup locations that have it.

Availability is read for the page's SKUs only, from the process's picture of stock,
after the page is found: a search costs its page, whatever the catalogue's size.
With `in_stock`, products the view does not sell (or, given a place, that no pickup
location near has) are left out: candidates are weighed by availability before
anything else of them is read, the first page's, then the rest of at most ROUNDS
pages' at once (a bounded few statements, however many are out of stock), and the
cursor says where the reading stopped, so a page may hold fewer products than asked
(none, when the candidates read were all out of stock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ordino.inventory.services import availability
from ordino.inventory.services.availability import AvailabilityQuery, Near, ReadScope
from ordino.inventory.services.ports import InventoryWork
from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.domain import InvalidInput
from ordino.network.domain import ProductQuery
from ordino.network.services import product_view

ROUNDS = 5  # pages of candidates an in-stock search reads at most


@dataclass(frozen=True)
class ProductSearch:
    query: ProductQuery
    limit: int
    view: str | None = None
    channel: str | None = None
    near: Near | None = None
    in_stock: bool = False
    scope: ReadScope = field(default_factory=ReadScope)


def search_products(
    search: ProductSearch, uow: InventoryWork, picture: StockPicture, now: datetime
) -> dict[str, Any]:
    """A page of products in SKU order with their availability, the view it was read
    through, and the cursor of the next page (None at the end)."""
    if search.query.after is not None:  # a cursor names a product (the last a page read)
        with uow:
            if not uow.catalog.known([search.query.after]):
                raise InvalidInput.of("cursor", "not a cursor: give the next_cursor of a page")
    if search.in_stock:
        return _in_stock_page(search, uow, picture, now)
    with uow:
        found = uow.catalog.search(search.query, search.limit + 1)
    page = found[: search.limit]
    view, sells = _availability(search, [p.sku for p in page], uow, picture, now)
    items = [product_view(p) | {"availability": sells[p.sku]} for p in page]
    return _answer(view, items, page[-1].sku if len(found) > search.limit else None)


def _in_stock_page(
    search: ProductSearch, uow: InventoryWork, picture: StockPicture, now: datetime
) -> dict[str, Any]:
    """Candidates' SKUs are weighed by their availability before anything else of them
    is read: the first page's, then (when it did not fill the page) the rest of the
    ROUNDS pages' at once; the products kept are read last, in one go."""
    kept: dict[str, dict[str, Any]] = {}
    query, view, cursor = search.query, "", None
    for budget in (search.limit, (ROUNDS - 1) * search.limit):
        with uow:
            found = uow.catalog.search_skus(query, budget + 1)
        weighed = found[:budget]
        view, sells = _availability(search, weighed, uow, picture, now)
        for n, sku in enumerate(weighed):
            if _in_stock(sells[sku], search.near):
                kept[sku] = sells[sku]
                if len(kept) == search.limit:
                    return _kept(view, kept, uow, sku if n + 1 < len(found) else None)
        if len(found) <= budget:
            return _kept(view, kept, uow, None)
        query = replace(query, after=weighed[-1])
        cursor = weighed[-1]
    return _kept(view, kept, uow, cursor)


def _kept(
    view: str, kept: dict[str, dict[str, Any]], uow: InventoryWork, cursor: str | None
) -> dict[str, Any]:
    with uow:
        found = uow.catalog.products(list(kept))
    items = [product_view(p) | {"availability": kept[p.sku]} for p in found]
    return _answer(view, items, cursor)


def _availability(
    search: ProductSearch,
    skus: Sequence[str],
    uow: InventoryWork,
    picture: StockPicture,
    now: datetime,
) -> tuple[str, dict[str, dict[str, Any]]]:
    """The view read through, and each SKU's availability (without its SKU)."""
    read = AvailabilityQuery(
        tuple(skus), search.view, search.channel, search.near, scope=search.scope
    )
    answer = availability.cached_availability(read, picture, now)
    if answer is None:
        answer = availability.read_availability(read, uow, picture, now)
    sells = {item["sku"]: {k: v for k, v in item.items() if k != "sku"} for item in answer["items"]}
    return answer["view"], sells


def _in_stock(sells: dict[str, Any], near: Near | None) -> bool:
    if near is not None:
        return bool(sells.get("nearest"))
    return bool(sells["status"] != "out_of_stock")


def _answer(view: str, items: list[dict[str, Any]], cursor: str | None) -> dict[str, Any]:
    return {"view": view, "items": items, "next_cursor": cursor}

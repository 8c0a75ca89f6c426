"""Product search: products found by words and attributes (ordino.domain.catalog),
a page at a time, each with what it sells through a channel's availability view
and, given a place, the nearest pickup locations that have it.

Availability is read for the page's SKUs only, from the process's picture of stock,
after the page is found: a search costs its page, whatever the catalogue's size.
With `in_stock`, products the view does not sell (or, given a place, that no pickup
location near has) are left out: candidates are read a page at a time, at most
ROUNDS pages, and the cursor says where the reading stopped, so a page may hold
fewer products than asked (none, when the candidates read were all out of stock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ordino.domain.catalog import Product, ProductQuery
from ordino.errors import InvalidInput
from ordino.services import availability
from ordino.services.availability import AvailabilityQuery, Near, ReadScope
from ordino.services.picture import StockPicture
from ordino.services.unit_of_work import UnitOfWork
from ordino.services.views import product_view

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
    search: ProductSearch, uow: UnitOfWork, picture: StockPicture, now: datetime
) -> dict[str, Any]:
    """A page of products in SKU order with their availability, the view it was read
    through, and the cursor of the next page (None at the end)."""
    items: list[dict[str, Any]] = []
    query = search.query
    if query.after is not None:  # a cursor names a product (the last a page read)
        with uow:
            if not uow.catalog.known([query.after]):
                raise InvalidInput.of("cursor", "not a cursor: give the next_cursor of a page")
    for _ in range(ROUNDS if search.in_stock else 1):
        with uow:
            found = uow.catalog.search(query, search.limit + 1)
        page = found[: search.limit]
        view, sells = _availability(search, page, uow, picture, now)
        for n, product in enumerate(page):
            if not search.in_stock or _in_stock(sells[product.sku], search.near):
                items.append(product_view(product) | {"availability": sells[product.sku]})
                if len(items) == search.limit:
                    more = n + 1 < len(found)
                    return _answer(view, items, product.sku if more else None)
        if len(found) <= search.limit:
            return _answer(view, items, None)
        query = replace(query, after=page[-1].sku)
    return _answer(view, items, query.after)


def _availability(
    search: ProductSearch,
    page: Sequence[Product],
    uow: UnitOfWork,
    picture: StockPicture,
    now: datetime,
) -> tuple[str, dict[str, dict[str, Any]]]:
    """The view read through, and each product's availability (without its SKU)."""
    skus = tuple(product.sku for product in page)
    read = AvailabilityQuery(skus, search.view, search.channel, search.near, scope=search.scope)
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

"""Product search: products found by words and attributes (ordino.domain.catalog),
a page at a time, each with what it sells through a channel's availability view
and, given a place, the nearest pickup locations that have it.

Availability is read for the page's SKUs only, from the process's picture of stock,
after the page is found: a search costs its page, whatever the catalogue's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.domain.catalog import ProductQuery
from ordino.services import availability
from ordino.services.availability import AvailabilityQuery, Near
from ordino.services.picture import StockPicture
from ordino.services.unit_of_work import UnitOfWork
from ordino.services.views import product_view


@dataclass(frozen=True)
class ProductSearch:
    query: ProductQuery
    limit: int
    view: str | None = None
    channel: str | None = None
    near: Near | None = None


def search_products(
    search: ProductSearch, uow: UnitOfWork, picture: StockPicture, now: datetime
) -> dict[str, Any]:
    """A page of products in SKU order with their availability, the view it was read
    through, and the cursor of the next page (None at the end)."""
    with uow:
        found = uow.catalog.search(search.query, search.limit + 1)
    page = found[: search.limit]
    skus = tuple(product.sku for product in page)
    read = AvailabilityQuery(skus, search.view, search.channel, search.near)
    answer = availability.cached_availability(read, picture, now)
    if answer is None:
        answer = availability.read_availability(read, uow, picture, now)
    sells = {item["sku"]: {k: v for k, v in item.items() if k != "sku"} for item in answer["items"]}
    return {
        "view": answer["view"],
        "items": [product_view(p) | {"availability": sells[p.sku]} for p in page],
        "next_cursor": page[-1].sku if len(found) > search.limit else None,
    }

"""The process's picture of stock: it forgets what changed, never keeps a load that a
change overtook, holds a bounded number of positions, and says when it lacks
something rather than reading without a unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import pytest

from ordino.inventory.domain.positions import Position
from ordino.inventory.domain.supply import InboundLine
from ordino.inventory.services.stock_cache import NotCached, StockPicture
from ordino.kernel.domain.changes import EVERYTHING, Change
from ordino.network.domain.locations import Location
from ordino.network.domain.products import ProductFacts
from ordino.store.change_feed import change_of
from ordino.store.commit_writer import notice
from tests.support.builders import a_location


class FakeStore:
    """The parts of a unit of work the picture reads, counting the reads; `during`
    runs in the middle of a load, as another thread's commit would."""

    def __init__(self, on_hand: int = 5) -> None:
        self.on_hand = on_hand
        self.loads = 0
        self.during: Callable[[], None] = lambda: None
        self.network = self
        self.catalog = self
        self.inventory = self
        self.supply = self

    def all(self) -> list[Location]:
        self.loads += 1
        return [a_location("DC-BER")]

    def facts(self, skus: Iterable[str]) -> dict[str, ProductFacts]:
        return {sku: ProductFacts({"EUR": Decimal("59.90")}, None) for sku in skus}

    def positions(self, skus: Sequence[str], shipping_only: bool) -> list[Position]:
        self.loads += 1
        self.during()
        return [Position("DC-BER", sku, self.on_hand, 0, 0) for sku in skus]

    def inbound(self, skus: Iterable[str]) -> list[InboundLine]:
        return []


def on_hand(picture: StockPicture, store: Any, sku: str = "SKU-1") -> int:
    return picture.stock(store, [sku])[sku].positions[0].on_hand


def test_what_is_held_is_read_once_until_it_changes() -> None:
    picture, store = StockPicture(), FakeStore()

    first = on_hand(picture, store)
    store.on_hand = 9
    cached = on_hand(picture, store)
    picture.forget(Change(frozenset({"SKU-1"})))
    fresh = on_hand(picture, store)

    assert (first, cached, fresh, store.loads) == (5, 5, 9, 2)
    assert (picture.hits, picture.misses) == (1, 2)


def test_a_load_overtaken_by_a_change_is_used_once_but_not_kept() -> None:
    picture, store = StockPicture(), FakeStore()
    store.during = lambda: picture.forget(Change(frozenset({"SKU-1"})))

    on_hand(picture, store)
    store.during = lambda: None
    on_hand(picture, store)

    assert store.loads == 2


def test_forgetting_everything_drops_locations_views_and_stock() -> None:
    picture, store = StockPicture(), FakeStore()
    picture.locations(store)  # type: ignore[arg-type]
    on_hand(picture, store)

    picture.forget(EVERYTHING)

    assert picture.cached(["SKU-1"]) == {}
    with pytest.raises(NotCached):
        picture.locations(None)


def test_without_a_unit_of_work_a_miss_is_not_read_but_said() -> None:
    picture, store = StockPicture(), FakeStore()

    with pytest.raises(NotCached):
        picture.stock(None, ["SKU-1"])
    on_hand(picture, store)
    assert picture.stock(None, ["SKU-1"])["SKU-1"].positions[0].on_hand == 5


def test_the_least_recently_used_skus_go_beyond_the_bound() -> None:
    picture, store = StockPicture(max_positions=4), FakeStore()  # a SKU holds 1 + 1

    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        on_hand(picture, store, sku)

    assert set(picture.cached(["SKU-1", "SKU-2", "SKU-3"])) == {"SKU-2", "SKU-3"}


@pytest.mark.parametrize(
    "change",
    [
        Change(frozenset({"SKU-1", "SKU-2"}), network=True),
        Change(views=True),
        Change(frozenset({"SKU-1"}), products=frozenset({"SKU-1"})),
        Change(access=True),  # a key revoked: every process's cache of keys forgets it
        Change(frozenset({"SKU-1"}), access=True),
        Change(frozenset({f"SKU-{n:06d}" for n in range(2000)})),  # too long: everything
    ],
)
def test_a_change_survives_its_trip_through_notify(change: Change) -> None:
    heard = change_of(notice(change))

    assert heard == (change if len(change.skus) < 1000 else EVERYTHING)


def test_a_commit_that_changed_nothing_a_picture_holds_notifies_no_one() -> None:
    # Any payload would do harm: one a listener cannot read makes it forget everything.
    assert notice(Change()) == ""


def test_a_notice_says_only_what_changed() -> None:
    # The payload is read by other processes, perhaps of another version during a
    # deployment: its words are a contract, and NOTIFY's 8,000 bytes a bound, so a
    # change of stock alone names no products.
    assert notice(Change(frozenset({"SKU-2", "SKU-1"}))) == (
        '{"s": ["SKU-1", "SKU-2"], "n": false, "v": false}'
    )
    assert notice(Change(products=frozenset({"SKU-1"}), access=True)) == (
        '{"s": [], "n": false, "v": false, "p": ["SKU-1"], "a": true}'
    )

"""Stock signals: a SKU sold out, ran low, or came back, in a view.

Each (view, SKU) keeps its last status and a lower bound of what it could sell then.
A change that may have lowered availability by at most `down` cannot take a SKU
out of stock while `bound - down` stays at or above the view's threshold: then the
bound is lowered and nothing is read. Otherwise (a SKU near its threshold, already
low or out, never seen, or seen through another version of its view) the signal is
decided from an exact count. So a busy SKU far above its threshold costs nothing,
and a status change is never missed: the bound only errs low.
"""

from __future__ import annotations

from dataclasses import dataclass

from ordino.inventory.domain.views import AvailabilityView, StockStatus

# A change whose effect cannot be bounded (the network or a view changed): count exactly.
UNBOUNDED = 1_000_000_000

_RANK = {StockStatus.OUT_OF_STOCK: 0, StockStatus.LOW_STOCK: 1, StockStatus.IN_STOCK: 2}


@dataclass(frozen=True)
class SignalState:
    view: str
    sku: str
    status: StockStatus
    bound: int  # the SKU could sell at least this many, through the view, when last decided
    version: int  # of the view it was decided through


def threshold(view: AvailabilityView) -> int:
    """The least a SKU must have to be in stock (not low, not out) in the view."""
    return max(1, view.in_stock_minimum, view.low_stock_below)


def needs_count(view: AvailabilityView, state: SignalState | None, down: int, up: bool) -> bool:
    """Whether only an exact count can decide the signal after a change."""
    if state is None or state.version != view.version:
        return True
    if state.status is not StockStatus.IN_STOCK:
        return down > 0 or up
    return state.bound - down < threshold(view)


def lowered(state: SignalState, down: int) -> SignalState:
    return SignalState(state.view, state.sku, state.status, state.bound - down, state.version)


def decide(
    view: AvailabilityView, sku: str, state: SignalState | None, available: int
) -> tuple[SignalState, str | None]:
    """The new state from an exact count, and the event its change of status is (none
    for a SKU seen for the first time: there is no change to tell)."""
    status = view.status(available)
    new = SignalState(view.name, sku, status, available, view.version)
    if state is None or state.status is status:
        return new, None
    if status is StockStatus.OUT_OF_STOCK:
        return new, "stock.sold_out"
    if _RANK[status] > _RANK[state.status]:
        return new, "stock.restocked"
    return new, "stock.ran_low"

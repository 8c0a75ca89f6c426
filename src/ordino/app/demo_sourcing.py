"""How the demo sources: a profile for its web shop and one for its orders a store
ships (`ship_from_store`: from stores only, never a DC), rate cards for its carrier
services, and what its stores spend on picking."""

from __future__ import annotations

from decimal import Decimal

from ordino.network.domain.carriers import LaneMatch
from ordino.network.domain.costs import CostWeights, LocationCosts, RateCard, RateZone, WeightBreak
from ordino.network.domain.locations import Location, LocationType
from ordino.sourcing.domain.profiles import SourcingProfile, Strategy, StrategyKind

D = Decimal
_DCS = frozenset({LocationType.WAREHOUSE})
_STORES = frozenset({LocationType.STORE})


def demo_profiles() -> list[SourcingProfile]:
    return [
        SourcingProfile(
            "web",
            frozenset({"web"}),
            (
                Strategy("ship complete from a DC", location_types=_DCS, max_packages=1),
                Strategy("split across DCs", location_types=_DCS, max_packages=2),
                Strategy(
                    "stores within 300 km",
                    location_types=_STORES,
                    radius_km=300,
                ),
                Strategy("anywhere"),
                Strategy("backorder", StrategyKind.BACKORDER, cancel_after_days=14),
            ),
            weights=CostWeights(per_extra_package=D("2.50")),
        ),
        SourcingProfile(
            "web-ship-from-store",
            frozenset({"web"}),
            (
                Strategy("one store ships it all", location_types=_STORES, max_packages=1),
                Strategy("split across stores", location_types=_STORES, max_packages=2),
            ),
            weights=CostWeights(per_extra_package=D("2.50")),
            order_types=frozenset({"ship_from_store"}),
        ),
    ]


def _parcel(home: str, near: str, far: str, abroad: str, per_kg: str) -> tuple[RateZone, ...]:
    """Within `home` up to 200 km, within it farther, and across a border."""
    inside = frozenset({home})

    def breaks(price: str) -> tuple[WeightBreak, ...]:
        return (WeightBreak(D(2), D(price)), WeightBreak(D(10), D(price) + D("1.60")))

    return (
        RateZone(LaneMatch(inside, inside, max_km=200), breaks(near), D(per_kg)),
        RateZone(LaneMatch(inside, inside), breaks(far), D(per_kg)),
        RateZone(LaneMatch(), breaks(abroad), D(per_kg) * 2),
    )


def demo_rate_cards() -> list[RateCard]:
    return [
        RateCard(
            "dhl-paket", "EUR", _parcel("DE", "3.60", "4.70", "9.90", "0.40"), D(0), D("3.60")
        ),
        RateCard("post-at", "EUR", _parcel("AT", "3.20", "4.10", "8.90", "0.35"), D(0), D("3.20")),
        RateCard("dhl-express", "EUR", _parcel("DE", "9.80", "12.40", "18.00", "0.90"), D("0.50")),
    ]


def demo_location_costs(location: Location) -> LocationCosts:
    if location.type is LocationType.STORE:
        return LocationCosts(D("0.80"), D("0.20"), store_labour_per_unit=D("1.10"))
    return LocationCosts(D("1.20"), D("0.15"))

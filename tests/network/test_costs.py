"""Rate cards and the cost of a plan's packages: zones, weight breaks, the minimum,
handling, store labour, markdown, extra packages and lateness."""

from __future__ import annotations

from decimal import Decimal

from ordino.kernel.domain.money import Money
from ordino.network.domain.carriers import Lane, LaneMatch
from ordino.network.domain.costs import (
    CostWeights,
    LocationCosts,
    Package,
    RateCard,
    RateZone,
    WeightBreak,
    plan_cost,
)
from tests.support.builders import BERLIN, HAMBURG, MUNICH, VIENNA

D = Decimal
CARD = RateCard(
    "dhl-paket",
    "EUR",
    (
        RateZone(
            LaneMatch(destination_countries=frozenset({"DE"}), max_km=300),
            (WeightBreak(D(2), D("3.50")), WeightBreak(D(10), D("5.00"))),
            per_extra_kg=D("0.40"),
        ),
        RateZone(
            LaneMatch(destination_countries=frozenset({"DE"})),
            (WeightBreak(D(2), D("4.50")), WeightBreak(D(10), D("6.50"))),
        ),
    ),
    base_per_package=D("0.50"),
    minimum_charge=D("4.20"),
)


def lane(to: object = HAMBURG, country: str = "DE") -> Lane:
    return Lane.between("DE", BERLIN, country, to, "20095")  # type: ignore[arg-type]


def test_the_first_zone_that_fits_prices_the_package_by_its_weight_break() -> None:
    assert CARD.package(lane(), D("1.5")) == Money(D("4.20"), "EUR")  # 3.50 + 0.50 < minimum
    assert CARD.package(lane(), D("2.01")) == Money(D("5.50"), "EUR")
    assert CARD.package(lane(MUNICH), D("1")) == Money(D("5.00"), "EUR")  # beyond 300 km


def test_above_the_last_break_each_started_kilogram_costs_extra() -> None:
    # 2.2 kg above the last break: 3 started kilograms, 5.00 + 3 x 0.40 + 0.50.
    assert CARD.package(lane(), D("12.2")) == Money(D("6.70"), "EUR")


def test_a_package_no_zone_carries_has_no_price() -> None:
    assert CARD.package(lane(VIENNA, "AT"), D(1)) is None
    assert CARD.package(lane(MUNICH), D(11)) is None  # the far zone stops at 10 kg


def package(
    at: str, units: dict[str, int], value: str = "100", to: object = HAMBURG, country: str = "DE"
) -> Package:
    """`value`: what all the units sell for, shared by the SKUs by units."""
    count = sum(units.values())
    values = {sku: D(value) * n / count for sku, n in units.items()}
    return Package(at, lane(to, country), units, D(count), values)


COSTS = {
    "DC-BER": LocationCosts(per_order=D("1.00"), per_unit=D("0.20")),
    "ST-HAM": LocationCosts(
        per_order=D("0.50"),
        store_labour_per_unit=D("1.50"),
        markdown={"SKU-1": D("0.10")},
    ),
}


def test_a_plans_cost_names_each_part() -> None:
    packages = [package("DC-BER", {"SKU-2": 2}), package("ST-HAM", {"SKU-1": 1}, value="40")]
    weights = CostWeights(per_extra_package=D("2.00"))

    cost = plan_cost(packages, CARD, COSTS, weights)

    assert cost is not None
    assert cost.shipping == D("4.20") + D("4.20")
    assert cost.handling == D("1.00") + D("0.40") + D("0.50")
    assert cost.labour == D("1.50")
    assert cost.margin == D("4.00")  # a tenth of the 40.00 the unit sells for
    assert cost.packages == D("2.00")
    assert cost.total == D("8.40") + D("1.90") + D("1.50") + D("4.00") + D("2.00")


def test_markdown_counts_each_skus_own_value() -> None:
    # 1 unit of SKU-1 at 40.00 (a tenth lost in Hamburg) beside 3 of SKU-2 at 5.00 (none).
    lines = {"SKU-1": D("40.00"), "SKU-2": D("15.00")}
    mixed = Package("ST-HAM", lane(), {"SKU-1": 1, "SKU-2": 3}, D(4), lines)

    cost = plan_cost([mixed], CARD, COSTS, CostWeights())

    assert cost is not None
    assert cost.margin == D("4.00")  # not a tenth of the average unit's 13.75


def test_weights_scale_each_part() -> None:
    weights = CostWeights(shipping=D(2), handling=D(0))
    cost = plan_cost([package("DC-BER", {"SKU-2": 1})], CARD, COSTS, weights)
    assert cost is not None
    assert (cost.shipping, cost.handling) == (D("8.40"), D(0))


def test_a_late_plan_is_not_allowed_or_pays_per_day() -> None:
    packages = [package("DC-BER", {"SKU-2": 1})]
    assert plan_cost(packages, CARD, COSTS, CostWeights(), days_late=1) is None
    cost = plan_cost(packages, CARD, COSTS, CostWeights(per_day_late=D(5)), days_late=2)
    assert cost is not None and cost.lateness == D(10)


def test_a_plan_with_a_package_the_service_cannot_carry_has_no_cost() -> None:
    packages = [package("DC-BER", {"SKU-2": 1}, to=VIENNA, country="AT")]
    assert plan_cost(packages, CARD, COSTS, CostWeights()) is None

"""Geography: great-circle distances and ISO 3166-1 country codes."""

from __future__ import annotations

import pytest

from ordino.domain.geo import Point, distance_km, is_country
from tests.builders import BERLIN, HAMBURG


def test_berlin_to_hamburg_is_about_255_km() -> None:
    city_centres = distance_km(Point(52.5200, 13.4050), Point(53.5511, 9.9937))

    assert city_centres == pytest.approx(255.25, abs=0.01)
    assert distance_km(BERLIN, HAMBURG) == pytest.approx(253.40, abs=0.01)


def test_distance_is_symmetric_and_zero_to_itself() -> None:
    assert distance_km(BERLIN, HAMBURG) == distance_km(HAMBURG, BERLIN)
    assert distance_km(BERLIN, BERLIN) == 0.0


def test_antipodes_are_half_the_circumference_apart() -> None:
    assert distance_km(Point(0, 0), Point(0, 180)) == pytest.approx(20015.11, abs=0.01)


@pytest.mark.parametrize("code", ["DE", "AT", "US", "JP", "AX", "CW", "SS", "XK"])
def test_assigned_codes_are_countries(code: str) -> None:
    assert is_country(code)


@pytest.mark.parametrize("code", ["de", "DEU", "D", "", "EU", "UN", "ZZ", "QO", "XA", "AC", "IC"])
def test_other_codes_are_not_countries(code: str) -> None:
    assert not is_country(code)

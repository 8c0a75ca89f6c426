"""Geography: great-circle distances, ISO 3166-1 country codes, points near a place."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain.geo import Grid, Point, distance_km, is_country
from tests.support.builders import BERLIN, HAMBURG


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


@given(
    places=st.dictionaries(
        st.text(min_size=1, max_size=4),
        st.builds(Point, st.floats(-80, 80), st.floats(-179, 179)),
        max_size=30,
    ),
    here=st.builds(Point, st.floats(-80, 80), st.floats(-179, 179)),
    radius=st.floats(0, 3000),
)
def test_a_grid_finds_exactly_the_points_within_the_radius(
    places: dict[str, Point], here: Point, radius: float
) -> None:
    found = Grid(places).within(here, radius)

    expected = sorted(
        (distance_km(here, p), key) for key, p in places.items() if distance_km(here, p) <= radius
    )
    assert found == expected


def test_a_grid_looks_across_the_antimeridian() -> None:
    grid = Grid({"fiji": Point(-17.0, 179.9), "samoa": Point(-17.0, -179.9)})

    assert [key for _, key in grid.within(Point(-17.0, -179.95), 50)] == ["samoa", "fiji"]

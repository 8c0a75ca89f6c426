"""Ids: 32 hex digits, milliseconds first, so they sort by creation time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain.ids import LENGTH, new_id

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_an_id_is_32_hex_digits_starting_with_the_milliseconds() -> None:
    made = new_id(NOW)

    assert LENGTH == 32
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert int(made[:12], 16) == 1_793_610_000_000  # 2026-11-02T09:00:00Z in ms


def test_ids_of_the_same_millisecond_share_the_time_prefix() -> None:
    first, second = new_id(NOW), new_id(NOW + timedelta(microseconds=500))

    assert first[:12] == second[:12]
    assert first[:12] < new_id(NOW + timedelta(milliseconds=1))[:12]


def test_ids_are_unique() -> None:
    assert len({new_id(NOW) for _ in range(10_000)}) == 10_000


@given(
    st.datetimes(
        min_value=datetime(1970, 1, 2),  # noqa: DTZ001 - bounds of naive values, made UTC below
        max_value=datetime(2200, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.integers(2, 10**11),
)
def test_a_later_id_sorts_after_an_earlier_one(earlier: datetime, gap_ms: int) -> None:
    later = earlier + timedelta(milliseconds=gap_ms)

    assert new_id(earlier) < new_id(later)

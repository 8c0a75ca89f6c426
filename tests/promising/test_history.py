"""The shipment history: lead times in local calendars, and the CSV format with its
errors named by line and column."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from ordino.kernel.domain.errors import InvalidInput
from ordino.kernel.domain.geo import Point
from ordino.promising.domain.history import Place, Shipment, slack_days
from ordino.promising.domain.history_csv import read_history
from tests.support.shipments import BRASILIA, a_shipment, as_csv

HEADER = "shipment_id,ordered_at,destination_country,delivered_at"


def _read(text: str) -> list[Shipment]:
    return list(read_history(text.splitlines(keepends=True)).shipments)


def _refusal(text: str) -> InvalidInput:
    """What `--strict` answers: the file refused, each bad row named."""
    with pytest.raises(InvalidInput) as raised:
        read_history(text.splitlines(keepends=True), strict=True)
    return raised.value


def test_lead_days_count_local_calendar_days() -> None:
    # 23:30 in Brasília is already the next day in UTC: the local date counts.
    ordered_at = datetime(2026, 3, 2, 23, 30, tzinfo=BRASILIA)
    delivered_at = datetime(2026, 3, 4, 0, 10, tzinfo=BRASILIA)
    shipment = a_shipment(
        ordered_at=ordered_at,
        shipped_at=ordered_at + timedelta(hours=10),
        delivered_at=delivered_at,
        promised_by=date(2026, 3, 4),
    )

    assert shipment.lead_days == 2
    assert shipment.transit_days == 1
    assert shipment.on_time is True
    assert slack_days(date(2026, 3, 4), shipment) == 0
    assert slack_days(date(2026, 3, 3), shipment) == -1


def test_a_file_in_the_format_reads_back_whole() -> None:
    shipment = a_shipment(units=2, weight_kg=1.25)

    (read,) = _read(as_csv([shipment]))

    assert read == shipment


def test_blank_optional_columns_extra_columns_and_carrier_service() -> None:
    text = (
        "Shipment_ID,ordered_at,destination_country,delivered_at,shipped_at,units,"
        "carrier,service,customer_segment\n"
        "A,2026-01-05T10:00:00-03:00,br,2026-01-08T12:00:00-03:00,,,DHL,express,gold\n"
        "B,2026-01-05T10:00:00Z,DE,2026-01-06T12:00:00+01:00,,3,,,\n"
    )

    first, second = _read(text)

    assert (first.carrier, first.service, first.units, first.shipped_at) == (
        "DHL",
        "express",
        None,
        None,
    )
    assert first.destination == Place(None, None, "BR", None)
    assert first.origin == Place()
    assert (second.units, second.carrier, second.lead_days) == (3, None, 1)
    assert second.ordered_at.utcoffset() == timedelta(0)


def test_points_are_read_when_both_coordinates_are_given() -> None:
    text = (
        "shipment_id,ordered_at,destination_country,delivered_at,destination_lat,destination_lon\n"
        "A,2026-01-05T10:00:00-03:00,BR,2026-01-08T12:00:00-03:00,-23.5,-46.6\n"
    )

    (shipment,) = _read(text)

    assert shipment.destination.point == Point(-23.5, -46.6)


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        ("A,yesterday,BR,2026-01-08T12:00:00-03:00", "ordered_at", "not an RFC 3339 time"),
        ("A,2026-01-05T10:00:00,BR,2026-01-08T12:00:00-03:00", "ordered_at", "has no offset"),
        ("A,2026-01-05T10:00:00Z,BR,2026-01-04T12:00:00Z", "delivered_at", "before ordered_at"),
        (",2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z", "shipment_id", "must not be blank"),
        ("A,2026-01-05T10:00:00Z,,2026-01-08T12:00:00Z", "destination_country", "blank"),
        ("A,2026-01-05T10:00:00Z,XY,2026-01-08T12:00:00Z", "destination_country", "ISO 3166"),
        ("A,2026-01-05T10:00:00Z,BR", "delivered_at", "must not be blank"),
    ],
)
def test_a_bad_row_is_named_by_line_and_column(row: str, where: str, message: str) -> None:
    error = _refusal(f"{HEADER}\nOK,2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z\n{row}\n")

    (field_error,) = error.errors
    assert field_error.field == f"line 3, {where}"
    assert message in field_error.message
    assert f"line 3, {where}" in str(error)


@pytest.mark.parametrize(
    ("extra", "cells", "where", "message"),
    [
        ("destination_lat,destination_lon", "91,10", "destination_lat", "outside -90 to 90"),
        ("destination_lat,destination_lon", "10,", "destination_lon", "blank while the other"),
        ("origin_lat,origin_lon", "x,1", "origin_lat", "not a number"),
        ("units", "1.5", "units", "not a whole number"),
        ("weight_kg", "-1", "weight_kg", "outside 0"),
        ("promised_by", "2026-13-01", "promised_by", "not a date"),
        ("shipped_at", "2026-01-01T00:00:00Z", "shipped_at", "before ordered_at"),
    ],
)
def test_bad_optional_values_are_named_too(
    extra: str, cells: str, where: str, message: str
) -> None:
    text = f"{HEADER},{extra}\nA,2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z,{cells}\n"

    (field_error,) = _refusal(text).errors

    assert field_error.field == f"line 2, {where}"
    assert message in field_error.message


def test_every_bad_row_is_listed_up_to_a_limit() -> None:
    rows = "".join(f"A{n},bad,BR,2026-01-08T12:00:00Z\n" for n in range(25))

    error = _refusal(f"{HEADER}\n{rows}")

    assert len(error.errors) == 20
    assert error.errors[0].field == "line 2, ordered_at"
    assert str(error).startswith("25 bad row(s) in the history")
    assert str(error).endswith("(and 5 more)")


def test_a_repeated_shipment_names_its_first_line() -> None:
    row = "A,2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z\n"

    (field_error,) = _refusal(f"{HEADER}\n{row}\n{row}").errors

    assert (field_error.field, field_error.message) == (
        "line 4, shipment_id",
        "repeats the shipment of line 2",
    )


def test_a_header_without_a_required_column_is_refused() -> None:
    error = _refusal("shipment_id,ordered_at,delivered_at\n")

    assert error.errors[0].field == "header"
    assert "no column destination_country" in error.errors[0].message


def test_an_empty_file_is_refused() -> None:
    assert _refusal("").errors[0].message == "the file is empty"


def test_a_shipping_time_after_delivery_is_set_aside_with_a_note() -> None:
    text = (
        f"{HEADER},shipped_at\n"
        "A,2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z,2026-01-09T12:00:00Z\n"
    )

    history = read_history(text.splitlines(keepends=True))

    assert history.shipments[0].shipped_at is None
    assert history.shipments[0].transit_days is None
    assert history.notes == ("line 2: shipped_at is after delivered_at; set aside",)


def test_offsets_are_kept_for_the_local_calendar() -> None:
    (shipment,) = _read(f"{HEADER}\nA,2026-01-05T22:00:00-03:00,BR,2026-01-06T01:00:00+00:00\n")

    assert shipment.ordered_at.tzinfo == timezone(timedelta(hours=-3))
    assert shipment.lead_days == 1  # 5 January in Brasília, 6 January in UTC


def test_rows_that_contradict_themselves_are_set_aside_by_line_and_the_rest_read() -> None:
    text = (
        f"{HEADER},shipped_at\n"
        "A,2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z,\n"
        "B,2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z,2026-01-04T12:00:00Z\n"
        "C,2026-01-05T10:00:00Z,BR,,\n"
        "D,2026-01-05T10:00:00Z,BR,2026-01-04T12:00:00Z,\n"
        "E,2026-01-05T10:00:00Z,BR,2026-01-08T12:00:00Z,2026-01-09T12:00:00Z\n"
        "A,2026-01-06T10:00:00Z,BR,2026-01-09T12:00:00Z,\n"
        "F,2026-01-06T10:00:00Z,BR,2026-01-09T12:00:00Z,\n"
    )

    history = read_history(text.splitlines(keepends=True))

    assert [s.shipment_id for s in history.shipments] == ["A", "E", "F"]
    assert [(e.field, e.message) for e in history.set_aside] == [
        ("line 3, shipped_at", "is before ordered_at"),
        ("line 4, delivered_at", "must not be blank"),
        ("line 5, delivered_at", "is before ordered_at"),
        ("line 7, shipment_id", "repeats the shipment of line 2"),
    ]
    assert history.notes == ("line 6: shipped_at is after delivered_at; set aside",)

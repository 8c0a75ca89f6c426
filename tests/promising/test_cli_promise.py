"""`ordino promise train` saves a model the server can load; `ordino promise replay`
writes a promise for every order of the window and compares them with the history's."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner, Result

from ordino.app.main import main
from ordino.promising.engine.transit import Leg
from ordino.promising.engine.transit_features import ordered, query_of
from ordino.promising.services.transit_models import end_of, load_model
from tests.support.shipments import START, a_history, as_csv

HISTORY = a_history(days=100, per_day=10)


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["promise", *args])


def _history_file(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(as_csv(HISTORY) if text is None else text)
    return path


def test_train_saves_a_model_that_loads_and_promises(tmp_path: Path) -> None:
    out = tmp_path / "transit.json"

    result = _run("train", "--history", str(_history_file(tmp_path)), "--out", str(out))

    assert result.exit_code == 0, result.output
    as_of = end_of(HISTORY)  # just after the last order
    known = sum(s.delivered_at < as_of for s in HISTORY)
    assert 900 < known < 1000
    assert f"  lead: {known:,} deliveries known" in result.stdout.splitlines()
    assert f"  transit: {known:,} deliveries known" in result.stdout.splitlines()
    model = load_model(out)
    assert model.as_of == as_of
    last = HISTORY[-1]
    shipping = query_of(last, Leg.TRANSIT)
    assert shipping is not None
    assert model.promise_days(ordered(last), 0.95) is not None
    assert model.promise_days(shipping, 0.9, Leg.TRANSIT) is not None


def test_replay_promises_every_order_of_the_window_and_compares(tmp_path: Path) -> None:
    out = tmp_path / "promises.csv"
    first, last = START.date() + timedelta(days=80), START.date() + timedelta(days=93)

    result = _run(
        "replay",
        "--history",
        str(_history_file(tmp_path)),
        "--from",
        first.isoformat(),
        "--to",
        last.isoformat(),
        "--confidence",
        "0.9",
        "--out",
        str(out),
    )

    assert result.exit_code == 0, result.output
    with out.open(newline="") as lines:
        rows = list(csv.DictReader(lines))
    window = sorted(
        (s for s in HISTORY if first <= s.ordered_at.date() <= last),
        key=lambda s: (s.ordered_at, s.shipment_id),
    )
    assert [row["shipment_id"] for row in rows] == [s.shipment_id for s in window]
    assert all(date.fromisoformat(row["promised_by"]) for row in rows)
    report = result.stdout.splitlines()
    assert report[0].startswith(f"140 orders from {first} to {last} promised in ")
    assert [line.split()[0] for line in report[2:4]] == ["ours", "history"]
    assert report[4].startswith("confidence asked 90.0%, achieved ")


def _with_bad_rows() -> tuple[str, set[str]]:
    """HISTORY with three rows that contradict themselves (as real exports have): one
    shipped before it was ordered, one delivered before it was ordered, one with no
    delivery time; and the ids of those rows."""
    lines = as_csv(HISTORY).splitlines(keepends=True)
    rows = [line.split(",") for line in lines]
    bad = {rows[n][0] for n in (2, 500, 900)}
    shipped, delivered = 12, 13  # columns
    rows[2][shipped] = "2025-12-01T10:00:00-03:00"
    rows[500][delivered] = "2025-12-01T10:00:00-03:00"
    rows[900][delivered] = ""
    return "".join(",".join(row) for row in rows), bad


def test_rows_that_contradict_themselves_are_reported_by_line_and_set_aside(
    tmp_path: Path,
) -> None:
    text, bad = _with_bad_rows()
    history, rejected = _history_file(tmp_path, text), tmp_path / "rejected.csv"
    model, promises = tmp_path / "transit.json", tmp_path / "promises.csv"
    first, last = START.date() + timedelta(days=80), START.date() + timedelta(days=99)

    trained = _run("train", "--history", str(history), "--out", str(model))
    replayed = _run(
        "replay",
        "--history",
        str(history),
        "--from",
        first.isoformat(),
        "--to",
        last.isoformat(),
        "--out",
        str(promises),
        "--rejected",
        str(rejected),
    )

    assert (trained.exit_code, replayed.exit_code) == (0, 0), trained.output + replayed.output
    for result in (trained, replayed):
        assert "3 rows set aside (--strict refuses the file instead):" in result.stderr
        assert "  line 3, shipped_at: is before ordered_at" in result.stderr
        assert "  line 501, delivered_at: is before ordered_at" in result.stderr
        assert "  line 901, delivered_at: must not be blank" in result.stderr
    assert load_model(model).as_of == end_of([s for s in HISTORY if s.shipment_id not in bad])
    with promises.open(newline="") as lines:
        promised = {row["shipment_id"] for row in csv.DictReader(lines)}
    window = {s.shipment_id for s in HISTORY if first <= s.ordered_at.date() <= last}
    assert promised == window - bad
    assert rejected.read_text().splitlines() == [
        "line,column,reason",
        "3,shipped_at,is before ordered_at",
        "501,delivered_at,is before ordered_at",
        "901,delivered_at,must not be blank",
    ]


def test_strict_refuses_a_bad_history_naming_line_and_column(tmp_path: Path) -> None:
    lines = as_csv(HISTORY[:3]).splitlines(keepends=True)
    lines[2] = lines[2].replace("T", " at ", 1)
    out = tmp_path / "transit.json"
    history = _history_file(tmp_path, "".join(lines))

    result = _run("train", "--history", str(history), "--out", str(out), "--strict")

    assert result.exit_code == 1
    assert "line 3, ordered_at: not an RFC 3339 time" in result.stderr
    assert not out.exists()


def test_the_server_does_not_start_with_a_model_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "transit.json"
    bad.write_text('{"not": "a model"}')
    database = f"sqlite:///{tmp_path / 'ordino.db'}"

    result = CliRunner().invoke(
        main, ["serve", "--database-url", database], env={"ORDINO_TRANSIT_MODEL": str(bad)}
    )

    assert result.exit_code == 1
    assert "not an Ordino transit model" in result.output

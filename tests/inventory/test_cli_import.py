"""`ordino inventory import FILE.csv`: counts applied, bad lines reported by number; and
`ordino geo import`: postal codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from ordino.app.main import main
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.services import imports
from ordino.inventory.store.tables import inventory_movements
from ordino.kernel.domain.geo import Point
from ordino.network.services.catalogue import put_location, put_product
from tests.conftest import T0
from tests.support.builders import a_location, a_product
from tests.support.storage import rows, stock_levels


@pytest.fixture(autouse=True)
def network(engine: Engine) -> None:
    uow = SqlUnitOfWork(engine)
    for location_id in ("DC-BER", "ST-HAM"):
        put_location(a_location(location_id), uow, T0)
    for sku in ("SKU-1", "SKU-2"):
        put_product(a_product(sku), uow, T0)


def _import(database_url: str, path: Path, *options: str) -> tuple[int, str, str]:
    """Exit status, the report (stdout) and the progress and errors (stderr)."""
    args = ["inventory", "import", str(path), "--database-url", database_url, *options]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def test_a_clean_file_is_applied_whole(engine: Engine, database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("sku,location_id,on_hand,safety_stock\nSKU-1,DC-BER,7,1\nSKU-2,ST-HAM,3,\n")

    status, output, _ = _import(database_url, path, "--reason", "year-end count")

    assert status == 0
    assert output.splitlines()[-1] == (
        "2 lines: 2 applied, 0 superseded by a newer count, 0 rejected; 0 positions left short"
    )
    assert stock_levels(engine) == {("DC-BER", "SKU-1"): (7, 0, 1), ("ST-HAM", "SKU-2"): (3, 0, 0)}
    assert {(m["reason"], m["actor"].split(":")[0]) for m in rows(engine, inventory_movements)} == {
        ("year-end count", "cli")
    }


def test_bad_lines_are_reported_by_number_and_the_rest_applied(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "location_id,sku,on_hand\n"
        "DC-BER,SKU-1,5\n"  # 2
        "DC-XXX,SKU-1,5\n"  # 3: unknown location
        "\n"  # 4: blank, skipped
        "DC-BER,SKU-9,5\n"  # 5: unknown SKU
        "DC-BER,SKU-2,-1\n"  # 6: negative
        "DC-BER,SKU-2,ten\n"  # 7
        "DC-BER\n"  # 8: too short
        "DC-BER,SKU-1,6\n"  # 9: the later line wins
    )
    rejected = tmp_path / "rejected.csv"

    status, output, _ = _import(database_url, path, "--rejected", str(rejected))

    assert status == 1
    assert output.splitlines() == [
        "7 lines: 1 applied, 0 superseded by a newer count, 5 rejected; 0 positions left short",
        "  line 3: unknown location 'DC-XXX'",
        "  line 5: unknown SKU 'SKU-9'",
        "  line 6: on_hand must be a whole number from 0 to 1,000,000,000",
        "  line 7: on_hand must be a whole number from 0 to 1,000,000,000",
        "  line 8: expected 3 columns, found 1",
    ]
    assert stock_levels(engine) == {("DC-BER", "SKU-1"): (6, 0, 0)}
    assert rejected.read_text().splitlines()[:2] == ["line,reason", "3,unknown location 'DC-XXX'"]


def test_a_line_with_a_nul_is_rejected_by_number_and_the_rest_applied(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "location_id,sku,on_hand\nDC-BER,SKU-1\x00,5\nDC-\x00BER,SKU-2,5\nDC-BER,SKU-2,4\n"
    )

    status, output, _ = _import(database_url, path)

    assert status == 1
    assert output.splitlines() == [
        "3 lines: 1 applied, 0 superseded by a newer count, 2 rejected; 0 positions left short",
        "  line 2: sku must not contain NUL characters",
        "  line 3: location_id must not contain NUL characters",
    ]
    assert stock_levels(engine) == {("DC-BER", "SKU-2"): (4, 0, 0)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("location_id,sku\nDC-BER,SKU-1\n", "no column 'on_hand'"),
        (
            "location_id,sku,onhand\nDC-BER,SKU-1,5\n",
            "unknown column 'onhand'; no column 'on_hand'",
        ),
        ("", "the file is empty"),
    ],
)
def test_a_file_with_a_bad_header_changes_nothing(
    engine: Engine, database_url: str, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(content)

    status, _, errors = _import(database_url, path)

    assert status == 1
    assert message in errors
    assert stock_levels(engine) == {}


def test_an_import_goes_in_batches(
    engine: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH", 2)
    path = tmp_path / "counts.csv"
    path.write_text(
        "location_id,sku,on_hand\n"
        + "".join(
            f"{loc},{sku},{n}\n"
            for n, (loc, sku) in enumerate(
                [
                    ("DC-BER", "SKU-1"),
                    ("DC-BER", "SKU-2"),
                    ("ST-HAM", "SKU-1"),
                    ("ST-HAM", "SKU-9"),
                    ("ST-HAM", "SKU-2"),
                ]
            )
        )
    )

    status, output, _ = _import(database_url, path)

    assert (status, output.splitlines()[-1]) == (1, "  line 5: unknown SKU 'SKU-9'")
    assert {key: level[0] for key, level in stock_levels(engine).items()} == {
        ("DC-BER", "SKU-1"): 0,
        ("DC-BER", "SKU-2"): 1,
        ("ST-HAM", "SKU-1"): 2,
        ("ST-HAM", "SKU-2"): 4,
    }


def test_postal_codes_are_loaded_from_a_geonames_file(
    database_url: str, tmp_path: Path, engine: Engine
) -> None:
    path = tmp_path / "DE.txt"
    path.write_text(
        "DE\t20095\tHamburg\tHamburg\tHH\t\t\t\t\t53.5507\t9.993\t4\n"
        "DE\t20095\tHamburg Altstadt\tHamburg\tHH\t\t\t\t\t53.55\t10.0\t4\n"  # first place wins
        "XX\t1\tNowhere\t\t\t\t\t\t\t1\t1\t1\n"  # 3: no such country
        "DE\t10115\tBer\x00lin\tBerlin\tBE\t\t\t\t\t52.53\t13.38\t4\n"  # 4: a NUL
        "DE\t8\x0001\tMunich\tBayern\tBY\t\t\t\t\t48.1\t11.5\t4\n"  # 5: a NUL
        "DE\t80331\tMünchen\tBayern\tBY\t\t\t\t\t48.1372\t11.5755\t4\n"
    )

    result = CliRunner().invoke(main, ["geo", "import", str(path), "--database-url", database_url])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2 postal codes loaded, 3 lines skipped",
        "  line 3: not a postal code with a country and coordinates",
        "  line 4: not a postal code with a country and coordinates",
        "  line 5: not a postal code with a country and coordinates",
    ]
    with SqlUnitOfWork(engine) as uow:
        assert uow.geo.locate("DE", "20095") == Point(53.5507, 9.993)
        assert uow.geo.locate("DE", "80331") == Point(48.1372, 11.5755)

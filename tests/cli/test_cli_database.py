"""A database that cannot be reached (not there, a wrong name, no server) is one line
and exit code 3 from every command that connects, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ordino.app.main import main
from tests.conftest import POSTGRES_URL


def _commands(tmp_path: Path) -> list[list[str]]:
    counts = tmp_path / "counts.csv"
    counts.write_text("location_id,sku,on_hand\nDC-BER,SKU-1,5\n")
    places = tmp_path / "places.txt"
    places.write_text("DE\t20095\tHamburg\t\t\t\t\t\t\t53.55\t10.0\t4\n")
    return [
        ["check"],
        ["db", "upgrade"],
        ["keys", "create", "--role", "admin"],
        ["users", "list"],
        ["users", "disable", "--username", "ada"],
        ["serve"],
        ["worker", "--once"],
        ["inventory", "import", str(counts)],
        ["geo", "import", str(places)],
        ["bench", "load", "--locations", "1", "--skus", "1"],
    ]


def _refused(command: list[str], url: str) -> str:
    result = CliRunner().invoke(main, [*command, "--database-url", url])
    assert result.exit_code == 3, (command, result.output, result.exception)
    assert result.stdout == "", command
    lines = result.stderr.splitlines()
    assert len(lines) == 1, (command, result.stderr)
    return lines[0]


def test_an_embedded_database_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no such folder' / 'ordino.db'}"

    said = [_refused(command, url) for command in _commands(tmp_path)]

    expected = f"Error: cannot use the database {url}: unable to open database file"
    assert said == [expected] * len(said)


@pytest.mark.skipif(POSTGRES_URL is None, reason="ORDINO_TEST_DATABASE_URL is not set")
def test_a_missing_postgresql_database_is_one_line(tmp_path: Path) -> None:
    assert POSTGRES_URL is not None
    server = make_url(POSTGRES_URL)
    missing = server.set(database=f"{server.database}_missing")
    url = missing.render_as_string(hide_password=False)

    said = [_refused(command, url) for command in _commands(tmp_path)]

    shown = missing.render_as_string(hide_password=True)
    for line in said:
        assert line.startswith(f"Error: cannot use the database {shown}: "), line
        assert f'database "{missing.database}" does not exist' in line, line


def test_a_command_that_opens_no_database_keeps_its_own_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`simulate sourcing` runs in memory: an OperationalError there is a fault of its
    own (a traceback, exit 1), never "cannot use the database" and exit 3."""
    from ordino.sourcing.cli import simulate  # noqa: PLC0415

    def fails(*_: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("disk I/O error"))

    monkeypatch.setattr(simulate, "_run", fails)
    scenario = Path(__file__).parents[2] / "examples" / "scenarios" / "day-of-orders.json"

    result = CliRunner().invoke(main, ["simulate", "sourcing", "--scenario", str(scenario)])

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, OperationalError)
    assert "cannot use the database" not in result.output

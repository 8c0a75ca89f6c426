"""Every capability's tables, gathered by `ordino.app.schema`: what the migrations
and anything comparing or creating the whole schema read. A tables module left out
of it would be a table the migrations' comparison drops; `metadata` read from
`ordino.store.tables` holds only the tables imported so far."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, inspect

ROOT = Path(__file__).resolve().parents[2]
# Where the tables are defined, and the one module that gathers them all.
DEFINING = ("tables.py", "_tables.py")
GATHERING = ROOT / "src" / "ordino" / "app" / "schema.py"


def test_the_schema_alone_holds_every_table_the_migrations_make(engine: Engine) -> None:
    # In a fresh interpreter: here every store has long been imported already.
    listed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ordino.app.schema import metadata; print(*sorted(metadata.tables))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    migrated = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert set(listed) == migrated


def test_every_module_defining_tables_is_gathered_by_the_schema() -> None:
    defining = {
        ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
        for path in (ROOT / "src" / "ordino").rglob("*.py")
        if path.name.endswith(DEFINING) and "Table(" in path.read_text()
    }
    gathered = {
        alias.name
        for node in ast.walk(ast.parse(GATHERING.read_text()))
        if isinstance(node, ast.Import)
        for alias in node.names
    }

    assert defining - {"ordino.store.tables"} <= gathered


def test_only_the_tables_modules_take_metadata_from_the_frame() -> None:
    """Anyone else reads it from `ordino.app.schema`, with every table on it."""
    takers = set()
    for path in [*(ROOT / "src").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "ordino.store.tables"
                and any(alias.name == "metadata" for alias in node.names)
            ):
                takers.add(path)

    assert {path for path in takers if not path.name.endswith(DEFINING)} == {GATHERING}

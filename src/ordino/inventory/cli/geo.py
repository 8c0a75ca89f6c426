"""`ordino geo import FILE`: where postal codes are, for "pick up near me".

Reads the GeoNames postal code format (tab-separated, no header: country code,
postal code, place name, three admin levels as name and code, latitude,
longitude, accuracy), as in the files of download.geonames.org/export/zip/.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import click

from ordino.cli.options import database_option, units_of_work
from ordino.inventory.services.availability import put_postal_codes
from ordino.kernel.domain import Point, PostalCode, is_country
from ordino.store.engine import make_engine

BATCH = 10_000


@click.group()
def geo() -> None:
    """Geography: postal codes and where they are."""


@geo.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@database_option
def import_(path: Path, database_url: str) -> None:
    """Load postal codes (GeoNames format); a code loaded again is replaced."""
    engine = make_engine(database_url)
    loaded, skipped = 0, list[int]()
    try:
        with path.open(newline="", encoding="utf-8") as lines:
            codes = _codes(csv.reader(lines, delimiter="\t"), skipped)
            while batch := list(islice(codes, BATCH)):
                loaded += put_postal_codes(_unique(batch), units_of_work(engine)())
    finally:
        engine.dispose()
    click.echo(f"{loaded:,} postal codes loaded, {len(skipped):,} lines skipped")
    for line in skipped[:20]:
        click.echo(f"  line {line}: not a postal code with a country and coordinates")
    if skipped:
        raise SystemExit(1)


def _codes(rows: Iterator[list[str]], skipped: list[int]) -> Iterator[PostalCode]:
    for number, row in enumerate(rows, start=1):
        try:
            country, code, place = row[0].strip(), row[1].strip(), row[2].strip()
            point = Point(float(row[9]), float(row[10]))
        except (IndexError, ValueError):
            skipped.append(number)
            continue
        # A NUL, which PostgreSQL can neither store nor compare, is no postal code's.
        valid = is_country(country) and code and -90 <= point.latitude <= 90
        valid = valid and "\x00" not in code + place
        if not valid or not -180 <= point.longitude <= 180 or len(code) > 20:
            skipped.append(number)
            continue
        yield PostalCode(country, code, point, place[:200] or None)


def _unique(batch: list[PostalCode]) -> list[PostalCode]:
    """GeoNames lists a code once per place: the first place stands for it."""
    first: dict[tuple[str, str], PostalCode] = {}
    for code in batch:
        first.setdefault((code.country, code.postal_code), code)
    return list(first.values())

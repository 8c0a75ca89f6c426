"""`ordino bench capture` runs end to end on PostgreSQL with a handful of orders:
Ordino and the reference probe side by side in alternating rounds, with the work the
database did per order. Its speed is measured by hand (docs/benchmarks.md); here only
that the bench works. The probe here is a stand-in answering every order at once (the
real one, the workplace's perf/run-probe, is not part of Ordino)."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text

from ordino.app.main import main
from ordino_lab import database_work

STAND_IN = """#!{python}
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Probe(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(201)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{{}}")

    def do_GET(self):
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Probe).serve_forever()
"""


def _probe(tmp_path: Path) -> Path:
    script = tmp_path / "run-probe"
    script.write_text(STAND_IN.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_ordino_and_the_probe_alternate_and_the_work_is_counted(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(pg_url)
    if (url.host, url.port or 5432, url.username) != ("127.0.0.1", 5432, "postgres"):
        pytest.skip("the probe reaches PostgreSQL at 127.0.0.1:5432 as postgres only")
    monkeypatch.setattr(database_work, "SETTLE_SECONDS", 0.0)
    out = tmp_path / "capture.json"

    result = CliRunner().invoke(
        main,
        [
            *("bench", "capture", "--database-url", pg_url, "--json", str(out)),
            *("--workers", "1", "--clients", "2", "--orders", "20", "--warmup", "5"),
            *("--locations", "3", "--skus", "20", "--rounds", "2"),
            *("--probe", str(_probe(tmp_path))),
        ],
    )

    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert (figures["orders"], figures["created"], figures["errors"]) == (20, 20, 0)
    assert len(figures["rounds_orders_per_second"]) == 2
    assert len(figures["probe_orders_per_second"]) == 2
    assert all(share.endswith("%") for share in figures["share_of_probe"])
    assert figures["commits_per_order"] >= 1  # each order one, and the worker's
    assert figures["inserts_per_order"] >= 3  # the order, its 2 lines at least
    assert figures["check"] == "clean"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}_probe"'))
    admin.dispose()

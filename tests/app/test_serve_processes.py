"""`ordino serve --workers N`: the server processes live and die with their supervisor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from ordino_lab.load import free_port

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the process table in /proc"
)


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (zombies excluded)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        # pid (comm) state ppid …; comm may hold spaces and parentheses
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running: neither ended nor a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _serving(base: str, server: subprocess.Popen[bytes], workers: int) -> set[int]:
    """Wait until the server answers and its `workers` processes are there."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "the supervisor exited"
        children = {c for c in _children(server.pid) if b"spawn_main" in _cmdline(c)}
        try:
            up = httpx2.get(f"{base}/health").status_code == 200
        except httpx2.TransportError:
            up = False
        if up and len(children) == workers:
            return children
        time.sleep(0.2)
    raise AssertionError("the server did not come up with its processes")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_the_server_processes_end_when_their_supervisor_is_killed(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDINO_")}
    command = [sys.executable, "-m", "ordino", "serve", "--workers", "2", "--port", str(port)]
    command += ["--database-url", f"sqlite:///{tmp_path / 'ordino.db'}", "--no-access-log"]
    with subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as server:
        children: set[int] = set()
        try:
            children = _serving(f"http://127.0.0.1:{port}", server, workers=2)
            everything = _children(server.pid)  # the workers and multiprocessing's helper

            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=30)

            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(_alive(p) for p in everything):
                time.sleep(0.2)
            left = sorted(p for p in everything if _alive(p))
            assert left == [], f"still running without their supervisor: {left}"
        finally:
            for pid in children:  # whatever the test started and left behind
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
            if server.poll() is None:
                server.kill()


def test_where_the_kernel_cannot_be_asked_a_process_sees_its_parent_gone() -> None:
    # The parent starts a child that watches it (the fallback of PR_SET_PDEATHSIG),
    # prints the child's pid and ends at once, without stopping it.
    # (The parent's pid is given: by the time the child asks, it may be gone already.)
    watcher = "from ordino.app.serving import _watch; import sys; _watch(int(sys.argv[1]), 0.05)"
    parent = (
        "import os, subprocess, sys\n"
        f"child = subprocess.Popen([sys.executable, '-c', {watcher!r}, str(os.getpid())], "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(child.pid, flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", parent], capture_output=True, text=True, timeout=60, check=True
    )
    child = int(done.stdout)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.1)
        assert not _alive(child)
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)

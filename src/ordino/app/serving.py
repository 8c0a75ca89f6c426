"""Running the API in N processes.

uvicorn's own workers share one listening socket, and the kernel hands each new
connection to whichever process accepts first: keep-alive clients pile up on one
process while another idles (measured: 86% against 40% CPU with two workers). On
Linux each process here binds its own socket with SO_REUSEPORT instead, and the
kernel spreads connections evenly over them. A process that dies is started again.

The processes die with their supervisor, however it ends (a SIGKILL cannot be passed
on): each asks the kernel for SIGTERM when its parent goes (prctl PR_SET_PDEATHSIG),
or, where it cannot, watches its parent's pid. Orphans would go on answering on the
port with nobody to stop them, and a new supervisor's processes would share it with them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import secrets
import signal
import socket
import sys
import threading
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

APP = "ordino.app.server:create_app"


def serve(host: str, port: int, workers: int, access_log: bool) -> None:
    # The processes share the secret that signs the console's sessions (any of them
    # may answer a signed-in person): ORDINO_SECRET_KEY, or one made for this run of
    # the server (never taken for the server's key: it seals nothing that must last).
    if not os.environ.get("ORDINO_SECRET_KEY"):
        os.environ.setdefault("ORDINO_RUN_SECRET", secrets.token_urlsafe(32))
    if workers == 1 or not sys.platform.startswith("linux"):
        uvicorn.run(
            APP,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            log_level="info",
        )
        return
    _supervise(host, port, workers, access_log)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """SIGTERM to this process when `parent` ends: uvicorn then stops as on a SIGTERM
    from the supervisor, finishing the requests in flight."""
    if _parent_death_signal(signal.SIGTERM):
        if os.getppid() != parent:  # it ended before the kernel was asked
            os.kill(os.getpid(), signal.SIGTERM)
        return
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _parent_death_signal(signum: int) -> bool:
    """Ask Linux for `signum` when the parent ends; False where that cannot be asked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch(parent: int, every: float = 1.0) -> None:
    """The portable way: an orphan is adopted, so its parent's pid changes."""
    while os.getppid() == parent:
        time.sleep(every)
    os.kill(os.getpid(), signal.SIGTERM)


def _child(host: str, port: int, access_log: bool, parent: int) -> None:
    _die_with(parent)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    config = uvicorn.Config(APP, factory=True, access_log=access_log, log_level="info")
    uvicorn.Server(config).run(sockets=[sock])


def _supervise(host: str, port: int, workers: int, access_log: bool) -> None:
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        process = context.Process(target=_child, args=(host, port, access_log, os.getpid()))
        process.start()
        return process

    children = [start() for _ in range(workers)]

    def stop(_signal: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: uvicorn finishes the requests in flight

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        wait([child.sentinel for child in children], timeout=1.0)
        for i, child in enumerate(children):
            if not child.is_alive() and not stopping:
                if child.exitcode == 1 and all(not c.is_alive() for c in children):
                    sys.exit(1)  # none could start (the port is taken?)
                children[i] = start()
    for child in children:
        child.join(timeout=30)

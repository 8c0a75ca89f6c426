"""Running the API in N processes.

uvicorn's own workers share one listening socket, and the kernel hands each new
connection to whichever process accepts first: keep-alive clients pile up on one
process while another idles (measured: 86% against 40% CPU with two workers). On
Linux each process here binds its own socket with SO_REUSEPORT instead, and the
kernel spreads connections evenly over them. A process that dies is started again.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import signal
import socket
import sys
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

APP = "ordino.api.app:create_app"


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


def _child(host: str, port: int, access_log: bool) -> None:
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
        process = context.Process(target=_child, args=(host, port, access_log))
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

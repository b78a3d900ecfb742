"""Serving with several processes: one listening socket, N forked waitress workers.

The GIL lets one process run Python on one core at a time, however many threads waitress
has; N processes run N. The parent binds the socket and loads what every worker shares
(jieba's dictionary, the taxonomy) before it forks, so those pages are shared copy-on-write;
each worker then creates its own app, which maps the same generation files (the page cache
holds them once) and runs its own background watcher. The parent only waits: when a worker
exits, or the parent is told to stop (SIGTERM, SIGINT), every worker is stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

from flask import Flask


def serve_workers(make_app: Callable[[], Flask], host: str, port: int, threads: int, workers: int) -> None:
    """Serve `make_app()` from `workers` forked processes on one socket (returns when they have stopped)."""
    from waitress import serve

    sock = socket.create_server((host, port), backlog=1024)
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own app, threads and watcher
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                serve(make_app(), sockets=[sock], threads=threads, _quiet=True)
            except BaseException as err:  # noqa: BLE001 - reported, then the parent stops the others
                print(f"工作进程 {os.getpid()} 退出：{err}", file=sys.stderr, flush=True)
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    sock.close()

    def stop(_signum: int = 0, _frame: Any = None) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with contextlib.suppress(ChildProcessError):
        os.wait()  # the first worker to exit stops the rest
    stop()
    for child in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)

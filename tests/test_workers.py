"""`python -m webapp --workers N`: N processes serve one socket, and stop together."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback only
        return json.loads(answer.read())


def test_workers_share_the_socket_and_stop_with_the_parent(index_dir, tmp_path):
    port = free_port()
    with (tmp_path / "webapp.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "webapp", "--index", str(index_dir), "--port", str(port),
                                 "--workers", "2"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    get(f"{base}/api/search?q=&size=1")
                    break
                except OSError:
                    assert time.monotonic() < deadline and proc.poll() is None, "the server did not start"
                    time.sleep(0.1)
            workers = children(proc.pid)
            assert len(workers) == 2
            totals = {get(f"{base}/api/search?q={quote('容缺受理')}&size=1")["total"] for _ in range(20)}
            assert len(totals) == 1 and totals.pop() > 0  # every worker answers the same
            proc.terminate()
            assert proc.wait(timeout=30) == 0
            time.sleep(0.2)
            assert not [w for w in workers if Path(f"/proc/{w}").exists()
                        and "zombie" not in Path(f"/proc/{w}/status").read_text()]
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

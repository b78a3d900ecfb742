"""Searches in a loop against a live server while `add` runs in another process: no errors."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from small_reports import write_report

from indexer import build_index

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 4
CASES = (("容缺受理", "&measure=告知承诺制"), ('"专项201号"', ""), ("", "&measure=容缺受理"), ("双随机 OR 电子证照", ""),
         ("基层窗口", "&year=2019-"))  # query, filters


def test_searching_during_add_never_fails_and_sees_the_new_report(tmp_path):
    from waitress import create_server

    from webapp import create_app

    src, index = tmp_path / "src", tmp_path / "index"
    for serial in range(4):
        write_report(src, serial)
    build_index([src], index)
    app = create_app({"INDEX_DIR": str(index), "BUILD_IF_MISSING": False})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)

    def serve() -> None:
        with contextlib.suppress(OSError):  # the socket closes under select() when the test stops the server
            server.run()

    serving = threading.Thread(target=serve, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    errors: list[str] = []
    done = threading.Event()
    seen_new: list[float] = []
    requests = [0]

    def client(offset: int) -> None:
        i = offset
        while not done.is_set():
            query, filters = CASES[i % len(CASES)]
            i += 1
            url = f"{base}/api/search?q={quote(query)}{quote(filters, safe='&=')}"
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = json.loads(response.read())
                requests[0] += 1
                if query == '"专项201号"' and body["total"]:
                    seen_new.append(time.monotonic())
            except Exception as err:  # noqa: BLE001 - every failure is counted and shown
                errors.append(f"{query}: {err}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.3)
        write_report(src, 201)
        proc = subprocess.run([sys.executable, "-m", "indexer", "add", "r201.txt", "--source", str(src),
                               "--index", str(index)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              capture_output=True, timeout=60)
        published = time.monotonic()
        assert proc.returncode == 0, proc.stderr.decode()
        deadline = published + 10
        while not seen_new and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        done.set()
        for t in threads:
            t.join()
        server.close()
        serving.join(timeout=5)
    assert not errors, errors[:3]
    assert requests[0] > 20 and seen_new, (requests[0], seen_new)

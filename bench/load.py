"""Load during add: 20 clients search a live `python -m webapp` while `python -m indexer add` runs.

    python bench/load.py                       # 20 clients, 30 s, 3 files added one by one
    python bench/load.py --clients 8 --duration 10

Works on copies in a temporary folder (the shipped reports and bench/relevance_corpus, indexed
there), serves on 127.0.0.1 only, stops by itself (at most 120 s of load) and removes its
files. Prints requests, errors (must be 0), latency percentiles and, for every added report,
how long after its `add` started the first search found it. Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CORPORA = (ROOT / "index_data" / "reports", ROOT / "bench" / "relevance_corpus")
SEARCHES = ("容缺受理", "告知承诺 -广州", '"双随机、一公开"', "秒批 OR 电子证照", "agency:花都 监管", "存在问题",
            "", "年度报告")
FILTERS = ("", "&measure=容缺受理", "&year=2019-2023", "&region=广东", "&section_type=存在问题&group=1")
MAX_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def marker(i: int) -> str:
    return f"专项{900 + i}号"


def new_report(folder: Path, i: int) -> Path:
    """A seed report moved to another year, with a marker phrase that only it holds."""
    seed = sorted((ROOT / "index_data" / "reports").glob("*.txt"))[i % 5]
    path = folder / "新增" / f"load-{i:02d}.txt"
    path.parent.mkdir(exist_ok=True)
    text = seed.read_text(encoding="utf-8").replace("2022", str(2010 + i))
    path.write_text(f"{text}\n本报告为增补件，开展{marker(i)}整治行动。\n", encoding="utf-8")
    return path


class Load:
    """Client threads that search in a loop and record every answer."""

    def __init__(self, base: str, clients: int, adds: int) -> None:
        self.base, self.clients = base, clients
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.first_seen: dict[int, float] = {}
        self.adds = adds
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def client(self, k: int) -> None:
        i = k
        while not self.stop.is_set():
            probe = i % 4 == 0  # every fourth request looks for an added report
            wanted = (i // 4) % self.adds
            query = f'"{marker(wanted)}"' if probe else SEARCHES[i % len(SEARCHES)]  # quoted: exactly this
            url = f"{self.base}/api/search?q={quote(query)}" + ("" if probe else quote(FILTERS[i % len(FILTERS)],
                                                                                         safe="&="))
            i += 1
            started = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    body = json.loads(response.read())
                    status = response.status
            except Exception as err:  # noqa: BLE001 - every failure is counted and shown
                with self.lock:
                    self.errors.append(f"{query}: {err}")
                continue
            took = time.monotonic() - started
            with self.lock:
                self.latencies.append(took)
                if status != 200:
                    self.errors.append(f"{query}: HTTP {status}")
                if probe and body.get("total") and wanted not in self.first_seen:
                    self.first_seen[wanted] = time.monotonic()


def wait_ready(base: str, proc: subprocess.Popen[bytes], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"python -m webapp exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/search?q=%E5%AE%B9%E7%BC%BA", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("python -m webapp did not answer in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help=f"seconds of load (at most {MAX_SECONDS})")
    parser.add_argument("--adds", type=int, default=3, help="files added, one `add` each")
    args = parser.parse_args()
    duration = min(args.duration, MAX_SECONDS)
    work = Path(tempfile.mkdtemp(prefix="zcjs-load-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    src, index = work / "reports", work / "index"
    for corpus in CORPORA:
        if corpus.is_dir():
            shutil.copytree(corpus, src / corpus.name)
    subprocess.run([sys.executable, "-m", "indexer", "build", "--source", str(src), "--index", str(index)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    files = sum(1 for f in src.rglob("*") if f.is_file())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "webapp", "--index", str(index), "--port", str(port),
                               "--host", "127.0.0.1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(base, server)
        load = Load(base, args.clients, args.adds)
        threads = [threading.Thread(target=load.client, args=(k,)) for k in range(args.clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        published: dict[int, tuple[float, float]] = {}  # start, seconds taken
        for i in range(args.adds):
            time.sleep(duration / (args.adds + 2))
            path = new_report(src, i)
            begun = time.monotonic()
            subprocess.run([sys.executable, "-m", "indexer", "add", str(path), "--source", str(src),
                            "--index", str(index)], cwd=ROOT, env=env, check=True, capture_output=True)
            published[i] = (begun, time.monotonic() - begun)
        time.sleep(max(0.0, started + duration - time.monotonic()))
        load.stop.set()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    lat = sorted(load.latencies)
    p = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(f"clients {args.clients}, {elapsed:.1f} s of load, {files} source files + {args.adds} added")
    print(f"requests {len(lat) + len(load.errors)}  errors {len(load.errors)}  "
          f"{len(lat) / elapsed:.0f} req/s  p50 {p[49] * 1000:.0f} ms  p95 {p[94] * 1000:.0f} ms  "
          f"max {lat[-1] * 1000:.0f} ms")
    for i, (begun, took) in published.items():
        seen = load.first_seen.get(i)
        found = f"first found by a search {seen - begun:.2f} s after add started" if seen else "NEVER FOUND"
        print(f"add load-{i:02d}.txt: the process took {took:.2f} s; {found}")
    for err in load.errors[:5]:
        print("error:", err)
    if load.errors or len(load.first_seen) < args.adds:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Speed at scale, through the product's public faces only (CLI build, HTTP JSON API).

    python bench/speed.py --reports 1000                        # generate, build, serve, measure
    python bench/speed.py --reports 10000 --keep "$TMPDIR"/bench10k  # keep corpus, index, build figures
    python bench/speed.py --reports 10000 --keep "$TMPDIR"/bench10k --skip-build   # reuse them

One run prints: the corpus; `python -m indexer build` MB/s next to one-core jieba MB/s (precise
mode, HMM=False, the product's dictionary) on the same text; then, against `python -m webapp`
started on a free loopback port, p50/p95 over --runs requests of each benchmark query
(`/api/search?…&size=10`: facets and 10 highlighted hits in every answer), the same queries by
the brute-force scan of bench/bruteforce.py (time, counts side by side, ratio), --clients
concurrent clients for --seconds (requests/s, p95, errors, the server's CPU seconds) and the
app's memory (RssAnon, Pss, VmHWM, added over its processes with --workers N). Before the
timed queries: start-up to the first answer, the app's memory then, and the first (cold)
answers of two common terms (COLD_TERMS). The build line gives its peak memory (the largest
process, from getrusage).
With --keep, the build's figures are saved in DIR/build.json and --skip-build prints them, and
the brute-force scans in DIR/brute.json (reused by later runs on the same corpus).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import bruteforce as bf
import corpus as gen

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = "127.0.0.1"  # the load never leaves this machine
JIEBA_SAMPLE_BYTES = 20_000_000


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def prepare_corpus(folder: Path, reports: int) -> dict[str, Any]:
    manifest = gen.read_manifest(folder)
    if manifest and manifest.get("reports") == reports and manifest.get("seed") == gen.DEFAULT_SEED:
        return manifest
    return gen.generate(reports, folder)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(corpus_dir: Path, index_dir: Path, log: Path) -> dict[str, Any]:
    """Time `python -m indexer build` (a fresh index folder); returns its figures."""
    if index_dir.exists():
        subprocess.run(["rm", "-rf", str(index_dir)], check=True)
    cmd = [PY, "-m", "indexer", "build", "--source", str(corpus_dir), "--index", str(index_dir), "--json"]
    start, before = time.perf_counter(), _children_cpu()
    with log.open("w") as err:
        done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - before
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest process of the build
    if done.returncode:
        sys.exit(f"build failed ({done.returncode}); see {log}")
    try:
        stats = json.loads(done.stdout)
    except ValueError:
        numbers = [int(n) for n in re.findall(r"\d+", done.stdout)[:2]]
        stats = {"documents": numbers[0] if numbers else None, "sections": numbers[1] if len(numbers) > 1 else None}
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb, "documents": stats.get("documents"),
            "sections": stats.get("sections"), "command": " ".join(["python", *cmd[1:-1]])}


def jieba_speed(corpus_dir: Path, total_bytes: int) -> tuple[float, float, float]:
    """(MB/s, MB per CPU-second, sample MB) of one-core jieba precise mode, HMM=False, every k-th report."""
    try:
        from indexer.text.analysis import loaded_segmenter  # the dictionary in memory, as jieba runs alone

        seg = loaded_segmenter()
    except ImportError:  # the segmenter moved: plain jieba with the measure words
        import jieba

        from indexer.ingest.measures import dictionary_words

        seg = jieba.Tokenizer()
        seg.initialize()
        for word in sorted(dictionary_words()):
            seg.add_word(word)
    files = sorted(corpus_dir.glob("r*.txt"))
    step = max(1, math.ceil(total_bytes / JIEBA_SAMPLE_BYTES))
    texts = [p.read_text(encoding="utf-8") for p in files[::step]]
    size = sum(len(t.encode()) for t in texts) / 1e6
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        for _ in seg.tokenize(text, HMM=False):
            pass
    return size / (time.perf_counter() - start), size / (time.process_time() - cpu), size


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float) -> dict[str, Any]:
    """GET a JSON answer from the local app; raises on a non-200 answer or bad JSON."""
    assert url.startswith(f"http://{HOST}:"), url
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - loopback only
        return json.loads(answer.read())


@contextmanager
def server(index_dir: Path, log: Path, workers: int = 1):  # type: ignore[no-untyped-def]
    """`python -m webapp --index DIR --port P [--workers N]` on a free port; yields (base URL, pid, ready s)."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    extra = ["--workers", str(workers)] if workers > 1 else []
    with log.open("w") as out:
        proc = subprocess.Popen([PY, "-m", "webapp", "--index", str(index_dir), "--port", str(port), *extra],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            start = time.perf_counter()
            while True:
                if proc.poll() is not None:
                    sys.exit(f"the web app exited ({proc.returncode}); see {log}")
                try:
                    fetch(f"{base}/api/search?q=&size=1", timeout=5)
                    break
                except (OSError, ValueError):
                    if time.perf_counter() - start > 900:
                        sys.exit(f"the web app did not answer within 900 s; see {log}")
                    time.sleep(0.05)
            yield base, proc.pid, time.perf_counter() - start
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def search_path(query: bf.BenchQuery) -> str:
    return "/api/search?" + urlencode([*query.params, ("size", "10")])


def tree(pid: int) -> list[int]:
    """A process and its children (the workers of a multi-process server)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [pid, *(int(c) for c in children)]


def memory(pid: int) -> dict[str, int]:
    """VmHWM, VmRSS and RssAnon (private memory) in kB, added over the process and its children;
    Pss (each shared page divided among the processes that map it) from smaps_rollup."""
    total: dict[str, int] = {}
    for proc in tree(pid):
        try:
            status = Path(f"/proc/{proc}/status").read_text()
            rollup = Path(f"/proc/{proc}/smaps_rollup").read_text()
        except OSError:
            continue
        for key, text in (("VmHWM", status), ("VmRSS", status), ("RssAnon", status), ("Pss", rollup)):
            if m := re.search(rf"^{key}:\s+(\d+)", text, re.M):
                total[key] = total.get(key, 0) + int(m.group(1))
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live children."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent = 0.0
    for proc in tree(pid):
        try:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        spent += (int(fields[11]) + int(fields[12])) / ticks
    return spent


COLD_TERMS = ("行政许可", "政务服务")  # common terms: their first answer after start-up


def cold_answers(base: str) -> list[tuple[str, float, int]]:
    """(term, ms, sections) of the first request of each common term."""
    out = []
    for term in COLD_TERMS:
        start = time.perf_counter()
        answer = fetch(f"{base}/api/search?" + urlencode([("q", term), ("size", "10")]), timeout=300)
        out.append((term, (time.perf_counter() - start) * 1000, int(answer["total"])))
    return out


def latency(base: str, query: bf.BenchQuery, runs: int) -> tuple[list[float], dict[str, Any]]:
    """Milliseconds of `runs` requests after one warm-up; the last answer."""
    url = base + search_path(query)
    answer = fetch(url, timeout=300)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = fetch(url, timeout=300)
        times.append((time.perf_counter() - start) * 1000)
    assert "facets" in answer and len(answer["hits"]) <= 10, "unexpected answer shape"
    return times, answer


def load(base: str, clients: int, seconds: float, max_requests: int) -> dict[str, Any]:
    """`clients` threads cycling through the queries until `seconds` pass (or max_requests)."""
    urls = [base + search_path(q) for q in bf.QUERIES]
    deadline = time.monotonic() + seconds
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    sent = 0

    def client(k: int) -> None:
        nonlocal sent
        i = k
        while time.monotonic() < deadline:
            with lock:
                if sent >= max_requests:
                    return
                sent += 1
            start = time.perf_counter()
            try:
                fetch(urls[i % len(urls)], timeout=120)
                with lock:
                    times.append((time.perf_counter() - start) * 1000)
            except (OSError, ValueError) as err:
                with lock:
                    errors.append(type(err).__name__)
            i += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {"ok": len(times), "errors": len(errors), "error_kinds": sorted(set(errors)), "elapsed": elapsed,
            "rps": len(times) / elapsed, "p50": statistics.median(times) if times else float("nan"),
            "p95": percentile(times, 95) if times else float("nan")}


def brute_force(corpus_dir: Path, runs: int, record: Path | None) -> tuple[dict[str, Any], dict[str, Any], float]:
    """The brute-force scans of every query (and the prefolded ones); with `record`, saved there and
    reused by later runs on the same corpus (fixed work: the corpus decides the result)."""
    if record is not None and record.exists():
        saved = json.loads(record.read_text(encoding="utf-8"))
        print(f"\nbrute force: recorded {saved['date']} by an earlier run on this corpus "
              f"(fastest of {saved.get('runs', '?')} scans)")
        brute = {k: (bf.ScanResult(**r), sec) for k, (r, sec) in saved["brute"].items()}
        return brute, {k: bf.ScanResult(**r) for k, r in saved["prefolded"].items()}, saved["fold_s"]
    start = time.perf_counter()
    texts = bf.load_corpus(corpus_dir)
    print(f"\nbrute force: {len(texts)} reports, {sum(len(t) for _, t in texts)} sections parsed in "
          f"{time.perf_counter() - start:.1f} s")
    brute = {}
    for query in bf.QUERIES:
        scans = [bf.scan(texts, query) for _ in range(runs)]
        brute[query.label] = (scans[0], min(r.seconds for r in scans))  # fixed work: the least disturbed run
    start = time.perf_counter()
    folded = bf.prefold(texts)
    fold_s = time.perf_counter() - start
    prefolded = {q.label: bf.scan_prefolded(folded, q) for q in bf.QUERIES}
    if record is not None:
        record.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M %Z"), "fold_s": fold_s, "runs": runs,
                                      "brute": {k: (asdict(r), sec) for k, (r, sec) in brute.items()},
                                      "prefolded": {k: asdict(r) for k, r in prefolded.items()}}), encoding="utf-8")
    return brute, prefolded, fold_s


def main() -> None:  # noqa: PLR0915 - one report, top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="work folder kept between runs (corpus/, index/, build.json)")
    parser.add_argument("--skip-build", action="store_true", help="reuse the index in --keep DIR")
    parser.add_argument("--build-only", action="store_true", help="stop after the build figures")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per query (after one warm-up)")
    parser.add_argument("--brute-runs", type=int, default=3, help="brute-force scans per query (the fastest counts)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the concurrent load")
    parser.add_argument("--workers", type=int, default=1, help="web app processes (python -m webapp --workers N)")
    args = parser.parse_args()
    if args.skip_build and not args.keep:
        parser.error("--skip-build needs --keep DIR")
    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="zcjs-bench-")
    work = args.keep or Path(tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    corpus_dir, index_dir, record = work / "corpus", work / "index", work / "build.json"

    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')} · {platform.node()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · load average {os.getloadavg()[0]:.1f}")
    manifest = prepare_corpus(corpus_dir, args.reports)
    mb = int(manifest["bytes"]) / 1e6
    print(f"corpus: {manifest['reports']} reports, {mb:.1f} MB (seed {manifest['seed']}) in {corpus_dir}")

    if args.skip_build:
        if not index_dir.is_dir() or not record.exists():
            sys.exit(f"no kept build in {work}: run once without --skip-build")
        figures = json.loads(record.read_text(encoding="utf-8"))
        print(f"build: recorded {figures['date']} by an earlier run (--skip-build)"
              + (f", 5-min load average then {figures['load']:.1f}" if "load" in figures else ""))
    else:
        figures = build(corpus_dir, index_dir, work / "build.log")
        jieba = jieba_speed(corpus_dir, int(manifest["bytes"]))
        figures["jieba_mbs"], figures["jieba_cpu_mbs"], figures["jieba_sample_mb"] = jieba
        figures["date"] = time.strftime("%Y-%m-%d %H:%M %Z")
        figures["mb"] = mb
        figures["load"] = os.getloadavg()[1]  # 5-minute average at the end of build and jieba
        record.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    build_mbs = figures["mb"] / figures["seconds"]
    print(f"  {figures['command']}")
    print(f"  {figures['documents']} reports, {figures['sections']} sections in {figures['seconds']:.1f} s: "
          f"{build_mbs:.3f} MB/s" + (f", peak memory {figures['peak_mb']:.0f} MB (largest process)"
                                     if "peak_mb" in figures else ""))
    print(f"  jieba precise (HMM=False, 1 core) on {figures['jieba_sample_mb']:.1f} MB of the same reports: "
          f"{figures['jieba_mbs']:.3f} MB/s  →  build = {build_mbs / figures['jieba_mbs']:.2f} × jieba")
    if "cpu_seconds" in figures:  # CPU time hardly depends on what else the machine runs
        build_cpu = figures["mb"] / figures["cpu_seconds"]
        print(f"  per CPU-second (less sensitive to a shared machine): build {build_cpu:.3f} MB "
              f"({figures['cpu_seconds']:.0f} CPU-s), jieba {figures['jieba_cpu_mbs']:.3f} MB  →  "
              f"{build_cpu / figures['jieba_cpu_mbs']:.2f} ×")
    if args.build_only:
        return

    brute, prefolded, fold_s = brute_force(corpus_dir, args.brute_runs, work / "brute.json" if args.keep else None)

    with server(index_dir, work / "webapp.log", args.workers) as (base, pid, ready):
        print(f"\nserver: python -m webapp --index {index_dir} --port {base.rsplit(':', 1)[1]}"
              f"{f' --workers {args.workers}' if args.workers > 1 else ''}")
        print(f"start-up to first answer (/api/search?q=&size=1): {ready:.2f} s; CPU {cpu_seconds(pid):.2f} s")
        mem = memory(pid)
        print(f"app memory after start-up: RssAnon {mem.get('RssAnon', 0) / 1024:.0f} MB, "
              f"Pss {mem.get('Pss', 0) / 1024:.0f} MB, VmRSS {mem.get('VmRSS', 0) / 1024:.0f} MB")
        cpu = cpu_seconds(pid)
        cold = cold_answers(base)
        print("cold first answers: " + ", ".join(f"{t} {ms:.0f} ms ({n} sections)" for t, ms, n in cold)
              + f"; CPU {cpu_seconds(pid) - cpu:.2f} s")
        print(f"HTTP GET /api/search?…&size=10, {args.runs} runs after one warm-up; brute force: "
              "fastest scan (fold t2s + strip + test per query)")
        head = (f"{'query':<28}{'p50 ms':>9}{'p95 ms':>9}{'sections':>9}{'reports':>8} │"
                f"{'brute s':>8}{'sections':>9}{'reports':>8}{'brute/p50':>10}{'prefolded ms':>13}")
        print(head + "\n" + "─" * len(head))
        mismatches = []
        for query in bf.QUERIES:
            times, answer = latency(base, query, args.runs)
            p50 = statistics.median(times)
            scan, brute_s = brute[query.label]
            same = (answer["total"], answer["total_reports"]) == (scan.sections, scan.reports)
            if not same:
                mismatches.append(query.label)
            print(f"{query.label:<28}{p50:>9.1f}{percentile(times, 95):>9.1f}{answer['total']:>9}"
                  f"{answer['total_reports']:>8} │{brute_s:>8.2f}{scan.sections:>9}{scan.reports:>8}"
                  f"{brute_s * 1000 / p50:>9.1f}×{prefolded[query.label].seconds * 1000:>13.0f}"
                  f"{'' if same else '  ≠'}")
        print(f"(prefolded: the scan over text folded once beforehand, which took {fold_s:.1f} s)")
        print("counts: product = brute force for every query" if not mismatches
              else f"counts differ (≠) for: {', '.join(mismatches)}")
        before_load = memory(pid).get("VmHWM", 0) / 1024
        cpu = cpu_seconds(pid)
        result = load(base, args.clients, args.seconds, max_requests=100_000)
        print(f"\n{args.clients} concurrent clients for {args.seconds:.0f} s (the six queries in turn): "
              f"{result['ok']} answers in {result['elapsed']:.1f} s = {result['rps']:.1f} requests/s, "
              f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, errors {result['errors']}"
              f"{' ' + ','.join(result['error_kinds']) if result['errors'] else ''}; "
              f"server CPU {cpu_seconds(pid) - cpu:.1f} s in {result['elapsed']:.1f} s wall")
        mem = memory(pid)
        print(f"app memory: private (RssAnon) {mem.get('RssAnon', 0) / 1024:.0f} MB, "
              f"Pss {mem.get('Pss', 0) / 1024:.0f} MB; "
              f"peak (VmHWM) {mem.get('VmHWM', 0) / 1024:.0f} MB ({before_load:.0f} MB before the "
              f"concurrent clients), now (VmRSS) {mem.get('VmRSS', 0) / 1024:.0f} MB"
              + (f" (added over {len(tree(pid))} processes)" if len(tree(pid)) > 1 else ""))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (machine shared: figures are noisy under load)")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()

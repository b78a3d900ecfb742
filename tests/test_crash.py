"""kill -9 at random moments of `build` and `add`: the index holds the reports of before or of after."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from small_reports import write_report

from indexer import SearchRequest, open_index
from indexer.index.storage import COMPLETE, current_generation

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 21  # 7 each of add, build, build --full
SEED = 11


def digest_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def run(args: list[str], kill_after: float | None, log: Path) -> bool:
    """Run `python -m indexer ARGS`, SIGKILLed after `kill_after` seconds; True if it finished."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "indexer", *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        try:
            proc.wait(timeout=kill_after if kill_after is not None else 60)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return False
    assert proc.returncode == 0, log.read_text(encoding="utf-8", errors="replace")
    return True


def live_docs(index: Path) -> set[str]:
    """The live reports, after checking that every one is complete and searchable."""
    ix = open_index(index)
    reports = ix.reports()
    docs = {r["doc_id"] for r in reports}
    browse = ix.search(SearchRequest("", {"measure": ("容缺受理",)}, page_size=100, group=True))
    assert {g.doc_id for g in browse.groups or ()} == docs  # every small report mentions 容缺受理
    for r in reports:
        serial = r["file"][1:4]
        found = ix.search(SearchRequest(f'"专项{serial}号"', page_size=10))
        assert [h.doc_id for h in found.hits] == [r["doc_id"]]
        assert len(ix.document(r["doc_id"]).sections) == len(r["sections"])  # type: ignore[union-attr]
    ix.close()
    return docs


def test_kill_9_at_random_moments_leaves_before_or_after(tmp_path):
    rng = random.Random(SEED)
    src, index = tmp_path / "src", tmp_path / "index"
    for serial in range(3):
        write_report(src, serial)
    common = ["--source", str(src), "--index", str(index)]
    log = tmp_path / "stderr.txt"
    started = time.monotonic()
    assert run(["build", *common], None, log)
    took = {"build": time.monotonic() - started}
    outcomes = {"before": 0, "after": 0}
    serial = 100
    for trial in range(TRIALS):
        before = live_docs(index)
        kind = ("add", "build", "full")[trial % 3]
        serial += 1
        new = write_report(src, serial)
        if kind == "add":
            args, after = ["add", new.name, *common], before | {digest_id(new)}
        else:
            if trial % 2:  # an incremental build also drops a file
                victim = sorted(src.glob("r*.txt"))[0]
                victim.unlink()
            args = ["build", *common, *(["--full"] if kind == "full" else [])]
            after = {digest_id(p) for p in src.glob("r*.txt")}
        finished = run(args, rng.uniform(0.05, 1.6) * took["build"], log)
        now = live_docs(index)
        assert now in (before, after), (trial, kind)
        assert now == after or not finished
        outcomes["after" if now == after and after != before else "before"] += 1
    assert outcomes["before"] and outcomes["after"], outcomes  # the kills landed on both sides of publish
    assert run(["build", *common], None, log)  # the next writer cleans what the killed ones left
    generations = list(index.glob("gen-*"))
    assert all((g / COMPLETE).exists() for g in generations) and len(generations) <= 2
    assert current_generation(index) in {g.name for g in generations}
    assert live_docs(index) == {digest_id(p) for p in src.glob("r*.txt")}

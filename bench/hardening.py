"""Costly requests and hostile input (issue 20): wall and CPU seconds of each, printed.

    python bench/hardening.py --copies 60      # 300 reports (seed copies) + one with a 200k-character section

Requests go through the Flask test client (no network): a 200k-character section searched with
100 single characters and with 25 terms, URLs of 2,000 values, a search download of 的. Then the
generated hostile corpus (tests/hostile_corpus.py) is built, with its peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile_corpus import write_corpus  # noqa: E402
from research_speed import make_corpus  # noqa: E402

from indexer import build_index  # noqa: E402

CHARS = "行政许可审批监管服务事项办理受理容缺承诺制度改革推进落实企业群众便利优化营商环境"


def long_section(target: Path, chars: int = 200_000) -> None:
    """A report whose one section holds `chars` characters of sentences made of CHARS."""
    rng = random.Random(7)
    body = "".join(rng.choice(CHARS) + ("。" if rng.random() < 0.05 else "") for _ in range(chars))
    (target / "long.txt").write_text("某某市行政审批局2023年度行政许可实施和监督管理情况报告\n一、基本情况\n"
                                     + body + "\n", encoding="utf-8")


def timed(label: str, call: Callable[[], object]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    status = getattr(result, "status_code", "")
    size = len(getattr(result, "data", b"") or b"")
    print(f"{label:<58} {time.perf_counter() - wall:7.3f} s wall {time.process_time() - cpu:7.3f} s CPU"
          f"  {status} {size / 1024:.0f} KB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=60, help="copies of each seed report (default 60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, index = Path(tmp) / "src", Path(tmp) / "index"
        src.mkdir()
        make_corpus(src, args.copies)
        long_section(src)
        build_index([src], index)
        from webapp import create_app

        client = create_app({"TESTING": True, "INDEX_DIR": str(index), "BUILD_IF_MISSING": False}).test_client()
        client.get("/search?q=许可")  # warm
        singles = quote(" ".join(CHARS[:40] * 3)[:199])
        terms25 = quote(" ".join(["行政许可", "审批", "监管", "容缺受理", "告知承诺", "营商环境"] * 4 + ["办理"]))
        timed("/search 100 single characters, 200k-character section", lambda: client.get(f"/search?q={singles}"))
        timed("/search 25 terms, 200k-character section", lambda: client.get(f"/search?q={terms25}"))
        long_id = next(r["doc_id"] for r in client.get("/api/docs").get_json() if r["file"] == "long.txt")
        timed("/doc of the 200k-character section, 100 single characters",
              lambda: client.get(f"/doc/{long_id}?q={singles}"))
        timed("/api/search 100 single characters", lambda: client.get(f"/api/search?q={singles}&size=100"))
        timed("/compare 100 single characters", lambda: client.get(f"/compare?q={singles}"))
        same = "&".join(["region=" + quote("广州")] * 2000)
        distinct = "&".join("region=" + quote(f"地区{i}") for i in range(2000))
        timed("/search 2,000 x region=广州 (400)", lambda: client.get(f"/search?{same}"))
        timed("/search 2,000 distinct regions (400)", lambda: client.get(f"/search?{distinct}"))
        timed("/compare 2,000 x measure=秒批 (400)", lambda: client.get("/compare?" + "&".join(
            ["measure=" + quote("秒批")] * 2000)))
        timed("/export/search 2,000 x region (400, xlsx)", lambda: client.get(f"/export/search?format=xlsx&{same}"))
        for fmt in ("csv", "xlsx"):
            url = f"/export/search?q={quote('的')}&format={fmt}"
            timed(f"/export/search q=的 {fmt} (capped)", lambda url=url: client.get(url))
        hostile = Path(tmp) / "hostile"
        timed("hostile corpus: generate", lambda: write_corpus(hostile / "src", hostile / "outside"))
        timed("hostile corpus: build", lambda: build_index([hostile / "src"], hostile / "index"))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()

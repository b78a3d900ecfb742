"""Time of the researcher views on a corpus made of copies of the seed reports.

    python bench/research_speed.py --copies 40     # 200 reports; prints seconds per call

Copy i of a seed names the year 2000 + i (every "20xx年" of the text moved), so the matrix
grows by a column per copy and every cell is worked out; the rest of the work is in
`matches()` over every section and the highlighting of the exported passages.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer import SearchRequest, build_index, open_index  # noqa: E402
from indexer.config import DEFAULT_SOURCE_DIR  # noqa: E402
from indexer.research.compare import build_matrix, side_by_side  # noqa: E402
from indexer.research.downloads import figures_table, render, search_table  # noqa: E402

PROBLEMS = SearchRequest(filters={"section_type": ("存在问题",)})
YEAR = re.compile(r"20\d\d(?=\s*年)")


def make_corpus(target: Path, copies: int) -> None:
    """`copies` of every seed, copy i moved to the year 2000 + i."""
    for seed in sorted(DEFAULT_SOURCE_DIR.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for i in range(copies):
            moved = YEAR.sub(str(2000 + i), text)
            (target / f"{seed.stem}-{i:04d}.txt").write_text(f"{moved}\n（副本 {i}）\n", encoding="utf-8")


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median seconds of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, ix_dir = Path(tmp) / "src", Path(tmp) / "ix"
        src.mkdir()
        make_corpus(src, args.copies)
        stats = build_index([src], ix_dir)
        index = open_index(ix_dir)
        print(f"{stats.documents} reports, {stats.sections} sections")
        cases: dict[str, Callable[[], Any]] = {
            "matrix 容缺受理": lambda: build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)})),
            "matrix q=监管": lambda: build_matrix(index, SearchRequest("监管")),
            "side by side 存在问题": lambda: side_by_side(index, PROBLEMS),
            "export search 监管 (xlsx)": lambda: render(search_table(index, SearchRequest("监管")), "xlsx"),
            "figures table": lambda: figures_table(index),
        }
        for name, call in cases.items():
            seconds, result = timed(call, args.repeat)
            size = f"{len(result):,} bytes" if isinstance(result, bytes) else ""
            print(f"{name:<28} {seconds * 1000:8.1f} ms  {size}")
        index.close()


if __name__ == "__main__":
    main()

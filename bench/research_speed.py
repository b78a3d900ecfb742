"""Time of the researcher views on a corpus made of copies of the seed reports, or on a given one.

    python bench/research_speed.py --copies 40     # 200 reports; prints seconds per call
    python bench/corpus.py --reports 10000 --out "$TMPDIR"/corpus10k
    python bench/research_speed.py --corpus "$TMPDIR"/corpus10k   # builds it (reuse's share of the
                                                                  # build timed apart), then the tools
    python bench/research_speed.py --index <built index> --only diffusion,changes   # no build

Copy i of a seed names the year 2000 + i (every "20xx年" of the text moved), so the matrix
grows by a column per copy and every cell is worked out; the rest of the work is in
`matches()` over every section and the highlighting of the exported passages.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import indexer.index.build as build_module  # noqa: E402
from indexer import SearchRequest, build_index, open_index  # noqa: E402
from indexer.config import DEFAULT_SOURCE_DIR  # noqa: E402
from indexer.research.changes import build_changes  # noqa: E402
from indexer.research.compare import agency_of, build_matrix, side_by_side  # noqa: E402
from indexer.research.diffusion import build_diffusion  # noqa: E402
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
    """The median seconds of `repeat` calls (printed with their median CPU seconds), and the last result."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    timed.cpu = statistics.median(cpu)  # type: ignore[attr-defined]
    return statistics.median(times), result


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the whoosh writer processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(src: Path, ix_dir: Path) -> Any:
    """Build the index, printing wall and CPU seconds of the whole build and of its reuse step."""
    spent = {"wall": 0.0, "cpu": 0.0}
    original = build_module.write_reuse

    def write_reuse(*args: Any) -> None:
        wall, cpu = time.perf_counter(), cpu_seconds()
        original(*args)
        spent["wall"] += time.perf_counter() - wall
        spent["cpu"] += cpu_seconds() - cpu

    build_module.write_reuse = write_reuse
    wall, cpu = time.perf_counter(), cpu_seconds()
    try:
        stats = build_index([src], ix_dir)
    finally:
        build_module.write_reuse = original
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    print(f"{stats.documents} reports, {stats.sections} sections")
    print(f"build {wall:.1f} s wall, {cpu:.1f} CPU-s; of which reuse {spent['wall']:.1f} s wall, "
          f"{spent['cpu']:.1f} CPU-s: +{spent['cpu'] / max(1e-9, cpu - spent['cpu']):.1%} CPU over the build "
          f"without it, +{spent['wall'] / max(1e-9, wall - spent['wall']):.1%} wall")
    return stats


def tool_cases(index: Any) -> dict[str, Callable[[], Any]]:
    """The research tools: diffusion of a measure and of a query, changes of the agency with most
    years, and the reuse of passages (a lookup and the counts a result page shows)."""
    by_agency: dict[str, set[int]] = {}
    for summary in index.reports():
        if summary.get("year") is not None:
            by_agency.setdefault(agency_of(summary), set()).add(summary["year"])
    agency = max(by_agency, key=lambda a: (len(by_agency[a]), a))
    page = [h.id for h in index.search(SearchRequest("监管")).hits]
    from urllib.parse import quote

    from webapp import create_app

    client = create_app({"INDEX_DIR": str(index.path), "BUILD_IF_MISSING": False, "TESTING": True}).test_client()

    def get(url: str) -> Callable[[], Any]:
        def call() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.data)
        return call

    return {
        "diffusion 容缺受理": lambda: build_diffusion(index, SearchRequest(filters={"measure": ("容缺受理",)})),
        "diffusion q=告知承诺": lambda: build_diffusion(index, SearchRequest("告知承诺")),
        f"changes ({len(by_agency[agency])} years)": lambda: build_changes(index, agency),
        "reuse of a passage": lambda: index.reuse(page[0]),
        "copy counts of a page": lambda: index.copy_counts(page),
        "page /diffusion 容缺受理": get("/diffusion?measure=" + quote("容缺受理")),
        "page /changes": get("/changes?agency=" + quote(agency)),
        "page /reuse": get("/reuse?passage=" + page[0]),
        "page /search 监管 (reuse notes)": get("/search?q=" + quote("监管")),
        "page /search 监管 copies=fold": get("/search?copies=fold&q=" + quote("监管")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a folder of reports to build and time the tools on")
    parser.add_argument("--index", type=Path, help="an index already built: time the views only")
    parser.add_argument("--only", default="", help="time only cases whose name holds one of these (a,b)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, ix_dir = Path(tmp) / "src", args.index or Path(tmp) / "ix"
        if args.corpus:
            src = args.corpus
        elif not args.index:
            src.mkdir()
            make_corpus(src, args.copies)
        if not args.index:
            timed_build(src, ix_dir)
        index = open_index(ix_dir)
        cases: dict[str, Callable[[], Any]] = {
            "matrix 容缺受理": lambda: build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)})),
            "matrix q=监管": lambda: build_matrix(index, SearchRequest("监管")),
            "side by side 存在问题": lambda: side_by_side(index, PROBLEMS),
            "export search 监管 (xlsx)": lambda: render(search_table(index, SearchRequest("监管")), "xlsx"),
            "figures table": lambda: figures_table(index),
            **tool_cases(index),
        }
        for name, call in cases.items():
            if args.only and not any(part in name for part in args.only.split(",")):
                continue
            seconds, result = timed(call, args.repeat)
            size = f"{len(result):,} bytes" if isinstance(result, bytes) else ""
            print(f"{name:<28} {seconds * 1000:8.1f} ms  ({timed.cpu * 1000:.1f} ms CPU)  {size}",  # type: ignore[attr-defined]
                  flush=True)
        index.close()


if __name__ == "__main__":
    main()

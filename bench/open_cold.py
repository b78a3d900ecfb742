"""Opening a generation and its cold first answers, in one fresh process, with where the time goes.

    python bench/open_cold.py --index DIR            # open, then 行政许可 and 政务服务 cold
    python bench/open_cold.py --index DIR --terms 容缺受理 踏勘

Prints the open (wall and CPU seconds, RssAnon before and after), then per term the cold
first search (`SearchIndex.search`, page of 10 with facets and highlights) split into its
parts as the engine runs them: postings decoding (whoosh → row arrays), intersections of
the bigram lists, verification (counting the term in every candidate's text), boilerplate
discounts (on a mapped generation: positions → rows and line weights), and the rest
(scoring, facets, ordering, highlights). Only in-process figures: bench/speed.py measures
the same over HTTP.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_anon_mb() -> float:
    status = Path("/proc/self/status").read_text()
    found = re.search(r"RssAnon:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else float("nan")


class Clock:
    """Wall and CPU seconds spent inside named parts (nested parts counted in both)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[float]] = {}

    @contextmanager
    def part(self, name: str):  # type: ignore[no-untyped-def]
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            spent = self.parts.setdefault(name, [0.0, 0.0])
            spent[0] += time.perf_counter() - start
            spent[1] += time.process_time() - cpu


def timed(clock: Clock, name: str, owner: object, method: str) -> None:
    """Wrap `owner.method` so its calls are timed under `name`."""
    inner = getattr(owner, method)

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        with clock.part(name):
            return inner(*args, **kwargs)

    object.__setattr__(owner, method, wrapper)  # frozen dataclasses too


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--terms", nargs="*", default=["行政许可", "政务服务"])
    args = parser.parse_args()

    import numpy as np  # noqa: F401 - imported before the open is timed, as the app has it

    from indexer.models import SearchRequest
    from indexer.search.searchindex import open_index
    from indexer.text.analysis import segmenter

    segmenter()  # the app loads jieba at start-up, before it opens the index
    before = rss_anon_mb()
    start, cpu = time.perf_counter(), time.process_time()
    index = open_index(args.index)
    opened, opened_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"open {args.index}: {opened * 1000:.0f} ms wall, {opened_cpu * 1000:.0f} ms CPU; "
          f"RssAnon {before:.0f} → {rss_anon_mb():.0f} MB; {index.engine.n} rows")

    clock = Clock()
    postings, engine = index.engine.postings, index.engine
    timed(clock, "decode postings", postings, "rows")
    timed(clock, "candidates (decode + intersect)", postings, "candidates")
    scan = getattr(engine, "scan", None)  # a mapped generation locates terms in its text buffer
    if scan is not None:
        timed(clock, "boilerplate discount", scan, "_count")  # positions → rows, counts and line weights
        timed(clock, "whole-buffer scan", scan, "_scan")
    else:
        timed(clock, "boilerplate discount", engine.demotion, "discounted")
    timed(clock, "occurrences (candidates + verify + discount)", engine, "occurrences")
    timed(clock, "highlights", index, "_hits")
    timed(clock, "facets", index, "_facets")
    for term in args.terms:
        clock.parts.clear()
        start, cpu = time.perf_counter(), time.process_time()
        result = index.search(SearchRequest(text=term, page_size=10))
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        print(f"\ncold {term}: {wall * 1000:.0f} ms wall, {used * 1000:.0f} ms CPU "
              f"({result.total} sections, {result.total_reports} reports)")
        parts = clock.parts
        cand = parts.get("candidates (decode + intersect)", [0, 0])
        dec = parts.get("decode postings", [0, 0])
        occ = parts.get("occurrences (candidates + verify + discount)", [0, 0])
        disc = parts.get("boilerplate discount", [0, 0])
        rows = [("decode postings", dec), ("intersections", [cand[0] - dec[0], cand[1] - dec[1]]),
                ("verification (count in candidates)", [occ[0] - cand[0] - disc[0], occ[1] - cand[1] - disc[1]]),
                ("boilerplate discount", disc), ("facets", parts.get("facets", [0, 0])),
                ("highlights", parts.get("highlights", [0, 0]))]
        if "whole-buffer scan" in parts:
            rows.insert(3, ("  of which one scan of the whole buffer", parts["whole-buffer scan"]))
        accounted = sum(r[1][0] for r in rows if not r[0].startswith(" "))
        used_parts = sum(r[1][1] for r in rows if not r[0].startswith(" "))
        rows.append(("the rest (scoring, masks, ordering)", [wall - accounted, used - used_parts]))
        for name, (w, c) in rows:
            print(f"  {name:<38}{w * 1000:>8.1f} ms wall {c * 1000:>8.1f} ms CPU")
        start = time.perf_counter()
        index.search(SearchRequest(text=term, page_size=10))
        print(f"  warm again: {(time.perf_counter() - start) * 1000:.1f} ms")
    print(f"\nRssAnon at the end: {rss_anon_mb():.0f} MB")
    index.close()


if __name__ == "__main__":
    main()

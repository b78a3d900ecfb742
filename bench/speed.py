"""Build throughput and query latency on a corpus made of copies of the seed reports.

    python bench/speed.py --copies 100     # 500 reports; prints MB/s and query p50/p95

Each copy gets a distinct last line (so no copy is skipped as a duplicate). Build speed is
compared with jieba's own one-core segmentation of the same text, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer import SearchRequest, build_index, open_index, run_search  # noqa: E402
from indexer.analysis import segmenter  # noqa: E402
from indexer.config import DEFAULT_SOURCE_DIR  # noqa: E402

QUERIES = ["容缺受理", '"双随机、一公开"', "人民共和国", "电子证照 共享", "秒批 OR 告知承诺", "监管 -广州",
           "全面贯彻", ""]


def make_corpus(target: Path, copies: int) -> int:
    """Write `copies` of every seed report; returns the total size in bytes."""
    total = 0
    for seed in sorted(DEFAULT_SOURCE_DIR.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for i in range(copies):
            data = f"{text}\n（副本 {i}）\n".encode()
            (target / f"{seed.stem}-{i:05d}.txt").write_bytes(data)
            total += len(data)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, index_dir = Path(tmp, "src"), Path(tmp, "index")
        src.mkdir()
        size = make_corpus(src, args.copies)
        mb = size / 1e6
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(src.glob("*.txt")))
        seg = segmenter()
        start = time.perf_counter()
        for _ in seg.tokenize(text, HMM=False):
            pass
        jieba_s = time.perf_counter() - start
        start = time.perf_counter()
        stats = build_index([src], index_dir)
        build_s = time.perf_counter() - start
        print(f"corpus: {stats.documents} reports, {stats.sections} sections, {mb:.1f} MB")
        print(f"jieba precise segmentation (1 core): {mb / jieba_s:.2f} MB/s")
        print(f"build (read, parse, index, publish): {mb / build_s:.2f} MB/s  "
              f"= {jieba_s / build_s:.2f} x jieba's speed ({build_s:.1f} s)")
        index = open_index(index_dir)
        print(f"\n{'query':<22}{'hits':>7}{'p50 ms':>9}{'p95 ms':>9}   (facets + highlights, grouped by report)")
        all_times = []
        with index.whoosh.searcher() as searcher:
            for query in QUERIES:
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    result = run_search(searcher, SearchRequest(query, group=True))
                    times.append((time.perf_counter() - t) * 1000)
                all_times += times
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{query or '(browse all)':<22}{result.total:>7}{statistics.median(times):>9.1f}{p95:>9.1f}")
        p95_all = statistics.quantiles(all_times, n=20)[-1]
        print(f"{'ALL':<22}{'':>7}{statistics.median(all_times):>9.1f}{p95_all:>9.1f}")


if __name__ == "__main__":
    main()

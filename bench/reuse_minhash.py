"""MinHash for text reuse: the project's numpy signatures against the datasketch library, on the
sections of a folder of reports (speed, and error against the exact Jaccard similarity).

    python bench/corpus.py --reports 10000 --out "$TMPDIR"/corpus10k
    python bench/reuse_minhash.py "$TMPDIR"/corpus10k --files 300     # needs: pip install datasketch

Also checks the build's grouping (LSH bands + confirmation) against a brute-force search of every
pair of the first --pairs sections: pairs at or above the threshold found, and pairs reported wrongly.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import combinations, islice
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.config import REUSE_MIN_CHARS, REUSE_PERMUTATIONS, REUSE_SHINGLE, REUSE_SIMILARITY  # noqa: E402
from indexer.index.reuse import ReuseTable, distinct, groups, reuse_text, signatures, similarity  # noqa: E402
from indexer.ingest.parsing import parse_report  # noqa: E402
from indexer.ingest.reading import find_sources, read_source  # noqa: E402


def shingle_set(text: str) -> set[str]:
    return {text[i:i + REUSE_SHINGLE] for i in range(len(text) - REUSE_SHINGLE + 1)}


def datasketch_signatures(texts: list[str]) -> tuple[float, np.ndarray]:
    from datasketch import MinHash

    start = time.process_time()
    out = []
    for text in texts:
        m = MinHash(num_perm=REUSE_PERMUTATIONS)
        m.update_batch([s.encode("utf-8") for s in shingle_set(text)])
        out.append(m.hashvalues)
    return time.process_time() - start, np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=1500, help="sections whose every pair is checked exactly")
    args = parser.parse_args()
    texts = []
    for path in islice(find_sources([args.folder]), args.files):
        sections = parse_report(read_source(path)).sections
        texts += [t for s in sections if len(t := reuse_text(s.body)) >= REUSE_MIN_CHARS]
    chars = sum(map(len, texts))
    print(f"{len(texts):,} sections of ≥ {REUSE_MIN_CHARS} characters ({chars:,} characters) from {args.files} files")
    start = time.process_time()
    ours = signatures(texts)
    ours_s = time.process_time() - start
    print(f"numpy signatures      {ours_s:7.2f} CPU-s  ({ours_s / len(texts) * 1e6:6.0f} µs a section)")
    try:
        theirs_s, theirs = datasketch_signatures(texts)
        print(f"datasketch MinHash    {theirs_s:7.2f} CPU-s  ({theirs_s / len(texts) * 1e6:6.0f} µs a section)")
    except ImportError:
        theirs = None
        print("datasketch MinHash    (not installed)")
    n = min(args.pairs, len(texts))
    sets = [shingle_set(t) for t in texts[:n]]
    exact, est_ours, est_theirs = [], [], []
    truth = set()
    for a, b in combinations(range(n), 2):
        j = len(sets[a] & sets[b]) / len(sets[a] | sets[b])
        if j >= REUSE_SIMILARITY:
            truth.add((a, b))
        if j >= 0.2 or (a * 7 + b) % 97 == 0:  # every similar pair, and a sample of the rest
            exact.append(j)
            est_ours.append(float(similarity(ours[a], ours[b:b + 1])[0]))
            if theirs is not None:
                est_theirs.append(float((theirs[a] == theirs[b]).mean()))
    exact_a = np.array(exact)
    partial = (exact_a > 0.05) & (exact_a < 0.95)
    print(f"error against exact Jaccard on {len(exact):,} pairs (all with J ≥ 0.2 and a sample), "
          f"and on the {int(partial.sum()):,} of them with 0.05 < J < 0.95:")
    for name, est in (("numpy", est_ours), ("datasketch", est_theirs)):
        if est:
            err = np.abs(np.array(est) - exact_a)
            print(f"  {name:<11} mean |err| {err.mean():.3f}, partial pairs {err[partial].mean():.3f} "
                  f"(max {err[partial].max() if partial.any() else 0:.3f})")
    start = time.process_time()
    unique, uid = distinct(ours[:n])
    table = ReuseTable(unique, uid, groups(unique, uid))
    group_s = time.process_time() - start
    alive = np.ones(n, dtype=bool)
    found = {(min(a, b), max(a, b)) for a in range(n) for b, _ in table.near(a, alive)}
    print(f"grouping of {n:,} sections {group_s:.2f} CPU-s; pairs with exact J ≥ {REUSE_SIMILARITY}: {len(truth):,}, "
          f"found {len(truth & found):,} (recall {len(truth & found) / max(1, len(truth)):.3f}), "
          f"reported below it {len(found - truth):,}")


if __name__ == "__main__":
    main()

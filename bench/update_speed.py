"""Seconds of a full build against the updates (add, remove, build with nothing changed).

    python bench/update_speed.py --copies 200      # 1,000 reports made of moved copies of the seeds

Each update is a new generation (clone of the live one, postings hard-linked): its cost
should follow the changed files, not the corpus; what still grows with the corpus is the
clone (catalog and search texts copied), a stat of every file (build) and opening the index.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from research_speed import make_corpus  # noqa: E402

from indexer import SearchRequest, open_index  # noqa: E402
from indexer.index.update import update_index  # noqa: E402


def timed(name: str, call: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = call()
    print(f"{name:<38} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, ix = Path(tmp) / "src", Path(tmp) / "ix"
        src.mkdir()
        make_corpus(src, args.copies)
        stats = timed("build --full", lambda: update_index([src], ix, full=True))
        print(f"  {stats.documents} reports, {stats.sections} sections")
        new = src / "新增.txt"
        new.write_text(next(src.glob("*.txt")).read_text(encoding="utf-8") + "\n开展专项900号整治行动。\n",
                       encoding="utf-8")
        timed("add 1 file", lambda: update_index([src], ix, add=[new]))
        new.unlink()
        timed("remove 1 file", lambda: update_index([src], ix, remove=[new.name]))
        stats = timed("build, nothing changed (stat only)", lambda: update_index([src], ix))
        assert not stats.changed, stats
        changed = sorted(src.glob("*.txt"))[:10]
        for path in changed:
            path.write_text(path.read_text(encoding="utf-8") + "\n（修订）\n", encoding="utf-8")
        stats = timed("build, 10 files changed", lambda: update_index([src], ix))
        print(f"  updated {stats.updated}, unchanged {stats.unchanged}")
        index = timed("open the updated index", lambda: open_index(ix))
        timed("search 监管 on it", lambda: index.search(SearchRequest("监管")))
        index.close()


if __name__ == "__main__":
    main()

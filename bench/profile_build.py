"""Where a build's time goes: cProfile (CPU time) over `python -m indexer build` on generated reports.

    python bench/profile_build.py --reports 300

Runs the CLI build under cProfile, then splits the run's time into buckets by the code that
spent it (a built-in such as a regex search counts for the code that called it): whoosh
(documents, postings, segment writing), jieba, our tokenizers and analysis, folding (opencc),
parsing (reading, sections, metadata, measures), the rest. It also prints the cumulative time
of the build's main calls. cProfile slows pure-Python code more than C code: read the shares
as a guide, and the total as a profiled (slower) run.
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import corpus as gen

ROOT = Path(__file__).resolve().parent.parent
BUCKETS = (  # (bucket, path fragments), first match wins
    ("whoosh: documents, postings, segments", ("/whoosh/",)),
    ("jieba segmentation", ("/jieba/",)),
    ("folding (opencc t2s)", ("/opencc/", "indexer/text/normalize.py")),
    ("our tokenizers (indexer/text/analysis.py)", ("indexer/text/analysis.py",)),
    ("parsing: read, sections, metadata, measures", ("indexer/ingest/reading.py", "indexer/ingest/parsing.py",
                                                     "indexer/ingest/sections.py", "indexer/ingest/metadata.py",
                                                     "indexer/ingest/measures.py", "indexer/ingest/regions.py")),
    ("build loop, storage, CLI", ("indexer/",)),
    ("progress bars (tqdm)", ("/tqdm/",)),
)
# `python -m indexer build …` under cProfile timed by CPU time, which other load hardly moves.
RUNNER = """
import cProfile, runpy, sys, time
out, sys.argv = sys.argv[1], ["indexer", *sys.argv[2:]]
profile = cProfile.Profile(time.process_time)
profile.enable()
try:
    runpy.run_module("indexer", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
finally:
    profile.disable()
    profile.dump_stats(out)
"""
MAIN_CALLS = ("read_reports", "parse_report", "add_document", "commit", "segmenter", "publish", "find_measures")

Func = tuple[str, int, str]


def bucket(func: Func) -> str | None:
    """The bucket of a Python function, None for a built-in."""
    path = func[0]
    if path.startswith("~") or path.startswith("<"):
        return None
    return next((name for name, parts in BUCKETS if any(p in path for p in parts)), "other Python")


def split_time(stats: pstats.Stats) -> dict[str, float]:
    """Exclusive time per bucket; a built-in's time goes to its callers' buckets."""
    raw = stats.stats  # type: ignore[attr-defined]
    out: dict[str, float] = defaultdict(float)

    def owner(func: Func, depth: int = 0) -> dict[str, float]:
        """Share of a function's own time per bucket (through its callers if built-in)."""
        if (name := bucket(func)) is not None:
            return {name: 1.0}
        callers = raw[func][4]
        total = sum(c[2] for c in callers.values())
        if depth > 3 or not total:
            return {"built-ins (uncalled)": 1.0}
        shares: dict[str, float] = defaultdict(float)
        for caller, timing in callers.items():
            for name, share in owner(caller, depth + 1).items():
                shares[name] += share * timing[2] / total
        return shares

    for func, (_, _, own, _, _) in raw.items():
        for name, share in owner(func).items():
            out[name] += own * share
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zcjs-profile-") as tmp:
        src, index, prof = Path(tmp, "corpus"), Path(tmp, "index"), Path(tmp, "build.prof")
        manifest = gen.generate(args.reports, src)
        cmd = [sys.executable, "-c", RUNNER, str(prof), "build", "--source", str(src), "--index", str(index)]
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stats = pstats.Stats(str(prof))
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"cProfile of python -m indexer build over {args.reports} generated reports "
          f"({int(manifest['bytes']) / 1e6:.1f} MB): {total:.1f} CPU-s profiled")
    for name, seconds in sorted(split_time(stats).items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:7.1f} CPU-s {seconds / total:6.1%}  {name}")
    print("whoosh's own time by file:")
    by_file: dict[str, float] = defaultdict(float)
    for func, value in stats.stats.items():  # type: ignore[attr-defined]
        if "/whoosh/" in func[0]:
            by_file[func[0].split("/whoosh/", 1)[1]] += value[2]
    for name, seconds in sorted(by_file.items(), key=lambda kv: -kv[1])[:6]:
        print(f"  {seconds:7.1f} CPU-s {seconds / total:6.1%}  whoosh/{name}")
    print("cumulative time of the main calls (nested calls are counted in both):")
    raw = stats.stats  # type: ignore[attr-defined]
    for call in MAIN_CALLS:
        found = [(f, v) for f, v in raw.items() if f[2] == call and "/indexer/" in f[0] or
                 (f[2] == call and "/whoosh/" in f[0] and call in ("add_document", "commit"))]
        for func, (_, calls, _, cum, _) in sorted(found, key=lambda kv: -kv[1][3])[:2]:
            print(f"  {cum:7.1f} CPU-s {cum / total:6.1%}  {call} ({Path(func[0]).parent.name}/{Path(func[0]).name}:"
                  f"{func[1]}, {calls} calls)")


if __name__ == "__main__":
    main()

"""The benchmark queries and a correct brute-force scan over the same section texts.

    python bench/bruteforce.py --corpus DIR     # matching sections and reports per query, and the time

The scan reads each report with the product's parser (so its sections are the ones the index
holds), then for every query folds each section (opencc t2s, full-width → ASCII, lower case),
strips everything but letters, digits and sentence ends, and tests it:

* a text clause matches if its compact form is a substring of one sentence (what a term or a
  quoted phrase finds: inside longer words, punctuation ignored, never across a sentence end);
* a measure clause matches if any of the measure's names or variants is in the section's
  compact text, or one of its regex patterns is (what a measure term and the measure filter
  find: the taxonomy in indexer/ingest/data/measures.toml).

Clauses of one query are AND-ed. `scan` folds per query (the cost the issue compares with);
`prefold` + `scan_prefolded` fold once and keep the folded text, the floor of a plain scan.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import opencc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import RARE_TERM  # noqa: E402

from indexer.ingest.measures import taxonomy  # noqa: E402
from indexer.ingest.parsing import parse_report  # noqa: E402
from indexer.ingest.reading import ReadError, find_sources, read_source  # noqa: E402

_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_STRIP = re.compile(r"[^\w。!?;\n\r]|_")  # keep word characters and sentence ends
_ENDS = re.compile(r"[。!?;\n\r]")


@dataclass(frozen=True)
class BenchQuery:
    """One benchmark query: its label, its /api/search parameters and its clauses for the scan."""

    label: str
    params: tuple[tuple[str, str], ...]
    clauses: tuple[tuple[str, str], ...]  # ("text", needle) or ("measure", name), AND-ed


QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("measure term 容缺受理", (("q", "容缺受理"),), (("measure", "容缺受理"),)),
    BenchQuery("common term 行政许可", (("q", "行政许可"),), (("text", "行政许可"),)),
    BenchQuery('phrase "双随机、一公开"', (("q", '"双随机、一公开"'),), (("text", "双随机、一公开"),)),
    BenchQuery("two terms 电子证照 好差评", (("q", "电子证照 好差评"),),
               (("measure", "电子证照"), ("measure", "好差评"))),
    BenchQuery("browse measure=秒批", (("q", ""), ("measure", "秒批")), (("measure", "秒批"),)),
    BenchQuery(f"rare term {RARE_TERM}", (("q", RARE_TERM),), (("text", RARE_TERM),)),
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Traditional → simplified, full-width → ASCII, lower case."""
    return _t2s().convert(text).translate(_WIDTH).lower()


def sentences_compact(text: str) -> str:
    """Folded text with only word characters and sentence ends left."""
    return _STRIP.sub("", fold(text))


def compact(text: str) -> str:
    return _ENDS.sub("", sentences_compact(text))


@cache
def measure_test(name: str) -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
    """Compact variants and regex patterns of a measure of the taxonomy."""
    measure = next(m for m in taxonomy() if m.name == name)
    return tuple({compact(v) for v in (measure.name, *measure.variants)}), measure.patterns


def matches(sentences: str, query: BenchQuery) -> bool:
    """Whether one section, given as `sentences_compact` text, matches every clause."""
    flat: str | None = None
    for kind, value in query.clauses:
        if kind == "text":
            if compact(value) not in sentences:
                return False
            continue
        flat = flat if flat is not None else _ENDS.sub("", sentences)
        keys, patterns = measure_test(value)
        if not any(k in flat for k in keys) and not any(p.search(flat) for p in patterns):
            return False
    return True


Corpus = list[tuple[str, list[str]]]  # (file name, texts of its sections)


def load_corpus(corpus_dir: Path) -> Corpus:
    """Every report's section texts (heading and body, as indexed), by the product's parser."""
    out: Corpus = []
    for path in find_sources([corpus_dir]):
        try:
            report = parse_report(read_source(path))
        except ReadError:
            continue
        out.append((path.name, [s.text for s in report.sections]))
    return out


@dataclass(frozen=True)
class ScanResult:
    sections: int
    reports: int
    seconds: float


def scan(corpus: Corpus, query: BenchQuery) -> ScanResult:
    """Fold, strip and test every section of every report for one query."""
    start = time.perf_counter()
    sections = reports = 0
    for _, texts in corpus:
        found = sum(1 for text in texts if matches(sentences_compact(text), query))
        sections += found
        reports += found > 0
    return ScanResult(sections, reports, time.perf_counter() - start)


def prefold(corpus: Corpus) -> list[list[str]]:
    """Every section folded and stripped once."""
    return [[sentences_compact(t) for t in texts] for _, texts in corpus]


def scan_prefolded(folded: list[list[str]], query: BenchQuery) -> ScanResult:
    """The same test over text folded beforehand."""
    start = time.perf_counter()
    sections = reports = 0
    for texts in folded:
        found = sum(1 for text in texts if matches(text, query))
        sections += found
        reports += found > 0
    return ScanResult(sections, reports, time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of report files")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    corpus = load_corpus(args.corpus)
    print(f"{len(corpus)} reports, {sum(len(t) for _, t in corpus)} sections "
          f"(parsed in {time.perf_counter() - start:.1f} s)")
    print(f"{'query':<28}{'sections':>9}{'reports':>9}{'scan s':>8}")
    for query in QUERIES:
        result = scan(corpus, query)
        print(f"{query.label:<28}{result.sections:>9}{result.reports:>9}{result.seconds:>8.2f}")


if __name__ == "__main__":
    main()

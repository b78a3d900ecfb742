"""Relevance of the search: report-level figures against two baselines, plus the section-level set.

    python bench/evaluate.py              # everything, per query and means
    python bench/evaluate.py --means-only # the mean rows only
    python bench/evaluate.py --realdev DIR --means-only   # also the blind set over real reports

With `--realdev DIR` (a folder of real report openings; its *.txt files are copied to a
temporary folder with the seeds and indexed there: nothing of it enters the repository) the
report-level table is printed first for bench/relevance_realdev.json (judged blind by a
separate session), with means over all, own words, measure names, the `dev` split (the only
one tuned on) and the `heldout` split.

Report level (bench/relevance_reports.json: query → {file name: grade}, over the seeds in
index_data/reports/ and bench/relevance_corpus/): recall@20 and nDCG@10 for
  system  政策检索 through its public search functions (reports in the order of their best section),
  bm25    plain BM25 over character bigrams of whole reports (t2s-folded; k1=1.2, b=0.75),
  jieba   jieba's stock ChineseAnalyzer + whoosh QueryParser over whole reports,
with means over all queries, own-words queries and measure-name queries.
Section level (bench/relevance.json: passage ids over the seeds only): recall, recall@10, nDCG@10
for the system and the jieba baseline, as before.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer import QueryError, SearchRequest, SearchResult, build_index, open_index  # noqa: E402
from indexer.config import DEFAULT_SOURCE_DIR, MAX_PAGE_SIZE  # noqa: E402
from indexer.ingest.parsing import parse_report  # noqa: E402
from indexer.ingest.reading import find_sources, read_source  # noqa: E402
from indexer.text.normalize import fold, is_han  # noqa: E402

BENCH = Path(__file__).resolve().parent
SECTION_JUDGEMENTS = BENCH / "relevance.json"
REPORT_JUDGEMENTS = BENCH / "relevance_reports.json"
REALDEV_JUDGEMENTS = BENCH / "relevance_realdev.json"
CORPUS_DIR = BENCH / "relevance_corpus"
K_NDCG = 10
K_RECALL = 20

Runner = Callable[[str], list[str]]  # query → ids (report file names or passage ids), best first


# ── the system, through one adapter ─────────────────────────────────────────────────────────────

def open_system(index_dir: Path) -> Callable[[SearchRequest], SearchResult]:
    """The system's search over a built index; the one place that knows the public entry points."""
    index = open_index(index_dir)
    return index.search


def system_reports(run: Callable[[SearchRequest], SearchResult]) -> Runner:
    """Report files in rank order (first occurrence of each report), paging over grouped results."""

    def ranked(query: str) -> list[str]:
        files: list[str] = []
        page = 1
        while True:
            try:
                result = run(SearchRequest(query, page=page, page_size=MAX_PAGE_SIZE, group=True))
            except QueryError:
                return files
            for group in result.groups or ():
                name = Path(group.hits[0].file).name if group.hits else group.doc_id
                if name not in files:
                    files.append(name)
            if page >= result.pages:
                return files
            page += 1

    return ranked


def system_sections(run: Callable[[SearchRequest], SearchResult]) -> Runner:
    """Passage ids in rank order (the first 100 sections)."""

    def ranked(query: str) -> list[str]:
        try:
            return [h.id for h in run(SearchRequest(query, page_size=MAX_PAGE_SIZE)).hits]
        except QueryError:
            return []

    return ranked


# ── baselines ───────────────────────────────────────────────────────────────────────────────────

_WORD = re.compile(r"[0-9a-z]+")


def bigrams(text: str) -> list[str]:
    """t2s-folded tokens: the character bigrams of each CJK run (a lone character stands for
    itself), and each ASCII letter/digit run as one token."""
    folded = fold(text)
    tokens: list[str] = []
    run: list[str] = []
    for ch in folded + "\n":
        if is_han(ch):
            run.append(ch)
            continue
        if run:
            tokens.extend(run if len(run) == 1 else (run[i] + run[i + 1] for i in range(len(run) - 1)))
            run = []
    tokens.extend(_WORD.findall(folded))
    return tokens


def bm25_runner(docs: dict[str, str], k1: float = 1.2, b: float = 0.75) -> Runner:
    """Okapi BM25 over bigram bags of whole documents; documents scoring 0 are left out."""
    bags = {name: Counter(bigrams(text)) for name, text in docs.items()}
    lengths = {name: sum(bag.values()) for name, bag in bags.items()}
    avgdl = sum(lengths.values()) / len(lengths)
    df: Counter[str] = Counter(term for bag in bags.values() for term in bag)
    n = len(bags)

    def ranked(query: str) -> list[str]:
        scores: dict[str, float] = {}
        for term, qtf in Counter(bigrams(query)).items():
            if not df[term]:
                continue
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            for name, bag in bags.items():
                tf = bag[term]
                if tf:
                    norm = tf + k1 * (1 - b + b * lengths[name] / avgdl)
                    scores[name] = scores.get(name, 0.0) + qtf * idf * tf * (k1 + 1) / norm
        return sorted(scores, key=lambda name: (-scores[name], name))

    return ranked


def jieba_runner(docs: dict[str, str]) -> Runner:
    """jieba's stock whoosh analyzer over the documents, queried with whoosh's QueryParser."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import QueryParser

    schema = fields.Schema(id=fields.ID(stored=True), content=fields.TEXT(analyzer=ChineseAnalyzer()))
    ix = RamStorage().create_index(schema)
    writer = ix.writer()
    for doc_id, text in docs.items():
        writer.add_document(id=doc_id, content=text)
    writer.commit()
    parser = QueryParser("content", schema)

    def ranked(query: str) -> list[str]:
        with ix.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(parser.parse(query), limit=None)]

    return ranked


def report_texts(dirs: Iterable[Path]) -> dict[str, str]:
    """File name → decoded text of every report under the folders."""
    return {path.name: read_source(path).text for path in find_sources(dirs)}


def section_texts(dirs: Iterable[Path]) -> dict[str, str]:
    """Passage id → section text of every report under the folders."""
    out: dict[str, str] = {}
    for path in find_sources(dirs):
        report = parse_report(read_source(path))
        out.update((report.passage_id(s), s.text) for s in report.sections)
    return out


# ── metrics and printing ────────────────────────────────────────────────────────────────────────

def ndcg(ranked: Sequence[str], gains: dict[str, int], k: int = K_NDCG) -> float:
    """Normalised discounted cumulative gain of the first k results."""
    dcg = sum(gains.get(x, 0) / math.log2(i + 2) for i, x in enumerate(ranked[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def recall(ranked: Sequence[str], gains: dict[str, int], k: int | None = None, capped: bool = False) -> float:
    """Share of the judged items among the first k results (all results if k is None); capped
    divides by min(judged, k) instead, so a perfect first page scores 1."""
    top = set(ranked if k is None else ranked[:k])
    total = min(len(gains), k) if capped and k else len(gains)
    return len(top & set(gains)) / total if total else 0.0


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


MEAN_ROWS: tuple[tuple[str, Callable[[dict], bool]], ...] = (
    ("MEAN all", lambda q: True),
    ("MEAN own words", lambda q: q["kind"] == "own"),
    ("MEAN measure names", lambda q: q["kind"] == "measure"),
)
SPLIT_ROWS: tuple[tuple[str, Callable[[dict], bool]], ...] = (
    ("MEAN dev (tuned on)", lambda q: q.get("split") == "dev"),
    ("MEAN heldout", lambda q: q.get("split") == "heldout"),
    ("  heldout own words", lambda q: q.get("split") == "heldout" and q["kind"] == "own"),
    ("  heldout measure names", lambda q: q.get("split") == "heldout" and q["kind"] == "measure"),
)


def report_level(queries: list[dict], runners: dict[str, Runner], means_only: bool, title: str = "") -> None:
    """Per query and mean recall@20 / nDCG@10 of each runner, side by side."""
    names = list(runners)
    print(f"\nREPORT LEVEL {title} ({len(queries)} queries; R@{K_RECALL} / nDCG@{K_NDCG} per system)")
    head = "".join(f"{n:>16}" for n in names)
    print(f"{'query':<24}{'kind':<8}{'rel':>4}{head}")
    figures: dict[str, list[tuple[dict, float, float]]] = {n: [] for n in names}
    returned: dict[str, list[int]] = {n: [] for n in names}
    for q in queries:
        gains = q["grades"]
        cells = []
        for n in names:
            ranked = runners[n](q["query"])
            r, g = recall(ranked, gains, K_RECALL), ndcg(ranked, gains)
            figures[n].append((q, r, g))
            returned[n].append(len(ranked))
            cells.append(f"{r:>8.2f}{g:>8.3f}")
        if not means_only:
            print(f"{q['query']:<24}{q['kind']:<8}{len(gains):>4}{''.join(cells)}")
    split = any("split" in q for q in queries)
    for label, chosen in (*MEAN_ROWS, *(SPLIT_ROWS if split else ())):
        cells = []
        for n in names:
            rows = [(r, g) for q, r, g in figures[n] if chosen(q)]
            cells.append(f"{mean([r for r, _ in rows]):>8.3f}{mean([g for _, g in rows]):>8.3f}")
        count = sum(1 for q in queries if chosen(q))
        print(f"{label:<32}{count:>4}{''.join(cells)}")
    print(f"{'reports returned (mean)':<36}{''.join(f'{mean(returned[n]):>16.1f}' for n in names)}")


def section_level(queries: dict[str, dict[str, int]], runners: dict[str, Runner], means_only: bool) -> None:
    """Per query and mean recall / recall@10 / nDCG@10 over sections, side by side."""
    names = list(runners)
    print(f"\nSECTION LEVEL  (bench/relevance.json, {len(queries)} queries; recall / R@10 / nDCG@10)")
    print(f"{'query':<24}{''.join(f'{n:>24}' for n in names)}")
    figures: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
    for query, gains in queries.items():
        cells = []
        for n in names:
            ranked = runners[n](query)
            row = (recall(ranked, gains), recall(ranked, gains, K_NDCG, capped=True), ndcg(ranked, gains))
            figures[n].append(row)
            cells.append(f"{row[0]:>8.2f}{row[1]:>8.2f}{row[2]:>8.3f}")
        if not means_only:
            print(f"{query:<24}{''.join(cells)}")
    cells = [f"{mean([r[0] for r in figures[n]]):>8.3f}{mean([r[1] for r in figures[n]]):>8.3f}"
             f"{mean([r[2] for r in figures[n]]):>8.3f}" for n in names]
    print(f"{'MEAN':<24}{''.join(cells)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--means-only", action="store_true", help="print the mean rows only")
    parser.add_argument("--baseline", action="store_true", help="accepted for old scripts; baselines always run")
    parser.add_argument("--realdev", type=Path, help="a folder of real reports judged in bench/relevance_realdev.json")
    args = parser.parse_args()
    if args.realdev is not None:
        realdev(args.realdev, args.means_only)
    seeds, everything = [DEFAULT_SOURCE_DIR], [DEFAULT_SOURCE_DIR, CORPUS_DIR]
    report_queries = json.loads(REPORT_JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    section_queries = json.loads(SECTION_JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(everything, Path(tmp) / "all")
        build_index(seeds, Path(tmp) / "seeds")
        report_level(report_queries, report_runners(Path(tmp) / "all", report_texts(everything)),
                     args.means_only, "— bench/relevance_reports.json")
        section_level(section_queries, {
            "system": system_sections(open_system(Path(tmp) / "seeds")),
            "jieba+whoosh": jieba_runner(section_texts(seeds)),
        }, args.means_only)


def report_runners(index_dir: Path, docs: dict[str, str]) -> dict[str, Runner]:
    """The system over a built index and the two baselines over the same reports' texts."""
    return {"system": system_reports(open_system(index_dir)), "bm25-bigram": bm25_runner(docs),
            "jieba+whoosh": jieba_runner(docs)}


def realdev(folder: Path, means_only: bool) -> None:
    """The blind set: the folder's *.txt files and the seeds, indexed in a temporary folder."""
    queries = json.loads(REALDEV_JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "realdev"
        copy.mkdir()
        for path in sorted(folder.glob("*.txt")):
            shutil.copy(path, copy / path.name)
        dirs = [DEFAULT_SOURCE_DIR, copy]
        build_index(dirs, Path(tmp) / "index")
        docs = report_texts(dirs)
        report_level(queries, report_runners(Path(tmp) / "index", docs), means_only,
                     f"— bench/relevance_realdev.json over {len(docs)} reports")


if __name__ == "__main__":
    main()

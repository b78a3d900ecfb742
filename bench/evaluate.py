"""Relevance of the search over the seed reports: recall and nDCG@10 per query.

    python bench/evaluate.py            # our analyzer (words + bigrams + measure variants)
    python bench/evaluate.py --baseline # also jieba's stock ChineseAnalyzer + whoosh QueryParser

Judgements are in bench/relevance.json (passage ids → graded relevance).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer import SearchRequest, build_index, open_index, search  # noqa: E402
from indexer.config import DEFAULT_SOURCE_DIR  # noqa: E402

JUDGEMENTS = Path(__file__).with_name("relevance.json")
K = 10


def ndcg(ranked: list[str], gains: dict[str, int], k: int = K) -> float:
    """Normalised discounted cumulative gain of the first k results."""
    dcg = sum(gains.get(pid, 0) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def evaluate(name: str, run: Callable[[str], list[str]], queries: dict[str, dict[str, int]]) -> dict[str, float]:
    """Print per-query figures for one system and return its means."""
    print(f"\n{name}\n{'query':<22}{'found':>8}{'recall':>8}{'R@10':>7}{'nDCG@10':>9}")
    rows = []
    for query, gains in queries.items():
        ranked = run(query)
        found = len(set(ranked) & set(gains))
        recall = found / len(gains)
        recall10 = len(set(ranked[:K]) & set(gains)) / min(len(gains), K)
        score = ndcg(ranked, gains)
        rows.append((recall, recall10, score))
        print(f"{query:<22}{len(ranked):>8}{recall:>8.2f}{recall10:>7.2f}{score:>9.3f}")
    means = {k: sum(r[i] for r in rows) / len(rows) for i, k in enumerate(("recall", "recall@10", "ndcg@10"))}
    print(f"{'MEAN':<22}{'':>8}{means['recall']:>8.3f}{means['recall@10']:>7.3f}{means['ndcg@10']:>9.3f}")
    return means


def baseline_runner(reports_dir: Path) -> Callable[[str], list[str]]:
    """jieba's stock whoosh analyzer over the same sections, queried with whoosh's QueryParser."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import QueryParser

    from indexer.parsing import parse_report
    from indexer.reading import find_sources, read_source

    schema = fields.Schema(id=fields.ID(stored=True), content=fields.TEXT(analyzer=ChineseAnalyzer()))
    ix = RamStorage().create_index(schema)
    writer = ix.writer()
    for path in find_sources([reports_dir]):
        report = parse_report(read_source(path))
        for section in report.sections:
            writer.add_document(id=report.passage_id(section), content=section.text)
    writer.commit()
    parser = QueryParser("content", schema)

    def run(query: str) -> list[str]:
        with ix.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(parser.parse(query), limit=None)]

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", action="store_true", help="also score jieba's stock analyzer")
    args = parser.parse_args()
    queries = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        build_index([DEFAULT_SOURCE_DIR], Path(tmp))
        index = open_index(Path(tmp))

        def ours(query: str) -> list[str]:
            return [h.id for h in search(index, SearchRequest(query, page_size=100)).hits]

        evaluate("政策检索 (words + bigrams + measure variants)", ours, queries)
    if args.baseline:
        evaluate("baseline: jieba.analyse.ChineseAnalyzer + QueryParser", baseline_runner(DEFAULT_SOURCE_DIR), queries)


if __name__ == "__main__":
    main()

"""Every count is exact evidence, checked against a brute-force count over the texts.

The corpus is the seeds plus reports of other forms (tests/data/counts/): a portal page whose
title sits in its 名称 header above a table, a traditional-script mirror with pinyin residues
(營商(shāng)環境), a town's summary that says 告知 … 承诺 only apart, a notice wrapping a plan.
Near matches (levels 2–5) are listed after the exact ones and counted apart; no count moves
when reports that do not hold the term are added or removed, incrementally or in a full build.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEED_DIR

from indexer import SearchRequest, build_index, open_index
from indexer.index.update import update_index
from indexer.ingest.measures import measure_named
from indexer.ingest.parsing import parse_report
from indexer.ingest.reading import find_sources, read_source
from indexer.research.compare import build_matrix
from indexer.research.downloads import search_table
from indexer.text.normalize import compact, fold

DATA = Path(__file__).parent / "data"
EXTRA_DIR, UNRELATED_DIR = DATA / "counts", DATA / "unrelated"
SENTENCES = re.compile(r"[。！？；!?;\n]")
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
PINYIN = re.compile(rf"(?<={HAN})\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,6}}\)")
# (query, its terms: ("text", s) a substring, ("measure", name) any of its names or variants);
# a term the segmenter splits counts where a section holds all its words (shown to the user as 分词)
QUERIES = [
    ("告知承诺", [("measure", "告知承诺制")]),
    ("证照分离", [("measure", "证照分离")]),
    ("电子证照", [("measure", "电子证照")]),
    ("营商环境", [("text", "营商环境")]),
    ("政务服务", [("text", "政务服务")]),
    ("便民服务", [("text", "便民服务")]),
    ("电子证照 共享", [("measure", "电子证照"), ("text", "共享")]),
    ("存在问题 核查", [("text", "存在"), ("text", "问题"), ("text", "核查")]),  # the words as segmented
    ('"审批改为备案"', [("text", "审批改为备案")]),
    ('"双随机抽查"', [("text", "双随机抽查")]),
]


def sentences(text: str) -> list[str]:
    """The compact sentences of a text: folded, pinyin residues and punctuation dropped."""
    return [compact(PINYIN.sub("", fold(s))) for s in SENTENCES.split(text)]


def holds(text: str, kind: str, term: str) -> bool:
    """Brute force: a sentence holds the term (a measure: one of its forms, or its pattern)."""
    if kind == "text":
        return any(compact(term) in s for s in sentences(text))
    measure = measure_named(term)
    assert measure is not None
    flat = compact(text)
    return any(k in s for s in sentences(text) for k in measure.keys) or any(p.search(flat) for p in measure.patterns)


def brute(corpus, terms) -> dict[str, str]:
    """Passage id → doc_id of every section holding all the terms (the first section with its title)."""
    out = {}
    for report in corpus:
        for s in report.sections:
            text = f"{report.title}\n{s.text}" if s.ordinal == 0 else s.text
            if all(holds(text, kind, term) for kind, term in terms):
                out[report.passage_id(s)] = report.doc_id
    return out


def listing(index, query: str) -> list:
    """Every hit of a query, page by page (exact ones, then the near ones)."""
    hits, page = [], 1
    while True:
        result = index.search(SearchRequest(query, page=page, page_size=100))
        hits += result.hits
        if page >= result.pages:
            return hits
        page += 1


@pytest.fixture(scope="module")
def corpus():
    return [parse_report(read_source(p)) for p in find_sources([SEED_DIR, EXTRA_DIR])]


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    target = tmp_path_factory.mktemp("counts_index")
    build_index([SEED_DIR, EXTRA_DIR], target)
    return open_index(target)


@pytest.mark.parametrize(("query", "terms"), QUERIES, ids=[q for q, _ in QUERIES])
def test_totals_and_facets_count_exact_evidence(counted, corpus, query, terms):
    expected = brute(corpus, terms)
    result = counted.search(SearchRequest(query, page_size=100))
    if all(kind == "text" for kind, _ in terms) and '"' not in query:
        assert result.analysis["segmented"].split() == [t for _, t in terms]
    assert result.total == len(expected) and result.total_reports == len(set(expected.values()))
    hits = listing(counted, query)
    assert {h.id for h in hits if h.grade == 1} == set(expected)
    assert [h.grade == 1 for h in hits] == sorted((h.grade == 1 for h in hits), reverse=True)  # exact first
    near_reports = {h.doc_id for h in hits if h.grade > 1} - set(expected.values())
    assert result.related == sum(1 for h in hits if h.grade > 1) and result.related_reports == len(near_reports)
    years = Counter(counted.report(d)["year"] for d in set(expected.values()))
    assert {str(v.value): v.count for v in result.facets.get("year", ())} == {str(y) if y else "未注明": n
                                                                          for y, n in years.items()}
    assert sum(v.passages for v in result.facets.get("section_type", ())) == result.total


@pytest.mark.parametrize(("query", "terms"), QUERIES[:7], ids=[q for q, _ in QUERIES[:7]])
def test_matrix_and_export_count_exact_evidence(counted, corpus, query, terms):
    expected = brute(corpus, terms)
    matrix = build_matrix(counted, SearchRequest(query))
    mentioned = {d for c in matrix.cells.values() if c.status == "mentioned" for d in c.reports}
    assert sum(c.count for c in matrix.cells.values()) == len(expected)
    assert set(expected.values()) <= mentioned
    for cell in matrix.cells.values():
        assert cell.count == sum(1 for d in expected.values() if d in cell.reports)
        assert (cell.status == "mentioned") == (cell.count > 0)
        if cell.status == "related":
            assert cell.related > 0 and cell.passage
    rows = search_table(counted, SearchRequest(query)).rows
    assert sorted(r["passage_id"] for r in rows) == sorted(expected)


def test_near_evidence_is_listed_but_not_counted(counted, corpus):
    town = next(r for r in corpus if r.file == "town_summary_2023.txt")
    assert not brute([town], [("measure", "告知承诺制")])  # it says 告知 … 承诺, never the measure
    result = counted.search(SearchRequest("告知承诺", page_size=100, group=True))
    listed = [g.doc_id for g in result.groups]
    assert town.doc_id in listed[result.total_reports:]  # after every report that says it
    assert result.related_reports >= 1
    matrix = build_matrix(counted, SearchRequest("告知承诺"))
    cell = next(c for c in matrix.cells.values() if town.doc_id in c.reports)
    assert cell.status == "related" and cell.count == 0 and cell.label == "相近"


def test_a_variant_and_a_title_match_are_marked(counted, corpus):
    hits = counted.search(SearchRequest("证照分离", page_size=100)).hits
    assert hits and all(any("<mark>" in p for p in h.highlights) for h in hits)
    assert any("<mark>多证合一</mark>" in p for h in hits for p in h.highlights)
    portal = next(r for r in corpus if r.file == "portal_permit_2022.txt")
    if "证照分离" in compact(portal.title) and not any("证照分离" in compact(s.text) for s in portal.sections):
        first = next(h for h in hits if h.id == portal.passage_id(portal.sections[0]))
        assert first.highlights[0].startswith("标题：") and "<mark>" in first.highlights[0]
    for query, _ in QUERIES:
        for h in listing(counted, query):
            assert any("<mark>" in p for p in h.highlights), (query, h.id, h.grade)


def snapshot(index) -> dict[str, tuple]:
    out = {}
    for query, _ in QUERIES:
        r = index.search(SearchRequest(query, page_size=10))
        facets = {f: sorted((v.value, v.count, v.passages) for v in vs) for f, vs in r.facets.items()}
        out[query] = (r.total, r.total_reports, r.related, r.related_reports, facets)
    return out


def test_no_count_moves_with_reports_that_do_not_hold_the_term(tmp_path):
    from indexer.search.engine import Evaluator
    from indexer.search.query import parse_query
    from indexer.search.querytree import Graded, nodes

    for path in UNRELATED_DIR.iterdir():  # they hold none of the queries' character pairs either
        text = compact(fold(path.read_text(encoding="utf-8")))
        for query, _ in QUERIES:
            pairs = {p for n in nodes(parse_query(query).tree) if isinstance(n, Graded)
                     for p in Evaluator.query_pairs(n)} or {compact(query)}
            assert not any(p in text for p in pairs), (path.name, query)
    src, index = tmp_path / "src", tmp_path / "index"
    shutil.copytree(SEED_DIR, src / "seeds")
    shutil.copytree(EXTRA_DIR, src / "counts")
    build_index([src], index)
    before = snapshot(open_index(index))
    assert before["告知承诺"][0] > 0 and before["告知承诺"][3] > 0  # exact and near both present
    shutil.copytree(UNRELATED_DIR, src / "unrelated")
    update_index([src], index, add=[src / "unrelated"])
    assert snapshot(open_index(index)) == before
    update_index([src], index, full=True)
    assert snapshot(open_index(index)) == before
    update_index([src], index, remove=["unrelated"])
    assert snapshot(open_index(index)) == before

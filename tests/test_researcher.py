"""What a researcher working on reports of many kinds expects (issue 19): the home page names
the kinds of documents, saved searches, figures that say which reports state none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from researcher_corpus import write_corpus

from indexer import build_index, open_index


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("researcher")
    build_index([write_corpus(root / "reports")], root / "index")
    return root / "index"


@pytest.fixture
def rclient(corpus_index: Path):
    from webapp import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(corpus_index), "BUILD_IF_MISSING": False}).test_client()


def test_the_home_page_does_not_call_every_document_an_annual_report(rclient, corpus_index):
    page = rclient.get("/").get_data(as_text=True)
    total = len(open_index(corpus_index).reports())
    assert f"在 {total} 份政府文件中检索" in page and "年度报告中检索" not in page
    kinds = re.search(r'<p class="kinds muted">(.*?)</p>', page, re.S).group(1)
    assert re.search(r">通知</a> 1 份", kinds) and re.search(r">工作方案/计划</a> 1 份", kinds)


def test_figures_list_the_reports_that_state_some_flag_a_month_and_count_the_rest(rclient, corpus_index):
    index = open_index(corpus_index)
    every = index.figures()
    page = rclient.get("/figures").get_data(as_text=True)
    listed = re.findall(r'<tr data-doc="([0-9a-f]+)"', page)
    stated = [f for f in every if f.figures]
    assert sorted(listed) == sorted(f.doc_id for f in stated) and len(stated) < len(every)
    assert f"其余 <strong>{len(every) - len(stated)}</strong> 份未载明" in page
    monthly = next(f for f in every if f.file == "jiangmen_monthly_2023_11.txt")
    assert monthly.period == "11月"
    row = page[page.index(f'<tr data-doc="{monthly.doc_id}"'):]
    assert '<span class="period"' in row[:row.index("</tr>")] and "11月" in row[:row.index("</tr>")]
    pengjiang = next(f for f in every if f.file == "jiangmen_pengjiang_2023.txt")
    # 行政许可事项(含子项)46项 and 其中许可3075宗，不予许可23宗
    assert {n: f.value for n, f in pengjiang.figures.items()} == {
        "items": 46, "accepted": 3120, "concluded": 3098, "approved": 3075, "not_approved": 23}
    rate = next(c for c in pengjiang.checks if c.name == "approval_rate")
    assert rate.value == round(3075 / 3098, 4)
    assert all(not f.period for f in every if f.file != "jiangmen_monthly_2023_11.txt")


def test_figures_charts_leave_out_reports_without_their_numbers(rclient, corpus_index):
    """A report that states only its item count is in the table, not in the volume and rate charts."""
    items_only = next(f for f in open_index(corpus_index).figures() if f.file == "qingyuan_sfj_2023.txt")
    assert set(items_only.figures) == {"items"}
    page = rclient.get("/figures").get_data(as_text=True)
    assert f'<tr data-doc="{items_only.doc_id}"' in page
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", page, re.S)
    assert len(charts) == 2 and all("清远市司法局" not in chart for chart in charts)

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

"""Shared fixtures: the five seed reports, indexed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import build_index, open_index
from indexer.config import DEFAULT_SOURCE_DIR
from indexer.ingest.parsing import parse_report
from indexer.ingest.reading import read_source

SEED_DIR = DEFAULT_SOURCE_DIR
SEEDS = {p.name[:3]: p for p in sorted(SEED_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed reports, indexed once for the whole session (jieba is slow to load)."""
    target = tmp_path_factory.mktemp("index")
    build_index([SEED_DIR], target)
    return target


@pytest.fixture(scope="session")
def index(index_dir: Path):
    """The opened seed index."""
    return open_index(index_dir)


@pytest.fixture(scope="session")
def reports():
    """The five seed reports parsed, keyed by their number (000 … 004)."""
    return {key: parse_report(read_source(path)) for key, path in SEEDS.items()}


@pytest.fixture(scope="session")
def xss_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index holding a report whose text carries script and markup."""
    src = tmp_path_factory.mktemp("xss_reports")
    (src / "hostile.txt").write_text(
        "某某市行政审批局2023年度行政许可实施和监督管理情况报告\n"
        "一、基本情况\n"
        "推行容缺受理<script>alert(1)</script>，见<img src=x onerror=alert(2)>与[链接](javascript:alert(3))。\n"
        "（一）依法实施情况\n"
        "**加粗** # 标题 1. 列表 `代码` 落实“双随机、一公开”。\n",
        encoding="utf-8",
    )
    target = tmp_path_factory.mktemp("xss_index")
    build_index([src, SEED_DIR], target)
    return target


@pytest.fixture(scope="session")
def app(index_dir: Path):
    """The web app on the seed index (never builds: the index exists)."""
    from webapp import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "BUILD_IF_MISSING": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def research_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus written for the research tools (tests/research_reports.py), indexed once."""
    from research_reports import write_corpus

    target = tmp_path_factory.mktemp("research_ix")
    build_index([write_corpus(tmp_path_factory.mktemp("research_src"))], target)
    return target


@pytest.fixture(scope="session")
def research_index(research_index_dir: Path):
    """The research corpus, opened."""
    ix = open_index(research_index_dir)
    yield ix
    ix.close()

"""Shared fixtures: the five seed reports, indexed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import build_index, open_index
from indexer.config import DEFAULT_SOURCE_DIR
from indexer.parsing import parse_report
from indexer.reading import read_source

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

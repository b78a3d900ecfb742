"""Configuration in one place: paths and limits, each overridable by a ZCJS_* env var."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INGEST_DATA_DIR = Path(__file__).resolve().parent / "ingest" / "data"  # what turns files into reports
TEXT_DATA_DIR = Path(__file__).resolve().parent / "text" / "data"  # what segments and expands queries
# env ZCJS_MEASURES_FILE: to try another taxonomy
MEASURES_FILE = Path(os.environ.get("ZCJS_MEASURES_FILE") or INGEST_DATA_DIR / "measures.toml")
REGIONS_FILE = INGEST_DATA_DIR / "regions.tsv"
SECTION_TYPES_FILE = INGEST_DATA_DIR / "section_types.toml"

DEFAULT_SOURCE_DIR = PROJECT_ROOT / "index_data" / "reports"
DEFAULT_INDEX_DIR = PROJECT_ROOT / "index_data" / "index"

MAX_TEXT_MB = 16  # a .txt/.md/.html larger than this is not one report
MAX_DOCUMENT_MB = 100  # .docx/.pdf carry images: a larger limit
MAX_REPORT_CHARS = 1_000_000  # extracted text longer than this is not one report

MAX_QUERY_LENGTH = 200  # characters; longer queries are refused with a message
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
PASSAGES_PER_HIT = 3  # highlighted fragments per section
SECTIONS_PER_GROUP = 3  # sections shown under one report when grouping
BUILD_PROCS = int(os.environ.get("ZCJS_BUILD_PROCS", "2"))  # whoosh writer processes for a large build
def _build_memory_mb() -> int:
    """Memory a whoosh writer process may fill before it spills sorted runs to disk (which costs
    more than twice the CPU): a sixth of the machine's memory, 256 to 4096 MB."""
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError):
        total_mb = 4096
    return max(256, min(4096, total_mb // 6))


BUILD_MEMORY_MB = int(os.environ.get("ZCJS_BUILD_MEMORY_MB") or _build_memory_mb())
PARALLEL_FROM_SECTIONS = 5000  # below this, one writer process is faster (no start-up cost)

DIFFUSION_PASSAGES = 100  # adopters whose first passage /diffusion (its rows), its JSON and the CLI highlight;
#                            the downloads hold every agency with its passage

# text reuse (indexer/index/reuse.py): what counts as a copy of a passage
REUSE_SHINGLE = 5  # characters per shingle, after folding (numbers written 0)
REUSE_PERMUTATIONS = 64  # MinHash values per passage
REUSE_BANDS = 32  # LSH bands of REUSE_PERMUTATIONS // REUSE_BANDS values: pairs proposed from Jaccard ≈ 0.2
REUSE_SIMILARITY = 0.5  # estimated Jaccard of shingle sets from which a passage is a copy
REUSE_MIN_CHARS = 40  # shorter passages (a heading, one line) are not compared
REUSE_LIST_LIMIT = 100  # copies listed by /reuse, /api/reuse and the CLI (all are counted)


class DataFileError(Exception):
    """A data file (measures, section types, vocabulary, synonyms) is malformed: one line names the entry."""


@dataclass(frozen=True)
class Settings:
    """Where the corpus and the index live."""

    source_dir: Path = DEFAULT_SOURCE_DIR
    index_dir: Path = DEFAULT_INDEX_DIR


def settings() -> Settings:
    """Settings from the environment (ZCJS_SOURCE_DIR, ZCJS_INDEX_DIR) or the defaults."""
    return Settings(
        source_dir=Path(os.environ.get("ZCJS_SOURCE_DIR", DEFAULT_SOURCE_DIR)),
        index_dir=Path(os.environ.get("ZCJS_INDEX_DIR", DEFAULT_INDEX_DIR)),
    )

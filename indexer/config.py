"""Configuration in one place: paths and limits, each overridable by a ZCJS_* env var."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INGEST_DATA_DIR = Path(__file__).resolve().parent / "ingest" / "data"  # what turns files into reports
TEXT_DATA_DIR = Path(__file__).resolve().parent / "text" / "data"  # what segments and expands queries
MEASURES_FILE = INGEST_DATA_DIR / "measures.toml"  # the shipped taxonomy (ZCJS_MEASURES_FILE: another one)
REGIONS_FILE = INGEST_DATA_DIR / "regions.tsv"
AGENCY_ALIASES_FILE = INGEST_DATA_DIR / "agency_aliases.tsv"  # one name per body
CORRECTIONS_FILE = "metadata.csv"  # the researcher's corrections, at the root of a source folder
SECTION_TYPES_FILE = INGEST_DATA_DIR / "section_types.toml"


DEFAULT_SOURCE_DIR = PROJECT_ROOT / "index_data" / "reports"
DEFAULT_INDEX_DIR = PROJECT_ROOT / "index_data" / "index"

MAX_TEXT_MB = 16  # a .txt/.md/.html larger than this is not one report
MAX_DOCUMENT_MB = 100  # .docx/.pdf carry images: a larger limit
MAX_REPORT_CHARS = 1_000_000  # extracted text longer than this is not one report
MAX_EXPANDED_MB = 200  # a .docx unzipped (all its members together)
MAX_STREAM_MB = 32  # one compressed stream of a .pdf, inflated (a page's text is far smaller)
MAX_COMPRESSION_RATIO = 100  # a .docx member expanding more than this (past 1 MB) is a zip bomb
MAX_PDF_PAGES = 3000

MAX_QUERY_LENGTH = 200  # characters; longer queries are refused with a message
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 50  # distinct values of one filter parameter in a request; more is refused with a 400
MAX_EXPORT_ROWS = 5000  # passages in one download from the web app (the file and the page say so past it)
DEFAULT_PAGE_SIZE = 10
PASSAGES_PER_HIT = 3  # highlighted fragments per section
SECTIONS_PER_GROUP = 3  # sections shown under one report when grouping
EVALUATIONS_KEPT = 4  # evaluated requests kept per generation (a page, then its export or next page)
RECENT_QUERIES = 32  # query texts a generation remembers, to warm the next one with
BUILD_PROCS = 2  # whoosh writer processes for a large build (ZCJS_BUILD_PROCS)


def default_build_memory_mb() -> int:
    """Memory a whoosh writer process may fill before it spills sorted runs to disk (which costs
    more than twice the CPU): a sixth of the machine's memory, 256 to 4096 MB."""
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError):
        total_mb = 4096
    return max(256, min(4096, total_mb // 6))

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
    """Where the corpus and the index live, and how a build may use the machine."""

    source_dir: Path = DEFAULT_SOURCE_DIR
    index_dir: Path = DEFAULT_INDEX_DIR
    build_procs: int = BUILD_PROCS
    build_memory_mb: int = 0  # 0: default_build_memory_mb()
    parallel_from_sections: int = PARALLEL_FROM_SECTIONS


def settings() -> Settings:
    """Settings from the environment (ZCJS_SOURCE_DIR, ZCJS_INDEX_DIR, ZCJS_BUILD_PROCS,
    ZCJS_BUILD_MEMORY_MB, ZCJS_PARALLEL_FROM_SECTIONS) or the defaults; read when a command or the
    app starts, never at import."""
    return Settings(
        source_dir=Path(os.environ.get("ZCJS_SOURCE_DIR", DEFAULT_SOURCE_DIR)),
        index_dir=Path(os.environ.get("ZCJS_INDEX_DIR", DEFAULT_INDEX_DIR)),
        build_procs=int(os.environ.get("ZCJS_BUILD_PROCS") or BUILD_PROCS),
        build_memory_mb=int(os.environ.get("ZCJS_BUILD_MEMORY_MB") or default_build_memory_mb()),
        parallel_from_sections=int(os.environ.get("ZCJS_PARALLEL_FROM_SECTIONS") or PARALLEL_FROM_SECTIONS),
    )


def measures_file() -> Path:
    """The taxonomy file in force: ZCJS_MEASURES_FILE (to try another one) or the shipped one."""
    return Path(os.environ.get("ZCJS_MEASURES_FILE") or MEASURES_FILE)


def cache_dir() -> Path:
    """Where derived files that are cheap to rebuild live (the word-frequency table): ZCJS_CACHE_DIR
    or the system's temporary folder."""
    return Path(os.environ.get("ZCJS_CACHE_DIR") or tempfile.gettempdir())

"""政策检索 search core: Chinese government reports → sections → index generations → search.

The package is laid out by the stages a report passes through:

    text/      folding, segmentation, the policy vocabulary      (used by every stage)
    ingest/    file → text → Report: readers, sections, metadata, measures, figures
    index/     Reports → a generation: catalog, postings (whoosh), atomic storage, updates
    search/    SearchRequest → SearchResult: query tree, engine, facets, passages, SearchIndex
    research/  what researchers take away: peer matrix, downloads, exports
    config.py, models.py, cli.py   settings, the records that flow between stages, the CLI

Knows nothing of Flask; `webapp` and `cli` are thin adapters that hold a `SearchIndex`.
The names below are imported on first use, so `import indexer` costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "BuildError": "indexer.index.build", "build_index": "indexer.index.build",
    "IndexBusy": "indexer.index.storage", "IndexMissing": "indexer.index.storage",
    "Hit": "indexer.models", "MatchSet": "indexer.models", "Report": "indexer.models",
    "SearchRequest": "indexer.models", "SearchResult": "indexer.models", "Section": "indexer.models",
    "QueryError": "indexer.search.query", "parse_query": "indexer.search.query",
    "IndexOutdated": "indexer.search.searchindex", "SearchIndex": "indexer.search.searchindex",
    "index_exists": "indexer.search.searchindex", "marked_terms": "indexer.search.searchindex",
    "marking": "indexer.search.searchindex",
    "open_index": "indexer.search.searchindex",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a public name from its stage module the first time it is asked for."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value

"""政策检索 search core: Chinese government reports → sections → whoosh index → search.

Indexing:  files ─reading→ text ─parsing (sections, metadata, measures)→ Report
           ─build→ a new index generation, published atomically (storage).
Searching: SearchRequest ─query (parse, segment, expand)→ whoosh query ─search
           (filters, facets, ranking, passages)→ SearchResult ─to_dict()→ CLI / API JSON.
Knows nothing of Flask; `webapp` and `cli` are thin adapters over this package.
"""

from .build import BuildError, build_index
from .models import Hit, Report, SearchRequest, SearchResult, Section
from .query import QueryError, parse_query
from .search import document_sections, run_search, search
from .storage import IndexBusy, IndexMissing, PolicyIndex, index_exists, open_index

__all__ = [
    "BuildError", "Hit", "IndexBusy", "IndexMissing", "PolicyIndex", "QueryError", "Report",
    "SearchRequest", "SearchResult", "Section", "build_index", "document_sections", "index_exists",
    "open_index", "parse_query", "run_search", "search",
]

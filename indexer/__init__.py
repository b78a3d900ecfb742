"""政策检索 search core: Chinese government reports → sections → index generations → search.

Indexing:  files ─reading→ text ─parsing (sections, metadata, measures)→ Report
           ─build→ a new generation (catalog + whoosh postings), published atomically.
Searching: SearchRequest ─query (parse, segment, expand)→ query tree ─SearchIndex (engine,
           facets, ranking, passages)→ SearchResult ─to_dict()→ CLI / API JSON.
Knows nothing of Flask; `webapp` and `cli` are thin adapters that hold a `SearchIndex`.
"""

from .build import BuildError, build_index
from .models import Hit, MatchSet, Report, SearchRequest, SearchResult, Section
from .query import QueryError, parse_query
from .searchindex import IndexOutdated, SearchIndex, index_exists, marked_terms, open_index
from .storage import IndexBusy, IndexMissing

__all__ = [
    "BuildError", "Hit", "IndexBusy", "IndexMissing", "IndexOutdated", "MatchSet", "QueryError", "Report",
    "SearchIndex", "SearchRequest", "SearchResult", "Section", "build_index", "index_exists", "marked_terms",
    "open_index", "parse_query",
]

"""Lookups shared by the HTML views and the JSON API."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from flask import abort

from indexer import SearchRequest, document_sections, run_search

from .index import get_index, get_searcher

DOC_ID = re.compile(r"^[0-9a-f]{16}$")


def document_or_404(doc_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A report's summary and sections.

    :raise 404: if no report has this id (ids never reach the filesystem)
    """
    summary = get_index().reports.get(doc_id) if DOC_ID.match(doc_id) else None
    if summary is None:
        abort(404, f"没有编号为 {doc_id} 的报告。")
    return summary, document_sections(get_searcher(), doc_id)


_counts: dict[str, tuple[Counter[str], Counter[str]]] = {}  # generation → counts


def measure_counts() -> tuple[Counter[str], Counter[str]]:
    """How many reports, and how many sections, mention each measure (once per index generation)."""
    index = get_index()
    if index.generation not in _counts:
        reports = Counter(m for r in index.reports.values() for m in r.get("measures", []))
        everything = run_search(get_searcher(), SearchRequest(page_size=1))
        sections = Counter({str(v.value): v.count for v in everything.facets["measure"]})
        _counts.clear()
        _counts[index.generation] = (reports, sections)
    return _counts[index.generation]

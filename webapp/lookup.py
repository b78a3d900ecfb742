"""Lookups shared by the HTML views and the JSON API."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from flask import abort

from indexer import Report, SearchRequest

from .index import get_index

DOC_ID = re.compile(r"^[0-9a-f]{16}$")


def document_or_404(doc_id: str) -> tuple[dict[str, Any], Report]:
    """A report's summary and the report with its sections' text.

    :raise 404: if no report has this id (ids never reach the filesystem)
    """
    index = get_index()
    summary = index.report(doc_id) if DOC_ID.match(doc_id) else None
    report = index.document(doc_id) if summary is not None else None
    if summary is None or report is None:
        abort(404, f"没有编号为 {doc_id} 的报告。")
    return summary, report


_counts: dict[str, tuple[Counter[str], Counter[str]]] = {}  # generation → counts


def measure_counts() -> tuple[Counter[str], Counter[str]]:
    """How many reports, and how many sections, mention each measure (once per index generation)."""
    index = get_index()
    if index.generation not in _counts:
        reports = Counter(m for r in index.reports() for m in r.get("measures", []))
        everything = index.search(SearchRequest(page_size=1))
        sections = Counter({str(v.value): v.passages for v in everything.facets["measure"]})
        _counts.clear()
        _counts[index.generation] = (reports, sections)
    return _counts[index.generation]

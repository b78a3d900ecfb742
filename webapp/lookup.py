"""Lookups shared by the HTML views and the JSON API."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from flask import abort
from werkzeug.datastructures import MultiDict

from indexer import SearchRequest, document_sections, parse_query, run_search
from indexer.config import MAX_PAGE_SIZE
from indexer.measures import measure_named
from indexer.schema import MEASURE

from .index import get_index, get_searcher
from .params import DOC_ID


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


def marked_terms(args: MultiDict[str, str]) -> tuple[list[str], list[str]]:
    """What the result list marks for these parameters: (terms, fallback terms).

    Terms are the query's own plus, when browsing by measure (`measure=` or `措施:`), the
    measure's name and variants; fallback terms (the words of a split query) are marked only
    where no term occurs. Raises QueryError for a query that cannot be parsed.
    """
    text = args.get("q", "").strip()
    chosen = [v for v in args.getlist(MEASURE) if v.strip()]
    plan = parse_query(text, has_filters=True) if text else None  # the search itself validates
    terms = list(plan.highlight_terms) if plan else []
    for name in [*chosen, *(plan.filters.get(MEASURE, []) if plan else [])]:
        if (measure := measure_named(name)) is not None:
            terms += [measure.name, *measure.variants]
    return list(dict.fromkeys(terms)), list(dict.fromkeys(plan.fallback_terms if plan else []))


def matching_sections(search_request: SearchRequest, doc_id: str) -> list[str]:
    """Ids of the sections of report `doc_id` that `search_request` matches (every page)."""
    ids: list[str] = []
    page = 1
    while True:
        result = run_search(get_searcher(), replace(search_request, doc_id=doc_id, group=False, page=page,
                                                    page_size=MAX_PAGE_SIZE))
        ids += [hit.id for hit in result.hits]
        if page >= result.pages:
            return ids
        page += 1

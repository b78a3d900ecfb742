"""Lookups shared by the HTML views and the JSON API."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort
from werkzeug.datastructures import MultiDict

from indexer import Report, SearchRequest, marking, parse_query

from .index import get_index
from .params import DOC_ID


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


def marked_terms(args: MultiDict[str, str]) -> tuple[list[str], list[list[str]]]:
    """What the result list marks for these parameters: the terms, and what is marked where none
    of them occurs, tier by tier (a split term's words, the words it matched by, its character pairs).

    Raises QueryError for a query that cannot be parsed.
    """
    text = args.get("q", "").strip()
    plan = parse_query(text, has_filters=True)
    measures = [v for v in args.getlist("measure") if v.strip()]
    marks = marking(plan, {"measure": measures})
    return list(dict.fromkeys(marks.terms)), [list(dict.fromkeys(tier)) for tier in marks.tiers()]


def matching_sections(search_request: SearchRequest, doc_id: str) -> list[str]:
    """Ids of the sections of report `doc_id` that `search_request` matches, in reading order (its
    exact evidence; a report with near matches only: those)."""
    matches = get_index().matches(replace(search_request, doc_id=doc_id, group=False), related=True)
    return sorted((s.id for r in matches.reports for s in r.sections), key=lambda pid: int(pid.rsplit("-", 1)[1]))

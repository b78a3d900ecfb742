"""JSON API: the same dicts as `python -m indexer … --json`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from indexer.measures import taxonomy
from indexer.models import document_dict

from .index import get_index
from .lookup import document_or_404, measure_counts
from .params import parse_search_request

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search_json() -> dict[str, Any]:
    """Same search as /search, as JSON (the CLI prints this shape too)."""
    return get_index().search(parse_search_request(request.args)).to_dict()


@bp.get("/docs")
def docs_json() -> list[dict[str, Any]]:
    """Every report with its metadata and outline (as `indexer docs --json`)."""
    return get_index().reports()


@bp.get("/doc/<doc_id>")
def doc_json(doc_id: str) -> dict[str, Any]:
    """One report: metadata and sections with their text (as `indexer show --json`)."""
    summary, report = document_or_404(doc_id)
    return document_dict(summary, report)


@bp.get("/measures")
def measures_json() -> list[dict[str, Any]]:
    """The policy-measure taxonomy, with how many reports and sections mention each."""
    reports, sections = measure_counts()
    return [
        {"name": m.name, "variants": list(m.variants), "reports": reports.get(m.name, 0),
         "sections": sections.get(m.name, 0)}
        for m in taxonomy()
    ]

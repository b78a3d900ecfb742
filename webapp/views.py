"""HTML pages: home, search results, document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.config import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from indexer.ingest.measures import taxonomy
from indexer.models import DOC_TYPE_LABELS, document_dict, provenance_label

from .document import render_section
from .index import get_index
from .lookup import document_or_404, marked_terms, matching_sections
from .params import DOC, has_search, parse_doc_id, parse_search_request, query_string, url_with
from .presenters import chips, corpus_overview, saved_list, search_context

bp = Blueprint("views", __name__)
KINDS_SHOWN = 4  # document types named in the home page's first lines


@bp.get("/")
def index_page() -> str:
    """Home: search box, measures with counts, the corpus at a glance."""
    reports, sections = get_index().measure_counts
    measures = [{"name": m.name, "reports": reports.get(m.name, 0), "sections": sections.get(m.name, 0),
                 "url": url_for("views.search_page") + url_with(MultiDict(), measure=m.name)} for m in taxonomy()]
    overview, report_count = _overview()
    kinds = overview["文件类型"]
    return render_template("index.html", measures=measures, overview=overview, report_count=report_count,
                           kinds=kinds[:KINDS_SHOWN], more_kinds=len(kinds) if len(kinds) > KINDS_SHOWN else 0,
                           saved=saved_list(get_index().path))


_overviews: dict[str, tuple[dict[str, Any], int]] = {}  # generation → (overview, report count)


def _overview() -> tuple[dict[str, Any], int]:
    """The corpus at a glance, once per generation (it decodes every report's summary)."""
    index = get_index()
    if index.generation not in _overviews:
        reports = index.reports()
        _overviews.clear()
        _overviews[index.generation] = (corpus_overview(reports), len(reports))
    return _overviews[index.generation]


@bp.get("/search")
def search_page() -> str:
    """Results grouped by report (or every matching passage of one report), with facets,
    chips, paging and the query's analysis."""
    doc_id = parse_doc_id(request.args)
    search_request = parse_search_request(request.args, group=True,
                                          default_size=MAX_PAGE_SIZE if doc_id else DEFAULT_PAGE_SIZE)
    result = get_index().search(search_request)
    doc = get_index().report(doc_id) if doc_id else None
    return render_template("search.html", result=result, q=search_request.text,
                           **search_context(result, request.args, doc_id, doc["title"] if doc else None))


def _hit_nav(hit_ids: list[str]) -> dict[str, dict[str, Any]]:
    """For each matching section: its number and the anchors of the previous and next hit."""
    return {hid: {"n": i + 1, "prev": hit_ids[i - 1] if i else None,
                  "next": hit_ids[i + 1] if i + 1 < len(hit_ids) else None}
            for i, hid in enumerate(hit_ids)}


@bp.get("/doc/<doc_id>")
def document_page(doc_id: str) -> str:
    """A report rendered section by section: what the result list marked is marked here,
    the matching sections are flagged in the outline and linked hit to hit."""
    summary, report = document_or_404(doc_id)
    sections = document_dict(summary, report)["sections"]
    args = request.args
    search_request = parse_search_request(args)  # the links carry the search: validate it alike
    searching = has_search(args)
    terms, fallback = marked_terms(args) if searching else ([], [])
    matched = set(matching_sections(search_request, doc_id)) if searching else set()
    levels = {s["id"]: s["level"] for s in summary["sections"]}
    rendered = [{**s, "level": levels.get(s["id"], 1), "hit": s["id"] in matched,
                 "html": render_section(s, levels.get(s["id"], 1), terms, fallback)} for s in sections]
    return render_template(
        "document.html", doc=summary, sections=rendered, q=search_request.text, searching=searching,
        hit_nav=_hit_nav([s["id"] for s in rendered if s["hit"]]),
        conditions=[c.label for c in chips(MultiDict([(k, v) for k, v in args.items(multi=True) if k != DOC]))],
        back_url=url_for("views.search_page") + query_string(args),
        doc_type_label=DOC_TYPE_LABELS.get(summary["doc_type"], summary["doc_type"]),
        provenance_label=provenance_label,
    )

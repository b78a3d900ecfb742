"""HTML pages: home, search results, document."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer import QueryError, parse_query
from indexer.measures import taxonomy
from indexer.models import DOC_TYPE_LABELS, document_dict

from .document import render_section
from .index import get_index
from .lookup import document_or_404, measure_counts
from .params import parse_search_request, url_with
from .presenters import corpus_overview, search_context

bp = Blueprint("views", __name__)


@bp.get("/")
def index_page() -> str:
    """Home: search box, measures with counts, the corpus at a glance."""
    reports, sections = measure_counts()
    measures = [{"name": m.name, "reports": reports.get(m.name, 0), "sections": sections.get(m.name, 0),
                 "url": url_for("views.search_page") + url_with(MultiDict(), measure=m.name)} for m in taxonomy()]
    all_reports = get_index().reports()
    return render_template("index.html", measures=measures, overview=corpus_overview(all_reports),
                           report_count=len(all_reports))


@bp.get("/search")
def search_page() -> str:
    """Results grouped by report, with facets, chips, paging and the query's analysis."""
    search_request = parse_search_request(request.args, group=True)
    result = get_index().search(search_request)
    return render_template("search.html", result=result, q=search_request.text,
                           **search_context(result, request.args))


@bp.get("/doc/<doc_id>")
def document_page(doc_id: str) -> str:
    """A report rendered section by section, the query's terms marked."""
    summary, report = document_or_404(doc_id)
    sections = document_dict(summary, report)["sections"]
    q = request.args.get("q", "")[:200]
    try:
        terms = parse_query(q).highlight_terms if q.strip() else []
    except QueryError:
        terms = []
    levels = {s["id"]: s["level"] for s in summary["sections"]}
    rendered = [{**s, "level": levels.get(s["id"], 1), "html": render_section(s, levels.get(s["id"], 1), terms)}
                for s in sections]
    return render_template("document.html", doc=summary, sections=rendered, q=q,
                           doc_type_label=DOC_TYPE_LABELS.get(summary["doc_type"], summary["doc_type"]))

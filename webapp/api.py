"""JSON API: the same dicts as `python -m indexer … --json`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from indexer.ingest.measures import taxonomy
from indexer.models import document_dict

from . import apidoc
from .index import get_index
from .lookup import document_or_404
from .params import check_known, parse_search_request

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("")
def api_index() -> ResponseReturnValue:
    """Every route and parameter, with examples: a page, or JSON with format=json."""
    check_known(request.args, apidoc.known_params("/api"))
    fmt = request.args.get("format", "html")
    if fmt not in ("html", "json"):
        raise BadRequest(f"参数 format 只能是 html 或 json（收到 {fmt!r}）。")
    doc_id = next((r["doc_id"] for r in get_index().reports()), "0123456789abcdef")
    if fmt == "json":
        return apidoc.as_json(doc_id)
    return render_template("api.html", routes=apidoc.ROUTES, params=apidoc.PARAMS, errors=apidoc.ERRORS,
                           doc_id=doc_id)


@bp.get("/search")
def search_json() -> dict[str, Any]:
    """Same search as /search, as JSON (the CLI prints this shape too)."""
    return get_index().search(parse_search_request(request.args)).to_dict()


@bp.get("/docs")
def docs_json() -> list[dict[str, Any]]:
    """Every report with its metadata and outline (as `indexer docs --json`)."""
    check_known(request.args, apidoc.known_params("/api/docs"))
    return get_index().reports()


@bp.get("/doc/<doc_id>")
def doc_json(doc_id: str) -> dict[str, Any]:
    """One report: metadata and sections with their text (as `indexer show --json`)."""
    check_known(request.args, apidoc.known_params("/api/doc/<doc_id>"))
    summary, report = document_or_404(doc_id)
    return document_dict(summary, report)


@bp.get("/measures")
def measures_json() -> list[dict[str, Any]]:
    """The policy-measure taxonomy, with how many reports and sections mention each."""
    check_known(request.args, apidoc.known_params("/api/measures"))
    reports, sections = get_index().measure_counts
    return [
        {"name": m.name, "variants": list(m.variants), "reports": reports.get(m.name, 0),
         "sections": sections.get(m.name, 0)}
        for m in taxonomy()
    ]

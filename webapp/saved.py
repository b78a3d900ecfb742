"""Saved searches (/saved, /api/saved): thin views over `indexer.research.saved`.

    GET  /saved              every saved search; ?name=… one of them run now, with what changed
    POST /saved              a form: action=save (name, q, filters) | seen | delete (name)
    GET  /api/saved          the list as JSON; ?name=… the run, as `python -m indexer saved run … --json`
    POST /api/saved          JSON {"name", "q", "filters", "action": "save" | "seen" | "delete"}
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, NotFound

from indexer.models import SearchRequest
from indexer.research.saved import (
    SavedRun,
    SavedSearch,
    SavedSearchError,
    SavedSearchMissing,
    delete_saved,
    describe,
    load_saved,
    mark_seen,
    run_saved,
    save_search,
)
from indexer.search.facets import FACET_LABELS, FACETS

from .index import get_index
from .params import check_known, parse_search_request, url_with

bp = Blueprint("saved", __name__)
ACTIONS = ("save", "seen", "delete")
FORM_PARAMS = ("action", "name", "replace", "q", *FACETS)


def _failed(err: SavedSearchError) -> Exception:
    return NotFound(str(err)) if isinstance(err, SavedSearchMissing) else BadRequest(str(err))


def _act(action: str, name: str, search: SearchRequest | None, replace: bool) -> dict[str, Any] | None:
    """Do one action on the index's saved searches; the saved entry (None once deleted)."""
    if action not in ACTIONS:
        raise BadRequest(f"参数 action 只能是 {'、'.join(ACTIONS)} 之一（收到 {action!r}）。")
    index = get_index()
    try:
        if action == "delete":
            delete_saved(index.path, name)
            return None
        if action == "seen":
            return mark_seen(index, name).to_dict()
        return save_search(index, name, search or SearchRequest(), replace).to_dict()
    except SavedSearchError as err:
        raise _failed(err) from err


def _listed_or_run() -> list[SavedSearch] | SavedRun:
    """GET's answer: every saved search, or (?name=…) that one run now."""
    check_known(request.args, ("name",))
    index = get_index()
    name = request.args.get("name", "").strip()
    try:
        return run_saved(index, name) if name else load_saved(index.path)
    except SavedSearchError as err:
        raise _failed(err) from err


def search_url(query: str, filters: dict[str, tuple[str, ...]]) -> str:
    """The search page of a saved search."""
    pairs = [("q", query)] + [(k, v) for k, vs in filters.items() for v in vs]
    return url_for("views.search_page") + url_with(MultiDict([p for p in pairs if p[1]]))


@bp.get("/saved")
def saved_page() -> str:
    """Every saved search, or one run now with the reports new or gone since it was checked."""
    found = _listed_or_run()
    if not isinstance(found, SavedRun):
        return render_template("saved.html", run=None, searches=found, q="",
                               describe=lambda s: describe(s, FACET_LABELS))
    run, s = found, found.search
    return render_template("saved.html", run=run, searches=(), q=s.query, summary=describe(s, FACET_LABELS),
                           results_url=search_url(s.query, s.filters))


@bp.post("/saved")
def saved_form() -> ResponseReturnValue:
    """The search page's 保存检索 form, and the saved page's buttons; then to the saved search."""
    check_known(request.form, FORM_PARAMS)
    action = request.form.get("action", "save")
    name = request.form.get("name", "")
    search = parse_search_request(MultiDict([(k, v) for k, v in request.form.items(multi=True)
                                             if k in ("q", *FACETS)])) if action == "save" else None
    entry = _act(action, name, search, request.form.get("replace") == "1")
    target = url_for("saved.saved_page", name=entry["name"]) if entry else url_for("saved.saved_page")
    return redirect(target, code=303)


@bp.get("/api/saved")
def saved_json() -> ResponseReturnValue:
    """The saved searches (without their snapshots' reports), or ?name=… one run now."""
    found = _listed_or_run()
    if isinstance(found, SavedRun):
        return found.to_dict()
    return [{**s.to_dict(), "reports": len(s.reports)} for s in found]


@bp.post("/api/saved")
def saved_json_post() -> ResponseReturnValue:
    """{"name", "q", "filters": {facet: [values]}, "action"}: save (201), seen, or delete."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("请求体须为 JSON 对象：{\"name\": …, \"q\": …, \"filters\": {…}, \"action\": \"save\"}。")
    unknown = next((k for k in body if k not in ("name", "q", "filters", "action", "replace")), None)
    if unknown:
        raise BadRequest(f"未知字段 {unknown}：可用的字段有 name、q、filters、action、replace。")
    filters = body.get("filters") or {}
    if not isinstance(filters, dict) or not all(isinstance(v, (list, str)) for v in filters.values()):
        raise BadRequest("filters 须为 {筛选: [值, …]}，如 {\"region\": [\"广州\"]}。")
    args = MultiDict([("q", str(body.get("q") or ""))] + [(str(k), str(v)) for k, vs in filters.items()
                                                           for v in ([vs] if isinstance(vs, str) else vs)])
    action = str(body.get("action") or "save")
    entry = _act(action, str(body.get("name") or ""), parse_search_request(args) if action == "save" else None,
                 bool(body.get("replace")))
    if entry is None:
        return {"deleted": str(body.get("name") or "").strip()}
    return entry, 201 if action == "save" else 200

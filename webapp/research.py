"""Researcher pages: the peer matrix (/compare), licensing figures (/figures), downloads
(/export/…), their JSON (/api/compare, /api/figures), and the search page's charts and citations.

The matrix, figures and download tables come from the core (`indexer.research.compare`,
`indexer.research.downloads`), so the pages, the API and the CLI say the same thing.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from indexer import Hit, SearchRequest, SearchResult
from indexer.config import MAX_EXPORT_ROWS
from indexer.ingest.facts import FIGURE_LABELS, FIGURE_NAMES, RATES, SUMS
from indexer.research.compare import SORTS, build_matrix, side_by_side
from indexer.research.distribution import distribution
from indexer.research.downloads import (
    FIGURE_COLUMNS,
    compare_table,
    diffusion_table,
    figures_table,
    hit_citation,
    render_chunks,
    search_table,
)
from indexer.research.export import FORMATS
from indexer.search.facets import FACETS, UNKNOWN

from .apidoc import COMPARE_PARAMS, DIFFUSION_PARAMS
from .charts import NARROW_PLOT, Group, bar_chart
from .index import get_index
from .params import SEARCH_PARAMS, check_known, parse_search_request, query_string, url_with
from .presenters import chips, doc_link, region_tree

bp = Blueprint("research", __name__)

ORDER = ("asc", "desc")
FIGURES_PARAMS = ("sort", "order")
EXPORT_PARAMS = {"search": (*SEARCH_PARAMS, "format"), "compare": (*COMPARE_PARAMS, "format"),
                 "figures": (*FIGURES_PARAMS, "format"), "diffusion": (*DIFFUSION_PARAMS, "format")}
CHART_ROWS = 12  # bars per search-page chart
CHART_WIDTH = 200  # pixels of bars in a search-page chart


def _search_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The parameters that make the search (no row order, no format): what links carry on."""
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k in ("q", *FACETS)])


def _order(args: MultiDict[str, str], sorts: tuple[str, ...], default: str) -> tuple[str, bool]:
    sort = args.get("sort", "") or default
    order = args.get("order", "") or "asc"
    if sort not in sorts:
        raise BadRequest(f"参数 sort 只能是 {'、'.join(sorts)} 之一（收到 {sort!r}）。")
    if order not in ORDER:
        raise BadRequest(f"参数 order 只能是 asc 或 desc（收到 {order!r}）。")
    return sort, order == "desc"


def _compare_request(args: MultiDict[str, str], known: tuple[str, ...] = COMPARE_PARAMS
                     ) -> tuple[SearchRequest, str, bool]:
    check_known(args, known)
    sort, desc = _order(args, SORTS, "agency")
    _only_mentioned(args)
    return parse_search_request(_search_args(args)), sort, desc


def _only_mentioned(args: MultiDict[str, str]) -> bool:
    """only=mentioned: the matrix without agencies and years that mention nothing."""
    only = args.get("only", "")
    if only not in ("", "mentioned"):
        raise BadRequest(f"参数 only 只能是 mentioned（收到 {only!r}）。")
    return only == "mentioned"


def _matrix(search_request: SearchRequest, sort: str, desc: bool) -> Any:
    matrix = build_matrix(get_index(), search_request).sorted(sort, desc)
    return matrix.mentioned_only() if _only_mentioned(request.args) else matrix


def _permalink(doc_id: str, passage_id: str) -> str:
    """The passage's address: under the configured BASE_URL (ZCJS_BASE_URL), else relative to the
    site; never from the request's Host header, which any client may forge."""
    path = url_for("views.document_page", doc_id=doc_id, _anchor=passage_id)
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    return base + path


def _sort_links(args: MultiDict[str, str], keys: Any, current: str, desc: bool) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (again: the other way) and an arrow."""
    out = {}
    for key in keys:
        order = "asc" if key != current else ("asc" if desc else "desc")
        out[key] = {"url": url_with(args, sort=key, order=order),
                    "arrow": ("↓" if desc else "↑") if key == current else ""}
    return out


@bp.app_template_global()
def taxonomy_names() -> list[str]:
    """The measures of the generation being served (not of today's measures file)."""
    return list(get_index().measure_names)


@bp.app_template_global()
def section_type_names() -> list[str]:
    """The section types of the generation being served."""
    return list(get_index().section_types)


@bp.app_template_global()
def cite(hit: Hit) -> str:
    """The one-line citation of a hit (for the search results' 复制引用)."""
    return hit_citation(hit, get_index().report(hit.doc_id))


@bp.app_template_global()
def permalink(hit: Hit) -> str:
    return _permalink(hit.doc_id, hit.id)


@bp.app_template_global()
def export_links(kind: str) -> list[dict[str, str]]:
    """The download links of a page, keeping its parameters."""
    args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k in EXPORT_PARAMS[kind]
                      and k not in ("page", "size", "limit", "group", "format")])
    base = url_for(f"research.export_{kind}")
    return [{"label": fmt.upper(), "format": fmt, "url": base + url_with(args, format=fmt)} for fmt in FORMATS]


@bp.app_template_global()
def export_cap() -> int:
    """Passages in one search download at most."""
    return MAX_EXPORT_ROWS


@bp.app_template_global()
def compare_url() -> str:
    """The matrix of the current search (its query and filters)."""
    return url_for("research.compare_page") + query_string(_search_args(request.args))


@bp.app_template_global()
def search_charts(result: SearchResult) -> list[Markup]:
    """Mentions by year and by region of the current results: the facet counts, or, where a year or
    region is selected (its facet then counts beyond it), the results counted again."""
    args = _search_args(request.args)
    facets: dict[str, Any] = result.facets
    if any(result.filters.get(f) for f in ("year", "region")):
        facets = distribution(get_index(), parse_search_request(request.args))
    years = sorted((v for v in facets.get("year", ()) if v.passages), key=lambda v: str(v.value))
    year_groups = [Group(str(v.value), (v.reports, v.passages), url_for("views.search_page")
                         + url_with(args, year=str(v.value))) for v in years][:CHART_ROWS]
    shown = [v for v in facets.get("region", ()) if v.passages][:CHART_ROWS]
    regions = [Group("　" * depth + label, (v.reports, v.passages),
                     url_for("views.search_page") + url_with(args, region=str(v.value)))
               for v, (label, depth) in zip(shown, region_tree([str(v.value) for v in shown]), strict=True)]
    series = ("报告", "段落")
    charts = (bar_chart("按年份", year_groups, series, plot=CHART_WIDTH),
              bar_chart("按地区", regions, series, plot=CHART_WIDTH))
    return [c for c in charts if c]


# ── the peer matrix ──

@bp.get("/compare")
def compare_page() -> str:
    """Agencies × years for a measure or a query; a section type alone compares side by side."""
    search_request, sort, desc = _compare_request(request.args)
    args = _search_args(request.args)
    asked = bool(search_request.text) or any(search_request.filters.get(f) for f in ("measure", "section_type"))
    if not asked:
        measures = [{"name": name, "url": url_for("research.compare_page", measure=name)}
                    for name in get_index().measure_names]
        return render_template("compare.html", matrix=None, measures=measures, q="", carry=FACETS)
    index = get_index()
    matrix = _matrix(search_request, sort, desc)
    only_type = not search_request.text and not search_request.filters.get("measure")
    columns = side_by_side(index, search_request) if only_type else []
    return render_template(
        "compare.html", matrix=matrix, columns=columns, q=search_request.text, chips=chips(request.args),
        without_query=url_with(request.args, q=None),
        sort_links=_sort_links(request.args, SORTS, sort, desc), unknown=UNKNOWN,
        cell_link=lambda cell: doc_link(args, cell.doc_id, cell.passage_id),
        search_link=lambda agency, year: url_for("views.search_page") + url_with(
            args, agency=agency, year=str(year) if year else UNKNOWN),
        doc_link=lambda doc_id, anchor="": doc_link(args, doc_id, anchor),
        report_of=lambda doc_id: index.report(doc_id) or {},
        only_mentioned=_only_mentioned(request.args),
        only_url=url_with(request.args, only=None if _only_mentioned(request.args) else "mentioned"),
        search_url=url_for("views.search_page") + query_string(args), carry=FACETS,
    )


@bp.get("/api/compare")
def compare_json() -> dict[str, Any]:
    """The matrix as JSON (as `python -m indexer compare … --json`)."""
    search_request, sort, desc = _compare_request(request.args)
    return _matrix(search_request, sort, desc).to_dict()


# ── licensing figures ──

def _figure_rows(sort: str, desc: bool) -> list[dict[str, Any]]:
    index = get_index()
    figures = {f.doc_id: f for f in index.figures()}
    return [{**row, "figures": figures[row["doc_id"]]} for row in figures_table(index, sort, desc).rows]


@bp.get("/figures")
def figures_page() -> str:
    """Every report's licensing figures: a sortable table with the checks, and charts."""
    check_known(request.args, FIGURES_PARAMS)
    sort, desc = _order(request.args, FIGURE_COLUMNS, "agency")
    rows = _figure_rows(sort, desc)
    stated = rows  # the table lists the reports that state a figure
    silent = [f for f in get_index().figures() if not f.figures]
    volume = ("applications", "accepted", "concluded")
    # a chart shows the reports that state one of its numbers (a row of 未载明 only says nothing)
    volumes = [Group(f"{r['agency'] or '机构不详'} {r['year'] or ''}", tuple(r[n] for n in volume),
                     url_for("views.document_page", doc_id=r["doc_id"]))
               for r in stated if any(r[n] is not None for n in volume)]
    rates = [Group(f"{r['agency'] or '机构不详'} {r['year'] or ''}", (r["acceptance_rate"], r["approval_rate"]))
             for r in stated if r["acceptance_rate"] is not None or r["approval_rate"] is not None]
    # labels above the bars: agency names are long, and the chart fits a phone
    charts = [bar_chart("申请、受理、办结", volumes, [FIGURE_LABELS[n] for n in volume], log=True, unit="件",
                        labels_above=True, plot=NARROW_PLOT),
              bar_chart("受理率与准予率", rates, ("受理率", "准予率"), percent=True,
                        labels_above=True, plot=NARROW_PLOT)]
    return render_template(
        "figures.html", rows=rows, stated=len(stated), silent=silent, report_of=lambda d: get_index().report(d) or {},
        names=FIGURE_NAMES, labels=FIGURE_LABELS,
        rate_names=[r[0] for r in RATES], sum_names=[s[0] for s in SUMS], charts=[c for c in charts if c],
        sort_links=_sort_links(request.args, FIGURE_COLUMNS, sort, desc), q="", carry=("none",))


@bp.get("/api/figures")
def figures_json() -> list[dict[str, Any]]:
    """Every report's figures (as `python -m indexer figures --json`)."""
    check_known(request.args, ())
    return [f.to_dict() for f in get_index().figures()]


# ── downloads ──

FILE_NAME_CHARS = 60  # characters of the conditions kept in a download's file name


def file_stem(name: str, args: MultiDict[str, str]) -> str:
    """A download's file name: the table's name and the search that made it (检索结果_容缺受理_2022),
    so two downloads are told apart; characters a file name cannot hold become _."""
    words = [v for k, v in args.items(multi=True) if k in ("q", *FACETS) and v.strip()]
    conditions = re.sub(r"[\\/:*?\"<>|\s\x00-\x1f]+", "_", "_".join(words)).strip("._")
    return f"{name}_{conditions[:FILE_NAME_CHARS]}" if conditions else name


def _download(table: Any, ascii_name: str) -> Response:
    fmt = request.args.get("format", "csv") or "csv"
    if fmt not in FORMATS:
        raise BadRequest(f"参数 format 只能是 {'、'.join(FORMATS)} 之一（收到 {fmt!r}）。")
    ext = FORMATS[fmt].extension
    stem = quote(file_stem(table.name, request.args))
    disposition = f"attachment; filename=\"{ascii_name}.{ext}\"; filename*=UTF-8''{stem}.{ext}"
    return Response(render_chunks(table, fmt), content_type=FORMATS[fmt].media_type,
                    headers={"Content-Disposition": disposition})


@bp.get("/export/search")
def export_search() -> Response:
    """Every passage the search matches (not one page), each with its citation."""
    check_known(request.args, EXPORT_PARAMS["search"])
    args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k in SEARCH_PARAMS])
    table = search_table(get_index(), parse_search_request(args), _permalink, limit=MAX_EXPORT_ROWS)
    return _download(table, "search")


@bp.get("/export/compare")
def export_compare() -> Response:
    """The matrix, one row per agency × year."""
    search_request, sort, desc = _compare_request(request.args, EXPORT_PARAMS["compare"])
    return _download(compare_table(get_index(), search_request, sort, desc, _permalink,
                                   _only_mentioned(request.args)), "compare")


@bp.get("/export/figures")
def export_figures() -> Response:
    """The figures table, in the page's order."""
    check_known(request.args, EXPORT_PARAMS["figures"])
    sort, desc = _order(request.args, FIGURE_COLUMNS, "agency")
    return _download(figures_table(get_index(), sort, desc), "figures")


@bp.get("/export/diffusion")
def export_diffusion() -> Response:
    """Every agency's first year with exact evidence, and that passage."""
    check_known(request.args, EXPORT_PARAMS["diffusion"])
    search_request = parse_search_request(_search_args(request.args))
    return _download(diffusion_table(get_index(), search_request, _permalink), "diffusion")

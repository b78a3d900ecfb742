"""The research tools' pages and JSON: diffusion of a practice (/diffusion), year-over-year changes
of one body (/changes), text reuse (/api/reuse).

The answers come from the core (`indexer.research.diffusion`, `indexer.research.changes`,
`SearchIndex.copies`), so the pages, the API and the CLI say the same thing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.research.diffusion import build_diffusion
from indexer.search.facets import FACETS

from .apidoc import DIFFUSION_PARAMS
from .charts import Point, step_chart
from .index import get_index
from .params import check_known, parse_search_request, query_string, url_with
from .presenters import chips, doc_link

bp = Blueprint("tools", __name__)


def _search_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k in ("q", *FACETS)])


def _diffusion_request(args: MultiDict[str, str]) -> Any:
    check_known(args, DIFFUSION_PARAMS)
    return parse_search_request(_search_args(args))


@bp.get("/diffusion")
def diffusion_page() -> str:
    """Who said a practice first, agency by agency; the cumulative adoption curve; firsts by region."""
    search_request = _diffusion_request(request.args)
    args = _search_args(request.args)
    if not search_request.text and not search_request.filters.get("measure"):
        return render_template("diffusion.html", diffusion=None, q="", carry=FACETS)
    found = build_diffusion(get_index(), search_request)
    points = [Point(str(p.year), (p.agencies, p.regions)) for p in found.curve]
    return render_template(
        "diffusion.html", diffusion=found, q=search_request.text, chips=chips(request.args),
        without_query=url_with(request.args, q=None), carry=FACETS,
        curve=step_chart("累计采用（按首次确切提及的年份）", points, ("机构", "地区")),
        doc_link=lambda doc_id, anchor="": doc_link(args, doc_id, anchor),
        search_link=lambda agency: url_for("views.search_page") + url_with(args, agency=agency),
        compare_url=url_for("research.compare_page") + query_string(args),
    )


@bp.get("/api/diffusion")
def diffusion_json() -> dict[str, Any]:
    """The diffusion as JSON (as `python -m indexer diffusion … --json`)."""
    return build_diffusion(get_index(), _diffusion_request(request.args)).to_dict()

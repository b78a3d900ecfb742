"""The research tools' pages and JSON: diffusion of a practice (/diffusion), year-over-year changes
of one body (/changes), text reuse (/reuse, /api/reuse, the notes on every passage, the fold toggle).

The answers come from the core (`indexer.research.diffusion`, `indexer.research.changes`,
`SearchIndex.reuse`), so the pages, the API and the CLI say the same thing.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, NotFound

from indexer.config import DIFFUSION_PASSAGES, REUSE_LIST_LIMIT
from indexer.models import Reuse, SearchRequest
from indexer.research.changes import Changes, ChangesError, build_changes, previous_year
from indexer.research.compare import Matrix
from indexer.research.diffusion import build_diffusion
from indexer.search.facets import FACETS, UNKNOWN

from .apidoc import CHANGES_PARAMS, DIFFUSION_PARAMS, REUSE_PARAMS
from .charts import Point, step_chart
from .index import get_index
from .params import check_known, parse_doc_id, parse_search_request, query_string, url_with
from .presenters import chips, doc_link
from .research import _search_args

bp = Blueprint("tools", __name__)
PASSAGE_ID = re.compile(r"^[0-9a-f]{16}-\d{3,}$")


def _diffusion_request(args: MultiDict[str, str]) -> SearchRequest:
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
        "diffusion.html", diffusion=found, limit=DIFFUSION_PASSAGES, q=search_request.text,
        chips=chips(request.args),
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


# ── year-over-year changes ──

def _year_param(args: MultiDict[str, str], name: str) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdecimal() and len(raw) == 4):
        raise BadRequest(f"参数 {name} 必须是四位数字的年份（收到 {raw[:20]!r}）。")
    return int(raw)


def _changes(args: MultiDict[str, str]) -> Changes:
    check_known(args, CHANGES_PARAMS)
    doc_id = parse_doc_id(args)
    try:
        return build_changes(get_index(), args.get("agency", "").strip(), _year_param(args, "from"),
                             _year_param(args, "to"), doc_id)
    except ChangesError as err:
        raise NotFound(str(err)) from err


def _report_link(doc_id: str, anchor: str = "") -> str:
    """A report's page (at one of its passages), without a search to mark."""
    return url_for("views.document_page", doc_id=doc_id, **({"_anchor": anchor} if anchor else {}))


def inline_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """Two versions of a sentence, escaped, the characters that differ in <del> and <ins>."""
    before, after = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            before.append(escape(old[i1:i2]))
            after.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            before.append(Markup("<del>%s</del>") % old[i1:i2])
        if j2 > j1:
            after.append(Markup("<ins>%s</ins>") % new[j1:j2])
    return Markup("").join(before), Markup("").join(after)


@bp.get("/changes")
def changes_page() -> str:
    """Two years of one body, section by section: sentences added, removed, reworded; the rest folded."""
    if not request.args.get("agency", "").strip() and not request.args.get("doc", "").strip():
        check_known(request.args, CHANGES_PARAMS)
        return render_template("changes.html", changes=None, q="", carry=("none",))
    found = _changes(request.args)
    return render_template(
        "changes.html", changes=found, q="", carry=("none",), inline_diff=inline_diff, doc_link=_report_link,
        year_link=lambda a, b: url_for("tools.changes_page", agency=found.agency, **{"from": a, "to": b}),
    )


@bp.get("/api/changes")
def changes_json() -> dict[str, Any]:
    """The comparison as JSON (as `python -m indexer changes … --json`)."""
    return _changes(request.args).to_dict()


@bp.app_template_global()
def matrix_changes_url(matrix: Matrix, agency: str) -> str:
    """A matrix row's changes: the agency's two latest years with a report ("" if it has fewer than two)."""
    dated = [y for y in matrix.years if y is not None and matrix.cell(agency, y).status != "no_report"]
    if len(dated) < 2 or agency == UNKNOWN:
        return ""
    return url_for("tools.changes_page", agency=agency, **{"from": dated[-2], "to": dated[-1]})


@bp.app_template_global()
def previous_changes_url(summary: dict[str, Any]) -> str:
    """The document view's 与上一年比较: this report against its agency's report of the year before."""
    if previous_year(get_index(), summary) is None:
        return ""
    return url_for("tools.changes_page", doc=summary["doc_id"])


# ── text reuse ──

FOLD = ("copies", "fold")  # the search page's toggle: fold passages that repeat one shown above


def _reuse(args: MultiDict[str, str]) -> Reuse:
    check_known(args, REUSE_PARAMS)
    passage_id = args.get("passage", "").strip()
    if not PASSAGE_ID.match(passage_id):
        raise BadRequest(f"参数 passage 必须是段落编号，如 0123456789abcdef-004（收到 {passage_id[:40]!r}）。")
    found = get_index().reuse(passage_id, REUSE_LIST_LIMIT)
    if found is None:
        raise NotFound(f"没有编号为 {passage_id} 的段落。")
    return found


@bp.get("/api/reuse")
def reuse_json() -> dict[str, Any]:
    """Where a passage's text also appears (as `python -m indexer reuse <passage_id> --json`)."""
    return _reuse(request.args).to_dict()


@bp.get("/reuse")
def reuse_page() -> str:
    """A passage and its copies in other reports, side by side, the differing characters marked."""
    found = _reuse(request.args)
    index = get_index()
    report = index.document(found.doc_id)
    section = next((s for s in report.sections if report.passage_id(s) == found.passage_id), None) if report else None
    copies = [(c, inline_diff(section.body if section else "", c.body)[1]) for c in found.copies]
    return render_template("reuse.html", reuse=found, summary=index.report(found.doc_id), section=section,
                           copies=copies, q="", carry=("none",), doc_link=_report_link)


@bp.app_template_global()
def copies_of(passage_id: str) -> int:
    """How many other reports repeat this passage (for 这段文字还出现在 N 份报告中)."""
    return get_index().copy_counts([passage_id])[passage_id]


@bp.app_template_global()
def folding_copies() -> bool:
    return request.args.get(FOLD[0]) == FOLD[1]


@bp.app_template_global()
def fold_toggle_url() -> str:
    """The search page with the toggle flipped."""
    return url_with(request.args, **{FOLD[0]: None if folding_copies() else FOLD[1]})


@bp.app_template_global()
def folded_copies(groups: Any) -> set[str]:
    """The passages on this page that repeat one shown above them (folded when the toggle is on)."""
    if not folding_copies():
        return set()
    ids = [hit.id for group in groups for hit in group.hits]
    copies = get_index().copies_among(ids)
    seen: set[str] = set()
    folded: set[str] = set()
    for pid in ids:
        if pid in seen:
            folded.add(pid)
        else:
            seen |= copies.get(pid, set())
    return folded

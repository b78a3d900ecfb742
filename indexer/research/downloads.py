"""What each download holds: the rows of a search (every matching passage), a matrix, the figures.

Each builder returns a `Table` (rows, ordered columns, Chinese headers, sheet name) that
`export.FORMATS[fmt].render` turns into CSV, XLSX or JSON; the web app (/export/…) and the
CLI (`python -m indexer export …`) build the same tables. A passage row carries everything
a citation needs, and the one-line `citation()` itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from html import unescape
from typing import TYPE_CHECKING, Any

from indexer.ingest.facts import ROW_COLUMNS, ROW_HEADERS
from indexer.models import DOC_TYPE_LABELS, Hit, SearchRequest
from indexer.research.compare import Matrix, build_matrix
from indexer.research.diffusion import build_diffusion
from indexer.research.export import FORMATS, citation, to_xlsx

if TYPE_CHECKING:
    from indexer.search.searchindex import SearchIndex

HITS_BATCH = 200  # passages highlighted per call of SearchIndex.hits
Link = Callable[[str, str], str]  # (doc_id, passage id) → the passage's permalink


def default_link(doc_id: str, passage_id: str) -> str:
    return f"/doc/{doc_id}#{passage_id}"


@dataclass(frozen=True)
class Table:
    """Rows ready for an exporter, with their columns and headers."""

    name: str  # file name stem
    sheet: str
    columns: tuple[str, ...]
    headers: Mapping[str, str]
    rows: list[dict[str, Any]]


def render(table: Table, fmt: str) -> bytes:
    """The table as a file of format `fmt` (csv, xlsx, json); XLSX names its sheet."""
    if fmt == "xlsx":
        return to_xlsx(table.rows, table.columns, table.headers, sheet=table.sheet)
    return FORMATS[fmt].render(table.rows, table.columns, table.headers)


def plain(html: str) -> str:
    """A highlighted fragment as plain text: no <mark>, entities decoded."""
    return unescape(re.sub(r"</?mark>", "", html))


def hit_citation(hit: Hit, summary: Mapping[str, Any] | None) -> str:
    """The one-line citation of a passage (published date and source where the report has them)."""
    info = summary or {}
    return citation(agency=hit.agency, year=hit.year, title=hit.title, section=hit.section,
                    published=info.get("published", ""), source=info.get("source_url", ""),
                    file=hit.file, doc_id=hit.doc_id, passage_id=hit.id)


PASSAGE_COLUMNS = ("agency", "region", "year", "title", "doc_type", "section", "section_type", "measures",
                   "passage", "published", "source_url", "file", "doc_id", "passage_id", "link", "citation")
PASSAGE_HEADERS = {
    "agency": "机构", "region": "地区", "year": "年度", "title": "标题", "doc_type": "文件类型", "section": "章节",
    "section_type": "章节类型", "measures": "政策措施", "passage": "段落", "published": "发布日期",
    "source_url": "来源地址", "file": "文件", "doc_id": "报告编号", "passage_id": "段落编号", "link": "链接",
    "citation": "引用",
}


def passage_row(hit: Hit, summary: Mapping[str, Any] | None, link: Link = default_link) -> dict[str, Any]:
    """One passage with its citation."""
    info = summary or {}
    return {
        "agency": hit.agency, "region": hit.region, "year": hit.year, "title": hit.title,
        "doc_type": DOC_TYPE_LABELS.get(hit.doc_type, hit.doc_type), "section": hit.section,
        "section_type": hit.section_type, "measures": list(hit.measures),
        "passage": " … ".join(plain(h) for h in hit.highlights), "published": info.get("published", ""),
        "source_url": info.get("source_url", ""), "file": hit.file, "doc_id": hit.doc_id, "passage_id": hit.id,
        "link": link(hit.doc_id, hit.id), "citation": hit_citation(hit, summary),
    }


def every_hit(index: SearchIndex, request: SearchRequest, batch: int = HITS_BATCH) -> Iterator[Hit]:
    """Every passage the request matches (not one page), highlighted, best report first."""
    ids = [s.id for r in index.matches(replace(request, group=False)).reports for s in r.sections]
    for start in range(0, len(ids), batch):
        yield from index.hits(request, ids[start:start + batch])


def search_table(index: SearchIndex, request: SearchRequest, link: Link = default_link) -> Table:
    rows = [passage_row(h, index.report(h.doc_id), link) for h in every_hit(index, request)]
    return Table("检索结果", "检索结果", PASSAGE_COLUMNS, PASSAGE_HEADERS, rows)


MATRIX_COLUMNS = ("agency", "region", "year", "status", "count", "section", "passage", "title", "published",
                  "source_url", "file", "doc_id", "passage_id", "link", "citation")
MATRIX_HEADERS = {**PASSAGE_HEADERS, "status": "情况", "count": "提及段落数", "passage": "最相关段落"}


def matrix_rows(matrix: Matrix, index: SearchIndex, link: Link = default_link) -> list[dict[str, Any]]:
    """One row per agency × year, in the matrix's row order; a cell without a report says so."""
    hits = {h.id: h for h in matrix.best}
    region = {r.agency: r.region for r in matrix.rows}
    rows = []
    for agency in matrix.agencies:
        for year in matrix.years:
            cell = matrix.cell(agency, year)
            hit = hits.get(cell.passage_id)
            summary = index.report(cell.doc_id) if cell.doc_id else None
            base = passage_row(hit, summary, link) if hit else {}
            rows.append({**base, "agency": agency, "region": region[agency], "year": year,
                         "status": cell.label, "count": cell.count, "passage": plain(cell.passage)})
    return rows


def compare_table(index: SearchIndex, request: SearchRequest, sort: str = "agency", descending: bool = False,
                  link: Link = default_link) -> Table:
    matrix = build_matrix(index, request).sorted(sort, descending)
    return Table("同行对比", "同行对比", MATRIX_COLUMNS, MATRIX_HEADERS, matrix_rows(matrix, index, link))


FIGURE_COLUMNS = (*ROW_COLUMNS[:2], "region", *ROW_COLUMNS[2:], "title")
FIGURE_HEADERS = {**ROW_HEADERS, "region": "地区", "title": "标题"}


def figures_rows(index: SearchIndex) -> list[dict[str, Any]]:
    """One row per report: its figures, checks and rates (None where not stated)."""
    return [{**f.to_row(), "region": (s := index.report(f.doc_id) or {}).get("region", ""), "title": s.get("title", "")}
            for f in index.figures()]


def sort_rows(rows: Sequence[dict[str, Any]], key: str, descending: bool = False) -> list[dict[str, Any]]:
    """Rows ordered by one column; empty cells last whatever the order."""
    present = [r for r in rows if r.get(key) not in (None, "")]
    missing = [r for r in rows if r.get(key) in (None, "")]
    return sorted(present, key=lambda r: r[key], reverse=descending) + missing


def figures_table(index: SearchIndex, sort: str = "agency", descending: bool = False) -> Table:
    rows = sort_rows(figures_rows(index), sort if sort in FIGURE_COLUMNS else "agency", descending)
    return Table("许可数据", "许可数据", FIGURE_COLUMNS, FIGURE_HEADERS, rows)


DIFFUSION_COLUMNS = ("agency", "region", "first_year", "years", "earlier_reports", "earlier", "section", "passage",
                     "title", "published", "source_url", "file", "doc_id", "passage_id", "link", "citation")
DIFFUSION_HEADERS = {**PASSAGE_HEADERS, "first_year": "首次提及年度", "years": "提及年度",
                     "earlier_reports": "此前未提及的报告数", "earlier": "此前情况", "passage": "首次提及段落"}


def diffusion_table(index: SearchIndex, request: SearchRequest, link: Link = default_link) -> Table:
    """One row per agency: its first year with exact evidence and that passage (silent agencies last)."""
    diffusion = build_diffusion(index, request, passages=None)
    hits = {h.id: h for h in diffusion.best}
    rows = []
    for a in diffusion.agencies:
        hit = hits.get(a.passage_id)
        base = passage_row(hit, index.report(a.doc_id), link) if hit else {}
        rows.append({**base, "agency": a.agency, "region": a.region, "first_year": a.first_year,
                     "years": list(a.years), "earlier_reports": a.earlier_reports, "earlier": a.earlier_label,
                     "passage": plain(a.passage)})
    return Table("扩散", "扩散", DIFFUSION_COLUMNS, DIFFUSION_HEADERS, rows)

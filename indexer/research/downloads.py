"""What each download holds: the rows of a search (every matching passage), a matrix, the figures.

Each builder returns a `Table` (rows, ordered columns, Chinese headers, sheet name) that
`export.FORMATS[fmt].render` turns into CSV, XLSX or JSON; the web app (/export/…) and the
CLI (`python -m indexer export …`) build the same tables. A passage row carries everything
a citation needs, and the one-line `citation()` itself. A table also says where it comes from
(`about`: the query, filters, export time and index generation): the JSON export is an object
holding it beside the rows, the XLSX a 说明 sheet; the CSV stays a plain table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from html import unescape
from typing import TYPE_CHECKING, Any

from indexer.ingest.facts import ROW_COLUMNS, ROW_HEADERS
from indexer.models import DOC_TYPE_LABELS, Hit, SearchRequest
from indexer.research.compare import Matrix, build_matrix
from indexer.research.diffusion import build_diffusion
from indexer.research.export import FORMATS, LIST_SEPARATOR, citation, json_document_chunks, to_json_document, to_xlsx

if TYPE_CHECKING:
    from indexer.search.backend import SearchBackend

HITS_BATCH = 200  # passages highlighted per call of SearchBackend.hits
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
    about: Mapping[str, Any] = field(default_factory=dict)  # provenance(): what the rows are the answer to


def provenance(index: SearchBackend, request: SearchRequest | None, **extra: Any) -> dict[str, Any]:
    """What an export is: its query and filters, when it was made, from which index generation."""
    manifest = index.catalog.manifest
    return {
        "query": request.text if request else "",
        "filters": {k: list(v) for k, v in (request.filters if request else {}).items() if v},
        **({"doc_id": request.doc_id} if request and request.doc_id else {}),
        **extra,
        "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "index": {"path": str(index.path.resolve()), "generation": index.generation,
                  "built": manifest.get("built", ""), "reports": manifest.get("reports"),
                  "sources": manifest.get("sources", [])},
    }


ABOUT_LABELS = {"table": "内容", "query": "检索词", "filters": "筛选条件", "doc_id": "报告", "sort": "排序",
                "only": "只看有提及的机构和年份", "reports_without_figures": "未载明许可数据的报告数（未列出）",
                "exported_at": "导出时间", "rows": "行数", "index": "索引"}
INDEX_LABELS = {"path": "索引文件夹", "generation": "索引版本（generation）", "built": "索引建立时间",
                "reports": "索引中的报告数", "sources": "报告文件夹"}


def about_lines(table: Table) -> list[tuple[str, str]]:
    """The 说明 sheet: one (item, value) per line of the table's provenance, in Chinese."""
    about = {"table": table.sheet, **table.about, "rows": len(table.rows)}
    lines: list[tuple[str, str]] = []
    for key, value in about.items():
        if key == "index":
            lines += [(INDEX_LABELS.get(k, k), "；".join(map(str, v)) if isinstance(v, list) else str(v))
                      for k, v in value.items()]
        elif key == "filters":
            lines.append((ABOUT_LABELS[key], "；".join(f"{k}={'、'.join(v)}" for k, v in value.items()) or "无"))
        else:
            lines.append((ABOUT_LABELS.get(key, key), str(value) if value not in (None, "") else "无"))
    return lines


def render(table: Table, fmt: str) -> bytes:
    """The table as a file of format `fmt` (csv, xlsx, json); XLSX names its sheet and adds 说明,
    JSON is an object with the provenance and the rows."""
    if fmt == "xlsx":
        return to_xlsx(table.rows, table.columns, table.headers, sheet=table.sheet, notes=about_lines(table))
    if fmt == "json":
        return to_json_document({"table": table.sheet, **table.about}, table.rows, table.columns)
    return FORMATS[fmt].render(table.rows, table.columns, table.headers)


def render_chunks(table: Table, fmt: str) -> Iterator[bytes]:
    """The table as `render` makes it, in chunks where the format streams (CSV, JSON)."""
    chunks = FORMATS[fmt].chunks
    if fmt == "json":
        yield from json_document_chunks({"table": table.sheet, **table.about}, table.rows, table.columns)
    elif chunks is None:
        yield render(table, fmt)
    else:
        yield from chunks(table.rows, table.columns, table.headers)


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


def passage_ids(index: SearchBackend, request: SearchRequest) -> list[str]:
    """The ids of every passage the request matches, best report first."""
    return [s.id for r in index.matches(replace(request, group=False)).reports for s in r.sections]


def every_hit(index: SearchBackend, request: SearchRequest, batch: int = HITS_BATCH,
              ids: Sequence[str] | None = None) -> Iterator[Hit]:
    """Every passage the request matches (not one page; or only `ids`), highlighted, best report first."""
    run = index.prepare(replace(request, group=False))  # evaluated once for every batch
    ids = [s.id for r in run.matches().reports for s in r.sections] if ids is None else ids
    for start in range(0, len(ids), batch):
        yield from run.hits(ids[start:start + batch])


def cap_note(shown: int, total: int) -> str:
    """What a capped download says in its last row."""
    return (f"仅含最相关的前 {shown} 个段落（共 {total} 个匹配段落，每个下载文件最多 {shown} 行）："
            "请加筛选条件缩小范围后分批下载，或用 python -m indexer export 导出全部。")


def search_table(index: SearchBackend, request: SearchRequest, link: Link = default_link,
                 limit: int | None = None) -> Table:
    """Every passage the request matches, with its citation; past `limit` passages only the best
    `limit`, and a last row saying so."""
    ids = passage_ids(index, request)
    shown = ids if limit is None else ids[:limit]
    rows = [passage_row(h, index.report(h.doc_id), link) for h in every_hit(index, request, ids=shown)]
    if len(shown) < len(ids):
        rows.append({PASSAGE_COLUMNS[0]: cap_note(len(shown), len(ids))})
    return Table("检索结果", "检索结果", PASSAGE_COLUMNS, PASSAGE_HEADERS, rows,
                 provenance(index, request, sort=request.sort))


MATRIX_COLUMNS = ("agency", "region", "year", "status", "count", "section", "passage", "title", "published",
                  "source_url", "file", "doc_id", "passage_id", "link", "citation")
MATRIX_HEADERS = {**PASSAGE_HEADERS, "status": "情况", "count": "提及段落数", "passage": "最相关段落"}


def matrix_rows(matrix: Matrix, index: SearchBackend, link: Link = default_link) -> list[dict[str, Any]]:
    """One row per agency × year, in the matrix's row order; a cell without a report says so."""
    hits = {h.id: h for h in matrix.best}
    region = {r.agency: r.region for r in matrix.rows}
    rows = []
    for agency in matrix.agencies:
        for year in matrix.years:
            cell = matrix.cell(agency, year)
            hit = hits.get(cell.passage_id)
            summary = index.report(cell.doc_id) if cell.doc_id else None
            base = passage_row(hit, summary, link) if hit else read_reports(cell.reports, index, link)
            rows.append({**base, "agency": agency, "region": region[agency], "year": year,
                         "status": cell.label, "count": cell.count, "passage": plain(cell.passage)})
    return rows


def read_reports(doc_ids: Sequence[str], index: SearchBackend, link: Link) -> dict[str, Any]:
    """Which reports a cell without a matching passage was read in (未提及: found silent), joined by "；"."""
    infos = [(d, index.report(d) or {}) for d in doc_ids]
    joined = {key: LIST_SEPARATOR.join(str(i.get(key) or "") for _, i in infos)
              for key in ("title", "file", "published", "source_url")}
    return {**joined, "doc_id": LIST_SEPARATOR.join(d for d, _ in infos),
            "link": LIST_SEPARATOR.join(link(d, "").rstrip("#") for d, _ in infos)} if infos else {}


def compare_table(index: SearchBackend, request: SearchRequest, sort: str = "agency", descending: bool = False,
                  link: Link = default_link, mentioned_only: bool = False) -> Table:
    matrix = build_matrix(index, request).sorted(sort, descending)
    matrix = matrix.mentioned_only() if mentioned_only else matrix
    return Table("同行对比", "同行对比", MATRIX_COLUMNS, MATRIX_HEADERS, matrix_rows(matrix, index, link),
                 provenance(index, request, sort=f"{sort}{' desc' if descending else ''}",
                            **({"only": "mentioned"} if mentioned_only else {})))


FIGURE_COLUMNS = (*ROW_COLUMNS[:2], "region", *ROW_COLUMNS[2:], "title")
FIGURE_HEADERS = {**ROW_HEADERS, "region": "地区", "title": "标题"}


def figures_rows(index: SearchBackend) -> list[dict[str, Any]]:
    """One row per report that states a figure: its figures, checks and rates (None where not stated)."""
    return [{**f.to_row(), "region": (s := index.report(f.doc_id) or {}).get("region", ""), "title": s.get("title", "")}
            for f in index.figures() if f.figures]


def sort_rows(rows: Sequence[dict[str, Any]], key: str, descending: bool = False) -> list[dict[str, Any]]:
    """Rows ordered by one column; empty cells last whatever the order."""
    present = [r for r in rows if r.get(key) not in (None, "")]
    missing = [r for r in rows if r.get(key) in (None, "")]
    return sorted(present, key=lambda r: r[key], reverse=descending) + missing


def figures_table(index: SearchBackend, sort: str = "agency", descending: bool = False) -> Table:
    key = sort if sort in FIGURE_COLUMNS else "agency"
    rows = sort_rows(figures_rows(index), key, descending)
    return Table("许可数据", "许可数据", FIGURE_COLUMNS, FIGURE_HEADERS, rows,
                 provenance(index, None, sort=f"{key}{' desc' if descending else ''}",
                            reports_without_figures=len(index.figures()) - len(rows)))


DIFFUSION_COLUMNS = ("agency", "region", "first_year", "years", "earlier_reports", "earlier", "section", "passage",
                     "title", "published", "source_url", "file", "doc_id", "passage_id", "link", "citation")
DIFFUSION_HEADERS = {**PASSAGE_HEADERS, "first_year": "首次提及年度", "years": "提及年度",
                     "earlier_reports": "此前未提及的报告数", "earlier": "此前情况", "passage": "首次提及段落"}


def diffusion_table(index: SearchBackend, request: SearchRequest, link: Link = default_link) -> Table:
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
    return Table("扩散", "扩散", DIFFUSION_COLUMNS, DIFFUSION_HEADERS, rows, provenance(index, request))

"""The peer-practice matrix: agencies × years, each cell the best passage and how many mention it.

    universe  = the reports that pass the request's report filters (agency, region, year, doc_type)
    mentioned = the sections that match the whole request (query, measure, section type, filters)

A cell says which of four things is true, and never lets a missing report read as "not
practised": `mentioned` (sections holding the typed term itself — exact evidence — their count
and the best of them), `related` (no section says it, but some come near through words: a
near-term, a measure's or the query's words apart; the best is shown, never counted as a mention),
`not_mentioned` (a report of that agency and year is indexed but no section matches) or
`no_report` (nothing indexed for that pair).
A report without an agency sits in the row 未注明, one without a year in the column
`None` (shown 未注明): they are counted, not dropped. Everything goes through the seam
(`SearchBackend.matches`, `prepare`, `report`): the request is evaluated once for its matches
and its highlighted passages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from indexer.models import Hit, ReportMatches, SearchRequest
from indexer.search.facets import UNKNOWN
from indexer.text.normalize import fold

if TYPE_CHECKING:
    from indexer.search.backend import SearchBackend

REPORT_FILTERS = ("agency", "region", "year", "doc_type")  # they decide the universe
SORTS = ("agency", "region", "mentions")
Status = Literal["mentioned", "related", "not_mentioned", "no_report"]
Pair = tuple[str, int | None]  # agency, year
STATUS_LABELS = {"mentioned": "提及", "related": "相近", "not_mentioned": "未提及", "no_report": "无报告"}
SIDE_BY_SIDE_LIMIT = 20  # passages shown per agency in the section-type view
CHARACTERS_ONLY = 5  # the grade of a match through the query's characters alone (querytree.LEVELS)


@dataclass(frozen=True)
class Cell:
    """One agency × year: its status, matching sections, and the best of them highlighted."""

    agency: str
    year: int | None
    status: Status
    count: int = 0  # sections with exact evidence in this agency-year's reports
    reports: tuple[str, ...] = ()  # doc_ids of the agency-year's reports
    doc_id: str = ""  # the best passage's report
    passage_id: str = ""
    section: str = ""  # its heading path
    passage: str = ""  # escaped HTML with <mark>
    related: int = 0  # sections with near evidence only (a `related` cell's; never counted as mentions)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {"agency": self.agency, "year": self.year, "status": self.status, "count": self.count,
                "doc_id": self.doc_id or None, "section": self.section or None, "passage": self.passage or None,
                "passage_id": self.passage_id or None, "reports": list(self.reports), "related": self.related}


@dataclass(frozen=True)
class AgencyRow:
    """One agency: where it is, how many of its sections match, in how many reports."""

    agency: str
    region: str
    mentions: int
    reports: int
    reports_mentioning: int
    forms: tuple[str, ...] = ()  # other names its reports give it, as written (one row per body)


@dataclass(frozen=True)
class Matrix:
    """The whole comparison; `to_dict()` is the JSON of the CLI and /api/compare."""

    measure: tuple[str, ...]
    query: str
    filters: dict[str, tuple[str, ...]]
    rows: tuple[AgencyRow, ...]
    years: tuple[int | None, ...]
    cells: dict[tuple[str, int | None], Cell]
    best: tuple[Hit, ...] = ()  # the cells' passages as hits (for a citation)

    @property
    def agencies(self) -> tuple[str, ...]:
        return tuple(r.agency for r in self.rows)

    def cell(self, agency: str, year: int | None) -> Cell:
        return self.cells[(agency, year)]

    def summary(self) -> str:
        """One sentence: how many agencies with reports mention it."""
        mentioning = sum(1 for r in self.rows if r.mentions)
        reports = sum(r.reports for r in self.rows)
        with_mention = sum(r.reports_mentioning for r in self.rows)
        return (f"{len(self.rows)} 家机构中有 {mentioning} 家的报告提及"
                f"（{reports} 份报告中的 {with_mention} 份）。")

    def sorted(self, key: str = "agency", descending: bool = False) -> Matrix:
        """The same matrix with its rows in another order (agency, region or mentions)."""
        keys = {
            "agency": lambda r: (r.agency == UNKNOWN, r.agency),
            "region": lambda r: (r.region == "", r.region, r.agency),
            "mentions": lambda r: (r.mentions, r.reports_mentioning, r.agency),
        }
        return replace(self, rows=tuple(sorted(self.rows, key=keys[key], reverse=descending)))

    def mentioned_only(self) -> Matrix:
        """The same matrix without the agencies and the years that no report of theirs mentions."""
        rows = tuple(r for r in self.rows if r.mentions)
        years = tuple(y for y in self.years if any(self.cell(r.agency, y).count for r in rows))
        agencies = {r.agency for r in rows}
        return replace(self, rows=rows, years=years,
                       cells={k: c for k, c in self.cells.items() if k[1] in years and k[0] in agencies})

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": list(self.measure),
            "query": self.query,
            "filters": {k: list(v) for k, v in self.filters.items()},
            "summary": self.summary(),
            "agencies": list(self.agencies),
            "regions": {r.agency: r.region for r in self.rows},
            "forms": {r.agency: list(r.forms) for r in self.rows if r.forms},
            "years": list(self.years),
            "cells": [self.cell(a, y).to_dict() for a in self.agencies for y in self.years],
        }


def _forms(agency: str, summaries: list[Mapping[str, Any]]) -> tuple[str, ...]:
    """The names an agency's reports write it by, where they differ from its one name."""
    written = (s["agency_forms"][0] for s in summaries if s.get("agency_forms") and s.get("agency") == agency)
    return tuple(sorted({f for f in written if fold(f) != agency}))


def agency_of(summary: Mapping[str, Any]) -> str:
    return summary.get("agency") or UNKNOWN


def _year_order(year: int | None) -> tuple[bool, int]:
    return (year is None, year or 0)


def universe_request(request: SearchRequest) -> SearchRequest:
    """The request without what is looked for: only the filters that choose reports."""
    return SearchRequest(filters={k: v for k, v in request.filters.items() if k in REPORT_FILTERS and v})


class BodyLengths:
    """How much text a passage holds under its heading (0: a heading alone), each report read once, when asked."""

    def __init__(self, index: SearchBackend) -> None:
        self.index = index
        self.lengths: dict[str, int] = {}
        self.read: set[str] = set()

    def __call__(self, doc_id: str, passage_id: str) -> int:
        if doc_id not in self.read:
            self.read.add(doc_id)
            report = self.index.document(doc_id)
            if report is not None:
                self.lengths.update((report.passage_id(s), len(s.body.strip())) for s in report.sections)
        return self.lengths.get(passage_id, 0)


def _best_passages(index: SearchBackend, found: Mapping[str, ReportMatches],
                   by_pair: Mapping[Pair, list[str]]) -> dict[Pair, tuple[str, str]]:
    """Each mentioned pair's best passage (doc_id, passage id): the best level and score, as the search
    ranks them; among sections that tie on both (every section, when only filters are asked), the one
    with the most text under its heading, so a heading alone is chosen only when nothing else matches."""
    tied: dict[Pair, list[tuple[str, str]]] = {}
    for pair, doc_ids in by_pair.items():
        candidates = [((s.grade, -s.score), d, s.id) for d in doc_ids if d in found for s in found[d].sections]
        if candidates:
            top = min(rank for rank, _, _ in candidates)
            tied[pair] = [(d, pid) for rank, d, pid in candidates if rank == top]
    body = BodyLengths(index)
    return {pair: max(ties, key=lambda t: body(*t)) if len(ties) > 1 else ties[0] for pair, ties in tied.items()}


def _word_near(reports: tuple[ReportMatches, ...]) -> list[ReportMatches]:
    """The reports' near matches through words (levels 2–4: a near-term, a measure's or the query's
    words apart), without those that share only characters (level 5), which nearly every report does."""
    out = []
    for rep in reports:
        kept = tuple(s for s in rep.sections if 1 < s.grade < CHARACTERS_ONLY)
        if kept:
            out.append(replace(rep, sections=kept, grade=min(s.grade for s in kept)))
    return out


def build_matrix(index: SearchBackend, request: SearchRequest) -> Matrix:
    """The matrix of `request` (its text and measure/section-type filters are what is looked for)."""
    universe = index.matches(universe_request(request))
    run = index.prepare(replace(request, group=False, doc_id=None, sort="relevance"))  # evaluated once
    found = {r.doc_id: r for r in run.matches().reports}
    near = {r.doc_id: r for r in _word_near(run.matches(related=True).reports) if r.doc_id not in found}
    summaries = {r.doc_id: index.report(r.doc_id) or {} for r in universe.reports}
    by_pair: dict[tuple[str, int | None], list[str]] = {}
    for doc_id, s in summaries.items():
        by_pair.setdefault((agency_of(s), s.get("year")), []).append(doc_id)
    years = tuple(sorted({y for _, y in by_pair}, key=_year_order))
    agencies = sorted({a for a, _ in by_pair})
    best = _best_passages(index, found, by_pair)
    close = _best_passages(index, near, {p: ds for p, ds in by_pair.items() if p not in best})
    chosen = [b[1] for b in (*best.values(), *close.values())]
    hits = {h.id: h for h in run.hits(chosen)} if chosen else {}
    cells: dict[tuple[str, int | None], Cell] = {}
    for agency in agencies:
        for year in years:
            pair_docs = tuple(by_pair.get((agency, year), ()))
            count = sum(len(found[d].sections) for d in pair_docs if d in found)
            if not pair_docs:
                cells[(agency, year)] = Cell(agency, year, "no_report")
            elif count or (agency, year) in close:
                doc_id, pid = best.get((agency, year)) or close[(agency, year)]
                hit = hits.get(pid)
                related = 0 if count else sum(len(near[d].sections) for d in pair_docs if d in near)
                cells[(agency, year)] = Cell(
                    agency, year, "mentioned" if count else "related", count, pair_docs, doc_id, pid,
                    hit.section if hit else "", hit.highlights[0] if hit and hit.highlights else "", related)
            else:
                cells[(agency, year)] = Cell(agency, year, "not_mentioned", reports=pair_docs)
    rows = []
    for agency in agencies:
        mine = [c for (a, _), c in cells.items() if a == agency]
        regions = {summaries[d].get("region", "") for c in mine for d in c.reports}
        region = regions.pop() if len(regions) == 1 else ""  # 未注明 gathers reports of many places
        rows.append(AgencyRow(agency, region, sum(c.count for c in mine), sum(len(c.reports) for c in mine),
                              sum(1 for c in mine for d in c.reports if d in found),
                              _forms(agency, [summaries[d] for c in mine for d in c.reports])))
    return Matrix(tuple(request.filters.get("measure", ())), request.text,
                  {k: v for k, v in request.filters.items() if v}, tuple(rows), years, cells,
                  tuple(hits.values()))


@dataclass(frozen=True)
class AgencyPassages:
    """One agency's passages in the side-by-side view (best first, capped), and how many there are."""

    agency: str
    region: str
    hits: tuple[Hit, ...]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"agency": self.agency, "region": self.region, "total": self.total,
                "hits": [h.to_dict() for h in self.hits]}


def _saying_first(passages: list[tuple[str, str]], body: BodyLengths, limit: int) -> list[str]:
    """The first `limit` passage ids with text under their heading, then bare headings if room is left
    (reports are read only until `limit` such passages are found)."""
    said: list[str] = []
    bare: list[str] = []
    for doc_id, pid in passages:
        if len(said) == limit:
            break
        (said if body(doc_id, pid) else bare).append(pid)
    return (said + bare)[:limit]


def side_by_side(index: SearchBackend, request: SearchRequest, limit: int = SIDE_BY_SIDE_LIMIT) -> list[AgencyPassages]:
    """Each agency's matching passages (e.g. every 存在问题 section), agencies in name order; a heading
    with no text under it (二、存在问题和困难 above its points) is shown after the passages that say something."""
    by_agency: dict[str, list[tuple[str, str]]] = {}  # agency → (doc_id, passage id) in report order
    run = index.prepare(replace(request, group=False, doc_id=None))  # evaluated once: matches and hits
    for rep in run.matches(sort="year").reports:
        by_agency.setdefault(agency_of(index.report(rep.doc_id) or {}), []).extend(
            (rep.doc_id, s.id) for s in rep.sections)
    body = BodyLengths(index)
    shown = {a: _saying_first(passages, body, limit) for a, passages in by_agency.items()}
    hits = {h.id: h for h in run.hits([i for ids in shown.values() for i in ids])}
    out = []
    for agency in sorted(by_agency, key=lambda a: (a == UNKNOWN, a)):
        mine = tuple(hits[i] for i in shown[agency] if i in hits)
        out.append(AgencyPassages(agency, mine[0].region if mine else "", mine, len(by_agency[agency])))
    return out

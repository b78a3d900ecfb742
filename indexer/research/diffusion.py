"""Diffusion of a practice: for every agency, the first year its reports say it, and the adoption curve.

    universe = the reports that pass the request's report filters (agency, region, year, doc_type)
    evidence = the sections that match the request at level 1 (exact: they hold the term itself)

An agency's `first_year` is the earliest year of a report of it with exact evidence; its
`earlier_reports` are its indexed reports of earlier years (all silent, by definition): 0 means
nothing earlier is indexed, so the practice may be older than the first year seen (the matrix's
无报告), n > 0 that n earlier reports are indexed and do not say it (未提及). Reports without a
year cannot date an adoption and are left out of first years. Near matches (levels 2–5) never
count. Everything goes through the seam (`SearchIndex.matches`, `report_ids`, `hits`, `report`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from indexer.config import DIFFUSION_PASSAGES
from indexer.models import Hit, SearchRequest
from indexer.research.compare import agency_of, universe_request
from indexer.search.facets import UNKNOWN

if TYPE_CHECKING:
    from indexer.search.searchindex import SearchIndex

EXACT = 1  # SectionMatch.grade of a section that holds the term itself
Status = Literal["adopted", "not_mentioned"]
STATUS_LABELS = {"adopted": "提及", "not_mentioned": "未提及"}


@dataclass(frozen=True)
class Adoption:
    """One agency: the first year it says the practice (None: never), with that passage."""

    agency: str
    region: str
    first_year: int | None
    years: tuple[int, ...]  # every year with exact evidence
    earlier_reports: int  # indexed reports of years before first_year (all of them if never)
    reports: int  # its reports with a year
    doc_id: str = ""
    passage_id: str = ""
    section: str = ""
    passage: str = ""  # escaped HTML with <mark> (for the first DIFFUSION_PASSAGES adopters, or all if asked)

    @property
    def status(self) -> Status:
        return "adopted" if self.first_year is not None else "not_mentioned"

    @property
    def earlier_label(self) -> str:
        """What is known before the first year: 无更早报告 or 此前 n 份报告未提及."""
        if self.first_year is None:
            return f"{self.reports} 份报告均未提及" if self.reports else "无报告"
        return f"此前 {self.earlier_reports} 份报告未提及" if self.earlier_reports else "无更早报告"

    def to_dict(self) -> dict[str, Any]:
        return {"agency": self.agency, "region": self.region, "first_year": self.first_year,
                "doc_id": self.doc_id or None, "passage_id": self.passage_id or None, "years": list(self.years),
                "earlier_reports": self.earlier_reports, "reports": self.reports, "status": self.status,
                "section": self.section or None, "passage": self.passage or None}


@dataclass(frozen=True)
class CurvePoint:
    """One year of the adoption curve: agencies and regions that have said it by then (cumulative)."""

    year: int
    agencies: int
    regions: int
    new: int  # agencies whose first year this is
    new_agencies: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "agencies": self.agencies, "regions": self.regions, "new": self.new,
                "new_agencies": list(self.new_agencies)}


@dataclass(frozen=True)
class RegionFirst:
    """Who came first in a region: the earliest first year there and the agencies that had it."""

    region: str
    first_year: int
    agencies: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "first_year": self.first_year, "agencies": list(self.agencies)}


@dataclass(frozen=True)
class Diffusion:
    """The whole answer; `to_dict()` is the JSON of the CLI and /api/diffusion."""

    measure: tuple[str, ...]
    query: str
    filters: dict[str, tuple[str, ...]]
    agencies: tuple[Adoption, ...]  # adopters by first year, then the silent ones
    curve: tuple[CurvePoint, ...]
    regions: tuple[RegionFirst, ...]
    best: tuple[Hit, ...] = ()  # the first passages as hits (for exports and citations)

    @property
    def adopters(self) -> tuple[Adoption, ...]:
        return tuple(a for a in self.agencies if a.first_year is not None)

    def summary(self) -> str:
        adopters = self.adopters
        if not adopters:
            return f"{len(self.agencies)} 家机构的报告均未提及。"
        first = min(a.first_year for a in adopters if a.first_year is not None)
        return (f"{len(self.agencies)} 家机构中有 {len(adopters)} 家的报告提及（仅计确切提及），"
                f"最早见于 {first} 年。")

    def to_dict(self) -> dict[str, Any]:
        return {"measure": list(self.measure), "query": self.query,
                "filters": {k: list(v) for k, v in self.filters.items()}, "summary": self.summary(),
                "agencies": [a.to_dict() for a in self.agencies], "curve": [p.to_dict() for p in self.curve],
                "regions": [r.to_dict() for r in self.regions]}


def _first_passage(found: Mapping[str, Any], doc_ids: list[str]) -> tuple[str, str]:
    """The best exact section (highest score) of the first year's reports: (doc_id, passage id)."""
    candidates = [(-s.score, d, s.id) for d in doc_ids for s in found[d].sections if s.grade == EXACT]
    _, doc_id, pid = min(candidates)
    return doc_id, pid


def adoption_curve(adoptions: list[Adoption]) -> tuple[CurvePoint, ...]:
    """Agencies and regions with a first year ≤ each year in which one adopted (cumulative)."""
    by_year: dict[int, list[Adoption]] = {}
    for a in adoptions:
        if a.first_year is not None:
            by_year.setdefault(a.first_year, []).append(a)
    points, agencies, regions = [], 0, set()
    for year in sorted(by_year):
        new = sorted(a.agency for a in by_year[year])
        agencies += len(new)
        regions |= {a.region for a in by_year[year] if a.region}
        points.append(CurvePoint(year, agencies, len(regions), len(new), tuple(new)))
    return tuple(points)


def region_firsts(adoptions: list[Adoption]) -> tuple[RegionFirst, ...]:
    """For each region with an adopter: its earliest first year and who had it, earliest regions first."""
    by_region: dict[str, list[Adoption]] = {}
    for a in adoptions:
        if a.first_year is not None and a.region:
            by_region.setdefault(a.region, []).append(a)
    out = []
    for region, mine in by_region.items():
        year = min(a.first_year for a in mine if a.first_year is not None)
        out.append(RegionFirst(region, year, tuple(sorted(a.agency for a in mine if a.first_year == year))))
    return tuple(sorted(out, key=lambda r: (r.first_year, r.region)))


def build_diffusion(index: SearchIndex, request: SearchRequest, passages: int | None = DIFFUSION_PASSAGES) -> Diffusion:
    """Who said `request` (its text and measure/section-type filters) first, agency by agency; the first
    passage is highlighted for the first `passages` adopters (earliest first; None: all of them)."""
    found = {r.doc_id: r for r in index.matches(replace(request, group=False, doc_id=None, sort="relevance")).reports
             if r.grade == EXACT}
    by_agency: dict[str, list[tuple[int, str]]] = {}  # agency → (year, doc_id) of its dated reports
    region: dict[str, str] = {}
    for doc_id in index.report_ids(universe_request(request)):
        summary = index.report(doc_id) or {}
        agency = agency_of(summary)
        region.setdefault(agency, summary.get("region", ""))
        if summary.get("year") is not None:
            by_agency.setdefault(agency, []).append((int(summary["year"]), doc_id))
    drafts: list[Adoption] = []
    for agency, dated in by_agency.items():
        years = sorted({y for y, d in dated if d in found})
        first = years[0] if years else None
        earlier = sum(1 for y, _ in dated if first is None or y < first)
        doc_id, pid = _first_passage(found, [d for y, d in dated if y == first and d in found]) if years else ("", "")
        drafts.append(Adoption(agency, region[agency], first, tuple(years), earlier, len(dated), doc_id, pid))
    drafts.sort(key=lambda a: (a.first_year is None, a.first_year or 0, a.agency == UNKNOWN, a.agency))
    shown = [a.passage_id for a in drafts if a.passage_id][:passages]
    hits = {h.id: h for h in index.hits(request, shown)} if shown else {}
    adoptions = [replace(a, section=hit.section, passage=hit.highlights[0] if hit.highlights else "")
                 if (hit := hits.get(a.passage_id)) else a for a in drafts]
    return Diffusion(tuple(request.filters.get("measure", ())), request.text,
                     {k: v for k, v in request.filters.items() if v}, tuple(adoptions),
                     adoption_curve(adoptions), region_firsts(adoptions), tuple(hits.values()))

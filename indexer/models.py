"""The records that flow through the pipeline; each knows how to become JSON."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

DocType = Literal["licensing_report", "rule_of_law_report", "disclosure_report", "work_plan", "work_summary",
                  "notice", "regulation", "interpretation", "bulletin", "other"]
DOC_TYPES: tuple[DocType, ...] = (
    "licensing_report",
    "rule_of_law_report",
    "disclosure_report",
    "work_plan",
    "work_summary",
    "notice",
    "regulation",
    "interpretation",
    "bulletin",
    "other",
)
DOC_TYPE_LABELS: dict[str, str] = {
    "licensing_report": "行政许可实施和监督管理情况报告",
    "rule_of_law_report": "法治政府建设报告",
    "disclosure_report": "政府信息公开工作年度报告",
    "work_plan": "工作方案/计划",
    "work_summary": "工作总结",
    "notice": "通知",
    "regulation": "办法/规定/规则",
    "interpretation": "政策解读",
    "bulletin": "通报/工作动态",
    "other": "其他",
}
SortOrder = Literal["relevance", "year"]



@dataclass(frozen=True)
class Section:
    """One passage of a report, under its heading path."""

    ordinal: int
    heading: str  # the heading as written, "" for the preamble
    path: tuple[str, ...]  # headings from the top: ("一、基本情况", "（三）监督管理情况")
    depth: int  # heading depth: 0 preamble, 1 一、, 2 （一）, 3 1.
    section_type: str
    body: str  # text under the heading, as written
    measures: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Heading and body: what is indexed and highlighted (a label ending in … is in the body)."""
        return f"{self.heading}\n{self.body}" if self.heading and not self.heading.endswith("…") else self.body

    @property
    def path_label(self) -> str:
        return " › ".join(self.path) if self.path else "前言"


METADATA_FIELDS = ("title", "agency", "region", "year", "doc_type", "published")  # what provenance covers
CORRECTED = "corrected"  # the provenance rule of a value set by the researcher (metadata.csv)


PROVENANCE_LABELS = {
    "title_lines": "标题行", "title_line_in_text": "正文中的标题行", "title_run_into_text": "首行（标题与正文相连）",
    "news_headline": "页面标题", "report_named_in_text": "正文点明的报告名称", "title": "标题",
    "banner": "发文机关标志", "signature": "落款", "names_line": "机关名称行", "compiled_by": "“由……编制”",
    "speaking_for": "“我代表……”", "called": "“（以下简称……）”", "opening_subject": "首句主语", "attachment": "附件名称",
    "agency": "机构名称", "places_in_text": "正文所提地名", "places_in_cited_titles": "所引文件中的地名",
    "signature_date": "落款日期", "doc_number": "发文字号", "printed_date": "印发日期", "opening_sentence": "首句",
    "opening_sentence_cited_title": "首句所引文件", "wrapper_notice": "印发通知", "opening_text": "正文开头",
    "portal_header": "页面表头", CORRECTED: "人工更正",
    "printed_by": "版记（印发机关）", "title_cited_document": "标题所解读的文件",
}


def provenance_label(rule: str) -> str:
    """A reader's name for a provenance rule: portal_header:发布机构 → 页面表头·发布机构."""
    base, _, key = rule.partition(":")
    label = PROVENANCE_LABELS.get(base, base)
    return f"{label}·{key}" if key else label


@dataclass(frozen=True)
class Provenance:
    """Where a metadata field came from: the rule that read it and the line it was read from."""

    rule: str  # title_lines, portal_header:发布机构, signature, opening_subject, … or "corrected"
    line: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "line": self.line}


@dataclass(frozen=True)
class ReportInfo:
    """The metadata of a report, carried by the report and by each of its hits."""

    doc_id: str
    file: str
    title: str
    agency: str
    region: str
    year: int | None
    doc_type: DocType
    agencies: tuple[str, ...] = ()  # every author, the primary (`agency`) first
    published: str = ""  # 发布日期 / 成文日期, yyyy-mm-dd
    source_url: str = ""  # the page the report was copied from


REPORT_KEYS = tuple(f.name for f in fields(ReportInfo))  # in JSON order


def report_info_dict(info: ReportInfo) -> dict[str, Any]:
    """The report fields of a record as JSON values (tuples become lists), in REPORT_KEYS order."""
    values = {key: getattr(info, key) for key in REPORT_KEYS}
    return {key: list(v) if isinstance(v, tuple) else v for key, v in values.items()}


@dataclass(frozen=True)
class Report(ReportInfo):
    """A report read from one file, split into sections, with its metadata."""

    sections: tuple[Section, ...] = ()
    region_parts: tuple[str, ...] = ()  # every level of the region, for filters
    agency_forms: tuple[str, ...] = ()  # the authors' names as written (agencies: one name per body)
    provenance: dict[str, Provenance] = field(default_factory=dict)  # field → where it was read

    def searched_text(self, section: Section) -> str:
        """What a section is searched by: its heading and body (the first one also the title)."""
        return f"{self.title}\n{section.text}" if section.ordinal == 0 and self.title else section.text

    def passage_id(self, section: Section) -> str:
        """A stable id for a section: same file bytes → same id across rebuilds."""
        return f"{self.doc_id}-{section.ordinal:03d}"

    def summary(self) -> dict[str, Any]:
        """The report's metadata and outline (no text), as `indexer docs --json` prints it."""
        return {
            **report_info_dict(self),
            "agency_forms": list(self.agency_forms),
            "provenance": {key: p.to_dict() for key, p in self.provenance.items()},
            "measures": sorted({m for s in self.sections for m in s.measures}),
            "sections": [
                {
                    "id": self.passage_id(s),
                    "heading": s.heading or "前言",
                    "path": list(s.path),
                    "level": s.depth,
                    "section_type": s.section_type,
                }
                for s in self.sections
            ],
        }


_UNPRINTABLE = ("Cc", "Cf", "Cs", "Zl", "Zp")  # controls, format marks (U+202E), lone surrogates, line breaks


def printable_name(name: str) -> str:
    """A file name fit for one line of output: bytes that are not UTF-8 (held as surrogates) and
    control or format characters escaped as Python writes them (bad\\xff.txt, 两行\\n.txt)."""
    if not any(unicodedata.category(ch) in _UNPRINTABLE for ch in name):
        return name
    out = []
    for ch in name:
        if "\udc80" <= ch <= "\udcff":  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif unicodedata.category(ch) in _UNPRINTABLE:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class SkippedFile:
    """A source file that could not be indexed, and why."""

    file: str
    error: str


@dataclass(frozen=True)
class BuildStats:
    """What a build did."""

    documents: int  # reports in the index afterwards
    sections: int
    skipped: tuple[SkippedFile, ...] = ()
    full: bool = True  # a full build (else an update of the live generation)
    reason: str = ""  # why a full build was needed, if it was not asked for
    added: int = 0  # files indexed that the index did not hold
    updated: int = 0  # files re-indexed because their bytes changed
    removed: int = 0  # files taken out of the index
    unchanged: int = 0  # files the update left as they were (hashed, not parsed)
    corrected: int = 0  # reports with a value from metadata.csv
    corrections_changed: bool = False  # metadata.csv changed and was re-applied
    warnings: tuple[str, ...] = ()  # metadata.csv rows skipped, each named with its line

    @property
    def changed(self) -> bool:
        return self.full or bool(self.added or self.updated or self.removed or self.corrections_changed)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "skipped": [asdict(s) for s in self.skipped]}


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: query text, facet filters, paging and sort."""

    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 10
    sort: SortOrder = "relevance"
    group: bool = False  # page over reports instead of sections
    doc_id: str | None = None  # only the sections of this report


@dataclass(frozen=True, kw_only=True)
class Hit(ReportInfo):
    """One matching section, with its highlighted passages (escaped HTML)."""

    id: str
    section: str
    section_type: str
    measures: tuple[str, ...]
    score: float
    highlights: tuple[str, ...]
    grade: int = 1  # match grade: 1 exact evidence (the typed term), 2–5 near evidence (querytree.LEVELS)

    def to_dict(self) -> dict[str, Any]:
        data = {("level" if key == "grade" else key): value for key, value in asdict(self).items()}
        data["agencies"] = list(self.agencies)
        data["measures"] = list(self.measures)
        data["highlights"] = list(self.highlights)
        data["score"] = round(self.score, 4)
        return data  # JSON keeps the key "level" for the match grade


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its counts over the whole result set.

    `count` is in the facet's default unit: reports for agency, region, year and document
    type, passages for measure and section type; both are given as well.
    """

    value: str | int  # years are numbers
    count: int
    selected: bool = False
    passages: int = 0
    reports: int = 0
    depth: int = 0  # depth in the region hierarchy

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count, "selected": self.selected,
                "passages": self.passages, "reports": self.reports, "level": self.depth}


@dataclass(frozen=True)
class HitGroup:
    """The matching sections of one report."""

    doc_id: str
    hits: tuple[Hit, ...]
    total: int  # matching sections in this report (more than shown, maybe)
    grade: int = 1  # the best match grade of its sections
    score: float = 0.0  # the report's evidence: its sections' scores, with diminishing returns

    def to_dict(self) -> dict[str, Any]:
        first = self.hits[0]
        return {
            **report_info_dict(first),
            "total": self.total,
            "level": self.grade,
            "score": round(self.score, 4),
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass(frozen=True)
class SearchResult:
    """Everything a search returns; `to_dict()` is the JSON of the CLI and the API."""

    query: str
    total: int  # sections matching with exact evidence (the typed term itself)
    total_reports: int
    page: int
    page_size: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    analysis: dict[str, Any]
    filters: dict[str, tuple[str, ...]]
    groups: tuple[HitGroup, ...] | None = None
    warnings: tuple[str, ...] = ()  # e.g. the taxonomy changed since the index was built
    facet_sizes: dict[str, int] = field(default_factory=dict)  # values with a match, shown or not
    related: int = 0  # sections with near evidence only (levels 2–5), listed after the exact ones
    related_reports: int = 0  # reports with near evidence and no exact evidence

    @property
    def pages(self) -> int:
        units = self.total_reports + self.related_reports if self.groups is not None else self.total + self.related
        return max(1, -(-units // self.page_size))

    @property
    def related_page(self) -> int:
        """The page on which the near matches begin."""
        units = self.total_reports if self.groups is not None else self.total
        return units // self.page_size + 1

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "query": self.query,
            "filters": {k: list(v) for k, v in self.filters.items() if v},
            "total": self.total,
            "total_reports": self.total_reports,
            "related": self.related,
            "related_reports": self.related_reports,
            "page": self.page,
            "page_size": self.page_size,
            "pages": self.pages,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {k: [v.to_dict() for v in vs] for k, vs in self.facets.items()},
            "facet_sizes": dict(self.facet_sizes),
            "analysis": self.analysis,
        }
        if self.groups is not None:
            data["groups"] = [g.to_dict() for g in self.groups]
        if self.warnings:
            data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True)
class SectionMatch:
    """A matching section, without its text."""

    id: str  # passage id
    ordinal: int
    score: float
    grade: int = 1  # match grade (see Hit.grade)


@dataclass(frozen=True)
class ReportMatches:
    """Every matching section of one report, best first."""

    doc_id: str
    sections: tuple[SectionMatch, ...]
    score: float  # the report's evidence: its sections' scores, with diminishing returns
    grade: int = 1  # the best match grade of its sections


@dataclass(frozen=True)
class MatchSet:
    """Every match of a request, by report (what a matrix, an export or a chart needs)."""

    query: str
    filters: dict[str, tuple[str, ...]]
    analysis: dict[str, Any]
    reports: tuple[ReportMatches, ...]

    @property
    def total(self) -> int:
        return sum(len(r.sections) for r in self.reports)


@dataclass(frozen=True)
class Copy:
    """A passage of another report that repeats a given one (the same text, or a near copy)."""

    passage_id: str
    doc_id: str
    agency: str
    year: int | None
    similarity: float  # estimated Jaccard similarity of the two passages' shingles
    title: str = ""
    section: str = ""
    body: str = field(default="", repr=False)  # the copy's text (for a page; not in JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"passage_id": self.passage_id, "doc_id": self.doc_id, "agency": self.agency, "year": self.year,
                "similarity": round(self.similarity, 2), "title": self.title, "section": self.section}


@dataclass(frozen=True)
class Reuse:
    """Where a passage's text also appears; `to_dict()` is the JSON of the CLI and /api/reuse."""

    passage_id: str
    doc_id: str
    copies: tuple[Copy, ...]  # the most similar first, at most the limit asked for
    reports: int  # other reports holding a copy (all of them, listed or not)
    total: int = 0  # copies in all (listed or not)

    def to_dict(self) -> dict[str, Any]:
        return {"passage_id": self.passage_id, "doc_id": self.doc_id, "reports": self.reports, "total": self.total,
                "copies": [c.to_dict() for c in self.copies]}


def document_dict(summary: dict[str, Any], report: Report) -> dict[str, Any]:
    """A report with its sections' text, as `indexer show --json` and /api/doc print it."""
    return {
        **summary,
        "sections": [
            {"id": report.passage_id(s), "ordinal": s.ordinal, "heading": s.heading, "path": s.path_label,
             "section_type": s.section_type, "measures": list(s.measures), "body": s.body}
            for s in report.sections
        ],
    }

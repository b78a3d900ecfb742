"""The search-index seam: one object per index generation that the web app and the CLI hold.

    index = open_index(path)           # the live generation (maps files: see prepared.py)
    index.prepare(request) → PreparedSearch (evaluated once: .result(), .matches(), .hits(ids))
    index.search(request)  → SearchResult   (a page: ranked, grouped, facets, highlights)
    index.matches(request) → MatchSet       (every matching section by report: matrix, export, charts)
    index.hits(request, ids) → [Hit]        (given sections, highlighted for the request)
    index.report_ids(request) → [doc_id]    (the reports with a match, nothing else: a universe)
    index.document(doc_id) → Report | None
    index.reports()        → [summary dict]
    index.figures()        → [ReportFigures]            (licensing figures, read at build time)
    index.reuse(passage_id) → Reuse | None   (the passage's copies in other reports, found at build time)
    index.copy_counts(ids) → {id: reports}    (how many other reports repeat each passage)
    index.copies_among(ids) → {id: {ids}}     (which of the given passages copy each other)

This is the contract (`backend.SearchBackend`) a second backend (OpenSearch, say) would implement; nothing outside
this module, `engine.py`, the catalog and the postings store (`indexer.index`) knows that whoosh and
numpy sit underneath.
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections import OrderedDict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from indexer.config import EVALUATIONS_KEPT, PASSAGES_PER_HIT, RECENT_QUERIES, SECTIONS_PER_GROUP
from indexer.index.catalog import FORMAT, MANIFEST, Catalog, SectionRecord, damage, taxonomy_hash
from indexer.index.postings import Postings
from indexer.index.reuse import ReuseTable
from indexer.index.storage import (
    CURRENT,
    IndexDamaged,
    IndexMissing,
    current_generation,
    hold_generation,
    previous_generations,
)
from indexer.ingest.facts import ReportFigures
from indexer.ingest.measures import taxonomy
from indexer.models import (
    REPORT_KEYS,
    Copy,
    FacetValue,
    Hit,
    HitGroup,
    MatchSet,
    Report,
    ReportMatches,
    Reuse,
    SearchRequest,
    SearchResult,
    SectionMatch,
    SortOrder,
)
from indexer.search import querytree as qt
from indexer.search.engine import Evaluator
from indexer.search.facets import FACETS
from indexer.search.passages import highlight
from indexer.search.prepared import open_prepared, text_scan
from indexer.search.query import QueryError, QueryPlan, parse_query
from indexer.text.analysis import ANALYZER_VERSION, han_bigrams
from indexer.text.normalize import compact


@dataclass(frozen=True)
class _Group:
    """One report's matching rows (best first), its best match grade and its evidence."""

    report: int
    rows: np.ndarray
    grade: int
    score: float


@dataclass(frozen=True)
class _Groups:
    """Matching rows by report, as arrays: group i holds rows[bounds[i]:bounds[i + 1]]."""

    rows: np.ndarray
    bounds: np.ndarray
    report: np.ndarray  # per group
    grade: np.ndarray
    evidence: np.ndarray
    order: np.ndarray  # groups, best report first

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, window: slice) -> list[_Group]:
        return [_Group(int(self.report[i]), self.rows[self.bounds[i]:self.bounds[i + 1]], int(self.grade[i]),
                       float(self.evidence[i])) for i in self.order[window].tolist()]


class IndexOutdated(IndexMissing):
    """The live generation was built by an older version: it must be rebuilt."""


@dataclass(frozen=True)
class _Execution:
    plan: QueryPlan
    filters: dict[str, tuple[str, ...]]
    query_mask: np.ndarray  # the query and the request's doc restriction
    filter_masks: dict[str, np.ndarray]
    mask: np.ndarray  # everything applied
    score: np.ndarray
    report_score: np.ndarray | None  # per report, added to its sections' evidence
    grade: np.ndarray  # 1 exact evidence (the typed term), 2–5 near evidence (see querytree.LEVELS)
    text: str = ""  # the query as typed

    @property
    def exact(self) -> np.ndarray:
        """Rows matching with exact evidence, everything applied: what every count counts."""
        return self.mask & (self.grade == qt.COUNTED)

    @property
    def query_exact(self) -> np.ndarray:
        """Rows matching the query (and doc restriction) with exact evidence, before filters."""
        return self.query_mask & (self.grade == qt.COUNTED)


@dataclass(frozen=True)
class Marking:
    """What a passage marks: the terms, else the fallback words, else the near words (every word
    the query matched by), else the query's ideograph pairs; a match in the title only shows the title."""

    terms: list[str]
    fallback: list[str]
    near: list[str]
    pairs: list[str]

    def tiers(self) -> list[list[str]]:
        """What is marked where none of the terms occurs, in order: the first tier that occurs."""
        return [self.fallback, self.near, self.pairs]

    def passages(self, text: str, title: str) -> tuple[str, ...]:
        shown = highlight(text, self.terms, PASSAGES_PER_HIT, self.fallback)
        if any("<mark>" in p for p in shown):
            return shown
        for words in (self.terms, self.near, self.pairs):
            if title and any(k and k in compact(title) for k in map(compact, words)):
                return tuple(TITLE_LABEL + p for p in highlight(title, words, 1))
            marked = highlight(text, words, PASSAGES_PER_HIT) if words is not self.terms else ()
            if any("<mark>" in p for p in marked):
                return marked
        return shown


TITLE_LABEL = "标题："


def marking(plan: QueryPlan, filters: Mapping[str, Sequence[str]]) -> Marking:
    """How the hits of a plan are marked (see `Marking`)."""
    terms, fallback = marked_terms(plan, filters)
    near = list(dict.fromkeys(qt.positive_texts(plan.tree)))
    pairs = sorted({g for word in near for g in han_bigrams(compact(word))})
    return Marking(terms, fallback, near, pairs)


def marked_terms(plan: QueryPlan, filters: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
    """What to mark in a passage: the query's terms, and a browsed measure's own names; fallback words."""
    terms = list(plan.highlight_terms)
    chosen = set(filters.get("measure", ()))
    for measure in taxonomy():
        if measure.name in chosen or any(compact(c) in measure.keys for c in chosen):
            terms += [measure.name, *measure.variants]
    return terms, list(plan.fallback_terms)


class SearchIndex:
    """An opened generation: its catalog, postings, facet arrays and caches."""

    def __init__(self, index_dir: Path, generation: str, serves_for: str | None = None) -> None:
        """Open `generation` of `index_dir`; IndexDamaged (one line) if its files are not as built.

        `serves_for` names the live generation a previous one stands in for (the live one damaged).
        """
        self.path = index_dir
        self.generation = generation
        self.serves_for = serves_for or generation  # stale once CURRENT names another generation
        folder = index_dir / generation
        self._hold = weakref.finalize(self, os.close, hold_generation(folder))  # released by close() or GC
        if problem := damage(folder):
            raise IndexDamaged(f"索引已损坏：{problem}")
        try:
            self._open(folder)
        except (IndexOutdated, FileNotFoundError):
            raise
        except Exception as err:  # noqa: BLE001 - any library's error on a damaged file: one line
            raise IndexDamaged(f"索引已损坏：文件无法读取（{type(err).__name__}）") from err

    def _open(self, folder: Path) -> None:
        self.catalog = Catalog(folder)
        manifest = self.catalog.manifest
        if manifest.get("format") != FORMAT or manifest.get("analyzer") != ANALYZER_VERSION:
            raise IndexOutdated(f"索引由旧版本建立：{self.path}（请重新运行 python -m indexer build）")
        ready = open_prepared(folder, self.catalog)  # computed at build time, mapped: nothing decoded here
        self.tables = ready.tables
        postings = Postings(folder)
        self.engine = Evaluator(self.catalog.texts, ready.lengths, postings, self.tables, ready.titles,
                                self.catalog.first_rows, ready.prior, scan=text_scan(ready, self.catalog, postings))
        self._prepared = ready
        self._recent: deque[str] = deque(maxlen=RECENT_QUERIES)
        self._runs: OrderedDict[tuple[Any, ...], _Execution] = OrderedDict()
        self._runs_lock = threading.Lock()
        self.measure_names: list[str] = list(manifest["measures"])  # the taxonomy it was built with
        self.section_types: list[str] = list(manifest["section_types"])
        self.alive = self.catalog.alive  # rows of removed or replaced files stay, dead, until a full build
        self.warnings = self._taxonomy_warnings(manifest)
        self._reuse: ReuseTable | None = None  # loaded on the first lookup

    @staticmethod
    def _taxonomy_warnings(manifest: Mapping[str, Any]) -> list[str]:
        if manifest.get("taxonomy") == taxonomy_hash():
            return []
        names = [m.name for m in taxonomy()]
        added = [n for n in names if n not in manifest["measures"]]
        removed = [n for n in manifest["measures"] if n not in names]
        detail = "；".join(p for p in (f"新增 {'、'.join(added)}" if added else "",
                                       f"删除 {'、'.join(removed)}" if removed else "") if p)
        return [f"措施分类文件在建索引后已修改{('（' + detail + '）') if detail else ''}：措施标记以重建索引后为准"
                "（python -m indexer build）。"]

    # ── the contract ──
    def is_stale(self) -> bool:
        """True once a newer generation has been made live."""
        return current_generation(self.path) != self.serves_for

    def reports(self) -> list[dict[str, Any]]:
        """Every report's metadata and outline, in build order."""
        return self.catalog.summaries.live()

    def report(self, doc_id: str) -> dict[str, Any] | None:
        """One report's metadata and outline."""
        i = self.catalog.report_of.get(doc_id)
        return None if i is None else self.catalog.summaries[i]

    def figures(self) -> list[ReportFigures]:
        """The licensing figures every report states (extracted at build time), in build order."""
        return self.catalog.figures()

    def document(self, doc_id: str) -> Report | None:
        """One report with its sections' text (None if there is no such report)."""
        i = self.catalog.report_of.get(doc_id)
        if i is None:
            return None
        records = self.catalog.sections(self.catalog.report_rows(i))
        summary = self.catalog.summaries[i]
        return Report(**_info(summary), sections=tuple(r.to_section() for _, r in sorted(records.items())),
                      region_parts=tuple(summary.get("region_parts", ())))

    def prepare(self, request: SearchRequest) -> PreparedSearch:
        """The request parsed and evaluated once: its page, matches and hits all read from it."""
        return PreparedSearch(self, request, self._run(request))

    def search(self, request: SearchRequest) -> SearchResult:
        """A page of results: ranked, optionally grouped by report, with facets and highlights."""
        self._recent.append(request.text)
        return self._result(self._run(request), request)

    def _result(self, run: _Execution, request: SearchRequest) -> SearchResult:
        start, stop = (request.page - 1) * request.page_size, request.page * request.page_size
        marks = marking(run.plan, run.filters)
        exact, near = self._reports_of(run.exact), self._reports_of(run.mask & ~run.exact)
        total, total_reports = int(run.exact.sum()), len(exact)
        related, related_reports = int((run.mask & ~run.exact).sum()), len(np.setdiff1d(near, exact))
        hit_groups = None
        if request.group:
            page = self._grouped(run, request.sort)[start:stop]
            shown = [r for g in page for r in g.rows[:SECTIONS_PER_GROUP].tolist()]
            made = self._hits(shown, run, marks)
            hit_groups = tuple(HitGroup(self.catalog.doc_ids[g.report],
                                        tuple(made[r] for r in g.rows[:SECTIONS_PER_GROUP].tolist()),
                                        len(g.rows), g.grade, g.score) for g in page)
            hits = tuple(h for g in hit_groups for h in g.hits)
        else:
            page_rows = self._ordered(run, request.sort)[start:stop].tolist()
            made = self._hits(page_rows, run, marks)
            hits = tuple(made[r] for r in page_rows)
        facets, sizes = self._facets(run)
        return SearchResult(
            query=request.text, total=total, total_reports=total_reports, page=request.page,
            page_size=request.page_size, hits=hits, facets=facets, analysis=self._analysis(run),
            filters=run.filters, groups=hit_groups, warnings=tuple(self.warnings), facet_sizes=sizes,
            related=related, related_reports=related_reports,
        )

    def _reports_of(self, rows: np.ndarray) -> np.ndarray:
        """The distinct reports of a row mask."""
        return np.unique(self.tables.report_of_row[np.flatnonzero(rows)])

    def matches(self, request: SearchRequest, related: bool = False) -> MatchSet:
        """Every section matching with exact evidence, grouped by report (best report first),
        without highlights; `related` True: the near matches too (their level above 1)."""
        return self._matches(self._run(request), request.sort, related)

    def _matches(self, run: _Execution, sort: str, related: bool = False) -> MatchSet:
        if not related:
            run = replace(run, mask=run.exact)
        records = self.catalog
        out = []
        for g in self._grouped(run, sort)[:]:
            first = int(records.first_rows[g.report])
            secs = tuple(SectionMatch(f"{records.doc_ids[g.report]}-{row - first:03d}", row - first,
                                      float(run.score[row]), int(run.grade[row])) for row in g.rows.tolist())
            out.append(ReportMatches(records.doc_ids[g.report], secs, g.score, g.grade))
        return MatchSet(query=run.text, filters=run.filters, analysis=self._analysis(run), reports=tuple(out))

    def report_ids(self, request: SearchRequest) -> list[str]:
        """The reports with a section that matches `request`, in build order (no per-section records)."""
        reports = np.unique(self.tables.report_of_row[np.flatnonzero(self._execute(request).mask)])
        return [self.catalog.doc_ids[i] for i in reports.tolist()]

    def hits(self, request: SearchRequest, ids: Sequence[str]) -> list[Hit]:
        """The given passages (`<doc_id>-<ordinal>`) as hits highlighted for `request`."""
        return self._hits_of(self._run(request), ids)

    def _hits_of(self, run: _Execution, ids: Sequence[str]) -> list[Hit]:
        rows = [r for pid in ids if (r := self._row_of(pid)) is not None]
        made = self._hits(rows, run, marking(run.plan, run.filters))
        return [made[r] for r in rows]

    def reuse(self, passage_id: str, limit: int | None = None) -> Reuse | None:
        """The passages of other reports that repeat this one, most similar first, the first `limit` of
        them listed (None: no such passage)."""
        row = self._row_of(passage_id)
        if row is None:
            return None
        near = self._near(row)
        shown = near[:limit] if limit is not None else near
        records = self.catalog.sections([r for r, _ in shown])
        copies = []
        for r, sim in shown:
            rec = records[r]
            summary = self.catalog.summaries[rec.report]
            copies.append(Copy(f"{summary['doc_id']}-{rec.ordinal:03d}", summary["doc_id"], summary.get("agency", ""),
                               summary.get("year"), sim, summary.get("title", ""), rec.to_section().path_label,
                               rec.body))
        reports = len({int(self.tables.report_of_row[r]) for r, _ in near})
        return Reuse(passage_id, passage_id.rpartition("-")[0], tuple(copies), reports, len(near))

    def copy_counts(self, passage_ids: Sequence[str]) -> dict[str, int]:
        """For each passage: how many other reports hold a copy of it (0 for none or no such passage)."""
        out = {}
        for pid in passage_ids:
            row = self._row_of(pid)
            out[pid] = len({int(self.tables.report_of_row[r]) for r, _ in self._near(row)}) if row is not None else 0
        return out

    def copies_among(self, passage_ids: Sequence[str]) -> dict[str, set[str]]:
        """For each passage: the others of `passage_ids` that copy it (what a page folds)."""
        rows = {pid: row for pid in passage_ids if (row := self._row_of(pid)) is not None}
        by_row = {row: pid for pid, row in rows.items()}
        return {pid: {by_row[r] for r, _ in self._near(row) if r in by_row} for pid, row in rows.items()}

    def _near(self, row: int) -> list[tuple[int, float]]:
        """The live rows of other reports that copy `row`, with their similarity, most similar first."""
        if self._reuse is None:
            self._reuse = ReuseTable.load(self.path / self.generation)
        own = self.tables.report_of_row[row]
        return [(r, sim) for r, sim in self._reuse.near(row, self.alive) if self.tables.report_of_row[r] != own]

    def close(self) -> None:
        """Release the generation: postings, store connections, mapped files (no search may be running)."""
        self.engine.postings.close()
        self.catalog.close()
        self._prepared.titles.close()
        self._hold()

    # ── the machinery ──
    def _row_of(self, passage_id: str) -> int | None:
        doc_id, _, ordinal = passage_id.rpartition("-")
        rep = self.catalog.report_of.get(doc_id)
        if rep is None or not ordinal.isdigit():
            return None
        row = int(self.catalog.first_rows[rep]) + int(ordinal)
        return row if row in self.catalog.report_rows(rep) else None

    @cached_property
    def measure_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """How many reports, and how many sections, mention each measure (once per generation)."""
        facet = self.search(SearchRequest(page_size=1)).facets["measure"]
        return {str(v.value): v.reports for v in facet}, {str(v.value): v.passages for v in facet}

    def recent_queries(self) -> list[str]:
        """The query texts searched last, most recent first, each once."""
        return list(dict.fromkeys(reversed(self._recent)))

    def warm(self, texts: Sequence[str] = ()) -> None:
        """Answer the empty query (facets over everything) and `texts` once, so their first users do not
        pay for decoding postings and touching mapped pages."""
        for text in ["", *texts]:
            try:
                self._result(self._run(SearchRequest(text=text)), SearchRequest(text=text))
            except QueryError:
                continue

    def _run(self, request: SearchRequest) -> _Execution:
        """The evaluation of `request`'s query and filters (the last few are kept: a page, its export
        and the next page are evaluated once)."""
        key = (request.text, tuple(sorted((k, tuple(v)) for k, v in request.filters.items() if v)), request.doc_id)
        with self._runs_lock:
            if (hit := self._runs.get(key)) is not None:
                self._runs.move_to_end(key)
                return hit
        run = self._execute(request)
        with self._runs_lock:
            self._runs[key] = run
            while len(self._runs) > EVALUATIONS_KEPT:
                self._runs.popitem(last=False)
        return run

    def _execute(self, request: SearchRequest) -> _Execution:
        filters = {k: tuple(v) for k, v in request.filters.items() if v}
        plan = parse_query(request.text, has_filters=bool(filters) or bool(request.doc_id))
        query = self.engine.evaluate(plan.tree) if plan.tree is not None else self.engine.everything()
        query_mask = query.mask & self.alive
        if request.doc_id:
            only = np.zeros(self.engine.n, dtype=bool)
            if (rep := self.catalog.report_of.get(request.doc_id)) is not None:
                rows = self.catalog.report_rows(rep)
                only[rows.start:rows.stop] = True
            query_mask = query_mask & only
        masks = self.tables.filter_masks(filters)
        mask = np.logical_and.reduce([query_mask, *masks.values()]) if masks else query_mask
        return _Execution(plan, filters, query_mask, masks, mask, query.score, query.report, query.grades(),
                          request.text)

    def _ordered(self, run: _Execution, sort: str) -> np.ndarray:
        """Matching rows: exact evidence first, then by score (or by year, then score)."""
        rows = np.flatnonzero(run.mask)
        years = self.tables.report_years[self.tables.report_of_row[rows]]
        scores, near = run.score[rows], run.grade[rows] != qt.COUNTED
        keys = (rows, -scores, -years, near) if sort == "year" else (rows, -years, -scores, near)
        return rows[np.lexsort(keys)]

    def _grouped(self, run: _Execution, sort: str) -> _Groups:
        """Matching rows by report: reports with exact evidence first (and only their exact rows),
        then the others; each by its evidence (the sections' scores with diminishing returns: the
        k-th best counts 1/k), or by year, then evidence."""
        rows = self._ordered(run, "relevance")
        report = self.tables.report_of_row[rows]
        exact = np.zeros(self.tables.n_reports, dtype=bool)
        exact[report[run.grade[rows] == qt.COUNTED]] = True
        keep = (run.grade[rows] == qt.COUNTED) | ~exact[report]  # a report with exact evidence shows only that
        rows, report = rows[keep], report[keep]
        order = np.argsort(report, kind="stable")  # each report's rows stay best first
        rows, report = rows[order], report[order]
        starts = np.flatnonzero(np.r_[True, report[1:] != report[:-1]]) if len(rows) else np.empty(0, np.int64)
        bounds = np.r_[starts, len(rows)]
        rank = np.arange(len(rows)) - np.repeat(starts, np.diff(bounds))
        evidence = np.add.reduceat(run.score[rows] / (rank + 1), starts) if len(rows) else np.empty(0)
        level = np.minimum.reduceat(run.grade[rows], starts) if len(rows) else np.empty(0, np.int8)
        reps = report[starts]
        if run.report_score is not None:
            evidence = evidence + run.report_score[reps]
        years = self.tables.report_years[reps]
        near = level != qt.COUNTED
        keys = (reps, -evidence, -years, near) if sort == "year" else (reps, -years, -evidence, near)
        return _Groups(rows, bounds, reps, level, evidence, np.lexsort(keys))

    def _analysis(self, run: _Execution) -> dict[str, Any]:
        """How the query was read, with the sections and reports found at each level when graded."""
        analysis = run.plan.analysis()
        if any(isinstance(n, qt.Graded) for n in qt.nodes(run.plan.tree)):
            rows = np.flatnonzero(run.mask)
            levels = run.grade[rows]
            reports = self.tables.report_of_row[rows]
            analysis["levels"] = [
                {"level": lv, "label": qt.LEVELS[lv], "sections": int((levels == lv).sum()),
                 "reports": len(np.unique(reports[levels == lv]))}
                for lv in sorted(qt.LEVELS)
            ]
        return analysis

    def _facets(self, run: _Execution) -> tuple[dict[str, tuple[FacetValue, ...]], dict[str, int]]:
        """The most matched values of every facet (exact evidence only), each counted ignoring its
        own selection, and how many values each facet has in all."""
        out, sizes = {}, {}
        counted = run.query_exact
        for facet in FACETS:
            others = [m for f, m in run.filter_masks.items() if f != facet]
            rows = np.logical_and.reduce([counted, *others]) if others else counted
            out[facet], sizes[facet] = self.tables.counts(facet, rows, run.filters.get(facet, ()))
        return out, sizes

    def _hits(self, rows: Sequence[int], run: _Execution, marks: Marking) -> dict[int, Hit]:
        records = self.catalog.sections(rows)
        return {row: self._hit(records[row], float(run.score[row]), int(run.grade[row]), marks) for row in rows}

    def _hit(self, rec: SectionRecord, score: float, level: int, marks: Marking) -> Hit:
        summary = self.catalog.summaries[rec.report]
        section = rec.to_section()
        title = summary.get("title", "") if rec.ordinal == 0 else ""  # the title is searched with the first section
        return Hit(
            **_info(summary),
            id=f"{summary['doc_id']}-{rec.ordinal:03d}", section=section.path_label, section_type=rec.section_type,
            measures=rec.measures, score=score, highlights=marks.passages(section.text, title), grade=level,
        )


@dataclass(frozen=True)
class PreparedSearch:
    """One request evaluated once (see `SearchIndex.prepare`): the page, every match, any passages
    highlighted, all read from the same evaluation."""

    index: SearchIndex
    request: SearchRequest
    run: _Execution

    def result(self) -> SearchResult:
        """The request's page (as `SearchIndex.search`)."""
        return self.index._result(self.run, self.request)  # noqa: SLF001 - the seam's own half

    def matches(self, sort: SortOrder | None = None, related: bool = False) -> MatchSet:
        """Every matching section by report (as `SearchIndex.matches`), in `sort` or the request's order."""
        return self.index._matches(self.run, sort or self.request.sort, related)  # noqa: SLF001

    def hits(self, ids: Sequence[str]) -> list[Hit]:
        """The given passages highlighted (as `SearchIndex.hits`)."""
        return self.index._hits_of(self.run, ids)  # noqa: SLF001


def _info(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The ReportInfo fields of a stored summary (JSON lists back to tuples)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in summary.items() if k in REPORT_KEYS}


REPAIR_HINT = "请运行 python -m indexer build 修复"


def open_index(index_dir: Path) -> SearchIndex:
    """Open the live generation; raises IndexMissing (or IndexOutdated) with a hint.

    A damaged live generation gives way to the newest previous one that opens (with a warning
    saying so); with none, IndexDamaged says what is wrong in one line.
    """
    try:
        return _open_live(index_dir)
    except IndexDamaged as err:
        live = current_generation(index_dir) or "CURRENT"
        for previous in previous_generations(index_dir):
            try:
                ix = SearchIndex(index_dir, previous.name, serves_for=live)
            except (IndexMissing, FileNotFoundError):
                continue
            built = ix.catalog.manifest.get("built", "")
            ix.warnings.insert(0, f"{str(err).rstrip('。')}：暂用上一版索引（建于 {built}），{REPAIR_HINT}。")
            return ix
        raise IndexDamaged(f"{str(err).rstrip('。')}（{index_dir}），且没有可用的上一版索引：{REPAIR_HINT}。") from None


def _open_live(index_dir: Path) -> SearchIndex:
    for _ in range(3):  # a generation removed while we opened it has been replaced: open the new one
        gen = current_generation(index_dir)
        if gen is None and (index_dir / CURRENT).exists():
            raise IndexDamaged(f"索引已损坏：{CURRENT} 文件内容无效")
        if gen is None:
            raise IndexMissing(f"索引不存在：{index_dir}（请先运行 python -m indexer build）")
        if not (index_dir / gen / MANIFEST).is_file():
            raise IndexDamaged(f"索引已损坏：{CURRENT} 指向的 {gen} 不存在或不完整")
        try:
            return SearchIndex(index_dir, gen)
        except FileNotFoundError as err:
            if current_generation(index_dir) == gen:
                raise IndexDamaged(f"索引已损坏：缺少文件（{err.filename or err}）") from err
    raise IndexMissing(f"索引正在频繁更新，无法打开：{index_dir}（请稍后再试）")


def live_damage(index_dir: Path) -> str:
    """What is wrong with the live generation ("" if it is sound, or if there is none)."""
    gen = current_generation(index_dir)
    if gen is None:
        return f"{CURRENT} 文件内容无效" if (index_dir / CURRENT).exists() else ""
    return damage(index_dir / gen) if (index_dir / gen).is_dir() else f"{CURRENT} 指向的 {gen} 不存在"


def index_exists(index_dir: Path) -> bool:
    """True if `index_dir` holds a live generation of the current format."""
    gen = current_generation(index_dir)
    if gen is None:
        return False
    try:
        manifest = json.loads((index_dir / gen / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict):
        return False
    return manifest.get("format") == FORMAT and manifest.get("analyzer") == ANALYZER_VERSION


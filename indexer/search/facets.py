"""Facet values of a generation as arrays: filters (value → rows) and exact counts.

Report attributes (agency, region, year, doc_type) are per-report columns of value ids,
section attributes (section_type, measure) per-row columns; all are loaded once per
generation. Counts are exact over the whole match set and given both ways (passages and
reports). A report without a value counts under 未注明, which can be selected too.
Regions form a hierarchy (province → city → district) whose counts include the levels below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from indexer.ingest.measures import measure_named
from indexer.ingest.regions import Region, find_region
from indexer.models import DOC_TYPE_LABELS, FacetValue
from indexer.search.querytree import QueryError, year_bounds
from indexer.text.normalize import fold

FACETS: tuple[str, ...] = ("measure", "agency", "region", "year", "doc_type", "section_type")
FACET_LABELS = {"measure": "政策措施", "agency": "机构", "region": "地区", "year": "年份",
                "doc_type": "文件类型", "section_type": "章节类型"}
REPORT_FACETS = ("agency", "region", "year", "doc_type")  # counted in reports by default
UNKNOWN = "未注明"
FACET_LIMIT = 50  # values per facet in a result (the most matched; their counts stay exact)
REGION_SUFFIXES = ("省", "市", "区", "县", "自治区", "自治州", "自治县", "特别行政区")


@lru_cache(maxsize=4096)
def region_nodes(name: str) -> tuple[str, ...]:
    """The hierarchy of a region name, top first: 广东省, 广东省广州市, 广东省广州市花都区."""
    region = find_region(name) if name else Region()
    levels = [p for p in (Region(region.province).name, Region(region.province, region.city).name, region.name) if p]
    return tuple(dict.fromkeys(levels))


@dataclass
class _Column:
    """One facet: its value names and, per report or per row, the value ids (-1: none)."""

    names: list[str]
    ids: np.ndarray  # (n, k) int32
    per_report: bool

    def lookup(self, name: str) -> int | None:
        return self.names.index(name) if name in self.names else None


FacetColumn = _Column  # as a generation stores it (`indexer.search.prepared`)


def _column(values: Sequence[Sequence[str]], per_report: bool, names: list[str] | None = None) -> _Column:
    names = list(names or sorted({v for vs in values for v in vs}))
    index = {n: i for i, n in enumerate(names)}
    width = max(1, max((len(vs) for vs in values), default=1))
    ids = np.full((len(values), width), -1, dtype=np.int32)
    for row, vs in enumerate(values):
        for j, v in enumerate(vs):
            ids[row, j] = index[v]
    return _Column(names, ids, per_report)


def report_columns(summaries: Sequence[Mapping[str, Any]]) -> tuple[dict[str, _Column], np.ndarray]:
    """The per-report facet columns of a generation's summaries, and every report's year (0: none)."""
    columns = {
        "agency": _column([_agencies(s) or [UNKNOWN] for s in summaries], True),
        "region": _column([region_nodes(s.get("region", "")) or (UNKNOWN,) for s in summaries], True),
        "year": _column([[str(s["year"]) if s.get("year") else UNKNOWN] for s in summaries], True),
        "doc_type": _column([[s.get("doc_type") or "other"] for s in summaries], True),
    }
    return columns, np.array([s.get("year") or 0 for s in summaries], dtype=np.int32)


class FacetTables:
    """Value tables and columns of every facet for one generation."""

    def __init__(self, summaries: Sequence[Mapping[str, Any]], report_of_row: np.ndarray,  # noqa: PLR0913
                 section_types: np.ndarray, measure_bits: np.ndarray, measures: Sequence[str],
                 type_names: Sequence[str]) -> None:
        columns, years = report_columns(summaries)
        columns["section_type"] = _Column(list(type_names), section_types.astype(np.int32)[:, None], False)
        self._fill(columns, years, report_of_row, measure_bits, measures)

    @classmethod
    def from_columns(cls, columns: dict[str, _Column], report_years: np.ndarray, report_of_row: np.ndarray,
                     measure_bits: np.ndarray, measures: Sequence[str]) -> FacetTables:
        """Tables from columns computed beforehand (a generation stores them mapped)."""
        tables = cls.__new__(cls)
        tables._fill(columns, report_years, report_of_row, measure_bits, measures)
        return tables

    def _fill(self, columns: dict[str, _Column], report_years: np.ndarray, report_of_row: np.ndarray,
              measure_bits: np.ndarray, measures: Sequence[str]) -> None:
        self.report_of_row = report_of_row
        self.measures = list(measures)
        self.measure_bits = measure_bits
        self.columns = columns
        self.n_reports = len(report_years)
        self.report_years = report_years

    # ── filters ──
    def rows_of_reports(self, report_mask: np.ndarray) -> np.ndarray:
        return report_mask[self.report_of_row]

    def _ids_mask(self, column: _Column, ids: Sequence[int]) -> np.ndarray:
        hit = np.asarray(np.isin(column.ids, np.array(ids, dtype=np.int32)).any(axis=1))
        return self.rows_of_reports(hit) if column.per_report else hit

    def mask(self, facet: str, value: str, exact: bool = True) -> np.ndarray:
        """Rows whose `facet` has `value`; raises QueryError for a value that names nothing."""
        value = value.strip()
        if facet == "measure":
            return self._measure_mask(value)
        column = self.columns[facet]
        return self._ids_mask(column, self.resolve(facet, value, exact))

    def resolve(self, facet: str, value: str, exact: bool = True) -> list[int]:
        """The value ids a filter value stands for (an exact value first, else as people write it)."""
        column = self.columns[facet]
        folded = fold(value)
        if folded == UNKNOWN or value == UNKNOWN:
            return [i for i in [column.lookup(UNKNOWN)] if i is not None] or [-2]
        if facet == "year":
            low, high = year_bounds(value)
            return [i for i, n in enumerate(column.names) if n.isdigit()
                    and (low is None or int(n) >= low) and (high is None or int(n) <= high)] or [-2]
        if facet == "doc_type":
            code = next((k for k, label in DOC_TYPE_LABELS.items() if value in (k, label)), None)
            if code is None:
                raise QueryError(f"未知的文件类型“{value}”：可选 {'、'.join(DOC_TYPE_LABELS.values())}。")
            return [i for i in [column.lookup(code)] if i is not None] or [-2]
        if facet == "section_type":
            if folded not in column.names:
                raise QueryError(f"未知的章节类型“{value}”：可选 {'、'.join(column.names)}。")
            return [column.names.index(folded)]
        if exact and (i := column.lookup(folded)) is not None:
            return [i]
        if facet == "region":
            ids = _region_ids(column.names, folded)
            if not ids:
                raise QueryError(f"没有属于“{value}”的报告（地区可写省、市、区县，如 广东、广州、花都区）。")
            return ids
        ids = [i for i, n in enumerate(column.names) if folded and folded in n and n != UNKNOWN]
        if not ids:
            raise QueryError(f"没有名称包含“{value}”的机构。")
        return ids

    def _measure_mask(self, value: str) -> np.ndarray:
        measure = measure_named(value)
        if measure is None:
            raise QueryError(f"未知的政策措施“{value}”：请从措施列表中选择。")
        if measure.name not in self.measures:
            raise QueryError(f"措施“{measure.name}”是在建索引之后加入分类文件的："
                             "请重新建索引（python -m indexer build）。")
        bit = np.uint64(1 << self.measures.index(measure.name))
        return (self.measure_bits & bit) != 0

    def filter_masks(self, filters: Mapping[str, Sequence[str]]) -> dict[str, np.ndarray]:
        """One row mask per facet with selected values (values OR-ed)."""
        out = {}
        for facet, values in filters.items():
            masks = [self.mask(facet, v) for v in values if v.strip()]
            if masks:
                out[facet] = np.logical_or.reduce(masks) if len(masks) > 1 else masks[0]
        return out

    # ── counts ──
    def counts(self, facet: str, rows: np.ndarray, selected: Sequence[str] = (),
               limit: int = FACET_LIMIT) -> tuple[tuple[FacetValue, ...], int]:
        """The `limit` values of `facet` with the most matches (selected values always included),
        with their exact counts, and how many values have a match in all."""
        if facet == "measure":
            passages, reports = self._measure_counts(rows)
            names = self.measures
        else:
            column = self.columns[facet]
            names = column.names
            passages, reports = self._column_counts(column, rows)
        chosen = {self._selection_key(facet, v) for v in selected}
        by_reports = facet in REPORT_FACETS
        main = reports if by_reports else passages
        present = np.flatnonzero(passages)
        shown = present if len(present) <= limit else present[np.argsort(-main[present], kind="stable")[:limit]]
        ids = set(shown.tolist()) | ({i for i, name in enumerate(names) if name in chosen} if chosen else set())
        values = [
            FacetValue(int(names[i]) if facet == "year" and names[i].isdigit() else names[i],
                       int(main[i]), names[i] in chosen, passages=int(passages[i]), reports=int(reports[i]),
                       depth=len(region_nodes(names[i])) - 1 if facet == "region" and names[i] != UNKNOWN else 0)
            for i in sorted(ids)
        ]
        return tuple(_ordered(facet, values)), len(present)

    def _selection_key(self, facet: str, value: str) -> str:
        if facet == "measure":
            m = measure_named(value)
            return m.name if m else value
        if facet == "doc_type":
            return next((k for k, label in DOC_TYPE_LABELS.items() if value in (k, label)), value)
        try:
            ids = self.resolve(facet, value) if facet in ("agency", "region") else []
        except QueryError:
            ids = []
        names = self.columns[facet].names if facet in self.columns else []
        return names[ids[0]] if len(ids) == 1 and ids[0] >= 0 else fold(value.strip())

    def _column_counts(self, column: _Column, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        size = len(column.names)
        matched = np.flatnonzero(rows)
        reps = self.report_of_row[matched]  # non-decreasing: a report's rows are consecutive
        if column.per_report:
            per_row = column.ids[reps].ravel()
            per_report = column.ids[_distinct_sorted(reps)].ravel()
            return (np.bincount(per_row[per_row >= 0], minlength=size),
                    np.bincount(per_report[per_report >= 0], minlength=size))
        codes = column.ids[matched, 0]
        present = np.zeros((self.n_reports, size), dtype=bool)
        present[reps, codes] = True
        return np.bincount(codes, minlength=size), present.sum(axis=0)

    def _measure_counts(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        matched = np.flatnonzero(rows)
        size = len(self.measures)
        if not len(matched):
            return np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
        bits = self.measure_bits[matched]
        reps = self.report_of_row[matched]
        starts = np.flatnonzero(np.r_[True, reps[1:] != reps[:-1]])
        per_report = np.bitwise_or.reduceat(bits, starts)
        return _bit_counts(bits, size), _bit_counts(per_report, size)


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values of a non-decreasing array (no sort needed)."""
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _bit_counts(bits: np.ndarray, size: int) -> np.ndarray:
    """How many of `bits` (uint64) have each of the lowest `size` bits set."""
    as_bytes = bits.astype("<u8").view(np.uint8).reshape(-1, 8)
    return np.unpackbits(as_bytes, axis=1, bitorder="little").sum(axis=0, dtype=np.int64)[:size]


def _agencies(summary: Mapping[str, Any]) -> list[str]:
    names = list(summary.get("agencies") or ([summary["agency"]] if summary.get("agency") else []))
    return list(dict.fromkeys(n for n in names if n))


def _region_ids(names: Sequence[str], folded: str) -> list[int]:
    """Region nodes a name as people write it stands for: 广州 → 广东省广州市, 广东 → 广东省."""
    def short(node: str) -> str:
        nodes = region_nodes(node)
        parent = nodes[-2] if len(nodes) > 1 else ""
        return node[len(parent):]

    for test in (lambda n: short(n) == folded,
                 lambda n: any(short(n) == folded + s for s in REGION_SUFFIXES),
                 lambda n: n.endswith(folded) and len(folded) >= 2):
        ids = [i for i, n in enumerate(names) if n != UNKNOWN and test(n)]
        if ids:
            return ids
    return []


def _ordered(facet: str, values: list[FacetValue]) -> list[FacetValue]:
    if facet == "year":
        return sorted(values, key=lambda v: (str(v.value) == UNKNOWN, -int(v.value) if str(v.value).isdigit() else 0))
    if facet != "region":
        return sorted(values, key=lambda v: (str(v.value) == UNKNOWN, -v.count, str(v.value)))
    shown = {str(v.value) for v in values}
    children: dict[str, list[FacetValue]] = {}
    for v in values:  # under its nearest shown ancestor (a region's parent may be beyond the limit)
        nodes = region_nodes(str(v.value)) if v.value != UNKNOWN else ()
        parent = next((n for n in reversed(nodes[:-1]) if n in shown), "")
        children.setdefault(parent, []).append(v)
    out: list[FacetValue] = []

    def walk(parent: str) -> None:
        for v in sorted(children.get(parent, []), key=lambda v: (str(v.value) == UNKNOWN, -v.count, str(v.value))):
            out.append(v)
            walk(str(v.value))

    walk("")
    return out

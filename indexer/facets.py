"""Facet filters (selected values → whoosh query) and counts over a result set.

Values of one facet are OR-ed, facets are AND-ed. Counts are "disjunctive": a facet's
counts ignore that facet's own selection, so a user can add a second agency or year.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from whoosh import query as wq
from whoosh.searching import Searcher

from . import schema as f
from .measures import measure_named
from .models import DOC_TYPE_LABELS, SECTION_TYPES, FacetValue
from .normalize import fold
from .query import QueryError

FACET_LABELS = {
    f.MEASURE: "政策措施", f.AGENCY: "机构", f.REGION: "地区", f.YEAR: "年份",
    f.DOC_TYPE: "文件类型", f.SECTION_TYPE: "章节类型",
}
YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*(?:-|~|–|\.\.|至|到)\s*(\d{4})?\s*$")


def _lexicon(searcher: Searcher, fieldname: str) -> list[str]:
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.reader().lexicon(fieldname)]


def _year_query(value: str) -> wq.Query:
    value = value.strip()
    if value.isdigit() and len(value) == 4:
        return wq.Term(f.YEAR, int(value))
    if (m := YEAR_RANGE.match(value)) and (m.group(1) or m.group(2)):
        low = int(m.group(1)) if m.group(1) else None
        high = int(m.group(2)) if m.group(2) else None
        return wq.NumericRange(f.YEAR, low if low is not None else 1, high)
    raise QueryError(f"年份 {value!r} 无效：请写四位年份，如 2023，或范围，如 2019-2023。")


def value_query(searcher: Searcher, facet: str, value: str) -> wq.Query:
    """The query for one selected facet value; raises QueryError for an unknown value."""
    folded = fold(value).strip()
    if facet == f.YEAR:
        return _year_query(value)
    if facet == f.AGENCY:  # any agency whose name contains the value: 花都区 → 广州市花都区…
        names = [n for n in _lexicon(searcher, f.AGENCY) if folded and folded in n]
        if not names:
            raise QueryError(f"没有名称包含“{value}”的机构。")
        return wq.Or([wq.Term(f.AGENCY, n) for n in names])
    if facet == f.REGION:
        if folded not in _lexicon(searcher, f.REGION_PARTS):
            raise QueryError(f"没有属于“{value}”的报告（地区可写省、市、区县，如 广州市、花都区）。")
        return wq.Term(f.REGION_PARTS, folded)
    if facet == f.DOC_TYPE:
        code = next((k for k, label in DOC_TYPE_LABELS.items() if value in (k, label)), None)
        if code is None:
            raise QueryError(f"未知的文件类型“{value}”：可选 {', '.join(DOC_TYPE_LABELS)}。")
        return wq.Term(f.DOC_TYPE, code)
    if facet == f.SECTION_TYPE:
        if folded not in SECTION_TYPES:
            raise QueryError(f"未知的章节类型“{value}”：可选 {'、'.join(SECTION_TYPES)}。")
        return wq.Term(f.SECTION_TYPE, folded)
    if facet == f.MEASURE:
        measure = measure_named(value)
        if measure is None:
            raise QueryError(f"未知的政策措施“{value}”：请从措施列表中选择。")
        return wq.Term(f.MEASURE, measure.name)
    raise QueryError(f"未知的筛选项 {facet}。")


def filter_queries(searcher: Searcher, filters: Mapping[str, Sequence[str]]) -> dict[str, wq.Query]:
    """One query per facet with selected values (values OR-ed)."""
    out = {}
    for facet, values in filters.items():
        queries = [value_query(searcher, facet, v) for v in values if v.strip()]
        if queries:
            out[facet] = queries[0] if len(queries) == 1 else wq.Or(queries)
    return out


def _values(searcher: Searcher, facet: str, docnums: Iterable[int]) -> Counter[str | int]:
    reader = searcher.reader()
    if facet == f.MEASURE:
        column = reader.column_reader(f.MEASURE_KEY)
        return Counter(m for d in docnums for m in column[d].split("|") if m)
    column = reader.column_reader(facet)
    return Counter(v for d in docnums if (v := column[d]) not in ("", f.NO_YEAR))


def count_values(
    searcher: Searcher, facet: str, docnums: Iterable[int], selected: Sequence[str] = ()
) -> tuple[FacetValue, ...]:
    """Counts of each value of `facet` among `docnums`, selected values always included."""
    counts = _values(searcher, facet, docnums)
    chosen = [str(v) for v in selected]
    partial = facet in (f.AGENCY, f.REGION)  # a selection may name part of a value: 花都区

    def is_selected(value: str) -> bool:
        return value in chosen or (partial and any(fold(c) in value for c in chosen))

    if facet == f.YEAR:
        order = sorted(counts, key=lambda v: -int(v))
    else:
        order = sorted(counts, key=lambda v: (-counts[v], str(v)))
    values = [FacetValue(v, counts[v], is_selected(str(v))) for v in order]
    shown = [str(v.value) for v in values if v.selected]
    values += [FacetValue(c, 0, True) for c in chosen if not any(c == s or fold(c) in s for s in shown)]
    return tuple(values)

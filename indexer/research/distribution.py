"""Mentions by year and by region of exactly the current results (every filter applied).

A facet counts its values ignoring its own selection (so its other values stay offered);
a chart of the results must not: with region=广东省江门市 it shows 江门市 and its ancestors
with the counts of the results, not all of 广东省. Values come in the facets' shape
(`FacetValue`, region values in tree order: a parent before its children, larger first).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from indexer.models import FacetValue, SearchRequest
from indexer.search.facets import UNKNOWN, region_nodes

if TYPE_CHECKING:
    from indexer.search.searchindex import SearchIndex


def distribution(index: SearchIndex, request: SearchRequest) -> dict[str, list[FacetValue]]:
    """The year and region values of the reports `request` matches, counted in reports and passages."""
    reports: dict[str, Counter[str | int]] = {"year": Counter(), "region": Counter()}
    passages: dict[str, Counter[str | int]] = {"year": Counter(), "region": Counter()}
    for match in index.matches(replace(request, group=False, page=1)).reports:
        summary = index.report(match.doc_id) or {}
        keys: dict[str, tuple[str | int, ...]] = {
            "year": (summary.get("year") or UNKNOWN,),
            "region": region_nodes(summary.get("region", "")) or (UNKNOWN,),
        }
        for facet, values in keys.items():
            for value in values:
                reports[facet][value] += 1
                passages[facet][value] += len(match.sections)
    return {facet: [FacetValue(v, reports[facet][v], passages=passages[facet][v], reports=reports[facet][v],
                               depth=_depth(facet, v)) for v in _order(facet, reports[facet])]
            for facet in reports}


def _depth(facet: str, value: str | int) -> int:
    return len(region_nodes(str(value))) - 1 if facet == "region" and value != UNKNOWN else 0


def _order(facet: str, counts: Counter[str | int]) -> list[str | int]:
    """Years in order (未注明 last); regions as a tree, each level by count then name."""
    if facet == "year":
        return sorted(counts, key=lambda y: (y == UNKNOWN, str(y)))

    def key(name: str | int) -> tuple[tuple[bool, int, str], ...]:
        chain = region_nodes(str(name)) if name != UNKNOWN else (UNKNOWN,)
        return tuple((n == UNKNOWN, -counts[n], n) for n in chain)

    return sorted(counts, key=key)

"""Run a SearchRequest against an index: query, filters, facets, ranking, passages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from . import schema as f
from .config import PASSAGES_PER_HIT, SECTIONS_PER_GROUP
from .facets import count_values, filter_queries
from .measures import taxonomy
from .models import FacetValue, Hit, HitGroup, SearchRequest, SearchResult, section_text
from .passages import highlight
from .query import QueryPlan, parse_query
from .storage import PolicyIndex


@dataclass
class _Matches:
    """The matching sections: docnum → score, in result order."""

    scores: dict[int, float]
    order: list[int]


def _merged_filters(request: SearchRequest, plan: QueryPlan) -> dict[str, tuple[str, ...]]:
    merged = {k: tuple(v) for k, v in request.filters.items() if v}
    for facet, values in plan.filters.items():
        merged[facet] = tuple(dict.fromkeys([*merged.get(facet, ()), *values]))
    return merged


def _scored(searcher: Searcher, plan: QueryPlan) -> dict[int, float]:
    if plan.query is None:
        return dict.fromkeys(searcher.reader().all_doc_ids(), 0.0)
    results = searcher.search(plan.query, limit=None)
    return {hit.docnum: hit.score or 0.0 for hit in results}


def _order(searcher: Searcher, scores: dict[int, float], keep: set[int], sort: str) -> list[int]:
    years = searcher.reader().column_reader(f.YEAR)
    if sort == "year":
        return sorted(keep, key=lambda d: (-years[d], -scores[d], d))
    return sorted(keep, key=lambda d: (-scores[d], -years[d], d))


def _facets(
    searcher: Searcher, scores: Mapping[int, float], sets: Mapping[str, set[int]],
    filters: Mapping[str, Sequence[str]],
) -> dict[str, tuple[FacetValue, ...]]:
    """Counts for every facet, each ignoring its own selection."""
    base = set(scores)
    out = {}
    for facet in f.FACETS:
        docs = base
        for other, docset in sets.items():
            if other != facet:
                docs = docs & docset
        out[facet] = count_values(searcher, facet, docs, filters.get(facet, ()))
    return out


def _highlight_terms(plan: QueryPlan, filters: Mapping[str, Sequence[str]]) -> list[str]:
    """The query's terms; when browsing by measure, the measure's own names."""
    terms = list(plan.highlight_terms)
    chosen = set(filters.get(f.MEASURE, ()))
    for measure in taxonomy():
        if measure.name in chosen:
            terms += [measure.name, *measure.variants]
    return terms


def make_hit(
    fields: Mapping[str, Any], score: float, terms: Sequence[str], fallback: Sequence[str] = ()
) -> Hit:
    """A Hit from a section's stored fields, with its passages highlighted."""
    text = section_text(fields[f.HEADING], fields[f.BODY])
    return Hit(
        id=fields[f.ID],
        doc_id=fields[f.DOC_ID],
        file=fields[f.FILE],
        title=fields[f.TITLE],
        agency=fields[f.AGENCY],
        region=fields[f.REGION],
        year=fields[f.YEAR] or None,
        doc_type=fields[f.DOC_TYPE],
        section=fields[f.PATH],
        section_type=fields[f.SECTION_TYPE],
        measures=tuple(m for m in fields.get(f.MEASURE, "").split(",") if m),
        score=score,
        highlights=highlight(text, terms, PASSAGES_PER_HIT, fallback),
    )


def _groups(searcher: Searcher, order: list[int]) -> dict[str, list[int]]:
    doc_ids = searcher.reader().column_reader(f.DOC_ID)
    groups: dict[str, list[int]] = {}
    for d in order:
        groups.setdefault(doc_ids[d], []).append(d)
    return groups


def run_search(searcher: Searcher, request: SearchRequest) -> SearchResult:
    """Search with an open searcher; raises QueryError for a bad query or filter."""
    plan = parse_query(request.text, has_filters=any(request.filters.values()))
    filters = _merged_filters(request, plan)
    sets = {facet: set(searcher.docs_for_query(q)) for facet, q in filter_queries(searcher, filters).items()}
    if request.doc_id:
        sets["doc"] = set(searcher.docs_for_query(wq.Term(f.DOC_ID, request.doc_id)))
    scores = _scored(searcher, plan)
    keep = set(scores)
    for docset in sets.values():
        keep &= docset
    order = _order(searcher, scores, keep, request.sort)
    groups = _groups(searcher, order)
    terms = _highlight_terms(plan, filters)
    start = (request.page - 1) * request.page_size
    stop = start + request.page_size

    def hit(d: int) -> Hit:
        return make_hit(searcher.reader().stored_fields(d), scores[d], terms, plan.fallback_terms)

    hit_groups = None
    if request.group:
        page_groups = list(groups.items())[start:stop]
        hit_groups = tuple(
            HitGroup(doc_id, tuple(hit(d) for d in docs[:SECTIONS_PER_GROUP]), len(docs))
            for doc_id, docs in page_groups
        )
        hits = tuple(h for g in hit_groups for h in g.hits)
    else:
        hits = tuple(hit(d) for d in order[start:stop])
    return SearchResult(
        query=request.text,
        total=len(order),
        total_reports=len(groups),
        page=request.page,
        page_size=request.page_size,
        hits=hits,
        facets=_facets(searcher, scores, sets, filters),
        analysis=plan.analysis(),
        filters=filters,
        groups=hit_groups,
    )


def search(index: PolicyIndex, request: SearchRequest) -> SearchResult:
    """Search an opened index (opens and closes its own searcher)."""
    with index.whoosh.searcher() as searcher:
        return run_search(searcher, request)


def document_sections(searcher: Searcher, doc_id: str) -> list[dict[str, Any]]:
    """The stored sections of one report, in order (empty if there is no such report)."""
    docs = searcher.search(wq.Term(f.DOC_ID, doc_id), limit=None, sortedby=f.ORDINAL)
    return [
        {
            "id": d[f.ID],
            "ordinal": d[f.ORDINAL],
            "heading": d[f.HEADING],
            "path": d[f.PATH],
            "section_type": d[f.SECTION_TYPE],
            "measures": [m for m in d.get(f.MEASURE, "").split(",") if m],
            "body": d[f.BODY],
        }
        for d in docs
    ]

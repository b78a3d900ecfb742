"""Turn results into what templates loop over: facet links, filter chips, pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import url_for
from werkzeug.datastructures import MultiDict

from indexer import SearchResult
from indexer.models import DOC_TYPE_LABELS, FacetValue, HitGroup
from indexer.research.saved import SavedSearchError, describe, load_saved
from indexer.search.facets import FACET_LABELS, FACETS, REPORT_FACETS, UNKNOWN, region_nodes
from indexer.text.normalize import fold

from .params import DOC, SIZE_NAMES, query_string, url_with, url_with_toggled, url_with_values, url_without_filters

FACET_SHOWN = 8  # values shown before "更多"


@dataclass(frozen=True)
class Link:
    """A labelled link, maybe with a count and a selected state."""

    label: str
    url: str
    count: int = 0
    selected: bool = False
    depth: int = 0  # depth in the region hierarchy
    title: str = ""  # the full value when the label is short
    value: str = ""  # the facet value it stands for


def label_for(facet: str, value: Any) -> str:
    """How a facet value is shown (document types by their Chinese name)."""
    return DOC_TYPE_LABELS.get(str(value), str(value)) if facet == "doc_type" else str(value)


def region_tree(names: Sequence[str]) -> list[tuple[str, int]]:
    """Each region of a list in tree order, labelled under its nearest ancestor in the list
    (海珠区 under 广东省广州市; 广州市花都区 under 广东省 when 广州市 is not listed), with its depth
    among the listed ones (so nothing reads as the child of a region it is not in)."""
    listed = set(names)
    out = []
    for name in names:
        ancestors = [n for n in region_nodes(name)[:-1] if n in listed] if name != UNKNOWN else []
        out.append((name[len(ancestors[-1]):] if ancestors else name, len(ancestors)))
    return out


def _link(facet: str, value: FacetValue, args: MultiDict[str, str], label: str = "", level: int = 0) -> Link:
    """A facet value's link: adds it, or removes the selection(s) that chose it (`label` and
    `level`: where a region stands in the tree shown)."""
    full = str(value.value)
    label = label or label_for(facet, value.value)
    title = full if label != full else ""
    if not value.selected:
        return Link(label, url_with_toggled(args, facet, full), value.count, depth=level, title=title, value=full)
    chosen = args.getlist(facet)
    # 花都区 selects 广州市花都区…办公室: its link removes the 花都区 selection
    keep = [c for c in chosen if c != full and fold(c) not in full]
    return Link(label, url_with_values(args, facet, keep), value.count, True, depth=level, title=title, value=full)


def _region_links(values: Sequence[FacetValue], args: MultiDict[str, str]) -> tuple[list[Link], list[Link]]:
    """The region facet as a tree (its order kept, not selected-first): the first values and every
    selected one with its ancestors and the regions under it shown, the rest under 更多, each list
    labelled as its own tree."""
    names = [str(v.value) for v in values]
    keep = set(names[:FACET_SHOWN])
    for v in values:
        if v.selected:  # with its ancestors and what lies under it (where to go next)
            chosen = str(v.value)
            keep |= {chosen, *(n for n in region_nodes(chosen)[:-1] if n in names)}
            keep |= {n for n in names if n != UNKNOWN and chosen in region_nodes(n)}
    parts = ([v for v in values if str(v.value) in keep], [v for v in values if str(v.value) not in keep])
    shown, more = ([_link("region", v, args, label, level)
                    for v, (label, level) in zip(part, region_tree([str(v.value) for v in part]), strict=True)]
                   for part in parts)
    return shown, more


def facet_groups(result: SearchResult, args: MultiDict[str, str]) -> list[dict[str, Any]]:
    """Each facet's values as toggle links, selected first (regions: as a tree), with the unit of
    their counts (reports for agency, region, year and document type; passages for the others)."""
    groups = []
    for facet in FACETS:
        values = result.facets.get(facet, ())
        if facet == "region":
            shown, more = _region_links(values, args)
            links = shown + more
        else:
            links = sorted((_link(facet, v, args) for v in values), key=lambda x: not x.selected)
            shown, more = links[:FACET_SHOWN], links[FACET_SHOWN:]
        if links:
            unit = ("份", "匹配的报告数") if facet in REPORT_FACETS else ("段", "匹配的段落数")
            groups.append({"name": facet, "label": FACET_LABELS[facet], "shown": shown,
                           "more": more, "unit": unit[0], "unit_title": unit[1]})
    return groups


def chips(args: MultiDict[str, str], doc_title: str | None = None) -> list[Link]:
    """Active filters (and the one-report restriction), each with the link that removes it."""
    links = [Link(f"{FACET_LABELS[f]}：{label_for(f, v)}", url_with_toggled(args, f, v))
             for f in FACETS for v in args.getlist(f) if v.strip()]
    if args.get(DOC):
        links.append(Link(f"报告：{doc_title or args[DOC]}", url_with(args, doc=None)))
    return links


def doc_link(args: MultiDict[str, str], doc_id: str, anchor: str = "") -> str:
    """A report's page carrying every search parameter (so it marks and links back alike)."""
    url = url_for("views.document_page", doc_id=doc_id) + query_string(args)
    return f"{url}#{anchor}" if anchor else url


def doc_hits_link(args: MultiDict[str, str], doc_id: str) -> str:
    """The search listing every matching passage of one report, with the same filters."""
    return url_for("views.search_page") + url_with(args, doc=doc_id, **dict.fromkeys(SIZE_NAMES))


def result_groups(result: SearchResult, doc_id: str | None) -> tuple[HitGroup, ...]:
    """The reports to show: the result's groups, or one group of every hit of report `doc_id`."""
    if doc_id is None:
        return result.groups or ()
    return (HitGroup(doc_id, result.hits, result.total),) if result.hits else ()


def pages(result: SearchResult, args: MultiDict[str, str], window: int = 3) -> dict[str, Any]:
    """Previous/next and a window of page numbers around the current page."""
    current, last = result.page, result.pages
    numbers = range(max(1, current - window), min(last, current + window) + 1)
    return {
        "prev": url_with(args, page=str(current - 1)) if current > 1 else None,
        "next": url_with(args, page=str(current + 1)) if current < last else None,
        "numbers": [Link(str(n), url_with(args, page=str(n)), selected=n == current) for n in numbers],
        "last": last,
        "past_end": current > last and result.total > 0,
        "last_url": url_with(args, page=str(last)),
    }


def search_context(result: SearchResult, args: MultiDict[str, str], doc_id: str | None = None,
                   doc_title: str | None = None) -> dict[str, Any]:
    """Everything search.html needs besides the result itself."""
    sort = args.get("sort", "relevance")
    return {
        "groups": result_groups(result, doc_id),
        "doc_mode": doc_id is not None,
        "doc_link": lambda target, anchor="": doc_link(args, target, anchor),
        "doc_hits_link": lambda target: doc_hits_link(args, target),
        "facet_groups": facet_groups(result, args),
        "chips": chips(args, doc_title),
        "clear_url": url_without_filters(args),
        "pager": pages(result, args),
        "related_url": url_with(args, page=str(result.related_page) if result.related_page > 1 else None) + "#related",
        "sorts": [Link("按相关度", url_with(args, sort=None), selected=sort != "year"),
                  Link("按年份", url_with(args, sort="year"), selected=sort == "year")],
        "doc_type_labels": DOC_TYPE_LABELS,
    }


def corpus_overview(reports: list[dict[str, Any]]) -> dict[str, list[Link]]:
    """Reports counted by agency, year and document type, each a link to browse them."""
    def links(facet: str, values: Counter[Any], by_value: bool = False) -> list[Link]:
        order = sorted(values, key=lambda v: -v) if by_value else sorted(values, key=lambda v: (-values[v], str(v)))
        return [Link(label_for(facet, v), url_with(MultiDict(), **{facet: str(v)}), values[v]) for v in order]

    return {
        "机构": links("agency", Counter(r["agency"] for r in reports if r["agency"])),
        "年份": links("year", Counter(r["year"] for r in reports if r["year"]), by_value=True),
        "文件类型": links("doc_type", Counter(r["doc_type"] for r in reports)),
    }


def saved_list(index_dir: Path) -> list[Link]:
    """The saved searches of an index folder as links (what the home page lists); none if unreadable."""
    try:
        searches = load_saved(index_dir)
    except SavedSearchError:
        return []
    return [Link(s.name, url_for("saved.saved_page", name=s.name), len(s.reports), title=describe(s, FACET_LABELS))
            for s in searches]

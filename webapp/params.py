"""request.args → a validated SearchRequest; URL helpers for facet toggles and paging."""

from __future__ import annotations

from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from indexer import SearchRequest
from indexer.config import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH
from indexer.facets import FACETS

MAX_PAGE = 1000
SORTS = ("relevance", "year")


def parse_positive_int(args: MultiDict[str, str], name: str, default: int, maximum: int) -> int:
    """An integer parameter in 1..maximum, or a 400 that names it."""
    raw = args.get(name, "").strip() or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadRequest(f"参数 {name} 必须是 1 到 {maximum} 之间的整数（收到 {raw!r}）。")
    return int(raw)


def parse_search_request(args: MultiDict[str, str], group: bool = False) -> SearchRequest:
    """Read and validate the parameters of /search and /api/search."""
    text = args.get("q", "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequest(f"查询过长（{len(text)} 字）：请控制在 {MAX_QUERY_LENGTH} 字以内。")
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"参数 sort 只能是 relevance 或 year（收到 {sort!r}）。")
    filters = {facet: tuple(v for v in args.getlist(facet) if v.strip()) for facet in FACETS}
    return SearchRequest(
        text=text,
        filters={k: v for k, v in filters.items() if v},
        page=parse_positive_int(args, "page", 1, MAX_PAGE),
        page_size=parse_positive_int(args, "size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        sort=sort,  # type: ignore[arg-type]
        group=group or args.get("group", "") in ("1", "true", "report"),
    )


def url_with(args: MultiDict[str, str], **changes: str | None) -> str:
    """The query string of `args` with parameters set (None removes); the page resets."""
    out = MultiDict(args)
    out.pop("page", None)
    for name, value in changes.items():
        out.pop(name, None)
        if value is not None:
            out[name] = value
    return "?" + urlencode(list(out.items(multi=True)))


def url_with_values(args: MultiDict[str, str], name: str, values: list[str]) -> str:
    """The query string with the values of one parameter replaced; the page resets."""
    out = MultiDict(args)
    out.pop("page", None)
    out.setlist(name, values)
    return "?" + urlencode(list(out.items(multi=True)))


def url_with_toggled(args: MultiDict[str, str], name: str, value: str) -> str:
    """The query string with one facet value added, or removed if it was selected."""
    values = args.getlist(name)
    return url_with_values(args, name, [v for v in values if v != value] if value in values else [*values, value])


def url_without_filters(args: MultiDict[str, str]) -> str:
    """The query string keeping only the query text and sort."""
    return url_with(MultiDict([(k, v) for k, v in args.items(multi=True) if k in ("q", "sort")]))

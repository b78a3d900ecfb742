"""request.args → a validated SearchRequest; URL helpers for facet toggles and paging."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from indexer import SearchRequest
from indexer.config import DEFAULT_PAGE_SIZE, MAX_FILTER_VALUES, MAX_PAGE_SIZE, MAX_QUERY_LENGTH
from indexer.search.facets import FACETS

MAX_PAGE = 1000
SORTS = ("relevance", "year")
SIZE_NAMES = ("size", "limit")  # the API's name and the CLI's
DOC = "doc"  # restrict a search to one report
DOC_ID = re.compile(r"^[0-9a-f]{16}$")
SEARCH_PARAMS = ("q", *FACETS, DOC, "sort", "page", *SIZE_NAMES, "group", "copies")  # copies: the page's fold


def repeated_too_often(args: MultiDict[str, str]) -> str | None:
    """The first parameter given more than MAX_FILTER_VALUES times (every link of a page would carry them all)."""
    return next((name for name in args if len(args.getlist(name)) > MAX_FILTER_VALUES), None)


def check_known(args: MultiDict[str, str], known: Iterable[str]) -> None:
    """A 400 naming the first parameter that is not in `known`, listing the known ones, or given too often."""
    if (name := repeated_too_often(args)) is not None:
        raise BadRequest(f"参数 {name} 的取值过多（{len(args.getlist(name))} 个）："
                         f"每个参数最多 {MAX_FILTER_VALUES} 个值，请减少筛选条件，或分几次检索。")
    allowed = tuple(known)
    unknown = next((name for name in args if name not in allowed), None)
    if unknown is not None:
        listed = "、".join(allowed) if allowed else "（无）"
        raise BadRequest(f"未知参数 {unknown}：可用的参数有 {listed}。")


def parse_positive_int(args: MultiDict[str, str], name: str, default: int, maximum: int) -> int:
    """An integer parameter in 1..maximum, or a 400 that names it."""
    raw = args.get(name, "").strip() or str(default)
    # ASCII digits only, and few of them: "²" passes isdigit() and 5,000 digits overflow int()
    if not (raw.isascii() and raw.isdecimal() and len(raw) <= 9) or not 1 <= int(raw) <= maximum:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        raise BadRequest(f"参数 {name} 必须是 1 到 {maximum} 之间的整数（收到 {shown!r}）。")
    return int(raw)


def parse_page_size(args: MultiDict[str, str], default: int = DEFAULT_PAGE_SIZE) -> int:
    """The page size from `size` or its alias `limit` (both given: they must agree)."""
    given = [name for name in SIZE_NAMES if args.get(name, "").strip()]
    sizes = {parse_positive_int(args, name, default, MAX_PAGE_SIZE) for name in given}
    if len(sizes) > 1:
        raise BadRequest("参数 size 与 limit 是同一个意思（每页条数），请只写一个。")
    return sizes.pop() if sizes else default


def parse_doc_id(args: MultiDict[str, str]) -> str | None:
    """The `doc` parameter: a report id of 16 hex digits, or None when absent."""
    raw = args.get(DOC, "").strip()
    if raw and not DOC_ID.match(raw):
        raise BadRequest(f"参数 doc 必须是 16 位十六进制的报告编号（收到 {raw[:40]!r}）。")
    return raw or None


def parse_search_request(
    args: MultiDict[str, str], group: bool = False, default_size: int = DEFAULT_PAGE_SIZE
) -> SearchRequest:
    """Read and validate the parameters of /search and /api/search.

    A search restricted to one report (`doc`) lists its sections, never groups.
    """
    check_known(args, SEARCH_PARAMS)
    text = args.get("q", "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequest(f"查询过长（{len(text)} 字）：请控制在 {MAX_QUERY_LENGTH} 字以内。")
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"参数 sort 只能是 relevance 或 year（收到 {sort!r}）。")
    filters = {facet: tuple(dict.fromkeys(v for v in args.getlist(facet) if v.strip())) for facet in FACETS}
    doc_id = parse_doc_id(args)
    return SearchRequest(
        text=text,
        filters={k: v for k, v in filters.items() if v},
        page=parse_positive_int(args, "page", 1, MAX_PAGE),
        page_size=parse_page_size(args, default_size),
        sort=sort,  # type: ignore[arg-type]
        group=doc_id is None and (group or args.get("group", "") in ("1", "true", "report")),
        doc_id=doc_id,
    )


def has_search(args: MultiDict[str, str]) -> bool:
    """Whether the parameters ask for anything: query text or a filter."""
    return bool(args.get("q", "").strip()) or any(v.strip() for f in FACETS for v in args.getlist(f))


def query_string(args: MultiDict[str, str]) -> str:
    """`args` as a query string ("" when empty, else starting with "?")."""
    items = list(args.items(multi=True))
    return "?" + urlencode(items) if items else ""


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

"""Saved searches: a name, a query and filters, kept in the index folder (beside CURRENT, not in
a generation, so they survive every rebuild), re-run later to see what changed since.

    index_dir/saved_searches.json   [{name, query, filters, created, checked, reports: [{doc_id, file, title}]}]

`reports` is the snapshot: the reports the search matched when it was saved or last marked
seen (`checked`). A run compares the reports it matches now with it: new ones (a report
added, or one that now mentions it) and removed ones (gone from the index, or no longer
matching); a report is known by its doc_id (the sha256 of its bytes), so a rewritten file
counts as one removed and one new. Writers take a lock and replace the file atomically, so
two processes saving at once lose nothing.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.models import SearchRequest

if TYPE_CHECKING:
    from indexer.search.searchindex import SearchIndex

SAVED_FILE = "saved_searches.json"
SAVED_LOCK = "saved_searches.lock"
MAX_NAME = 40
MAX_SAVED = 200
BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


class SavedSearchError(Exception):
    """A saved search that cannot be saved, found or run (one sentence)."""


class SavedSearchMissing(SavedSearchError):
    """There is no saved search of that name."""


@dataclass(frozen=True)
class ReportRef:
    """A report as a snapshot remembers it (enough to name it once it is gone)."""

    doc_id: str
    file: str = ""
    title: str = ""
    agency: str = ""
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "file": self.file, "title": self.title, "agency": self.agency,
                "year": self.year}

    @classmethod
    def of(cls, doc_id: str, summary: Mapping[str, Any] | None) -> ReportRef:
        info = summary or {}
        return cls(doc_id, info.get("file", ""), info.get("title", ""), info.get("agency", ""), info.get("year"))


@dataclass(frozen=True)
class SavedSearch:
    """A named search and the reports it matched when last checked."""

    name: str
    query: str
    filters: dict[str, tuple[str, ...]]
    created: str
    checked: str
    reports: tuple[ReportRef, ...] = ()

    @property
    def request(self) -> SearchRequest:
        return SearchRequest(text=self.query, filters=dict(self.filters))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "query": self.query, "filters": {k: list(v) for k, v in self.filters.items()},
                "created": self.created, "checked": self.checked, "reports": [r.to_dict() for r in self.reports]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SavedSearch:
        return cls(str(data["name"]), str(data.get("query", "")),
                   {str(k): tuple(map(str, v)) for k, v in dict(data.get("filters") or {}).items()},
                   str(data.get("created", "")), str(data.get("checked", "")),
                   tuple(ReportRef(str(r["doc_id"]), r.get("file", ""), r.get("title", ""), r.get("agency", ""),
                                   r.get("year")) for r in data.get("reports", [])))


@dataclass(frozen=True)
class SavedRun:
    """A saved search run now: what it matches, and what changed since it was checked."""

    search: SavedSearch
    reports: tuple[ReportRef, ...]
    new: tuple[ReportRef, ...] = field(default=())
    removed: tuple[ReportRef, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.new or self.removed)

    def to_dict(self) -> dict[str, Any]:
        s = self.search
        return {"name": s.name, "query": s.query, "filters": {k: list(v) for k, v in s.filters.items()},
                "created": s.created, "since": s.checked, "total_reports": len(self.reports),
                "new": [r.to_dict() for r in self.new], "removed": [r.to_dict() for r in self.removed],
                "reports": [r.to_dict() for r in self.reports]}


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _path(index_dir: Path) -> Path:
    return Path(index_dir) / SAVED_FILE


def load_saved(index_dir: Path) -> list[SavedSearch]:
    """The saved searches of an index folder, in the order they were saved ([] if none)."""
    try:
        data = json.loads(_path(index_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        raise SavedSearchError(f"无法读取保存的检索 {_path(index_dir)}：{err}") from err
    try:
        return [SavedSearch.from_dict(item) for item in data]
    except (KeyError, TypeError, AttributeError) as err:
        raise SavedSearchError(f"保存的检索文件已损坏：{_path(index_dir)}") from err


def find_saved(index_dir: Path, name: str) -> SavedSearch:
    """The saved search called `name`, or SavedSearchError naming the ones there are."""
    saved = load_saved(index_dir)
    found = next((s for s in saved if s.name == name.strip()), None)
    if found is None:
        names = "、".join(s.name for s in saved) or "（还没有）"
        raise SavedSearchMissing(f"没有名为“{name}”的保存检索：已保存的有 {names}。")
    return found


@contextmanager
def _writing(index_dir: Path) -> Iterator[list[SavedSearch]]:
    """The saved searches under the folder's lock; what the block leaves in the list is written back."""
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(index_dir) / SAVED_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        saved = load_saved(index_dir)
        yield saved
        tmp = _path(index_dir).with_suffix(".tmp")
        tmp.write_text(json.dumps([s.to_dict() for s in saved], ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, _path(index_dir))


def matched_reports(index: SearchIndex, request: SearchRequest) -> tuple[ReportRef, ...]:
    """The reports `request` matches now, best first."""
    return tuple(ReportRef.of(r.doc_id, index.report(r.doc_id)) for r in index.matches(request).reports)


def _checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise SavedSearchError("请给检索起个名字。")
    if len(name) > MAX_NAME or BAD_NAME.search(name):
        raise SavedSearchError(f"名字最多 {MAX_NAME} 个字，且不能含 / \\ 或控制字符。")
    return name


def save_search(index: SearchIndex, name: str, request: SearchRequest, replace: bool = False) -> SavedSearch:
    """Save `request` (its query and filters) as `name`, with the reports it matches now as the snapshot.

    A malformed query raises QueryError before anything is written; an existing name is an
    error unless `replace`."""
    name = _checked_name(name)
    filters = {k: tuple(v) for k, v in request.filters.items() if v}
    plain = SearchRequest(text=request.text, filters=filters)
    reports = matched_reports(index, plain)  # validates the query
    now = _now()
    with _writing(index.path) as saved:
        old = next((s for s in saved if s.name == name), None)
        if old is not None and not replace:
            raise SavedSearchError(f"已有名为“{name}”的保存检索：换个名字，或先删除它。")
        if old is None and len(saved) >= MAX_SAVED:
            raise SavedSearchError(f"最多保存 {MAX_SAVED} 个检索：请先删除不用的。")
        entry = SavedSearch(name, request.text, filters, old.created if old else now, now, reports)
        saved[:] = [entry if s.name == name else s for s in saved] if old else [*saved, entry]
    return entry


def run_saved(index: SearchIndex, name: str) -> SavedRun:
    """Run the saved search `name` now: its reports, and the new and removed ones since it was checked."""
    search = find_saved(index.path, name)
    now = matched_reports(index, search.request)
    before = {r.doc_id for r in search.reports}
    current = {r.doc_id for r in now}
    return SavedRun(search, now, tuple(r for r in now if r.doc_id not in before),
                    tuple(r for r in search.reports if r.doc_id not in current))


def mark_seen(index: SearchIndex, name: str) -> SavedSearch:
    """Take what the saved search matches now as its snapshot (what later runs compare with)."""
    search = find_saved(index.path, name)
    reports = matched_reports(index, search.request)
    with _writing(index.path) as saved:
        entry = SavedSearch(search.name, search.query, search.filters, search.created, _now(), reports)
        saved[:] = [entry if s.name == search.name else s for s in saved]
    return entry


def delete_saved(index_dir: Path, name: str) -> None:
    """Forget the saved search `name` (SavedSearchError if there is none)."""
    find_saved(index_dir, name)
    with _writing(index_dir) as saved:
        saved[:] = [s for s in saved if s.name != name.strip()]


def describe(search: SavedSearch, labels: Mapping[str, str] | None = None) -> str:
    """The search in one line: 检索词 and filters (容缺受理 · 地区=广州)."""
    parts = [search.query] if search.query else []
    parts += [f"{(labels or {}).get(k, k)}={'、'.join(v)}" for k, v in search.filters.items()]
    return " · ".join(parts) or "（全部报告）"

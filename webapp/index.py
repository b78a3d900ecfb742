"""The app's index: the live generation (built first if missing), held by each request from its first
lookup to its end; a rebuild's generation is opened, warmed and swapped in by a background watcher
(`indexer.search.live`), and the old one closed when its last request ends."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g

from indexer import IndexOutdated, SearchIndex, build_index, index_exists
from indexer.config import DEFAULT_INDEX_DIR
from indexer.index.storage import current_generation
from indexer.search.live import LiveIndex


def ensure_index(index_dir: Path, source_dir: Path, progress: bool = False, rebuild_outdated: bool = True) -> None:
    """Build the index from `source_dir` if there is none; an outdated one only if `rebuild_outdated`
    (an index of someone's own reports is never silently replaced by one of `source_dir`)."""
    if index_exists(index_dir):
        return
    if current_generation(index_dir) is not None and not rebuild_outdated:
        raise IndexOutdated(f"索引 {index_dir} 由旧版本建立：请用 python -m indexer build --full --source <报告目录> "
                            f"--index {index_dir} 重建，或用 --source 指定它的报告目录。")
    build_index([source_dir], index_dir, progress=progress)


def init_app(app: Flask) -> None:
    """Open the index for `app` and watch for new generations in the background."""
    index_dir = Path(app.config["INDEX_DIR"])
    if app.config["BUILD_IF_MISSING"]:
        ensure_index(index_dir, Path(app.config["SOURCE_DIR"]), rebuild_outdated=index_dir == DEFAULT_INDEX_DIR)
    app.extensions["live_index"] = LiveIndex(index_dir).start()
    app.teardown_request(_release)


def get_index() -> SearchIndex:
    """The generation this request holds: the live one when the request first asked (a newer one is
    opened and swapped in by the watcher, never by a request)."""
    lease = g.get("index_lease")
    if lease is None:
        live: LiveIndex = current_app.extensions["live_index"]
        lease = g.index_lease = live.acquire()
    return lease.index


def _release(_error: BaseException | None = None) -> None:
    lease = g.pop("index_lease", None)
    if lease is not None:
        lease.release()

"""The app's index: the live generation (built first if missing), held by each request from its first
lookup to its end; a rebuild's generation is opened, warmed and swapped in by a background watcher
(`indexer.search.live`), and the old one closed when its last request ends."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app, g

from indexer import IndexOutdated, SearchIndex, build_index, index_exists
from indexer.config import DEFAULT_INDEX_DIR
from indexer.index.storage import IndexDamaged, current_generation
from indexer.search.live import POLL_SECONDS, LiveIndex
from indexer.search.searchindex import live_damage

_lock = threading.Lock()  # only while there is no generation to serve at all


def ensure_index(index_dir: Path, source_dir: Path, progress: bool = False, rebuild_outdated: bool = True) -> None:
    """Build the index from `source_dir` if there is none; an outdated one only if `rebuild_outdated`
    (an index of someone's own reports is never silently replaced by one of `source_dir`)."""
    if index_exists(index_dir) or live_damage(index_dir):
        return  # a damaged one is opened as it can be (the previous generation), repaired by `build`
    if current_generation(index_dir) is not None and not rebuild_outdated:
        raise IndexOutdated(f"索引 {index_dir} 由旧版本建立：请用 python -m indexer build --full --source <报告目录> "
                            f"--index {index_dir} 重建，或用 --source 指定它的报告目录。")
    build_index([source_dir], index_dir, progress=progress)


def init_app(app: Flask) -> None:
    """Open the index for `app` and watch for new generations in the background; a damaged one with
    nothing to fall back on leaves the app up, its pages saying what is wrong (IndexDamaged from
    get_index) until a build repairs it."""
    index_dir = Path(app.config["INDEX_DIR"])
    if app.config["BUILD_IF_MISSING"]:
        ensure_index(index_dir, Path(app.config["SOURCE_DIR"]), rebuild_outdated=index_dir == DEFAULT_INDEX_DIR)
    app.extensions["index_dir"] = index_dir
    app.add_template_global(index_notice)
    try:
        app.extensions["live_index"] = LiveIndex(index_dir, poll_seconds=_poll(app)).start()
    except IndexDamaged as err:
        app.logger.warning("%s", err)
        app.extensions["live_index"] = None
    app.teardown_request(_release)


def _poll(app: Flask) -> float:
    """Seconds between the watcher's looks at CURRENT (INDEX_POLL_SECONDS, else the default)."""
    return float(app.config.get("INDEX_POLL_SECONDS", POLL_SECONDS))


def index_notice() -> str:
    """What every page says while a previous generation stands in for a damaged live one ("" else)."""
    try:
        ix = get_index()
    except IndexDamaged:
        return ""
    return ix.warnings[0] if ix.serves_for != ix.generation and ix.warnings else ""


def _live() -> LiveIndex:
    """The app's LiveIndex; with none yet (the index was damaged with nothing to fall back on), one
    more try to open it (IndexDamaged again if it still cannot be)."""
    live: LiveIndex | None = current_app.extensions["live_index"]
    if live is None:
        with _lock:
            live = current_app.extensions["live_index"]
            if live is None:
                live = LiveIndex(current_app.extensions["index_dir"], poll_seconds=_poll(current_app)).start()
                current_app.extensions["live_index"] = live
    return live


def get_index() -> SearchIndex:
    """The generation this request holds: the live one when the request first asked (a newer one is
    opened and swapped in by the watcher, never by a request). IndexDamaged if there is none to serve."""
    lease = g.get("index_lease")
    if lease is None:
        lease = g.index_lease = _live().acquire()
    return lease.index


def _release(_error: BaseException | None = None) -> None:
    lease = g.pop("index_lease", None)
    if lease is not None:
        lease.release()

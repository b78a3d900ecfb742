"""The app's index: one SearchIndex per generation, opened once (built first if missing)
and swapped for the newer one once a rebuild has published it."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from indexer import IndexMissing, IndexOutdated, SearchIndex, build_index, index_exists, open_index
from indexer.config import DEFAULT_INDEX_DIR
from indexer.index.storage import IndexDamaged, current_generation
from indexer.search.searchindex import live_damage

_lock = threading.Lock()


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
    """Open the index for `app`; a damaged one with nothing to fall back on leaves the app up, its
    pages saying what is wrong (IndexDamaged from get_index) until a build repairs it."""
    index_dir = Path(app.config["INDEX_DIR"])
    if app.config["BUILD_IF_MISSING"]:
        ensure_index(index_dir, Path(app.config["SOURCE_DIR"]), rebuild_outdated=index_dir == DEFAULT_INDEX_DIR)
    app.extensions["index_dir"] = index_dir
    app.add_template_global(index_notice)
    try:
        app.extensions["search_index"] = open_index(index_dir)
    except IndexDamaged as err:
        app.logger.warning("%s", err)
        app.extensions["search_index"] = None


def index_notice() -> str:
    """What every page says while a previous generation stands in for a damaged live one ("" else)."""
    ix: SearchIndex | None = current_app.extensions.get("search_index")
    return ix.warnings[0] if ix is not None and ix.serves_for != ix.generation and ix.warnings else ""


def get_index() -> SearchIndex:
    """The live index; switches to a newer generation once a rebuild has published it (and keeps
    the one it has while the new one cannot be opened). IndexDamaged if there is none to serve."""
    ix: SearchIndex | None = current_app.extensions["search_index"]
    if ix is None or ix.is_stale():
        with _lock:
            ix = current_app.extensions["search_index"]
            if ix is None or ix.is_stale():
                try:
                    ix = open_index(current_app.extensions["index_dir"])
                except IndexMissing:
                    if ix is None:
                        raise
                    current_app.logger.warning("the new index cannot be opened: still serving %s", ix.generation)
                    return ix
                current_app.extensions["search_index"] = ix
    return ix

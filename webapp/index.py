"""The app's index: one SearchIndex per generation, opened once (built first if missing)
and swapped for the newer one once a rebuild has published it."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from indexer import IndexOutdated, SearchIndex, build_index, index_exists, open_index
from indexer.config import DEFAULT_INDEX_DIR
from indexer.index.storage import current_generation

_lock = threading.Lock()


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
    """Open the index for `app`."""
    index_dir = Path(app.config["INDEX_DIR"])
    if app.config["BUILD_IF_MISSING"]:
        ensure_index(index_dir, Path(app.config["SOURCE_DIR"]), rebuild_outdated=index_dir == DEFAULT_INDEX_DIR)
    app.extensions["search_index"] = open_index(index_dir)


def get_index() -> SearchIndex:
    """The live index; switches to a newer generation once a rebuild has published it."""
    ix: SearchIndex = current_app.extensions["search_index"]
    if ix.is_stale():
        with _lock:
            ix = current_app.extensions["search_index"]
            if ix.is_stale():
                ix = open_index(ix.path)
                current_app.extensions["search_index"] = ix
    return ix

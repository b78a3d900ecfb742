"""The app's index: one SearchIndex per generation, opened once (built first if missing)
and swapped for the newer one once a rebuild has published it."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from indexer import SearchIndex, build_index, index_exists, open_index

_lock = threading.Lock()


def ensure_index(index_dir: Path, source_dir: Path, progress: bool = False) -> None:
    """Build the index from `source_dir` if there is none (or only an outdated one)."""
    if not index_exists(index_dir):
        build_index([source_dir], index_dir, progress=progress)


def init_app(app: Flask) -> None:
    """Open the index for `app`."""
    index_dir = Path(app.config["INDEX_DIR"])
    if app.config["BUILD_IF_MISSING"]:
        ensure_index(index_dir, Path(app.config["SOURCE_DIR"]))
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

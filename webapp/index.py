"""The app's index: opened once (built first if missing), reopened after a rebuild;
one whoosh searcher per request, closed at teardown."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app, g
from whoosh.searching import Searcher

from indexer import PolicyIndex, build_index, index_exists, open_index

_lock = threading.Lock()


def ensure_index(index_dir: Path, source_dir: Path, progress: bool = False) -> None:
    """Build the index from `source_dir` if there is none yet."""
    if not index_exists(index_dir):
        build_index([source_dir], index_dir, progress=progress)


def init_app(app: Flask) -> None:
    """Open the index for `app` and register the per-request searcher teardown."""
    index_dir = Path(app.config["INDEX_DIR"])
    if app.config["BUILD_IF_MISSING"]:
        ensure_index(index_dir, Path(app.config["SOURCE_DIR"]))
    app.extensions["policy_index"] = open_index(index_dir)
    app.teardown_appcontext(close_searcher)


def get_index() -> PolicyIndex:
    """The live index; switches to a newer generation once a rebuild has published it."""
    ix: PolicyIndex = current_app.extensions["policy_index"]
    if ix.is_stale():
        with _lock:
            ix = current_app.extensions["policy_index"]
            if ix.is_stale():
                ix = open_index(ix.path)
                current_app.extensions["policy_index"] = ix
    return ix


def get_searcher() -> Searcher:
    """The request's whoosh searcher, opened on first use."""
    if "searcher" not in g:
        g.searcher = get_index().whoosh.searcher()
    return g.searcher


def close_searcher(exc: BaseException | None = None) -> None:
    """Close the request's searcher, if one was opened."""
    searcher = g.pop("searcher", None)
    if searcher is not None:
        searcher.close()

"""政策检索 web app: a thin Flask adapter over the `indexer` search core.

request.args ─params→ SearchRequest ─SearchIndex.search→ SearchResult ─views→ HTML
                                                              └──────api→ JSON (same dict as the CLI)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, send_from_directory

from indexer.config import settings
from indexer.ingest.measures import taxonomy
from indexer.text.analysis import preload

from . import api, errors, index, research, saved, tools, views
from .params import SEARCH_PARAMS


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app; opens the index (building it from the shipped reports if missing)."""
    app = Flask(__name__)
    conf = settings()
    app.config.from_mapping(
        INDEX_DIR=str(conf.index_dir),
        SOURCE_DIR=str(conf.source_dir),
        BUILD_IF_MISSING=True,
        BASE_URL="",  # env ZCJS_BASE_URL: where the site is served (https://…), for absolute permalinks
        JSON_AS_ASCII=False,
    )
    app.config.from_prefixed_env("ZCJS")
    if config:
        app.config.update(config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # same key order as the CLI
    app.jinja_env.globals["form_params"] = tuple(p for p in SEARCH_PARAMS if p not in ("q", "page"))
    taxonomy()  # a malformed measures file stops the start with one line, not a 500 later
    preload()  # load jieba's dictionary now, not on the first search
    index.init_app(app)
    errors.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(research.bp)
    app.register_blueprint(saved.bp)
    app.register_blueprint(tools.bp)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.after_request(_security_headers)
    return app


def _favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page links: answer with the icon."""
    return send_from_directory(Path(__file__).parent / "static", "favicon.svg", mimetype="image/svg+xml")


CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response

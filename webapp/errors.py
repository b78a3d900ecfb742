"""Errors as a page with a sentence (the search box keeping what was typed), or as JSON
under /api: never a traceback."""

from __future__ import annotations

import sqlite3

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from indexer import IndexMissing, QueryError
from indexer.config import MAX_QUERY_LENGTH

from .params import repeated_too_often
from .presenters import chips

FILTERED_PAGES = ("/search", "/compare")  # pages whose filters the error page offers to remove
TITLES = {400: "请求有误", 404: "找不到页面", 405: "不支持的请求方式", 500: "服务器出错", 503: "索引暂不可用"}


def is_api_path(path: str) -> bool:
    """Whether `path` belongs to the JSON API (/api itself included)."""
    return path == "/api" or path.startswith("/api/")


def error_response(status: int, message: str) -> ResponseReturnValue:
    """The error in the format the client asked for."""
    if is_api_path(request.path):
        return {"error": {"status": status, "message": message}}, status
    # a filter may be what went wrong (没有名称包含…的机构): each one can be dropped from here
    flooded = repeated_too_often(request.args) is not None  # its form and chips would repeat every value
    removable = chips(request.args) if request.path in FILTERED_PAGES and status == 400 and not flooded else []
    return render_template("error.html", status=status, title=TITLES.get(status, "出错了"), message=message,
                           q=request.args.get("q", "")[:MAX_QUERY_LENGTH], chips=removable,
                           **({"carry": ("none",)} if flooded else {})), status


def _message(err: HTTPException) -> str:
    """Our sentence for the error: the one we raised with, else a Chinese one (never werkzeug's)."""
    own = err.description if err.description != type(err).description else None
    if isinstance(err, NotFound):
        return own or f"没有这个页面：{request.path}。请检查地址，或从首页开始检索。"
    if isinstance(err, BadRequest) and own:
        return own
    return TITLES.get(err.code or 500, "出错了") + "。"


def _http_error(err: HTTPException) -> ResponseReturnValue:
    return error_response(err.code or 500, _message(err))


def _query_error(err: QueryError) -> ResponseReturnValue:
    return error_response(400, str(err))


def _index_unavailable(err: IndexMissing) -> ResponseReturnValue:
    return error_response(503, str(err))


def _damaged_store(err: sqlite3.DatabaseError) -> ResponseReturnValue:
    current_app.logger.error("index store unreadable: %s", err)
    return error_response(503, "索引文件已损坏或被改动，无法读取：请运行 python -m indexer build 修复。")


def _unexpected(err: Exception) -> ResponseReturnValue:
    current_app.logger.exception("unhandled error", exc_info=err)
    return error_response(500, "服务器内部错误，请稍后再试。")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(IndexMissing, _index_unavailable)
    app.register_error_handler(sqlite3.DatabaseError, _damaged_store)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)

"""Errors as a page with a sentence, or as JSON under /api: never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, HTTPException

from indexer import QueryError

TITLES = {400: "请求有误", 404: "找不到页面", 405: "不支持的请求方式", 500: "服务器出错"}


def error_response(status: int, message: str) -> ResponseReturnValue:
    """The error in the format the client asked for."""
    if request.path.startswith("/api/"):
        return {"error": {"status": status, "message": message}}, status
    return render_template("error.html", status=status, title=TITLES.get(status, "出错了"), message=message), status


def _http_error(err: HTTPException) -> ResponseReturnValue:
    message = err.description if isinstance(err, BadRequest) or err.code == 404 else TITLES.get(err.code or 500, "")
    return error_response(err.code or 500, message or TITLES.get(err.code or 500, ""))


def _query_error(err: QueryError) -> ResponseReturnValue:
    return error_response(400, str(err))


def _unexpected(err: Exception) -> ResponseReturnValue:
    current_app.logger.exception("unhandled error", exc_info=err)
    return error_response(500, "服务器内部错误，请稍后再试。")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)

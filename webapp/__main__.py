"""`python -m webapp [--host H] [--port P] [--index DIR]`: build the index if missing, then serve."""

from __future__ import annotations

import argparse
import contextlib
import errno
import socket
import sys
from pathlib import Path

from indexer import BuildError, IndexMissing
from indexer.config import DataFileError, settings


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (one sentence), or None if it can."""
    try:
        with socket.create_server((host, port)):  # SO_REUSEADDR, as waitress binds
            return None
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            return f"端口 {port} 已被占用：请换一个端口，例如 python -m webapp --port {port + 1}"
        if err.errno == errno.EACCES:
            return f"没有权限使用端口 {port}：请用 1024 以上的端口，例如 python -m webapp --port 5000"
        return f"无法在 {host}:{port} 上启动（{err.strerror or err}）：请检查 --host，或用 --port 换一个端口"


MAX_THREADS = 64
MAX_WORKERS = 32
NO_SOURCE_HINT = "。请在项目目录中运行，或用 --source 指定报告目录（或设置 ZCJS_SOURCE_DIR）。"


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"端口必须是 1 到 65535 之间的整数（收到 {text!r}）")
    return int(text)


def _threads(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_THREADS:
        raise argparse.ArgumentTypeError(f"线程数必须是 1 到 {MAX_THREADS} 之间的整数（收到 {text!r}）")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"进程数必须是 1 到 {MAX_WORKERS} 之间的整数（收到 {text!r}）")
    return int(text)


def main() -> None:
    """Parse flags, make sure an index exists (with progress), serve with waitress."""
    conf = settings()
    parser = argparse.ArgumentParser(prog="python -m webapp",
                                     description="政策检索网页服务：没有索引时先从报告建立索引。")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机可访问）")
    parser.add_argument("--port", type=_port, default=5000, help="端口（默认 5000）")
    parser.add_argument("--index", type=Path, default=conf.index_dir, help="索引目录（默认 index_data/index）")
    parser.add_argument("--source", type=Path, help="没有索引时从这里的报告建立（默认 index_data/reports）")
    parser.add_argument("--threads", type=_threads, default=4, help="每个进程处理请求的线程数（默认 4）")
    parser.add_argument("--workers", type=_workers, default=1,
                        help="处理请求的进程数（默认 1；多个进程共享映射的索引文件，可用满多个 CPU 核）")
    args = parser.parse_args()
    if (problem := port_problem(args.host, args.port)) is not None:
        sys.exit(problem)

    from waitress import serve

    from . import create_app
    from .index import ensure_index

    try:
        print(f"索引：{args.index}", flush=True)
        source = args.source or conf.source_dir
        # an outdated index is rebuilt from the shipped reports only where they are its source
        ensure_index(args.index, source, progress=True,
                     rebuild_outdated=args.source is not None or args.index == conf.index_dir)
        config = {"INDEX_DIR": str(args.index), "SOURCE_DIR": str(source), "BUILD_IF_MISSING": False}
        if args.workers > 1:  # the workers fork from a parent with no threads: it only checks the index opens
            from indexer import open_index
            from indexer.index.storage import IndexDamaged
            from indexer.ingest.measures import taxonomy
            from indexer.text.analysis import segmenter

            taxonomy()
            segmenter()  # loaded once, shared by the workers
            with contextlib.suppress(IndexDamaged):  # the workers' pages say what is wrong
                open_index(args.index).close()
        else:
            app = create_app(config)
    except BuildError as err:
        hint = "" if (args.source or conf.source_dir).exists() else NO_SOURCE_HINT
        sys.exit(f"无法建立索引：{str(err).rstrip('。') if hint else err}{hint}")
    except (DataFileError, IndexMissing) as err:
        sys.exit(f"无法启动：{err}")
    from indexer.search.searchindex import live_damage

    if problem := live_damage(args.index):  # the pages say so too, and serve the previous generation if any
        print(f"注意：索引已损坏（{problem}）：请运行 python -m indexer build 修复。", flush=True)
    print(f"政策检索 已启动：http://{args.host}:{args.port}/"
          + (f"（{args.workers} 个进程）" if args.workers > 1 else ""), flush=True)
    if args.workers > 1:
        from .workers import serve_workers

        serve_workers(lambda: create_app(config), args.host, args.port, args.threads, args.workers)
    else:
        serve(app, host=args.host, port=args.port, threads=args.threads)


if __name__ == "__main__":
    main()

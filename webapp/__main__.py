"""`python -m webapp [--host H] [--port P] [--index DIR]`: build the index if missing, then serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indexer import BuildError
from indexer.config import settings


def main() -> None:
    """Parse flags, make sure an index exists (with progress), serve with waitress."""
    conf = settings()
    parser = argparse.ArgumentParser(prog="python -m webapp", description="政策检索 web app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--index", type=Path, default=conf.index_dir, help="index folder")
    parser.add_argument("--source", type=Path, default=conf.source_dir, help="reports to index if no index exists")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    from waitress import serve

    from . import create_app
    from .index import ensure_index

    try:
        print(f"索引：{args.index}", flush=True)
        ensure_index(args.index, args.source, progress=True)
    except BuildError as err:
        sys.exit(f"无法建立索引：{err}")
    app = create_app({"INDEX_DIR": str(args.index), "SOURCE_DIR": str(args.source)})
    print(f"政策检索 已启动：http://{args.host}:{args.port}/", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads)


if __name__ == "__main__":
    main()

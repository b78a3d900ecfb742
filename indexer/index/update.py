"""Updates: `build` re-indexes only new or changed files, `add` some files, `remove` some files.

Each update is a new generation, published atomically like a full build: a clone of the
live one (segments hard-linked, catalog copied) with the changed files' reports appended
as rows after the last one and the rows of removed or replaced files marked dead. A file is
known by its path relative to its source folder and its bytes' sha256, stored in the
catalog: an unchanged file is hashed, never parsed. When the live generation was made by
other code or data (manifest ≠ manifest_now), `build` and `add` rebuild everything and say why.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.query import NumericRange

from indexer.index.build import (
    ROW,
    BuildError,
    Parsed,
    full_build,
    index_reports,
    nothing_indexable,
    publish_new,
    read_reports,
    sources_of,
)
from indexer.index.catalog import MANIFEST, CatalogWriter, full_rebuild_reason, indexed_files, manifest_now
from indexer.index.reuse import write_reuse
from indexer.index.storage import clone_generation, current_generation, remove_old_generations, write_lock
from indexer.ingest.measures import taxonomy
from indexer.ingest.reading import read_changed
from indexer.models import BuildStats, SkippedFile


def update_index(sources: Sequence[Path], index_dir: Path, *, add: Sequence[Path] | None = None,
                 remove: Sequence[str] = (), full: bool = False, progress: bool = False) -> BuildStats:
    """Bring the index up to date with `sources` (or only with the files `add` names, or
    without the files `remove` names) in a new generation; unchanged: no new generation."""
    taxonomy()  # a malformed measures file stops before any work, with one line
    roots = [Path(s) for s in sources]
    with write_lock(index_dir):
        remove_old_generations(index_dir)  # what a crashed writer left
        live = current_generation(index_dir)
        reason = _rebuild_reason(index_dir, live)
        if remove and reason:
            raise BuildError(f"索引需要完整重建（{reason}），无法删除文件：请先运行 python -m indexer build")
        named = _named(add, roots) if add is not None else None  # a wrong name is an error in any case
        if full or reason or live is None:
            return full_build(roots, index_dir, progress, "" if full else reason)
        indexed = indexed_files(index_dir / live)
        if remove:
            gone = _removed_names(remove, roots, indexed)
            return _apply(index_dir, live, [], gone, [], len(indexed) - len(gone), progress, {})
        files = named if named is not None else sources_of(roots)
        names = {name for _, name in files}
        scope = {n: d for n, d in indexed.items() if n in names or add is None}
        kept = {n: d for n, (d, _) in indexed.items() if n not in scope}
        reports, skipped, unchanged = read_reports(read_changed(files, scope, kept), progress)
        gone = sorted(set(scope) - {u.name for u in unchanged})
        if not reports and len(kept) + len(unchanged) == 0:
            raise nothing_indexable(skipped)
        restamped = {u.name: u.stamp for u in unchanged if u.stamp != scope[u.name][1]}
        return _apply(index_dir, live, reports, gone, skipped, len(kept) + len(unchanged), progress, restamped)


def _rebuild_reason(index_dir: Path, live: str | None) -> str:
    if live is None:
        return "索引不存在"
    try:
        manifest = json.loads((index_dir / live / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "索引不完整"
    return full_rebuild_reason(manifest)


def _apply(index_dir: Path, live: str, reports: list[Parsed], gone: Sequence[str], skipped: Sequence[SkippedFile],
           unchanged: int, progress: bool, restamped: dict[str, str]) -> BuildStats:
    """Publish the live generation with `gone` files removed and `reports` added (if anything changed);
    files only `restamped` (same bytes) are recorded so along, not worth a generation of their own."""
    replaced = len({r.file for r, _, _ in reports} & set(gone))

    def stats(documents: int, sections: int) -> BuildStats:
        return BuildStats(documents, sections, tuple(skipped), full=False, added=len(reports) - replaced,
                          updated=replaced, removed=len(gone) - replaced, unchanged=unchanged)

    if not reports and not gone:
        manifest = json.loads((index_dir / live / MANIFEST).read_text(encoding="utf-8"))
        return stats(manifest["reports"], manifest["sections"])

    def fill(generation: Path) -> tuple[int, int]:
        clone_generation(index_dir / live, generation)
        return write_update(generation, reports, gone, restamped, progress)

    return stats(*publish_new(index_dir, fill))


def write_update(generation: Path, reports: Sequence[Parsed], gone: Iterable[str], restamped: dict[str, str],
                 progress: bool) -> tuple[int, int]:
    """In a clone of a generation: mark the rows of `gone` files dead, append `reports`; manifest last."""
    ix = whoosh_index.open_dir(str(generation))
    writer = ix.writer(limitmb=256)
    catalog = CatalogWriter(generation, [m.name for m in taxonomy()], append=True)
    try:
        for name in gone:
            rows = catalog.remove(name)
            if rows:
                writer.delete_by_query(NumericRange(ROW, rows.start, rows.stop - 1))
        index_reports(catalog, writer, reports, progress)
        for name, stamp in restamped.items():
            catalog.restamp(name, stamp)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    documents, sections = catalog.alive_counts()
    write_reuse(generation, [r for r, _, _ in reports], catalog.rows)
    catalog.close(manifest_now(documents, sections))
    return documents, sections


def _under(path: Path, roots: Sequence[Path]) -> tuple[Path, str] | None:
    """The source folder `path` lies in and its name relative to it."""
    resolved = path.resolve()
    for root in roots:
        if root.is_dir() and resolved.is_relative_to(root.resolve()):
            return root, resolved.relative_to(root.resolve()).as_posix()
    return None


def _named(paths: Sequence[Path], roots: Sequence[Path]) -> list[tuple[Path, str]]:
    """The files of `paths` (files or folders, as paths or as names relative to a source folder)."""
    out: list[tuple[Path, str]] = []
    for arg in paths:
        path = next((p for p in (Path(arg), *(r / arg for r in roots)) if p.exists()), None)
        if path is None:
            raise BuildError(f"文件不存在：{arg}")
        found = _under(path, roots)
        if found is None:
            raise BuildError(f"{arg} 不在源目录 {'、'.join(map(str, roots))} 中：请先把文件复制到源目录")
        root, name = found
        prefix = "" if name == "." else name + "/"
        out += [(p, prefix + n) for p, n in sources_of([path])] if path.is_dir() else [(path, name)]
    return [(p, n) for n, p in sorted({n: p for p, n in out}.items())]


def _removed_names(args: Sequence[str], roots: Sequence[Path], indexed: Mapping[str, object]) -> list[str]:
    """The indexed names that `args` stand for (a name, a path under a source folder, or a folder)."""
    out: set[str] = set()
    for arg in args:
        found = _under(Path(arg), roots) if Path(arg).is_absolute() or Path(arg).exists() else None
        name = found[1] if found else Path(arg).as_posix().strip("/")
        matched = {n for n in indexed if n == name or n.startswith(name + "/")}
        if not matched:
            raise BuildError(f"索引中没有文件：{arg}")
        out |= matched
    return sorted(out)

"""Updates: `build` re-indexes only new or changed files, `add` some files, `remove` some files.

Each update is a new generation, published atomically like a full build: a clone of the
live one (segments hard-linked, catalog copied) with the changed files' reports appended
as rows after the last one and the rows of removed or replaced files marked dead. A file is
known by its path relative to its source folder and its bytes' sha256, stored in the
catalog: an unchanged file is hashed, never parsed. When the live generation was made by
other code or data (manifest ≠ manifest_now), `build` and `add` rebuild everything and say why.

An index remembers its source folders (manifest "sources"): an update without sources reads
them; sources that leave one of them out would delete its reports and are refused unless
`replace_source` says so.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.query import NumericRange

from indexer.index.build import (
    ROW,
    BuildError,
    Parsed,
    full_build,
    index_reports,
    nothing_indexable,
    prepare_maps,
    publish_new,
    read_reports,
    sources_of,
)
from indexer.index.catalog import (
    MANIFEST,
    SOURCES,
    CatalogWriter,
    damage,
    full_rebuild_reason,
    indexed_files,
    manifest_now,
    source_entry,
)
from indexer.index.reuse import write_reuse
from indexer.index.storage import CURRENT, clone_generation, current_generation, remove_old_generations, write_lock
from indexer.ingest.corrections import Corrections, read_corrections
from indexer.ingest.measures import taxonomy
from indexer.ingest.reading import read_changed
from indexer.models import BuildStats, SkippedFile, printable_name


def update_index(sources: Sequence[Path], index_dir: Path, *, add: Sequence[Path] | None = None,
                 remove: Sequence[str] = (), full: bool = False, progress: bool = False,
                 default_sources: Sequence[Path] = (), replace_source: bool = False) -> BuildStats:
    """Bring the index up to date with `sources` (or only with the files `add` names, or
    without the files `remove` names) in a new generation; unchanged: no new generation.

    No `sources`: the folders the index remembers (a new index: `default_sources`)."""
    taxonomy()  # a malformed measures file stops before any work, with one line
    with write_lock(index_dir):
        remove_old_generations(index_dir)  # what a crashed writer left
        live = current_generation(index_dir)
        roots = choose_sources(index_dir, live, sources, default_sources, replace_source)
        reason = _rebuild_reason(index_dir, live)
        if remove and reason:
            raise BuildError(f"索引需要完整重建（{reason}），无法删除文件：请先运行 python -m indexer build")
        named = _named(add, roots) if add is not None else None  # a wrong name is an error in any case
        if full or reason or live is None:
            return full_build(roots, index_dir, progress, "" if full else reason)
        indexed = indexed_files(index_dir / live)
        corrections = read_corrections(roots)
        if remove:
            gone = _removed_names(remove, roots, indexed)
            return _apply(index_dir, live, [], gone, [], len(indexed) - len(gone), progress, {}, corrections, roots)
        files = named if named is not None else sources_of(roots)
        names = {name for _, name in files}
        scope = {n: d for n, d in indexed.items() if n in names or add is None}
        kept = {n: d for n, (d, _) in indexed.items() if n not in scope}
        reports, skipped, unchanged = read_reports(read_changed(files, scope, kept), progress)
        gone = sorted(set(scope) - {u.name for u in unchanged})
        if not reports and len(kept) + len(unchanged) == 0:
            raise nothing_indexable(skipped)
        restamped = {u.name: u.stamp for u in unchanged if u.stamp != scope[u.name][1]}
        return _apply(index_dir, live, reports, gone, skipped, len(kept) + len(unchanged), progress, restamped,
                      corrections, roots)


def _manifest(index_dir: Path, live: str | None) -> dict[str, Any]:
    if live is None:
        return {}
    try:
        manifest = json.loads((index_dir / live / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def remembered_sources(index_dir: Path) -> list[Path]:
    """The source folders (or files) the live generation of `index_dir` was read from ([] if unknown)."""
    paths = _manifest(index_dir, current_generation(index_dir)).get(SOURCES)
    return [Path(p) for p in paths if isinstance(p, str)] if isinstance(paths, list) else []


def choose_sources(index_dir: Path, live: str | None, given: Sequence[Path], default: Sequence[Path],
                   replace_source: bool) -> list[Path]:
    """The folders an update reads: `given`, else the remembered ones, else `default` for a new index.

    BuildError (one line) when `given` leaves out a remembered folder (its reports would be
    deleted) without `replace_source`, or when an index that remembers none holds files `default` lacks.
    """
    remembered = remembered_sources(index_dir) if live is not None else []
    if not given:
        if missing := [str(r) for r in remembered if not r.exists()]:
            raise BuildError(f"索引 {index_dir} 的报告文件夹 {'、'.join(missing)} 不存在：文件夹若已移动，"
                             "请用 --source 新位置 --replace-source")
        if remembered:
            return remembered
        if live is not None:  # made before indexes remembered their folders
            _check_default_holds(index_dir, live, default)
        return [Path(s) for s in default]
    roots = [Path(s) for s in given]
    left_out = [str(r) for r in remembered if r not in {g.resolve() for g in roots}]
    if left_out and not replace_source:
        raise BuildError(f"索引 {index_dir} 的报告来自 {'、'.join(map(str, remembered))}，"
                         f"--source 不含 {'、'.join(left_out)}（会删去那里的报告）："
                         "省略 --source 即用原来的文件夹，确要改用新文件夹请加 --replace-source")
    return roots


def _check_default_holds(index_dir: Path, live: str, default: Sequence[Path]) -> None:
    """BuildError unless every file of the live generation is in `default` (else reading it deletes some)."""
    try:
        indexed = set(indexed_files(index_dir / live))
    except sqlite3.Error:  # an incomplete generation: rebuilt from `default` anyway
        return
    found = {name for _, name in sources_of(default)} if all(Path(d).exists() for d in default) else set()
    if missing := len(indexed - found):
        raise BuildError(f"索引 {index_dir} 没有记录它的报告文件夹，其中 {missing} 份报告不在 "
                         f"{'、'.join(map(str, default)) or '默认文件夹'} 中：请用 --source 指定它的报告文件夹")


def _rebuild_reason(index_dir: Path, live: str | None) -> str:
    if live is None:
        return "索引已损坏：CURRENT 文件内容无效" if (index_dir / CURRENT).exists() else "索引不存在"
    if not (index_dir / live).is_dir():
        return f"索引已损坏：CURRENT 指向的 {live} 不存在"
    if problem := damage(index_dir / live, deep=True):  # an update would copy the damage along
        return f"索引已损坏：{problem}"
    manifest = _manifest(index_dir, live)
    return full_rebuild_reason(manifest) if manifest else "索引不完整"


def _apply(index_dir: Path, live: str, reports: list[Parsed], gone: Sequence[str], skipped: Sequence[SkippedFile],
           unchanged: int, progress: bool, restamped: dict[str, str], corrections: Corrections,
           roots: Sequence[Path]) -> BuildStats:
    """Publish the live generation with `gone` files removed and `reports` added (if anything changed)
    and metadata.csv re-applied (if it changed: no report is re-read for it); files only `restamped`
    (same bytes) are recorded so along, not worth a generation of their own."""
    replaced = len({r.file for r, _, _ in reports} & set(gone))
    manifest = _manifest(index_dir, live)
    recorrect = manifest.get("corrections", "") != corrections.digest

    def stats(documents: int, sections: int, corrected: int = -1, problems: Sequence[str] = ()) -> BuildStats:
        return BuildStats(documents, sections, tuple(skipped), full=False, added=len(reports) - replaced,
                          updated=replaced, removed=len(gone) - replaced, unchanged=unchanged,
                          corrected=manifest.get("corrected", 0) if corrected < 0 else corrected,
                          corrections_changed=recorrect, warnings=tuple(corrections.problems + list(problems)))

    if not reports and not gone and not recorrect and manifest.get(SOURCES) == source_entry(roots).get(SOURCES):
        return stats(manifest["reports"], manifest["sections"])

    def fill(generation: Path) -> tuple[int, int, int, list[str]]:
        clone_generation(index_dir / live, generation)
        return write_update(generation, reports, gone, restamped, progress, corrections, roots)

    return stats(*publish_new(index_dir, fill))


def write_update(generation: Path, reports: Sequence[Parsed], gone: Iterable[str], restamped: dict[str, str],
                 progress: bool, corrections: Corrections | None = None,
                 sources: Sequence[Path] = ()) -> tuple[int, int, int, list[str]]:
    """In a clone of a generation: mark the rows of `gone` files dead, append `reports`, re-apply
    metadata.csv; manifest last. Returns reports and sections alive, reports corrected, rows naming no file."""
    ix = whoosh_index.open_dir(str(generation))
    writer = ix.writer(limitmb=256, compound=False)  # as build.write_generation
    catalog = CatalogWriter(generation, [m.name for m in taxonomy()], append=True)
    try:
        for name in gone:
            rows = catalog.remove(name)
            if rows:
                writer.delete_by_query(NumericRange(ROW, rows.start, rows.stop - 1))
        index_reports(catalog, writer, reports, progress)
        for name, stamp in restamped.items():
            catalog.restamp(name, stamp)
        corrections = corrections or Corrections()
        corrected, problems = catalog.apply_corrections(corrections)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    documents, sections = catalog.alive_counts()
    write_reuse(generation, [r for r, _, _ in reports], catalog.rows)
    catalog.close({**manifest_now(documents, sections), "corrections": corrections.digest, "corrected": corrected}
                  | source_entry(sources), prepare=prepare_maps)
    return documents, sections, corrected, problems


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
            raise BuildError(f"文件不存在：{printable_name(str(arg))}")
        found = _under(path, roots)
        if found is None:
            raise BuildError(f"{printable_name(str(arg))} 不在源目录 {'、'.join(map(str, roots))} 中："
                             "请先把文件复制到源目录")
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
            raise BuildError(f"索引中没有文件：{printable_name(str(arg))}")
        out |= matched
    return sorted(out)

"""Build the index: read every source file, parse it, write a generation, publish it atomically
(updates that re-read only changed files: update.py)."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm
from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from indexer.config import settings
from indexer.index.catalog import CatalogWriter, manifest_now, source_entry
from indexer.index.postings import GRAMS, ROW, build_schema, write_row_map
from indexer.index.reuse import write_reuse
from indexer.index.storage import new_generation, publish, remove_old_generations, write_lock
from indexer.ingest.corrections import Corrections, read_corrections
from indexer.ingest.measures import taxonomy
from indexer.ingest.parsing import parse_report
from indexer.ingest.reading import ReadError, SourceText, Unchanged, list_sources, read_changed
from indexer.models import BuildStats, Report, SkippedFile, printable_name

T = TypeVar("T")


class BuildError(Exception):
    """The build could not produce an index (the previous one, if any, is left as it was)."""


Parsed = tuple[Report, str, str]  # a report, the sha256 of the bytes it was read from, the file's stamp


def read_reports(stream: Iterable[SourceText | SkippedFile | Unchanged], progress: bool,
                 ) -> tuple[list[Parsed], list[SkippedFile], list[Unchanged]]:
    """Parse every file read as it comes; broken or duplicate files are skipped and named.

    Returns the parsed reports, the skipped files and the unchanged ones.
    """
    reports: list[Parsed] = []
    skipped: list[SkippedFile] = []
    unchanged: list[Unchanged] = []
    for item in tqdm(stream, desc="读取并切分报告", unit="份", disable=not progress):
        if isinstance(item, SkippedFile):
            skipped.append(item)
        elif isinstance(item, Unchanged):
            unchanged.append(item)
        else:
            try:
                reports.append((parse_report(item), item.digest, item.stamp))
            except ReadError as err:
                skipped.append(SkippedFile(printable_name(item.name), str(err)))
    return reports, skipped, unchanged


def sources_of(sources: Iterable[Path]) -> list[tuple[Path, str]]:
    """Every file under `sources` with its relative name; BuildError if a folder is missing."""
    try:
        return list_sources(sources)
    except ReadError as err:
        raise BuildError(str(err)) from err


def nothing_indexable(skipped: Sequence[SkippedFile]) -> BuildError:
    detail = "；".join(f"{s.file}: {s.error}" for s in skipped[:5])
    return BuildError(f"没有可索引的报告{('（' + detail + '）') if detail else ''}")


def publish_new(index_dir: Path, fill: Callable[[Path], T]) -> T:
    """Fill a new generation, publish it and drop old ones; on any failure remove it (the live one stays)."""
    generation = new_generation(index_dir)
    try:
        result = fill(generation)
        publish(index_dir, generation)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    remove_old_generations(index_dir)
    return result


def full_build(sources: Iterable[Path], index_dir: Path, progress: bool = False, reason: str = "") -> BuildStats:
    """Read and index every report under `sources` into a new generation (the write lock held)."""
    roots = list(sources)
    reports, skipped, _ = read_reports(read_changed(sources_of(roots)), progress)
    if not reports:
        raise nothing_indexable(skipped)
    corrections = read_corrections(roots)
    sections, corrected, problems = publish_new(
        index_dir, lambda generation: write_generation(generation, reports, progress, corrections, roots))
    return BuildStats(len(reports), sections, tuple(skipped), reason=reason, added=len(reports), corrected=corrected,
                      corrections_changed=bool(corrections.digest), warnings=tuple(corrections.problems + problems))


def build_index(sources: Iterable[Path], index_dir: Path, progress: bool = False) -> BuildStats:
    """Index every report under `sources` into a new generation of `index_dir`, then publish it."""
    taxonomy()  # a malformed measures file stops the build before any work, with one line
    with write_lock(index_dir):
        remove_old_generations(index_dir)  # what a crashed writer left
        return full_build(sources, index_dir, progress)


def index_reports(catalog: CatalogWriter, writer: IndexWriter, reports: Sequence[Parsed], progress: bool) -> None:
    """Store `reports` in the catalog and their rows' bigrams in the postings."""
    with tqdm(total=sum(len(r.sections) for r, _, _ in reports), desc="建立索引", unit="节",
              disable=not progress) as bar:
        for report, digest, stamp in reports:
            first = catalog.rows
            for offset, text in enumerate(catalog.add(report, digest, stamp)):
                writer.add_document(**{ROW: first + offset, GRAMS: text})
            bar.update(len(report.sections))


PR_SET_PDEATHSIG = 1  # linux/prctl.h
_writer_parent: int | None = None  # the pid whose writer processes must die with it (while it writes)


def _die_with_parent() -> None:
    """In a forked whoosh writer process: be killed when the build that started it dies (kill -9
    included), and exit at once if it already has."""
    parent = _writer_parent
    if parent is None or not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


os.register_at_fork(after_in_child=_die_with_parent)


def write_generation(generation: Path, reports: Sequence[Parsed], progress: bool = False,
                     corrections: Corrections | None = None, sources: Sequence[Path] = (),
                     ) -> tuple[int, int, list[str]]:
    """Write the catalog and the postings of `reports` into an empty folder, metadata.csv applied; the
    manifest last (with the `sources` they were read from, so later builds read the same folders).
    Returns the sections written, the reports corrected and the rows that named no file."""
    ix = whoosh_index.create_in(str(generation), build_schema())
    total = sum(len(r.sections) for r, _, _ in reports)
    conf = settings()
    procs = min(conf.build_procs, os.cpu_count() or 1) if total >= conf.parallel_from_sections else 1
    # several writer processes, one segment each (not merged: merging re-encodes every posting)
    # a pool that spills to disk costs more than twice the CPU (sorted runs merged in Python)
    global _writer_parent  # noqa: PLW0603 - read by the fork handler, in the child
    _writer_parent = os.getpid()
    corrections = corrections or Corrections()
    try:
        # segments as separate files, not one compound file: whoosh reads a compound file's parts into
        # memory copies at every open (80 MB per process at 10k reports), separate files it reads in place
        writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=conf.build_memory_mb, compound=False)
        catalog = CatalogWriter(generation, [m.name for m in taxonomy()])
        try:
            index_reports(catalog, writer, reports, progress)
            corrected, problems = catalog.apply_corrections(corrections)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    finally:
        _writer_parent = None
    write_reuse(generation, [r for r, _, _ in reports], catalog.rows)
    catalog.close({**manifest_now(catalog.reports, catalog.rows), "corrections": corrections.digest,
                   "corrected": corrected} | source_entry(sources), prepare=prepare_maps)
    return catalog.rows, corrected, problems


def prepare_maps(generation: Path, manifest: dict[str, Any]) -> None:
    """The mapped files an open reads instead of computing (before the manifest marks the generation
    complete): the postings' row map, then what the search side derives (`indexer.search.prepared`)."""
    from indexer.search.prepared import prepare_generation  # noqa: PLC0415 - the search stage's own files

    write_row_map(generation)
    prepare_generation(generation, manifest)

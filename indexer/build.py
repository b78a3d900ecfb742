"""Build the index: read every source file, parse it, write a generation, publish it atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from tqdm import tqdm
from whoosh import fields, formats
from whoosh import index as whoosh_index

from .analysis import BigramSetTokenizer
from .catalog import CatalogWriter, manifest_now
from .config import BUILD_PROCS, PARALLEL_FROM_SECTIONS, DataFileError
from .measures import taxonomy
from .models import BuildStats, Report, SkippedFile
from .parsing import parse_report
from .reading import ReadError, iter_sources
from .storage import new_generation, publish, remove_old_generations, write_lock

GRAMS, ROW = "grams", "row"  # the whoosh fields (searchindex.py reads them)


class BuildError(Exception):
    """The build could not produce an index (the previous one, if any, is left as it was)."""


def build_schema() -> fields.Schema:
    """The whoosh part of a generation: each row's distinct bigrams, and the row number."""
    return fields.Schema(**{
        GRAMS: fields.FieldType(formats.Existence(), BigramSetTokenizer(), scorable=False),  # type: ignore[arg-type]
        ROW: fields.NUMERIC(sortable=True),
    })


def read_reports(sources: Iterable[Path], progress: bool) -> tuple[list[Report], list[SkippedFile]]:
    """Parse every source file as it is read; broken or duplicate files are skipped and named."""
    try:
        stream = iter_sources(sources)
    except ReadError as err:
        raise BuildError(str(err)) from err
    reports: list[Report] = []
    skipped: list[SkippedFile] = []
    for item in tqdm(stream, desc="读取并切分报告", unit="份", disable=not progress):
        if isinstance(item, SkippedFile):
            skipped.append(item)
            continue
        try:
            reports.append(parse_report(item))
        except ReadError as err:
            skipped.append(SkippedFile(item.name, str(err)))
        except DataFileError:
            raise
        except Exception as err:  # noqa: BLE001 - one bad file must not stop the build
            skipped.append(SkippedFile(item.name, " ".join(f"解析失败：{type(err).__name__}: {err}".split())))
    return reports, skipped


def build_index(sources: Iterable[Path], index_dir: Path, progress: bool = False) -> BuildStats:
    """Index every report under `sources` into a new generation of `index_dir`, then publish it."""
    taxonomy()  # a malformed measures file stops the build before any work, with one line
    with write_lock(index_dir):
        reports, skipped = read_reports(sources, progress)
        if not reports:
            detail = "；".join(f"{s.file}: {s.error}" for s in skipped[:5])
            raise BuildError(f"没有可索引的报告{('（' + detail + '）') if detail else ''}")
        generation = new_generation(index_dir)
        try:
            sections = write_generation(generation, reports, progress)
            publish(index_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        remove_old_generations(index_dir)
    return BuildStats(len(reports), sections, tuple(skipped))


def write_generation(generation: Path, reports: Sequence[Report], progress: bool = False) -> int:
    """Write the catalog and the postings of `reports` into an empty folder; the manifest last."""
    ix = whoosh_index.create_in(str(generation), build_schema())
    total = sum(len(r.sections) for r in reports)
    procs = min(BUILD_PROCS, os.cpu_count() or 1) if total >= PARALLEL_FROM_SECTIONS else 1
    # several writer processes, one segment each (not merged: merging re-encodes every posting)
    writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=256)
    catalog = CatalogWriter(generation, [m.name for m in taxonomy()])
    try:
        with tqdm(total=total, desc="建立索引", unit="节",
                  disable=not progress) as bar:
            for report in reports:
                first = catalog.rows
                for offset, text in enumerate(catalog.add(report)):
                    writer.add_document(**{ROW: first + offset, GRAMS: text})
                bar.update(len(report.sections))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    catalog.close(manifest_now(catalog.reports, catalog.rows))
    return catalog.rows

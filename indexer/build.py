"""Build the index: read every source file, parse it, write all sections, publish atomically."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tqdm import tqdm
from whoosh import index as whoosh_index

from . import schema as f
from .analysis import segmenter
from .models import BuildStats, Report, SkippedFile
from .parsing import parse_report
from .reading import ReadError, iter_sources
from .storage import new_generation, publish, remove_old_generations, write_lock


class BuildError(Exception):
    """The build could not produce an index (the previous one, if any, is left as it was)."""


def section_documents(report: Report) -> Iterable[dict[str, Any]]:
    """The whoosh documents of one report: one per section."""
    for section in report.sections:
        yield {
            f.ID: report.passage_id(section),
            f.DOC_ID: report.doc_id,
            f.ORDINAL: section.ordinal,
            f.FILE: report.file,
            f.TITLE: report.title,
            f.AGENCY: report.agency,
            f.REGION: report.region,
            f.REGION_PARTS: ",".join(report.region_parts),
            f.YEAR: report.year or f.NO_YEAR,
            f.DOC_TYPE: report.doc_type,
            f.SECTION_TYPE: section.section_type,
            f.MEASURE: ",".join(section.measures),
            f.MEASURE_KEY: "|".join(section.measures),
            f.HEADING: section.heading,
            f.PATH: section.path_label,
            f.BODY: section.body,
            f.WORDS: section.text,
            f.GRAMS: section.text,
        }


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
        except Exception as err:  # noqa: BLE001 - one bad file must not stop the build
            skipped.append(SkippedFile(item.name, " ".join(f"解析失败：{type(err).__name__}: {err}".split())))
    return reports, skipped


def build_index(sources: Iterable[Path], index_dir: Path, progress: bool = False) -> BuildStats:
    """Index every report under `sources` into a new generation of `index_dir`, then publish it."""
    with write_lock(index_dir):
        reports, skipped = read_reports(sources, progress)
        if not reports:
            detail = "；".join(f"{s.file}: {s.error}" for s in skipped[:5])
            raise BuildError(f"没有可索引的报告{('（' + detail + '）') if detail else ''}")
        segmenter()
        generation = new_generation(index_dir)
        try:
            ix = whoosh_index.create_in(str(generation), f.build_schema())
            writer = ix.writer(limitmb=256)
            sections = 0
            total = sum(len(r.sections) for r in reports)
            with tqdm(total=total, desc="建立索引", unit="节", disable=not progress) as bar:
                for report in reports:
                    for doc in section_documents(report):
                        writer.add_document(**doc)
                        sections += 1
                        bar.update()
            writer.commit()
            publish(index_dir, generation, [r.summary() for r in reports])
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        remove_old_generations(index_dir)
    return BuildStats(len(reports), sections, tuple(skipped))

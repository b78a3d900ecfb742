"""The document store of a generation: reports, sections with their text, search arrays.

    gen-…/catalog.sqlite   reports (metadata and outline), sections (heading, body …) and the
                           licensing figures each report states (read at build time)
    gen-…/search.txt       the search text of every section, one record per row
    gen-…/arrays.npz       per-section columns: report, section type, measure bits, length
    gen-…/manifest.json    format, analyzer and taxonomy versions; counts
    gen-…/ (whoosh files)  the bigram postings that give a term its candidate sections

Rows are numbered 0… in build order; a report's sections are consecutive rows.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from .analysis import ANALYZER_VERSION, search_text
from .config import MEASURES_FILE
from .facts import ReportFigures, extract_figures
from .measures import find_measures, taxonomy
from .models import SECTION_TYPES, Report, Section

FORMAT = 4  # bump when the layout of a generation changes
CATALOG = "catalog.sqlite"
SEARCH_TEXT = "search.txt"
ARRAYS = "arrays.npz"
MANIFEST = "manifest.json"
RECORD_END = "\x1e"  # between the search texts of two rows


def taxonomy_hash(path: Path = MEASURES_FILE) -> str:
    """Fingerprint of the measures file: an index built with another one must say so."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def manifest_now(reports: int, sections: int) -> dict[str, Any]:
    """The manifest of a generation built now with the current code and data."""
    return {
        "format": FORMAT,
        "analyzer": ANALYZER_VERSION,
        "taxonomy": taxonomy_hash(),
        "measures": [m.name for m in taxonomy()],
        "section_types": list(SECTION_TYPES),
        "reports": reports,
        "sections": sections,
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def indexed_text(report: Report, section: Section) -> str:
    """What a section is searched by: its heading and body (the first one also the title)."""
    return f"{report.title}\n{section.text}" if section.ordinal == 0 and report.title else section.text


_SCHEMA = """
CREATE TABLE reports (idx INTEGER PRIMARY KEY, doc_id TEXT UNIQUE NOT NULL, first_row INTEGER NOT NULL,
                      summary TEXT NOT NULL);
CREATE TABLE sections (row INTEGER PRIMARY KEY, report INTEGER NOT NULL, ordinal INTEGER NOT NULL,
                       heading TEXT NOT NULL, path TEXT NOT NULL, level INTEGER NOT NULL,
                       section_type TEXT NOT NULL, measures TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE figures (report INTEGER PRIMARY KEY, figures TEXT NOT NULL);  -- ReportFigures.to_dict()
"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class CatalogWriter:
    """Writes the store of a new generation, report by report."""

    def __init__(self, path: Path, measure_names: Sequence[str], section_types: Sequence[str] = SECTION_TYPES) -> None:
        self.path = path
        self.db = sqlite3.connect(path / CATALOG)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self.texts = open(path / SEARCH_TEXT, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.measure_bit = {name: 1 << i for i, name in enumerate(measure_names)}
        self.type_code = {name: i for i, name in enumerate(section_types)}
        self.columns: dict[str, list[int]] = {"report": [], "section_type": [], "measures": [], "length": []}
        self.reports = self.rows = 0

    def add(self, report: Report) -> list[str]:
        """Store one report; returns the search texts of its sections (in row order)."""
        titled = find_measures(report.title) if report.title else ()
        summary = {**report.summary(), "region_parts": list(report.region_parts)}
        summary["measures"] = sorted({*summary["measures"], *titled})
        self.db.execute("INSERT INTO reports VALUES (?, ?, ?, ?)",
                        (self.reports, report.doc_id, self.rows, json.dumps(summary, ensure_ascii=False)))
        self.db.execute("INSERT INTO figures VALUES (?, ?)", (self.reports, _json(extract_figures(report).to_dict())))
        texts = []
        for section in report.sections:
            if section.ordinal == 0 and titled:  # the title is searched with the first section
                names = {*section.measures, *titled}
                section = replace(section, measures=tuple(m.name for m in taxonomy() if m.name in names))
            text = search_text(indexed_text(report, section))
            texts.append(text)
            self.db.execute(
                "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.rows, self.reports, section.ordinal, section.heading, _json(section.path), section.level,
                 section.section_type, _json(section.measures), section.body),
            )
            self.texts.write(text + RECORD_END)
            col = self.columns
            col["report"].append(self.reports)
            col["section_type"].append(self.type_code.get(section.section_type, self.type_code["其他"]))
            col["measures"].append(sum(self.measure_bit.get(m, 0) for m in section.measures))
            col["length"].append(len(text))
            self.rows += 1
        self.reports += 1
        return texts

    def close(self, manifest: dict[str, Any]) -> None:
        """Write the arrays and the manifest; commit the store."""
        self.texts.close()
        self.db.commit()
        self.db.close()
        col = self.columns
        np.savez(self.path / ARRAYS, report=np.array(col["report"], dtype=np.int32),
                 section_type=np.array(col["section_type"], dtype=np.int16),
                 measures=np.array(col["measures"], dtype=np.uint64),
                 length=np.array(col["length"], dtype=np.int32))
        (self.path / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


@dataclass(frozen=True)
class SectionRecord:
    """One stored section, as a hit or a document view needs it."""

    row: int
    report: int
    ordinal: int
    heading: str
    path: tuple[str, ...]
    level: int
    section_type: str
    measures: tuple[str, ...]
    body: str

    def to_section(self) -> Section:
        return Section(self.ordinal, self.heading, self.path, self.level, self.section_type, self.body, self.measures)


class Catalog:
    """Read side of the store (thread-safe: one SQLite connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.manifest: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        with np.load(path / ARRAYS) as arrays:
            self.arrays = {k: arrays[k] for k in arrays.files}
        raw = (path / SEARCH_TEXT).read_text(encoding="utf-8")
        self.texts: list[str] = raw.split(RECORD_END)[:-1]
        self._local = threading.local()
        rows = self._db().execute("SELECT doc_id, first_row, summary FROM reports ORDER BY idx").fetchall()
        self.doc_ids: list[str] = [r[0] for r in rows]
        self.first_rows = np.array([r[1] for r in rows], dtype=np.int32)
        self.summaries: list[dict[str, Any]] = [json.loads(r[2]) for r in rows]
        self.report_of = {doc_id: i for i, doc_id in enumerate(self.doc_ids)}

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path / CATALOG}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def sections(self, rows: Iterable[int]) -> dict[int, SectionRecord]:
        """The stored sections of the given rows."""
        wanted = sorted({int(r) for r in rows})
        out: dict[int, SectionRecord] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            query = f"SELECT * FROM sections WHERE row IN ({','.join('?' * len(chunk))})"
            for row in self._db().execute(query, chunk):
                rec = SectionRecord(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], row[6],
                                    tuple(json.loads(row[7])), row[8])
                out[rec.row] = rec
        return out

    def figures(self) -> list[ReportFigures]:
        """The licensing figures of every report, in build order."""
        rows = self._db().execute("SELECT figures FROM figures ORDER BY report").fetchall()
        return [ReportFigures.from_dict(json.loads(r[0])) for r in rows]

    def report_rows(self, report: int) -> range:
        """The rows of one report's sections."""
        end = int(self.first_rows[report + 1]) if report + 1 < len(self.first_rows) else len(self.texts)
        return range(int(self.first_rows[report]), end)

"""The document store of a generation: reports, sections with their text, search arrays.

    gen-…/catalog.sqlite   reports (metadata and outline), sections (heading, body …) and the
                           licensing figures each report states (read at build time)
    gen-…/search.txt       the search text of every section, one record per row
    gen-…/arrays.npz       per-section columns: report, section type, measure bits, length,
                           alive; per report: alive
    gen-…/manifest.json    format, analyzer, taxonomy and parser versions; counts
    gen-…/m.*              the same, mapped (`write_maps`, `indexer.index.mapped`): one array per
                           column, the search texts' byte spans, doc ids, first rows; and what the
                           search side computes from them at build time (`indexer.search.prepared`)
    gen-…/ (whoosh files)  the bigram postings that give a term its candidate sections

Rows are numbered 0… in build order; a report's sections are consecutive rows. An update
appends rows and marks the rows of removed or changed files dead (alive = False): rows are
never renumbered or reused, and a full build starts afresh.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.config import measures_file
from indexer.index.mapped import Strings, load_array, record_spans, save_array
from indexer.ingest.corrections import EXTRACTED, Corrections, corrected, restored
from indexer.ingest.facts import ReportFigures, extract_figures
from indexer.ingest.measures import taxonomy
from indexer.ingest.section_types import section_type_names
from indexer.models import Report, Section
from indexer.text.analysis import ANALYZER_VERSION, search_text

FORMAT = 8  # bump when the layout of a generation changes (8: the frequent pairs' raw counts)
CATALOG = "catalog.sqlite"
SEARCH_TEXT = "search.txt"
ARRAYS = "arrays.npz"
MANIFEST = "manifest.json"
RECORD_END = "\x1e"  # between the search texts of two rows
SUMMARY_CACHE = 20_000  # decoded report summaries kept per generation
INDEXER = Path(__file__).resolve().parent.parent
PARSING_CODE = ("ingest", "text/normalize.py", "models.py")
# ^ what turns a file into a Report: the ingest stage with its data, the folding it uses and the records
#   it fills. A change to any of it means a full rebuild; search-side code and data do not.


def taxonomy_hash(path: Path | None = None) -> str:
    """Fingerprint of the measures file (the one in force): an index built with another one must say so."""
    return hashlib.sha256((path or measures_file()).read_bytes()).hexdigest()[:16]


def parser_hash() -> str:
    """Fingerprint of the code and data that turn files into reports (an update keeps old parses)."""
    digest = hashlib.sha256()
    paths: list[Path] = []
    for name in PARSING_CODE:
        root = INDEXER / name
        paths += [p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"] if root.is_dir() else [root]
    for path in sorted(paths):
        digest.update(path.relative_to(INDEXER).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def manifest_now(reports: int, sections: int) -> dict[str, Any]:
    """The manifest of a generation built now with the current code and data."""
    return {
        "format": FORMAT,
        "analyzer": ANALYZER_VERSION,
        "taxonomy": taxonomy_hash(),
        "parser": parser_hash(),
        "measures": [m.name for m in taxonomy()],
        "section_types": list(section_type_names()),
        "reports": reports,
        "sections": sections,
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


SOURCES = "sources"  # manifest key: the folders (or files) the reports were read from, absolute


def source_entry(sources: Iterable[Path]) -> dict[str, list[str]]:
    """The manifest entry that remembers where a generation's reports came from (none if unknown)."""
    paths = [str(Path(s).resolve()) for s in sources]
    return {SOURCES: paths} if paths else {}


REBUILD_REASONS = {"format": "索引格式已更新", "analyzer": "分词方式已更新", "taxonomy": "措施分类文件已修改",
                   "section_types": "章节类型已修改", "parser": "解析程序或数据文件已更新"}


def full_rebuild_reason(manifest: dict[str, Any]) -> str:
    """Why the generation of `manifest` cannot be updated in place ("" if it can)."""
    now = manifest_now(0, 0)
    return "、".join(reason for key, reason in REBUILD_REASONS.items() if manifest.get(key) != now[key])


def file_sums(generation: Path) -> dict[str, list[Any]]:
    """Every file of a generation (but the manifest and the locks): name → [size, sha256]."""
    sums: dict[str, list[Any]] = {}
    for path in sorted(generation.iterdir()):
        if path.name == MANIFEST or path.name.lower().endswith("lock") or not path.is_file():
            continue
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(2**20):
                digest.update(chunk)
        sums[path.name] = [path.stat().st_size, digest.hexdigest()]
    return sums


def damage(generation: Path, deep: bool = False) -> str:
    """What is wrong with a generation, in a few words ("" if nothing): a manifest that cannot be
    read, a file missing or of another size than built, or (`deep`: every byte read) changed."""
    try:
        manifest = json.loads((generation / MANIFEST).read_bytes().decode("utf-8"))
        files = manifest.get("files", {}) if isinstance(manifest, dict) else None
        if not isinstance(files, dict):
            raise ValueError("not a manifest")
    except (OSError, ValueError) as err:
        return f"{MANIFEST} 无法读取（{type(err).__name__}）"
    for name, held in files.items():
        path = generation / name
        try:
            size = path.stat().st_size
        except OSError:
            return f"缺少文件 {name}"
        if size != held[0]:
            return f"文件 {name} 大小不符（{size} 字节，建立时 {held[0]} 字节）"
    if deep:
        now = file_sums(generation)
        changed = next((n for n, held in files.items() if now.get(n, [0, ""])[1] != held[1]), None)
        if changed is not None:
            return f"文件 {changed} 内容已改变（校验和不符）"
    return ""


def indexed_files(generation: Path) -> dict[str, tuple[str, str]]:
    """The files a generation holds: relative name → (sha256 of the bytes indexed, stamp)."""
    db = sqlite3.connect(f"file:{generation / CATALOG}?mode=ro", uri=True)
    try:
        return {name: (digest, stamp) for name, digest, stamp in db.execute("SELECT name, digest, stamp FROM files")}
    finally:
        db.close()


_SCHEMA = """
CREATE TABLE reports (idx INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, first_row INTEGER NOT NULL,
                      summary TEXT NOT NULL);  -- a doc_id may recur: once alive, the other times dead
CREATE TABLE files (name TEXT PRIMARY KEY, digest TEXT NOT NULL, report INTEGER NOT NULL,
                    stamp TEXT NOT NULL);  -- alive only; stamp: reading.file_stamp when read
CREATE TABLE sections (row INTEGER PRIMARY KEY, report INTEGER NOT NULL, ordinal INTEGER NOT NULL,
                       heading TEXT NOT NULL, path TEXT NOT NULL, level INTEGER NOT NULL,
                       section_type TEXT NOT NULL, measures TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE figures (report INTEGER PRIMARY KEY, figures TEXT NOT NULL);  -- ReportFigures.to_dict()
"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


_COLUMNS = {"report": np.int32, "section_type": np.int16, "measures": np.uint64, "length": np.int32, "alive": np.bool_}


class CatalogWriter:
    """Writes the store of a new generation report by report; `append` continues a copied one."""

    def __init__(self, path: Path, measure_names: Sequence[str], section_types: Sequence[str] | None = None,
                 append: bool = False) -> None:
        self.path = path
        self.db = sqlite3.connect(path / CATALOG)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + ("" if append else _SCHEMA))
        self.texts = open(path / SEARCH_TEXT, "a" if append else "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.measure_bit = {name: 1 << i for i, name in enumerate(measure_names)}
        self.type_code = {name: i for i, name in enumerate(section_types or section_type_names())}
        self.columns: dict[str, list[int]] = {name: [] for name in _COLUMNS}
        self.report_alive: list[bool] = []
        self.old: dict[str, np.ndarray] = {}
        if append:
            with np.load(path / ARRAYS) as arrays:
                self.old = {k: arrays[k].copy() for k in arrays.files}
        self.reports = len(self.old.get("report_alive", ()))
        self.rows = len(self.old.get("report", ()))

    def add(self, report: Report, digest: str, stamp: str = "") -> list[str]:
        """Store one report (read from bytes of sha256 `digest`); returns its sections' search texts."""
        summary = {**report.summary(), "region_parts": list(report.region_parts)}
        self.db.execute("INSERT INTO reports VALUES (?, ?, ?, ?)",
                        (self.reports, report.doc_id, self.rows, json.dumps(summary, ensure_ascii=False)))
        self.db.execute("INSERT INTO figures VALUES (?, ?)", (self.reports, _json(extract_figures(report).to_dict())))
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (report.file, digest, self.reports, stamp))
        texts = []
        for section in report.sections:
            text = search_text(report.searched_text(section))
            texts.append(text)
            self.db.execute(
                "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.rows, self.reports, section.ordinal, section.heading, _json(section.path), section.depth,
                 section.section_type, _json(section.measures), section.body),
            )
            self.texts.write(text + RECORD_END)
            col = self.columns
            col["report"].append(self.reports)
            col["section_type"].append(self.type_code.get(section.section_type, self.type_code["其他"]))
            col["measures"].append(sum(self.measure_bit.get(m, 0) for m in section.measures))
            col["length"].append(len(text))
            col["alive"].append(True)
            self.rows += 1
        self.report_alive.append(True)
        self.reports += 1
        return texts

    def restamp(self, name: str, stamp: str) -> None:
        """Record a file's new stamp (same bytes: touched, or copied back)."""
        self.db.execute("UPDATE files SET stamp = ? WHERE name = ?", (stamp, name))

    def remove(self, name: str) -> range | None:
        """Mark the report of file `name` dead; returns its rows (None if the file is not indexed)."""
        found = self.db.execute("SELECT report FROM files WHERE name = ?", (name,)).fetchone()
        if found is None:
            return None
        report = int(found[0])
        self.db.execute("DELETE FROM files WHERE name = ?", (name,))
        first, end = (int(v) for v in self.db.execute(
            "SELECT first_row, (SELECT COALESCE(MIN(first_row), ?) FROM reports WHERE idx > ?) FROM reports "
            "WHERE idx = ?", (self.rows, report, report)).fetchone())
        if report < len(self.old.get("report_alive", ())):
            self.old["report_alive"][report] = False
            self.old["alive"][first:end] = False
        else:  # added by this writer
            self.report_alive[report - len(self.old.get("report_alive", ()))] = False
            old_rows = len(self.old.get("report", ()))
            for row in range(first, end):
                self.columns["alive"][row - old_rows] = False
        return range(first, end)

    def apply_corrections(self, corrections: Corrections) -> tuple[int, list[str]]:
        """Re-apply metadata.csv to the live reports' summaries and figures (no report is re-read).

        Returns how many reports carry a corrected value, and the rows that name no indexed file.
        """
        files = dict(self.db.execute("SELECT name, report FROM files").fetchall())
        problems = [f"{row.source} 第 {row.line} 行：索引中没有文件“{name}”，已跳过"
                    for name, row in corrections.rows.items() if name not in files]
        before = {int(idx) for (idx,) in self.db.execute(
            "SELECT idx FROM reports WHERE summary LIKE ?", (f'%"{EXTRACTED}"%',))}
        rows = {files[name]: row for name, row in corrections.rows.items() if name in files}
        count = 0
        for report in sorted(before | set(rows)):
            stored = json.loads(self.db.execute("SELECT summary FROM reports WHERE idx = ?", (report,)).fetchone()[0])
            summary = corrected(restored(stored), rows[report]) if report in rows else restored(stored)
            count += EXTRACTED in summary
            if summary == stored:
                continue
            self.db.execute("UPDATE reports SET summary = ? WHERE idx = ?", (_json(summary), report))
            found = self.db.execute("SELECT figures FROM figures WHERE report = ?", (report,)).fetchone()
            if found:
                figures = {**json.loads(found[0]), "agency": summary["agency"], "year": summary["year"]}
                self.db.execute("UPDATE figures SET figures = ? WHERE report = ?", (_json(figures), report))
        return count, problems

    def alive_counts(self) -> tuple[int, int]:
        """Reports and sections alive once this writer closes."""
        reports = int(self.old.get("report_alive", np.zeros(0, bool)).sum()) + sum(self.report_alive)
        return reports, int(self.old.get("alive", np.zeros(0, bool)).sum()) + sum(self.columns["alive"])

    def close(self, manifest: dict[str, Any], prepare: Callable[[Path, dict[str, Any]], None] | None = None) -> None:
        """Write the arrays, their maps, what `prepare` derives from them, and the manifest (last);
        commit the store."""
        self.texts.close()
        self.db.commit()
        self.db.close()
        arrays = {name: np.concatenate([self.old.get(name, np.zeros(0, dtype)), np.array(self.columns[name], dtype)])
                  for name, dtype in _COLUMNS.items()}
        arrays["report_alive"] = np.concatenate([self.old.get("report_alive", np.zeros(0, bool)),
                                                 np.array(self.report_alive, dtype=bool)])
        np.savez(self.path / ARRAYS, **arrays)  # type: ignore[arg-type]
        write_maps(self.path)
        if prepare is not None:
            prepare(self.path, manifest)
        manifest = {**manifest, "files": file_sums(self.path)}  # checked when opened and before an update
        (self.path / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


@dataclass(frozen=True)
class SectionRecord:
    """One stored section, as a hit or a document view needs it."""

    row: int
    report: int
    ordinal: int
    heading: str
    path: tuple[str, ...]
    depth: int
    section_type: str
    measures: tuple[str, ...]
    body: str

    def to_section(self) -> Section:
        return Section(self.ordinal, self.heading, self.path, self.depth, self.section_type, self.body, self.measures)


def write_maps(path: Path) -> None:
    """Map the catalog of a finished generation: its arrays one file each, the byte spans of the
    search texts, the doc ids (by report and sorted, for lookups) and the reports' first rows."""
    with np.load(path / ARRAYS) as arrays:
        columns = {k: arrays[k] for k in arrays.files}
    for name, values in columns.items():
        save_array(path, name, values)
    save_array(path, "text_spans", record_spans(path / SEARCH_TEXT, RECORD_END.encode(), columns["alive"]))
    db = sqlite3.connect(f"file:{path / CATALOG}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT doc_id, first_row FROM reports ORDER BY idx").fetchall()
    finally:
        db.close()
    ids = [r[0].encode("utf-8") for r in rows]
    doc_ids = np.array(ids, dtype=f"S{max((len(i) for i in ids), default=1)}")
    live = np.flatnonzero(columns["report_alive"])
    order = live[np.argsort(doc_ids[live], kind="stable")]
    save_array(path, "doc_ids", doc_ids)
    save_array(path, "doc_order", order.astype(np.int64))
    save_array(path, "doc_sorted", doc_ids[order])
    save_array(path, "first_rows", np.array([r[1] for r in rows], dtype=np.int32))


class DocIds(Sequence[str]):
    """The doc id of every report (mapped), and the live report of a doc id (binary search)."""

    def __init__(self, path: Path) -> None:
        self.ids = load_array(path, "doc_ids")
        self.order = load_array(path, "doc_order")
        self.sorted = load_array(path, "doc_sorted")

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, report: int) -> str:  # type: ignore[override]
        return bytes(self.ids[report]).decode("utf-8")

    def get(self, doc_id: str) -> int | None:
        """The live report with this id (None: there is none)."""
        key = np.bytes_(doc_id.encode("utf-8"))
        at = int(np.searchsorted(self.sorted, key))
        return int(self.order[at]) if at < len(self.sorted) and self.sorted[at] == key else None


class Summaries(Sequence[dict[str, Any]]):
    """Report summaries, decoded from the store when asked (the most recent SUMMARY_CACHE kept)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.catalog.report_alive)

    def __getitem__(self, report: int) -> dict[str, Any]:  # type: ignore[override]
        report = int(report)
        if not self.catalog.report_alive[report]:
            return {}
        with self._lock:
            if (hit := self._cache.get(report)) is not None:
                self._cache.move_to_end(report)
                return hit
        found = self.catalog._db().execute("SELECT summary FROM reports WHERE idx = ?", (report,)).fetchone()
        summary: dict[str, Any] = json.loads(found[0])
        with self._lock:
            self._cache[report] = summary
            while len(self._cache) > SUMMARY_CACHE:
                self._cache.popitem(last=False)
        return summary

    def live(self) -> list[dict[str, Any]]:
        """Every live report's summary, in build order (one pass over the store)."""
        alive = self.catalog.report_alive
        rows = self.catalog._db().execute("SELECT idx, summary FROM reports ORDER BY idx")
        return [json.loads(summary) for idx, summary in rows if alive[idx]]


class Catalog:
    """Read side of the store (thread-safe: one SQLite connection per thread).

    Opening maps files and decodes nothing (see `write_maps`): search texts, doc ids and
    arrays are read from the mapped pages, summaries from the store when asked.
    Dead rows keep their place but no text (they match nothing), dead reports an empty summary.
    """

    def __init__(self, path: Path, manifest: dict[str, Any] | None = None) -> None:
        self.path = path
        self.manifest: dict[str, Any] = manifest or json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        self.arrays = {name: load_array(path, name) for name in (*_COLUMNS, "report_alive")}
        self.alive: np.ndarray = self.arrays["alive"]
        self.report_alive: np.ndarray = self.arrays["report_alive"]
        self.texts = Strings.spans(path / SEARCH_TEXT, load_array(path, "text_spans"))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self.doc_ids = DocIds(path)
        self.first_rows: np.ndarray = load_array(path, "first_rows")
        self.summaries = Summaries(self)
        self.report_of = self.doc_ids  # doc id → live report: .get(doc_id)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path / CATALOG}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def close(self) -> None:
        """Close every thread's connection and unmap the texts (no search may be running)."""
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()
        self.texts.close()

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
        """The licensing figures of every live report, in build order."""
        rows = self._db().execute("SELECT report, figures FROM figures ORDER BY report").fetchall()
        return [ReportFigures.from_dict(json.loads(r[1])) for r in rows if self.report_alive[r[0]]]

    def live_reports(self) -> list[int]:
        """The live reports, in build order."""
        return [int(i) for i in np.flatnonzero(self.report_alive)]

    def report_rows(self, report: int) -> range:
        """The rows of one report's sections."""
        end = int(self.first_rows[report + 1]) if report + 1 < len(self.first_rows) else len(self.texts)
        return range(int(self.first_rows[report]), end)

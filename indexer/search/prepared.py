"""What the search side of a generation needs, computed when it is built, opened as mapped files.

    prepare_generation(folder)   at build and update time, before the generation is published
    open_prepared(folder, catalog) → Prepared   at open: maps files, decodes nothing

Written (see `indexer.index.mapped`): the boilerplate lines as byte spans of the search texts
with their weights (repeats counted over every line of the corpus, which no open should redo),
the per-report facet columns with their value names, every report's year, the title keys
(searched as one buffer), the section types as a facet column, the section prior of concept
queries and the lengths BM25 divides by; and the occurrences (rows, discounted counts) of the
bigrams in more than SCAN_SHARE of the rows, which a query could otherwise only count by
scanning every text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.index.catalog import CATALOG, Catalog
from indexer.index.mapped import PREFIX, Strings, load_array, save_array, save_strings
from indexer.index.postings import Postings
from indexer.search import boilerplate
from indexer.search.engine import section_prior
from indexer.search.facets import FacetColumn, FacetTables, report_columns
from indexer.search.scan import SCAN_SHARE, TextScan
from indexer.text.normalize import compact

FACET_NAMES = f"{PREFIX}facets.json"  # per facet: its value names, and whether it is per report


@dataclass(frozen=True)
class Prepared:
    """The mapped search-side views of one generation."""

    folder: Path
    tables: FacetTables
    titles: Strings
    prior: np.ndarray
    lengths: np.ndarray
    line_starts: np.ndarray  # the boilerplate lines: byte spans in search.txt, and weights
    line_ends: np.ndarray
    line_weights: np.ndarray


SUMMARY_FIELDS = ("title", "agency", "agencies", "region", "year", "doc_type")  # what the facets and titles need


def _summaries(folder: Path, report_alive: np.ndarray) -> list[dict[str, Any]]:
    """The fields of every report's summary that the facets and title keys read (SQLite extracts
    them: the outlines, nine tenths of a summary, are never decoded)."""
    db = sqlite3.connect(f"file:{folder / CATALOG}?mode=ro", uri=True)
    columns = ", ".join(f"json_extract(summary, '$.{name}')" for name in SUMMARY_FIELDS)
    try:
        rows = db.execute(f"SELECT idx, {columns} FROM reports ORDER BY idx").fetchall()  # noqa: S608 - constant names
    finally:
        db.close()
    out: list[dict[str, Any]] = []
    for idx, *values in rows:
        summary = {k: v for k, v in zip(SUMMARY_FIELDS, values, strict=True) if v is not None}
        if isinstance(summary.get("agencies"), str):  # a JSON array comes back as its text
            summary["agencies"] = json.loads(summary["agencies"])
        out.append(summary if report_alive[idx] else {})
    return out


def prepare_generation(folder: Path, manifest: dict[str, Any]) -> None:
    """Write the search-side files of the generation in `folder` (its catalog maps written, its
    manifest not yet)."""
    catalog = Catalog(folder, manifest)
    summaries = _summaries(folder, catalog.report_alive)
    columns, years = report_columns(summaries)
    names = {facet: {"names": column.names, "per_report": column.per_report} for facet, column in columns.items()}
    (folder / FACET_NAMES).write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    for facet, column in columns.items():
        save_array(folder, f"facet.{facet}", column.ids)
    save_array(folder, "report_years", years)
    save_array(folder, "section_type_ids", np.asarray(catalog.arrays["section_type"], dtype=np.int32)[:, None])
    save_strings(folder, "titles", [compact(s.get("title", "")) for s in summaries])
    starts, ends, weights = [], [], []
    spans = np.asarray(load_array(folder, "text_spans"))
    for row, line_weights in boilerplate.line_weights(catalog.texts):
        at = int(spans[row, 0])
        for line, weight in zip(catalog.texts[row].split("\n"), line_weights, strict=True):
            size = len(line.encode("utf-8"))
            if weight < 1:
                starts.append(at)
                ends.append(at + size)
                weights.append(weight)
            at += size + 1
    save_array(folder, "demoted_starts", np.array(starts, dtype=np.int64))
    save_array(folder, "demoted_ends", np.array(ends, dtype=np.int64))
    save_array(folder, "demoted_weights", np.array(weights, dtype=np.float32))
    save_array(folder, "prior", section_prior(catalog.arrays["section_type"], manifest["section_types"]))
    save_array(folder, "lengths", np.asarray(catalog.arrays["length"], dtype=np.float32))
    catalog.close()
    _count_frequent(folder, manifest)


def open_prepared(folder: Path, catalog: Catalog) -> Prepared:
    """Map the search-side files of a generation (FileNotFoundError if it predates them)."""
    names = json.loads((folder / FACET_NAMES).read_text(encoding="utf-8"))
    columns = {facet: FacetColumn(v["names"], load_array(folder, f"facet.{facet}"), v["per_report"])
               for facet, v in names.items()}
    manifest = catalog.manifest
    columns["section_type"] = FacetColumn(list(manifest["section_types"]), load_array(folder, "section_type_ids"),
                                          False)
    tables = FacetTables.from_columns(columns, load_array(folder, "report_years"), catalog.arrays["report"],
                                      catalog.arrays["measures"], manifest["measures"])
    return Prepared(folder, tables, Strings.open(folder, "titles"), load_array(folder, "prior"),
                    load_array(folder, "lengths"), load_array(folder, "demoted_starts"),
                    load_array(folder, "demoted_ends"), load_array(folder, "demoted_weights"))


def text_scan(prepared: Prepared, catalog: Catalog, postings: Postings, stored: bool = True) -> TextScan:
    """Occurrence counting over the catalog's mapped texts with the stored boilerplate lines (and the
    occurrences of the most frequent bigrams, counted at build time, unless `stored` is False)."""
    texts = catalog.texts
    counted: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if stored:
        keys, offsets = Strings.open(prepared.folder, "frequent_keys"), load_array(prepared.folder, "frequent_offsets")
        rows, tf = load_array(prepared.folder, "frequent_rows"), load_array(prepared.folder, "frequent_tf")
        counted = {key: (rows[offsets[i]:offsets[i + 1]], tf[offsets[i]:offsets[i + 1]]) for i, key in enumerate(keys)}
        keys.close()
    return TextScan(texts.buffer, texts.starts, texts.ends, prepared.line_starts, prepared.line_ends,
                    prepared.line_weights, postings.doc_frequency, postings.candidates, counted)


def _count_frequent(folder: Path, manifest: dict[str, Any]) -> None:
    """Count, once, the bigrams a query could only count by scanning every text (SCAN_SHARE)."""
    catalog = Catalog(folder, manifest)
    postings = Postings(folder)
    try:
        scan = text_scan(open_prepared(folder, catalog), catalog, postings, stored=False)
        keys = postings.frequent(SCAN_SHARE * len(catalog.texts))
        counted = [scan.occurrences(key) for key in keys]
    finally:
        postings.close()
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum([len(rows) for rows, _ in counted], out=offsets[1:])
    save_strings(folder, "frequent_keys", keys)
    save_array(folder, "frequent_offsets", offsets)
    save_array(folder, "frequent_rows", np.concatenate([r for r, _ in counted] or [np.empty(0, np.int32)]))
    save_array(folder, "frequent_tf", np.concatenate([t for _, t in counted] or [np.empty(0, np.float32)]))
    catalog.close()

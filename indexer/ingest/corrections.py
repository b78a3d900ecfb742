"""The researcher's corrections: metadata.csv at the root of a source folder.

    file,title,agency,region,year,doc_type,published
    报告A.txt,,广州市番禺区政务服务和数据管理局,,2023,,

One row per report (by its file name relative to the source folder); an empty cell keeps the
extracted value. The file may be saved from Excel with or without a BOM, in UTF-8 (or GB18030,
as Excel saves "CSV" on Chinese Windows). A bad row (no such file, a year that is not a year,
an unknown document type) is named with its line number and skipped; the others apply. A
corrected value replaces the extracted one in the stored summary, with provenance `corrected`;
the extracted value is kept under "extracted" so a later change to the file can be re-applied
without re-reading any report.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.config import CORRECTIONS_FILE
from indexer.ingest.dates import iso_date, year_value
from indexer.ingest.regions import find_region
from indexer.models import CORRECTED, DOC_TYPE_LABELS, DOC_TYPES
from indexer.text.normalize import clean_whitespace, fold

COLUMNS = ("file", "title", "agency", "region", "year", "doc_type", "published")
FIELDS = COLUMNS[1:]
EXTRACTED = "extracted"  # summary key: the values as extracted, for the fields a correction replaced
# the summary keys a field's value fills (agency: the primary name and every author)
_DERIVED = {"agency": ("agency", "agencies"), "region": ("region", "region_parts")}


@dataclass(frozen=True)
class Correction:
    """The corrected fields of one report and the line of metadata.csv they are on."""

    file: str
    values: dict[str, Any]
    line: int
    source: str  # the metadata.csv it came from


@dataclass
class Corrections:
    """Every valid row of the source folders' metadata.csv files, the bad rows described, a fingerprint."""

    rows: dict[str, Correction] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    digest: str = ""  # sha256 of the files' bytes ("" when there is none)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _value(name: str, raw: str) -> Any:
    """A cell's value for field `name`; ValueError with the reason if it is not one."""
    text = clean_whitespace(raw)
    if name == "year":
        year = year_value(text.removesuffix("年")) if text.removesuffix("年").isdigit() else None
        if year is None:
            raise ValueError(f"年份“{text}”不是年份")
        return year
    if name == "doc_type":
        code = next((k for k, label in DOC_TYPE_LABELS.items() if text in (k, label)), None)
        if code is None:
            raise ValueError(f"文件类型“{text}”未知（可选 {'、'.join(DOC_TYPES)}）")
        return code
    if name == "published":
        date = iso_date(fold(text).replace("/", "-"))
        if not date:
            raise ValueError(f"发布日期“{text}”不是日期（写作 2024-03-20）")
        return date
    return text


def parse_corrections(text: str, source: str) -> tuple[list[Correction], list[str]]:
    """The rows of one metadata.csv's text, and its bad rows described (line numbers as Excel shows them)."""
    reader = csv.reader(io.StringIO(text))
    header = [clean_whitespace(c).lower() for c in next(reader, [])]
    if "file" not in header:
        return [], [f"{source}：第 1 行应为列名 {','.join(COLUMNS)}，未找到 file 列，整个文件未应用"]
    rows, problems = [], []
    for cells in reader:
        line = reader.line_num
        row = dict(zip(header, cells, strict=False))
        name = clean_whitespace(row.get("file", ""))
        if not any(c.strip() for c in cells):
            continue
        if not name:
            problems.append(f"{source} 第 {line} 行：file 为空，已跳过")
            continue
        try:
            values = {k: _value(k, row[k]) for k in FIELDS if row.get(k, "").strip()}
        except ValueError as err:
            problems.append(f"{source} 第 {line} 行（{name}）：{err}，已跳过")
            continue
        rows.append(Correction(name, values, line, source))
    return rows, problems


def read_corrections(roots: Iterable[Path]) -> Corrections:
    """The corrections in the metadata.csv at the root of each source folder (none: empty)."""
    found = Corrections()
    digest = hashlib.sha256()
    for root in roots:
        path = Path(root) / CORRECTIONS_FILE
        if not path.is_file():
            continue
        data = path.read_bytes()
        digest.update(str(path).encode() + b"\0" + data)
        rows, problems = parse_corrections(_decode(data), CORRECTIONS_FILE)
        found.problems += problems
        for row in rows:
            if row.file in found.rows:
                found.problems.append(f"{row.source} 第 {row.line} 行（{row.file}）：与第 "
                                      f"{found.rows[row.file].line} 行重复，以本行为准")
            found.rows[row.file] = row
        found.digest = digest.hexdigest()[:16]
    return found


def restored(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A stored summary with the extracted values back (no correction applied)."""
    out = dict(summary)
    for key, value in out.pop(EXTRACTED, {}).items():
        out[key] = value
    return out


def corrected(summary: Mapping[str, Any], row: Correction) -> dict[str, Any]:
    """A (restored) summary with a row's values applied where they differ from the extracted ones."""
    out = dict(summary)
    extracted: dict[str, Any] = {}
    provenance = dict(out.get("provenance", {}))
    for name, value in row.values.items():
        filled = _filled(name, value)
        if all(out.get(k) == v for k, v in filled.items()):
            continue  # the value the report already has: not a correction
        for key in _DERIVED.get(name, (name,)):
            extracted[key] = out.get(key)
        extracted.setdefault("provenance", summary.get("provenance", {}))
        out.update(filled)
        provenance[name] = {"rule": CORRECTED, "line": f"{row.source} 第 {row.line} 行"}
    if extracted:
        out["provenance"] = provenance
        out[EXTRACTED] = extracted
    return out


def _filled(name: str, value: Any) -> dict[str, Any]:
    """The summary keys a corrected field sets."""
    if name == "agency":
        names = [n for n in (clean_whitespace(x) for x in str(value).split("、")) if n]
        return {"agency": names[0], "agencies": names}
    if name == "region":  # filters by any level of it, as the researcher wrote it
        parts = list(find_region(value).parts)
        return {"region": value, "region_parts": parts + ([value] if value not in parts else [])}
    return {name: value}


def export_rows(summaries: Iterable[Mapping[str, Any]]) -> list[list[str]]:
    """Every report's metadata as metadata.csv rows (header first): joint authors joined by 、."""
    rows = [list(COLUMNS)]
    for s in summaries:
        agencies = s.get("agencies") or ([s["agency"]] if s.get("agency") else [])
        rows.append([s.get("file", ""), s.get("title", ""), "、".join(agencies), s.get("region", ""),
                     "" if s.get("year") is None else str(s["year"]), s.get("doc_type", ""), s.get("published", "")])
    return rows


def write_export(summaries: Iterable[Mapping[str, Any]], path: Path) -> int:
    """Write metadata.csv's columns for every report to `path` (UTF-8 with BOM: Excel opens it); the row count."""
    rows = export_rows(summaries)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return len(rows) - 1

"""Rows → downloadable bytes (CSV for Excel, XLSX, JSON), and one-line passage citations.

Every exporter takes a list of dict rows and the ordered column keys; CSV and XLSX print the
column's header (a Chinese label from `headers`, else the key), JSON keeps the keys. Cells:
None → empty, a list → its items joined by "；", numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

Row = Mapping[str, Any]
LIST_SEPARATOR = "；"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # Excel would run such a CSV cell as a formula
MIN_WIDTH, MAX_WIDTH = 6, 60  # XLSX column widths, in characters of a Latin font


def cell(value: Any) -> Any:
    """A row value as one spreadsheet cell: scalars as they are, lists joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _header(columns: Sequence[str], headers: Mapping[str, str] | None) -> list[str]:
    return [(headers or {}).get(key, key) for key in columns]


STREAM_ROWS = 200  # rows per chunk of a streamed CSV or JSON download


def csv_chunks(rows: Iterable[Row], columns: Sequence[str], headers: Mapping[str, str] | None = None
               ) -> Iterator[bytes]:
    """`to_csv` in chunks of STREAM_ROWS rows, as they are written (a download streams them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(_header(columns, headers))
    for n, row in enumerate(rows, start=1):
        values = [cell(row.get(key)) for key in columns]
        writer.writerow([f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in values])
        if n % STREAM_ROWS == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def to_csv(rows: Sequence[Row], columns: Sequence[str], headers: Mapping[str, str] | None = None) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel reads the Chinese), one header row, CRLF lines."""
    return b"".join(csv_chunks(rows, columns, headers))


def display_width(text: str) -> int:
    """Width of a text in Latin characters: a CJK (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def xlsx_cell(value: Any) -> Any:
    """A cell as XLSX can hold it: the control characters it cannot store (\\x00-\\x08, \\x0b, \\x1b …) dropped."""
    value = cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def to_xlsx(
    rows: Sequence[Row],
    columns: Sequence[str],
    headers: Mapping[str, str] | None = None,
    sheet: str = "导出",
    notes: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An XLSX workbook: bold frozen header row, filter, widths fitted to the text (capped);
    `notes` (item, value) lines, if any, on a second sheet 说明 (what the table is, from where)."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([xlsx_cell(h) for h in _header(columns, headers)])
    for row in rows:
        ws.append([xlsx_cell(row.get(key)) for key in columns])
    widths = [display_width(h) for h in _header(columns, headers)]
    wrap = Alignment(wrap_text=True, vertical="top")
    for ws_row in ws.iter_rows(min_row=2):
        for i, c in enumerate(ws_row):
            # past MAX_WIDTH + 1 characters a text is wider than any column: not measured further
            text = str(c.value)
            width = max((display_width(p[:MAX_WIDTH + 1]) for p in text.split("\n")), default=0)
            if isinstance(c.value, str):
                c.data_type = "s"  # text, never a formula, even when it starts with "="
                if (display_width(text[:MAX_WIDTH + 1]) if "\n" in text else width) > MAX_WIDTH:
                    c.alignment = wrap
            widths[i] = max(widths[i], width)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    if notes:
        _notes_sheet(book, notes)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_chunks(rows: Iterable[Row], columns: Sequence[str], headers: Mapping[str, str] | None = None
                ) -> Iterator[bytes]:
    """`to_json` object by object, as they are written (a download streams them)."""
    del headers  # JSON keeps the keys
    first = True
    for row in rows:
        item = json.dumps({key: row.get(key) for key in columns}, ensure_ascii=False, indent=2)
        yield (("[\n" if first else ",\n") + textwrap.indent(item, "  ")).encode("utf-8")
        first = False
    yield b"[]" if first else b"\n]"


NOTES_SHEET = "说明"


def _notes_sheet(book: Workbook, notes: Sequence[tuple[str, str]]) -> None:
    """A sheet of (item, value) lines, as text, the item column bold."""
    ws = book.create_sheet(NOTES_SHEET)
    ws.append(["项目", "内容"])
    for item, value in notes:
        ws.append([xlsx_cell(item), xlsx_cell(value)])
    for row in ws.iter_rows():
        for c in row:
            c.data_type = "s"
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.column_dimensions["A"].width = max(MIN_WIDTH, max(display_width(i) for i, _ in notes) + 2)
    ws.column_dimensions["B"].width = MAX_WIDTH


def to_json(rows: Sequence[Row], columns: Sequence[str], headers: Mapping[str, str] | None = None) -> bytes:
    """A JSON array of objects with exactly the columns, in order (UTF-8, Chinese unescaped)."""
    return b"".join(json_chunks(rows, columns, headers))


def json_document_chunks(about: Mapping[str, Any], rows: Iterable[Row], columns: Sequence[str]) -> Iterator[bytes]:
    """A JSON object: the provenance (`about`: query, filters, exported_at, index …) and the `rows`
    (objects with exactly the columns, in order), written row by row (a download streams it)."""
    head = json.dumps({**about, "rows": []}, ensure_ascii=False, indent=2)
    yield head[:head.rindex("[]")].encode("utf-8")
    for chunk in json_chunks(rows, columns):
        yield textwrap.indent(chunk.decode("utf-8"), "  ").lstrip(" ").encode("utf-8")
    yield b"\n}"


def to_json_document(about: Mapping[str, Any], rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    """`json_document_chunks` in one piece."""
    return b"".join(json_document_chunks(about, rows, columns))


@dataclass(frozen=True)
class ExportFormat:
    """How one format is rendered and served."""

    name: str
    media_type: str
    extension: str
    render: Callable[[Sequence[Row], Sequence[str], Mapping[str, str] | None], bytes]
    chunks: Callable[[Iterable[Row], Sequence[str], Mapping[str, str] | None], Iterator[bytes]] | None = None


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", to_csv, csv_chunks),
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", to_xlsx
    ),
    "json": ExportFormat("json", "application/json", "json", to_json, json_chunks),
}


def _clean(value: Any) -> str:
    """A citation part on one line: whitespace runs → one space."""
    return " ".join(str(value).split()) if value not in (None, "") else ""


def citation(
    *,
    agency: str,
    year: int | None = None,
    title: str = "",
    section: str = "",
    published: str = "",
    source: str = "",
    file: str = "",
    doc_id: str = "",
    passage_id: str = "",
) -> str:
    """A one-line citation of a passage; parts that are unknown are left out.

    广州市某局：《2022年度行政许可实施和监督管理情况报告》，“一、基本情况”，2023-01-10，
    来源：https://…（文件 001_x.txt，段落 86886a773e152663-002）
    """
    agency, title, section = _clean(agency), _clean(title), _clean(section)
    named = f"《{title.replace('《', '〈').replace('》', '〉') or '报告'}》"  # a title inside a title: 〈〉
    parts = [f"{agency}：{named}" if agency else named]
    if year and str(year) not in title:
        parts.append(f"{year}年度")
    if section:
        parts.append(f"“{section}”")
    if published := _clean(published):
        parts.append(published)
    if source := _clean(source):
        parts.append(f"来源：{source}")
    where = [f"文件 {file}"] if (file := _clean(file)) else []
    doc_id, passage_id = _clean(doc_id), _clean(passage_id)
    if doc_id and not passage_id.startswith(doc_id):
        where.append(f"报告 {doc_id}")
    if passage_id:
        where.append(f"段落 {passage_id}")
    return "，".join(parts) + (f"（{'，'.join(where)}）" if where else "")

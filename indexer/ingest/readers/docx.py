"""Word (.docx) reports: paragraphs in order with their list numbers, heading styles as headings, tables as rows."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from indexer.config import MAX_COMPRESSION_RATIO, MAX_EXPANDED_MB
from indexer.ingest.readers.base import Extracted, ReadError, TextBuilder
from indexer.ingest.readers.numbering import Numbering

HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
BODY_OUTLINE_LEVEL = 9  # w:outlineLvl 9 is body text


def _outline_level(paragraph: Paragraph) -> int | None:
    """The heading level (from 1) that the paragraph, or its style chain, gives it."""
    styles = []
    style = paragraph.style
    while style is not None:
        if m := HEADING_STYLE.match(style.name or ""):
            return int(m.group(1))  # Heading 2, 标题 2
        styles.append(style.element)
        style = style.base_style
    for element in (paragraph._p, *styles):  # a custom style (公文二级标题) with an outline level
        ppr = element.find(qn("w:pPr"))
        found = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if found is not None:
            level = int(found.get(qn("w:val"), BODY_OUTLINE_LEVEL))
            return level + 1 if level < BODY_OUTLINE_LEVEL else None
    return None


def paragraph_text(paragraph: Paragraph) -> str:
    """All the text Word shows in a paragraph: runs, hyperlinks, fields, tracked insertions.

    (python-docx's `.text` leaves out runs inside w:ins; deleted text is w:delText, not w:t.)
    """
    parts = []
    for element in paragraph._p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        parts.append(element.text or "" if element.tag == qn("w:t") else " ")
    return "".join(parts)


def _table_rows(table: Table) -> list[str]:
    """One line per row, cells separated by two spaces (merged cells once)."""
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        if cells:
            rows.append("  ".join(cells))
    return rows


RATIO_FROM_BYTES = 2**20  # smaller members are not checked for their ratio (tiny XML compresses well)


def check_zip(data: bytes, label: str = "Word") -> None:
    """Refuse a zip bomb before anything is unzipped: every member's declared size (which bounds
    what zipfile will inflate) and compression ratio, and their sum."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise ReadError(f"{label} 文件已损坏或不完整，无法打开") from err
    total = sum(m.file_size for m in members)
    if total > MAX_EXPANDED_MB * 2**20:
        raise ReadError(f"{label} 文件解压后过大（{total / 2**20:.0f} MB，上限 {MAX_EXPANDED_MB} MB）")
    for m in members:
        if m.file_size > RATIO_FROM_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(1, m.compress_size):
            ratio = m.file_size // max(1, m.compress_size)
            raise ReadError(f"{label} 文件疑似压缩炸弹（{m.filename} 压缩比 {ratio}:1，"
                            f"上限 {MAX_COMPRESSION_RATIO}:1）")


def read_docx(data: bytes) -> Extracted:
    """A .docx report; raises ReadError if the file is not a complete Word document (or a zip bomb)."""
    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, PackageNotFoundError, etree.XMLSyntaxError) as err:
        raise ReadError(f"Word 文件已损坏或不完整，无法打开（{type(err).__name__}）") from err
    out = TextBuilder()
    numbering = Numbering(document)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for line in _table_rows(block):
                out.add(line)
            continue
        label = numbering.label(block)  # counted even on an empty paragraph, as Word does
        text = paragraph_text(block).strip()
        if not text:
            continue
        text = label + text
        level = _outline_level(block)
        if level is not None:
            out.heading(text, level)
        else:
            out.add(text)
    return out.build("docx")

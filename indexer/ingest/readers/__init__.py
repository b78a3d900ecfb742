"""One reader per file format, looked up by suffix: bytes → Extracted text and headings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexer.config import MAX_DOCUMENT_MB, MAX_TEXT_MB
from indexer.ingest.readers.base import Extracted, ReadError
from indexer.ingest.readers.docx import read_docx
from indexer.ingest.readers.html import read_html
from indexer.ingest.readers.pdf import read_pdf
from indexer.ingest.readers.text import read_markdown, read_text

__all__ = ["READERS", "Extracted", "ReadError", "Reader", "reader_for", "supported_suffixes"]


@dataclass(frozen=True)
class Reader:
    """How to read one format, and how large a file of it may be."""

    label: str  # the format's name in messages
    read: Callable[[bytes], Extracted]
    max_mb: int


_TEXT = Reader("文本", read_text, MAX_TEXT_MB)
_MARKDOWN = Reader("Markdown", read_markdown, MAX_TEXT_MB)
_HTML = Reader("网页", read_html, MAX_TEXT_MB)
READERS: dict[str, Reader] = {
    ".txt": _TEXT,
    ".text": _TEXT,
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    ".html": _HTML,
    ".htm": _HTML,
    ".docx": Reader("Word", read_docx, MAX_DOCUMENT_MB),
    ".pdf": Reader("PDF", read_pdf, MAX_DOCUMENT_MB),
}
HINTS = {".doc": "请另存为 .docx", ".wps": "请另存为 .docx", ".mht": "请另存为 .html",
         ".mhtml": "请另存为 .html"}


def supported_suffixes() -> str:
    return " ".join(READERS)


def reader_for(suffix: str) -> Reader:
    """The reader of a suffix (any case); raises ReadError naming the supported formats."""
    reader = READERS.get(suffix.lower())
    if reader is None:
        hint = HINTS.get(suffix.lower(), f"支持 {supported_suffixes()}")
        raise ReadError(f"不支持的文件格式 {suffix or '（无扩展名）'}（{hint}）")
    return reader

"""PDF reports through their text layer: page furniture dropped, wrapped lines rejoined.

A PDF prints a paragraph as lines the width of the page (and some place each character
apart, so that extraction puts spaces between them: dropped between Chinese characters); a line as wide as the widest
lines, not ending a sentence, continues on the next one. Page numbers ("- 3 -", "第3页
共9页") and running headers or footers repeated on most pages are not report text.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from collections import Counter

import pypdf
from pypdf.errors import DependencyError, LimitReachedError, PyPdfError
from pypdf.generic import NameObject

from indexer.config import MAX_PDF_PAGES, MAX_REPORT_CHARS, MAX_STREAM_MB
from indexer.ingest.conventions import DIGIT, LEVEL1, LEVEL2
from indexer.ingest.readers.base import Extracted, ReadError
from indexer.text.normalize import fold, is_word_char

PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·•]*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|page\s*\d+(?:\s*of\s*\d+)?)[\s\-—–－·•]*$",
    re.IGNORECASE,
)
CODESPACE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
SENTENCE_END = tuple("。！？；：」”’）!?;:")
MIN_TEXT_CHARS = 20  # fewer letters than this in the whole text layer: a scan
FULL_LINE = 0.85  # share of the usual line width from which a line runs on


def _width(line: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in line)


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines at the top or bottom of most pages (digits ignored): running headers/footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({re.sub(r"\d+", "#", line) for line in lines[:2] + lines[-2:]})
    need = max(2, round(0.6 * len(pages)))
    return {key for key, n in counts.items() if n >= need}


def _is_heading(line: str) -> bool:
    folded = fold(line)
    return bool(LEVEL1.match(folded) or LEVEL2.match(folded) or DIGIT.match(folded))


def reflow(lines: list[str]) -> list[str]:
    """Join the lines of a paragraph that the page width broke."""
    if not lines:
        return []
    widths = sorted(_width(line) for line in lines)
    full = widths[int(0.8 * (len(widths) - 1))]
    out: list[str] = []
    carry = False
    for line in lines:
        if carry and not _is_heading(line):
            words = out[-1][-1].isascii() and out[-1][-1].isalpha() and line[0].isascii() and line[0].isalpha()
            out[-1] += (" " if words else "") + line
        else:
            out.append(line)
        carry = _width(line) >= FULL_LINE * full and not line.endswith(SENTENCE_END)
    return out


def _two_byte_encodings(reader: pypdf.PdfReader) -> None:
    """Read an embedded 2-byte CMap encoding as Identity-H (pypdf reads its codes as 1 byte).

    Text extraction only needs the code length and the ToUnicode map; fpdf2 and others
    embed such CMaps for CID-keyed OpenType fonts (Noto CJK).
    """
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in fonts.get_object().values() if fonts is not None else ():
            font = ref.get_object()
            encoding = font.get("/Encoding")
            if font.get("/Subtype") != "/Type0" or encoding is None:
                continue
            stream = encoding.get_object()
            if isinstance(stream, NameObject) or not hasattr(stream, "get_data"):
                continue
            ranges = CODESPACE.findall(stream.get_data().split(b"endcodespacerange")[0])
            if ranges and all(len(lo) == len(hi) == 4 for lo, hi in ranges):
                font[NameObject("/Encoding")] = NameObject("/Identity-H")


# what one compressed stream may inflate to (pypdf raises past it): a decompression bomb stops there
LIMITED = ("zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
           "brotli_maximum_output_length", "jbig2_maximum_output_length",
           "array_based_stream_maximum_output_length", "maximum_declared_stream_length")


def _page_texts(reader: pypdf.PdfReader) -> list[str]:
    """Each page's text layer; ReadError past MAX_PDF_PAGES pages or MAX_REPORT_CHARS characters."""
    if len(reader.pages) > MAX_PDF_PAGES:
        raise ReadError(f"PDF 页数过多（{len(reader.pages)} 页，上限 {MAX_PDF_PAGES} 页）")
    texts, chars = [], 0
    for page in reader.pages:
        page.get_contents()  # inflated within the limits here: extract_text would swallow LimitReachedError
        texts.append((page.extract_text() or "").replace("\x00", ""))
        chars += len(texts[-1])
        if chars > MAX_REPORT_CHARS:
            raise ReadError(f"正文过长（超过 {MAX_REPORT_CHARS // 10000} 万字）")
    return texts


def read_pdf(data: bytes) -> Extracted:
    """A .pdf report's text; raises ReadError if it is cut off, locked, a bomb or has no text layer."""
    if b"%%EOF" not in data[-2048:]:
        raise ReadError("PDF 文件不完整（缺少文件结尾），可能下载中断")
    try:
        with pypdf.apply_configuration(**dict.fromkeys(LIMITED, MAX_STREAM_MB * 2**20)):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ReadError("PDF 已加密，无法读取文字")
            _two_byte_encodings(reader)
            raw_pages = _page_texts(reader)
    except ReadError:
        raise
    except LimitReachedError as err:
        raise ReadError(f"PDF 文件解压后过大（一个数据流超过 {MAX_STREAM_MB} MB），疑似压缩炸弹") from err
    except DependencyError as err:
        raise ReadError("PDF 使用 AES 加密，读取需要安装 cryptography 包") from err
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, zlib.error, struct.error, RecursionError) as err:
        # what pypdf raises on damaged files; the code around it is ours and surfaces its own errors
        raise ReadError(f"PDF 文件已损坏，无法读取（{type(err).__name__}）") from err
    pages = [[CJK_SPACE.sub("", " ".join(line.split())) for line in text.split("\n") if line.strip()]
             for text in raw_pages]
    furniture = _furniture(pages)
    lines = [line for page in pages for line in page
             if not PAGE_NUMBER.match(line) and re.sub(r"\d+", "#", line) not in furniture]
    if sum(1 for line in lines for ch in line if is_word_char(ch)) < MIN_TEXT_CHARS:
        raise ReadError("PDF 没有文字层（可能是扫描件）")
    return Extracted("\n".join(reflow(lines)), "pdf")

"""Find report files and decode them; a file that cannot be read raises ReadError."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".text")
MAX_FILE_BYTES = 20 * 1024 * 1024


class ReadError(Exception):
    """A source file could not be read; the message says why, in one line."""


@dataclass(frozen=True)
class SourceText:
    """A decoded source file."""

    path: Path
    text: str
    encoding: str
    digest: str  # sha256 of the bytes: the report's stable identity


def find_sources(dirs: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given folders (sorted, hidden files left out)."""
    for root in dirs:
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            raise ReadError(f"源目录不存在：{root}")
        for path in sorted(root.rglob("*")):
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(root).parts):
                yield path


def decode(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; else ReadError."""
    if not data.strip():
        raise ReadError("文件为空")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:4096] and not utf16:
        raise ReadError("不是文本文件（含二进制内容）")
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    raise ReadError("无法识别的编码（支持 UTF-8、GB18030/GBK）")


def _looks_like_text(text: str) -> bool:
    """Reject decodings full of control characters or private-use code points."""
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad <= max(2, len(sample) // 200)


def strip_markdown(text: str) -> str:
    """Turn Markdown headings and emphasis into plain report text."""
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", text)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def read_source(path: Path) -> SourceText:
    """Read one report file; raises ReadError with the reason."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReadError(f"不支持的文件格式 {path.suffix or '（无扩展名）'}（支持 .txt .md）")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(f"无法读取：{err.strerror}") from err
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"文件过大（{len(data) // 1024 // 1024} MB）")
    text, encoding = decode(data)
    if path.suffix.lower() in (".md", ".markdown"):
        text = strip_markdown(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path, text, encoding, hashlib.sha256(data).hexdigest())

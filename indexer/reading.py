"""Find report files and read them, one at a time, through the reader of their format.

A file is known by its path relative to the folder it was found in (通知.txt in two
subfolders are two reports), and by the hash of its bytes (the same bytes twice are one
report). A file that cannot be read becomes a SkippedFile with the reason, never a crash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .config import MAX_REPORT_CHARS
from .models import SkippedFile
from .readers import READERS, Reader, ReadError, reader_for
from .readers.encoding import decode

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "SourceText", "decode", "find_sources", "iter_sources",
           "read_source"]

SUPPORTED_SUFFIXES = tuple(READERS)


@dataclass(frozen=True)
class SourceText:
    """A source file as text, with the lines its format marked as headings."""

    path: Path
    name: str  # path relative to its source folder, with / separators: the file's identity
    text: str
    encoding: str
    digest: str  # sha256 of the bytes: the report's stable identity
    headings: Mapping[int, int] = field(default_factory=dict)  # line index → level 1..3


def _ignored(parts: tuple[str, ...]) -> bool:
    """Hidden files and folders, and Office lock files (~$报告.docx)."""
    return any(p.startswith(".") for p in parts) or parts[-1].startswith("~$")


def _sources(root: Path) -> Iterator[tuple[Path, str]]:
    if root.is_file():
        yield root, root.name
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not _ignored(relative.parts):
            yield path, relative.as_posix()


def find_sources(dirs: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given folders (sorted, hidden files left out)."""
    for root in _checked(dirs):
        for path, _ in _sources(root):
            yield path


def _checked(dirs: Iterable[Path]) -> list[Path]:
    roots = [Path(d) for d in dirs]
    for root in roots:
        if not root.exists():
            raise ReadError(f"源目录不存在：{root}")
    return roots


def _load(path: Path) -> tuple[Reader, bytes]:
    """The reader of a file and its bytes; raises ReadError (unknown format, too large, empty)."""
    reader = reader_for(path.suffix)
    try:
        size = path.stat().st_size
        if size > reader.max_mb * 1024 * 1024:
            raise ReadError(f"文件过大（{size / 1024 / 1024:.0f} MB，{reader.label}文件上限 {reader.max_mb} MB）")
        data = path.read_bytes()
    except PermissionError as err:
        raise ReadError("无法读取：没有读取权限") from err
    except OSError as err:
        raise ReadError(f"无法读取：{err.strerror or type(err).__name__}") from err
    if not data.strip():
        raise ReadError("文件为空")
    return reader, data


def _extract(path: Path, name: str, reader: Reader, data: bytes, digest: str) -> SourceText:
    try:
        extracted = reader.read(data)
    except ReadError:
        raise
    except Exception as err:  # noqa: BLE001 - a parser library's own error on a broken file
        raise ReadError(f"{reader.label}文件无法解析（{type(err).__name__}）") from err
    if len(extracted.text) > MAX_REPORT_CHARS:
        raise ReadError(f"正文过长（{len(extracted.text) // 10000} 万字，上限 {MAX_REPORT_CHARS // 10000} 万字）")
    return SourceText(path, name, extracted.text, extracted.encoding, digest, extracted.headings)


def read_source(path: Path, name: str = "") -> SourceText:
    """Read one report file; raises ReadError with the reason."""
    reader, data = _load(path)
    return _extract(path, name or path.name, reader, data, hashlib.sha256(data).hexdigest())


def iter_sources(dirs: Iterable[Path]) -> Iterator[SourceText | SkippedFile]:
    """Each file under `dirs`, read, or skipped with its reason, one at a time.

    A repeat of bytes already seen names its first copy and is not parsed again. A missing
    folder raises ReadError at once, before anything is read.
    """
    roots = _checked(dirs)

    def stream() -> Iterator[SourceText | SkippedFile]:
        seen: dict[str, str] = {}
        for root in roots:
            for path, name in _sources(root):
                try:
                    reader, data = _load(path)
                    digest = hashlib.sha256(data).hexdigest()
                    if digest in seen:
                        yield SkippedFile(name, f"与 {seen[digest]} 内容相同，未重复索引")
                        continue
                    source = _extract(path, name, reader, data, digest)
                except ReadError as err:
                    yield SkippedFile(name, str(err))
                    continue
                seen[digest] = name
                yield source

    return stream()

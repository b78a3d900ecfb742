"""Find report files and read them, one at a time, through the reader of their format.

A file is known by its path relative to the folder it was found in (通知.txt in two
subfolders are two reports), and by the hash of its bytes (the same bytes twice are one
report). A file that cannot be read becomes a SkippedFile with the reason, never a crash.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat as stat_kind
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.config import CORRECTIONS_FILE, MAX_REPORT_CHARS
from indexer.ingest.readers import READERS, Reader, ReadError, reader_for
from indexer.ingest.readers.encoding import decode
from indexer.models import SkippedFile, printable_name

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "SourceText", "decode", "find_sources", "iter_sources",
           "list_sources", "read_changed", "read_source", "file_stamp", "Unchanged"]

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
    stamp: str = ""  # size, mtime, ctime and inode when read (see file_stamp)


def _ignored(parts: tuple[str, ...]) -> bool:
    """Hidden files and folders, and Office lock files (~$报告.docx)."""
    return any(p.startswith(".") for p in parts) or parts[-1].startswith("~$")


def _walk(folder: Path) -> Iterator[Path]:
    """Every entry under `folder` that is not a folder (links to folders are entries: not followed)."""
    try:
        with os.scandir(folder) as entries:
            found = list(entries)
    except OSError:
        return  # an unreadable subfolder: nothing in it is listed
    for entry in found:
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith("."):
                yield from _walk(Path(entry.path))
        else:
            yield Path(entry.path)


def _sources(root: Path) -> Iterator[tuple[Path, str]]:
    """The entries under `root` with their relative names, sorted; links, pipes and devices included
    (reading names each with its reason)."""
    if root.is_file():
        yield root, root.name
        return
    listed = sorted((path.relative_to(root).parts, path) for path in _walk(root))
    for parts, path in listed:
        if not _ignored(parts) and "/".join(parts) != CORRECTIONS_FILE:
            yield path, "/".join(parts)  # metadata.csv holds corrections, not a report


KINDS = ((stat_kind.S_ISFIFO, "命名管道（FIFO）"), (stat_kind.S_ISCHR, "字符设备文件"),
         (stat_kind.S_ISBLK, "块设备文件"), (stat_kind.S_ISSOCK, "套接字"), (stat_kind.S_ISDIR, "文件夹"))


def refusal(path: Path, name: str = "") -> str | None:
    """Why an entry is not read as a report (None if it is a regular file it may read): a name
    that is not UTF-8, a pipe, a device, a link to a folder, a broken link or a loop, or a link
    out of its source folder (`name` is the path relative to that folder)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "文件名不是有效的 UTF-8 编码，请重命名"
    link = path.is_symlink()
    try:
        mode = path.stat().st_mode
    except OSError as err:
        if link:
            return "链接循环" if err.errno == errno.ELOOP else "链接指向的文件不存在"
        return None  # reading says why
    kind = next((label for test, label in KINDS if test(mode)), None)
    if kind is not None:
        return f"指向{kind}的链接，未跟随" if link else f"不是普通文件：{kind}"
    if link and name:
        root = path.parents[name.count("/")]
        if not path.resolve().is_relative_to(root.resolve()):
            return "链接指向源目录之外的文件，未索引（请复制文件到源目录）"
    return None


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


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def file_stamp(path: Path) -> str:
    """What the file system says of a file: the same stamp means the same bytes ("" if unknown).

    Any write, replacement or rename changes the ctime or the inode, which no tool can set back.
    """
    try:
        return _stamp(path.stat())
    except OSError:
        return ""


def _load(path: Path, name: str = "") -> tuple[Reader, bytes, str]:
    """The reader of a file, its bytes and its stamp; raises ReadError (not a regular file in its
    source folder, unknown format, too large, empty)."""
    if (refused := refusal(path, name)) is not None:
        raise ReadError(refused)
    reader = reader_for(path.suffix)
    try:
        stat = path.stat()
        size = stat.st_size
        if size > reader.max_mb * 1024 * 1024:
            raise ReadError(f"文件过大（{size / 1024 / 1024:.0f} MB，{reader.label}文件上限 {reader.max_mb} MB）")
        data = path.read_bytes()
    except PermissionError as err:
        raise ReadError("无法读取：没有读取权限") from err
    except OSError as err:
        raise ReadError(f"无法读取：{err.strerror or type(err).__name__}") from err
    if not data.strip():
        raise ReadError("文件为空")
    return reader, data, _stamp(stat)


def _extract(path: Path, name: str, reader: Reader, data: bytes, digest: str, stamp: str = "") -> SourceText:
    extracted = reader.read(data)  # a reader turns its library's errors on a broken file into ReadError
    if len(extracted.text) > MAX_REPORT_CHARS:
        raise ReadError(f"正文过长（{len(extracted.text) // 10000} 万字，上限 {MAX_REPORT_CHARS // 10000} 万字）")
    return SourceText(path, name, extracted.text, extracted.encoding, digest, extracted.headings, stamp)


def read_source(path: Path, name: str = "") -> SourceText:
    """Read one report file; raises ReadError with the reason."""
    reader, data, stamp = _load(path, name)
    return _extract(path, name or path.name, reader, data, hashlib.sha256(data).hexdigest(), stamp)


@dataclass(frozen=True)
class Unchanged:
    """An indexed file whose bytes are what the index holds: neither parsed nor re-indexed."""

    name: str
    digest: str
    stamp: str = ""  # the file's stamp now (it may differ from the one held: touched, copied back)


def list_sources(dirs: Iterable[Path]) -> list[tuple[Path, str]]:
    """Every file under `dirs` with its relative name (sorted); a missing folder raises ReadError."""
    return [item for root in _checked(dirs) for item in _sources(root)]


def iter_sources(dirs: Iterable[Path]) -> Iterator[SourceText | SkippedFile]:
    """Each file under `dirs`, read, or skipped with its reason, one at a time.

    A repeat of bytes already seen names its first copy and is not parsed again. A missing
    folder raises ReadError at once, before anything is read.
    """
    return read_changed(list_sources(dirs))  # type: ignore[return-value]


def _digest(path: Path, name: str, held: tuple[str, str]) -> tuple[str | None, str]:
    """The file's sha256 and stamp: the sha256 held if so is the stamp (not even read), else hashed."""
    stamp = file_stamp(path)
    if held[1] and stamp == held[1] and refusal(path, name) is None:
        return held[0], stamp
    try:
        return hashlib.sha256(_load(path, name)[1]).hexdigest(), stamp
    except ReadError:
        return None, stamp


def read_changed(files: Sequence[tuple[Path, str]], indexed: Mapping[str, tuple[str, str]] | None = None,
                 kept: Mapping[str, str] | None = None) -> Iterator[SourceText | SkippedFile | Unchanged]:
    """Read `files` (path, name) except those whose bytes the index already holds.

    `indexed` maps names among `files` to the (digest, stamp) the index holds for them; such a
    file with the same stamp, or else the same bytes, is Unchanged (never parsed). `kept` maps
    the names the index keeps whatever happens to their digests: their bytes under a new name
    are a repeat.
    """
    indexed, kept = indexed or {}, kept or {}

    def stream() -> Iterator[SourceText | SkippedFile | Unchanged]:
        known = {name: _digest(path, name, indexed[name]) for path, name in files if name in indexed}
        seen = {digest: name for name, digest in kept.items()}
        seen.update({d: n for n, (d, _) in known.items() if d is not None and indexed[n][0] == d})
        names: set[str] = set()
        for path, name in files:
            if name in names:
                yield SkippedFile(printable_name(name), "与另一源目录中的文件同名，未重复索引")
                continue
            names.add(name)
            if name in known and known[name][0] == indexed[name][0]:
                yield Unchanged(name, indexed[name][0], known[name][1])
                continue
            try:
                reader, data, stamp = _load(path, name)
                digest = hashlib.sha256(data).hexdigest()
                if digest in seen:
                    yield SkippedFile(printable_name(name), f"与 {printable_name(seen[digest])} 内容相同，未重复索引")
                    continue
                source = _extract(path, name, reader, data, digest, stamp)
            except ReadError as err:
                yield SkippedFile(printable_name(name), str(err))
                continue
            seen[digest] = name
            yield source

    return stream()

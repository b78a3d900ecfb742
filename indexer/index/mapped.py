"""Files of a generation that are mapped, not read: numpy arrays and string tables.

    gen-…/m.<name>.npy         one array, opened with mmap_mode="r"
    gen-…/m.<name>.bin + .npy  a string table: UTF-8 bytes, and offsets (n + 1, int64)

Everything a search needs beyond the catalog is written in this form when a generation is
built or updated (`indexer.search.prepared`), so that opening one maps files and decodes
nothing: the pages are read when a query touches them and are shared by every process that
maps the same file.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

PREFIX = "m."  # every mapped file of a generation starts with this


def array_path(folder: Path, name: str) -> Path:
    return folder / f"{PREFIX}{name}.npy"


def save_array(folder: Path, name: str, values: np.ndarray) -> None:
    """Write one array (replacing an older one: a clone of a generation holds copies)."""
    path = array_path(folder, name)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, np.ascontiguousarray(values))
    os.replace(tmp, path)


def load_array(folder: Path, name: str) -> np.ndarray:
    """One array, mapped read-only (an empty array cannot be mapped: it is read)."""
    path = array_path(folder, name)
    try:
        return np.load(path, mmap_mode="r")
    except ValueError:  # numpy cannot map a zero-length file region
        return np.load(path)


def _map(path: Path, readahead: bool = False) -> mmap.mmap | bytes:
    """A file mapped read-only; `readahead`: ask the kernel to read it in the background (the open
    does not wait) so that the first scan does not wait on the disk page by page."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if readahead and hasattr(mapped, "madvise"):
        mapped.madvise(mmap.MADV_WILLNEED)
    return mapped


def save_strings(folder: Path, name: str, values: Sequence[str]) -> None:
    """A string table: the values' UTF-8 bytes end to end, and where each starts."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    path = folder / f"{PREFIX}{name}.bin"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(b"".join(encoded))
    os.replace(tmp, path)
    save_array(folder, name, offsets)


class Strings(Sequence[str]):
    """A mapped string table (or any UTF-8 buffer with start/end spans per item)."""

    def __init__(self, buffer: mmap.mmap | bytes, starts: np.ndarray, ends: np.ndarray) -> None:
        self.buffer, self.starts, self.ends = buffer, starts, ends

    @classmethod
    def open(cls, folder: Path, name: str) -> Strings:
        offsets = load_array(folder, name)
        return cls(_map(folder / f"{PREFIX}{name}.bin"), offsets[:-1], offsets[1:])

    @classmethod
    def spans(cls, path: Path, spans: np.ndarray) -> Strings:
        """Items of a file given as (start, end) byte spans, one row each (read ahead in the background)."""
        return cls(_map(path, readahead=True), spans[:, 0], spans[:, 1])

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        return self.buffer[int(self.starts[i]):int(self.ends[i])].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self[i]

    def holding(self, key: str) -> np.ndarray:
        """The items (sorted, distinct) whose text holds `key`: one search over the whole buffer.

        Only for tables whose items are stored end to end (a string table).
        """
        needle = key.encode("utf-8")
        if not needle:
            return np.empty(0, dtype=np.int64)
        found: list[int] = []
        find = self.buffer.find
        at = find(needle)
        while at >= 0:
            found.append(at)
            at = find(needle, at + 1)
        if not found:
            return np.empty(0, dtype=np.int64)
        positions = np.array(found, dtype=np.int64)
        items = np.searchsorted(self.starts, positions, side="right") - 1
        inside = positions + len(needle) <= self.ends[items]  # not across two items
        return np.unique(items[inside])

    def close(self) -> None:
        if isinstance(self.buffer, mmap.mmap):
            self.buffer.close()


def record_spans(path: Path, separator: bytes, alive: np.ndarray) -> np.ndarray:
    """(start, end) byte spans of the records of a file ending each with `separator`;
    dead records get an empty span (they match nothing)."""
    buffer = _map(path)
    view = np.frombuffer(buffer, dtype=np.uint8)
    ends = np.flatnonzero(view == separator[0])
    del view  # a mapped buffer cannot be closed while an array looks at it
    if isinstance(buffer, mmap.mmap):
        buffer.close()
    if len(ends) != len(alive):
        raise ValueError(f"{path}: {len(ends)} records for {len(alive)} rows")
    starts = np.r_[0, ends[:-1] + 1].astype(np.int64)
    spans = np.stack([starts, ends.astype(np.int64)], axis=1)
    spans[~alive.astype(bool), 1] = spans[~alive.astype(bool), 0]
    return spans

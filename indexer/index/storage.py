"""The on-disk index: generations swapped atomically, one writer at a time.

    index_dir/CURRENT          name of the live generation (replaced with os.replace)
    index_dir/gen-…/           a complete generation: whoosh postings + catalog (see catalog.py)

A build writes a new generation beside the live one and only then points CURRENT at it,
so a crash (even kill -9) mid-build leaves the previous index untouched; readers keep
searching the generation they opened. Leftover partial generations are removed by the
next writer. An update starts as a clone of the live generation: the postings' segment
files, immutable once written, are hard-linked, the rest is copied.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

CURRENT = "CURRENT"
COMPLETE = "manifest.json"  # written last: a generation without it is partial
LOCK = "BUILD.lock"
READERS = "readers.lock"  # in each generation: shared-locked by every open index, so it is not removed
IMMUTABLE_SUFFIXES = (".seg", ".toc", ".pst", ".trm", ".col")  # whoosh segments (compound or in parts) and
# tables of contents: never rewritten
KEEP_PREVIOUS = 1  # older generations kept for searchers still reading them


_HELD_LOCKS: set[int] = set()  # descriptors of the write locks this process holds


def _drop_inherited_locks() -> None:
    """In a forked child (a whoosh writer process): close the copies of the parent's write-lock
    descriptors, so that the lock dies with the parent even if the child outlives it."""
    for fd in list(_HELD_LOCKS):
        with suppress(OSError):
            os.close(fd)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


class IndexMissing(Exception):
    """There is no built index at the given place."""


class IndexDamaged(IndexMissing):
    """The live generation is damaged (a file missing, cut short or changed): `build` rebuilds it."""


class IndexBusy(Exception):
    """Another build holds the write lock."""


GENERATION_NAME = re.compile(r"gen-[\w-]{1,80}")


def current_generation(index_dir: Path) -> str | None:
    """Name of the live generation, or None if there is none (or CURRENT holds no generation's name:
    damaged, which a build repairs by writing a new one)."""
    try:
        name = (index_dir / CURRENT).read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if GENERATION_NAME.fullmatch(name) else None


def previous_generations(index_dir: Path) -> list[Path]:
    """The complete generations other than the live one, newest first (what a reader falls back on)."""
    live = current_generation(index_dir)
    found = [p for p in index_dir.glob("gen-*") if p.name != live and (p / COMPLETE).exists()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's single-writer lock; raises IndexBusy if a build is running."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the kernel when the holder dies
        except BlockingIOError as err:
            raise IndexBusy(f"另一个索引构建正在进行：{index_dir}") from err
        _HELD_LOCKS.add(handle.fileno())
        try:
            yield
        finally:
            _HELD_LOCKS.discard(handle.fileno())
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_generation(index_dir: Path) -> Path:
    """A fresh, empty generation folder (not yet live)."""
    path = index_dir / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    path.mkdir(parents=True)
    return path


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, generation: Path) -> None:
    """Flush the complete `generation` to disk, then make it live in one atomic rename."""
    (generation / READERS).touch()
    for file in generation.iterdir():
        with open(file, "rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(generation)
    tmp = index_dir / f"{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(generation.name)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


def remove_old_generations(index_dir: Path) -> None:
    """Delete partial generations and all but the newest KEEP_PREVIOUS old ones."""
    live = current_generation(index_dir)
    old = sorted((p for p in index_dir.glob("gen-*") if p.name != live), key=lambda p: p.stat().st_mtime)
    complete = [p for p in old if (p / COMPLETE).exists()]
    keep = set(complete[-KEEP_PREVIOUS:]) if KEEP_PREVIOUS else set()
    for path in old:
        if path in keep:
            continue
        try:
            handle = open(path / READERS, "rb")  # noqa: SIM115 - held while the folder is removed
        except OSError:  # a partial generation: nobody reads it
            shutil.rmtree(path, ignore_errors=True)
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # an open index still reads it: the next writer will try again
            shutil.rmtree(path, ignore_errors=True)


def hold_generation(generation: Path) -> int:
    """Keep `generation` from being removed while it is open (a shared lock; never waits).

    Returns the descriptor to close when done; FileNotFoundError if it is gone or going.
    """
    fd = os.open(generation / READERS, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise FileNotFoundError(f"being removed: {generation}") from None
    return fd


def clone_generation(source: Path, target: Path, skip: Collection[str] = (COMPLETE,)) -> None:
    """Fill the empty folder `target` with `source`'s files: immutable ones linked, the rest copied."""
    for file in source.iterdir():
        if file.name in skip or file.name.lower().endswith("lock") or not file.is_file():
            continue
        if file.suffix in IMMUTABLE_SUFFIXES:
            try:
                os.link(file, target / file.name)
                continue
            except OSError:  # a file system without hard links
                pass
        shutil.copyfile(file, target / file.name)

"""The live generation of an index folder, swapped off the request path.

    live = LiveIndex(index_dir)          # opens the live generation (the only open a caller waits for)
    live.start()                         # a background thread watches CURRENT
    with live.use() as index: …          # a request holds one generation from start to end
    lease = live.acquire(); …; lease.release()   # the same, for frameworks with teardown hooks

When a build or an update publishes a new generation, the watcher opens it, warms it (the
empty query with its facets, then the queries the old one answered last) and swaps it in
atomically; requests that started on the old one finish on it, and the old one is closed when
the last of them ends. No request ever opens a generation. Knows nothing of Flask.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.index.storage import current_generation
from indexer.search.searchindex import SearchIndex, open_index

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5  # how often the watcher reads CURRENT (one small file)


class Lease:
    """One request's hold on a generation: `index` stays open until `release()`."""

    def __init__(self, slot: _Slot) -> None:
        self._slot = slot
        self.index = slot.index
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._slot.leave()


class _Slot:
    """An opened generation with its count of running requests; closed once retired and idle."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.users = 0
        self.retired = False
        self._lock = threading.Lock()

    def enter(self) -> Lease:
        with self._lock:
            self.users += 1
        return Lease(self)

    def leave(self) -> None:
        with self._lock:
            self.users -= 1
            done = self.retired and self.users == 0
        if done:
            self.index.close()

    def retire(self) -> None:
        with self._lock:
            self.retired = True
            done = self.users == 0
        if done:
            self.index.close()


class LiveIndex:
    """The live generation of `index_dir`, replaced in the background when a newer one is published."""

    def __init__(self, index_dir: Path, opener: Callable[[Path], SearchIndex] = open_index,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.path = index_dir
        self._open = opener
        self._poll = poll_seconds
        self._lock = threading.Lock()
        self._slot = _Slot(opener(index_dir))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.swaps = 0

    @property
    def generation(self) -> str:
        return self._slot.index.generation

    def acquire(self) -> Lease:
        """Hold the live generation (release the lease when the request ends)."""
        with self._lock:
            return self._slot.enter()

    @contextmanager
    def use(self) -> Iterator[SearchIndex]:
        lease = self.acquire()
        try:
            yield lease.index
        finally:
            lease.release()

    def refresh(self) -> bool:
        """Open, warm and swap in the newest generation if CURRENT names another one; True if swapped."""
        live = self._slot.index
        newest = current_generation(self.path)
        if newest is None or newest == live.serves_for:  # (a previous generation may stand in for a damaged one)
            return False
        fresh = self._open(self.path)
        fresh.warm(live.recent_queries())
        with self._lock:
            old, self._slot = self._slot, _Slot(fresh)
            self.swaps += 1
        old.retire()
        return True

    def start(self) -> LiveIndex:
        """Watch for new generations in a daemon thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="index-watcher", daemon=True)
            self._thread.start()
        return self

    def _watch(self) -> None:
        with self.use() as index:  # the first generation too is warmed off the request path
            try:
                index.warm()
            except Exception:  # a damaged part shows in the requests that touch it
                log.exception("could not warm %s", index.generation)
        while not self._stop.wait(self._poll):
            try:
                self.refresh()
            except Exception:  # a half-written or removed generation: the live one keeps answering
                log.exception("could not open the new generation of %s; retrying", self.path)
                self._stop.wait(max(self._poll, 5.0))

    def close(self) -> None:
        """Stop watching; the live generation is closed once its requests end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._slot.retire()

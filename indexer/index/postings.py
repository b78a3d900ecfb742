"""The postings store: whoosh holds, for every row (section), the distinct ideograph pairs of its
search text, existence only, and the row number. This module and the two writers (`build.py`,
`update.py`) are the only code that imports whoosh.

``BigramSetTokenizer`` is pickled into the index schema: keep this module path and the class
name stable (moving them needs a rebuild and a FORMAT bump in `catalog.py`).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import fields, formats
from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer

from indexer.index.mapped import load_array, save_array
from indexer.text.analysis import han_bigrams

GRAMS, ROW = "grams", "row"  # the whoosh fields
ROW_MAP = "row_of_docnum"  # a mapped array (indexer.index.mapped)
INTERSECT_RATIO = 4  # a bigram list this many times longer than the candidates is not decoded
CACHE_ITEMS = 16_000_000  # array elements held by each cache (~64-128 MB), least recently used dropped


class BigramSetTokenizer(Tokenizer):
    """Each distinct bigram of a search text once: an existence-only whoosh field."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,  # noqa: PLR0913
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for gram in sorted(han_bigrams(value) if tokenize else {value}):
            token.text, token.boost, token.stopped = gram, 1.0, False
            yield token


def build_schema() -> fields.Schema:
    """The whoosh part of a generation: each row's distinct bigrams, and the row number."""
    return fields.Schema(**{
        GRAMS: fields.FieldType(formats.Existence(), BigramSetTokenizer(), scorable=False),  # type: ignore[arg-type]
        ROW: fields.NUMERIC(sortable=True),
    })


class SizedCache:
    """A thread-safe LRU cache of numpy arrays bounded by their total number of elements."""

    def __init__(self, limit: int = CACHE_ITEMS) -> None:
        self.limit, self.size = limit, 0
        self._items: OrderedDict[str, tuple[np.ndarray, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[np.ndarray, ...] | None:
        with self._lock:
            if (hit := self._items.get(key)) is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, value: tuple[np.ndarray, ...]) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.size += sum(len(a) for a in value)
            while self.size > self.limit and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self.size -= sum(len(a) for a in dropped)




def write_row_map(folder: Path) -> None:
    """Save the row of every whoosh document number (after the writer committed: an update renumbers)."""
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            save_array(folder, ROW_MAP, np.array(list(reader.column_reader(ROW)), dtype=np.int32))
    finally:
        ix.close()


class Postings:
    """Candidate rows of a term from the whoosh bigram field (decoded arrays cached)."""

    def __init__(self, folder: Path) -> None:
        self._ix = whoosh_index.open_dir(str(folder))
        self.reader = self._ix.reader()
        self.field = GRAMS
        self.row_of_docnum = load_array(folder, ROW_MAP)  # written at build time: write_row_map
        self._lock = threading.Lock()  # a whoosh reader is not safe across threads
        self._cache = SizedCache()
        self._closer = weakref.finalize(self, _close, self.reader, self._ix)  # by close(), or when collected

    def rows(self, gram: str) -> np.ndarray:
        """Sorted rows whose search text holds `gram`."""
        if (hit := self._cache.get(gram)) is not None:
            return hit[0]
        with self._lock:
            if (self.field, gram) in self.reader:  # type: ignore[operator]
                ids = np.fromiter(self.reader.postings(self.field, gram).all_ids(), dtype=np.int64)
                rows = np.sort(self.row_of_docnum[ids])
            else:
                rows = np.empty(0, dtype=np.int32)
        self._cache.put(gram, (rows,))
        return rows

    def doc_frequency(self, gram: str) -> int:
        """How many rows hold `gram` (read from the term table: nothing decoded)."""
        if (hit := self._cache.get(gram)) is not None:
            return len(hit[0])
        with self._lock:
            return int(self.reader.doc_frequency(self.field, gram))

    def candidates(self, key: str) -> np.ndarray | None:
        """Rows that may hold `key` (None: any row may): the rows of its rarest bigram, intersected
        with the next rarest while that list is short enough to be worth decoding (a longer one would
        cost more to decode than the texts it rules out cost to verify)."""
        grams = sorted(han_bigrams(key), key=lambda g: (self.doc_frequency(g), g))
        if not grams:
            return None
        rows = self.rows(grams[0])
        for gram in grams[1:]:
            if not len(rows) or self.doc_frequency(gram) > INTERSECT_RATIO * len(rows):
                break
            rows = np.intersect1d(rows, self.rows(gram), assume_unique=True)
        return rows

    def frequent(self, min_rows: float) -> list[str]:
        """The bigrams held by more than `min_rows` rows, most frequent first (one pass over the term table)."""
        with self._lock:
            found = [(df, gram) for gram in self.reader.lexicon(self.field)
                     if (df := self.reader.doc_frequency(self.field, gram)) > min_rows]
        return [g.decode("utf-8") if isinstance(g, bytes) else g for _, g in sorted(found, reverse=True)]

    def close(self) -> None:
        self._closer()


def _close(reader: Any, ix: Any) -> None:
    reader.close()  # the segment files are open files (not compound): close them
    ix.close()

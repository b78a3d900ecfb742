"""Exact occurrence counts of a term over a generation's mapped search texts, boilerplate discounted.

The search texts are one UTF-8 buffer (`search.txt`, mapped) with each row's byte span; the
boilerplate lines (`boilerplate.py`) are byte spans into the same buffer with their weights,
found when the generation was built. A term is located once, as byte positions, either inside
its candidate rows (from the bigram postings: a selective term) or over the whole buffer (a
term whose rarest bigram is in more than SCAN_SHARE of the rows: decoding and intersecting
its postings would cost more than reading the text). Each position then gives its row (the
count) and its line's weight (the discount), with numpy. Counting is non-overlapping, as
`str.count` counts: an occurrence never spans two lines or two rows. The bigrams so frequent
that they would need a whole scan are counted when the generation is built (`prepared.py`)
and read from mapped arrays.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from indexer.text.analysis import han_bigrams

SCAN_SHARE = 0.2  # a term whose every bigram is in more than this share of the rows is found by one scan


@dataclass(frozen=True)
class TextScan:
    """Occurrences of terms in the rows of one generation."""

    buffer: mmap.mmap | bytes
    starts: np.ndarray  # per row: its byte span (dead rows: empty)
    ends: np.ndarray
    line_starts: np.ndarray  # demoted lines, sorted: byte spans and weights
    line_ends: np.ndarray
    line_weights: np.ndarray
    doc_frequency: Callable[[str], int]  # rows holding a bigram (cheap: no posting decoded)
    candidates: Callable[[str], np.ndarray | None]  # rows that may hold a term (sorted), None: any
    stored: Mapping[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # counted at build time

    def occurrences(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding `key` (sorted) and how often, occurrences in boilerplate lines discounted."""
        if (counted := self.stored.get(key)) is not None:
            return counted
        needle = key.encode("utf-8")
        if not needle:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
        grams = han_bigrams(key)
        rare = min((self.doc_frequency(g) for g in grams), default=len(self.starts))
        if rare > SCAN_SHARE * len(self.starts):
            positions = self._scan(needle, 0, len(self.buffer))
        else:
            rows = self.candidates(key)
            positions = self._scan_rows(needle, rows) if rows is not None else self._scan(needle, 0, len(self.buffer))
        return self._count(positions, len(needle))

    def _scan(self, needle: bytes, start: int, end: int) -> list[int]:
        found: list[int] = []
        find, step = self.buffer.find, len(needle)
        at = find(needle, start, end)
        while at >= 0:
            found.append(at)
            at = find(needle, at + step, end)
        return found

    def _scan_rows(self, needle: bytes, rows: np.ndarray) -> list[int]:
        found: list[int] = []
        find, step = self.buffer.find, len(needle)
        for start, end in zip(self.starts[rows].tolist(), self.ends[rows].tolist(), strict=True):
            at = find(needle, start, end)
            while at >= 0:
                found.append(at)
                at = find(needle, at + step, end)
        return found

    def _count(self, found: list[int], width: int) -> tuple[np.ndarray, np.ndarray]:
        if not found:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
        positions = np.array(found, dtype=np.int64)
        row = np.searchsorted(self.starts, positions, side="right") - 1
        inside = positions + width <= self.ends[row]  # not in a dead row's old text
        positions, row = positions[inside], row[inside]
        weight = np.ones(len(positions), dtype=np.float32)
        if len(self.line_starts):
            line = np.searchsorted(self.line_starts, positions, side="right") - 1
            demoted = (line >= 0) & (positions + width <= self.line_ends[np.maximum(line, 0)])
            weight[demoted] = self.line_weights[line[demoted]]
        rows, first = np.unique(row, return_index=True)
        tf = np.add.reduceat(weight, first) if len(first) else weight
        return rows.astype(np.int32), tf.astype(np.float32)

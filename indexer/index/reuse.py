"""Text reuse: passages repeated across reports, found at build time with shingles and MinHash.

    gen-…/reuse_signatures.npy  per row: REUSE_PERMUTATIONS minimum hashes (uint32) of its
                                character shingles (all 0: too short to say, or not computed)
    gen-…/reuse_clusters.npy    per row: a candidate group (int32; -1 alone): rows that share a
                                band of their signatures and agree on ≥ REUSE_SIMILARITY of it

A passage's text is folded (compact) with every number written 0, so a copy whose figures were
changed is the same text; its shingles are the REUSE_SHINGLE-character substrings, and the
similarity of two passages is the Jaccard similarity of their shingle sets, estimated by the
share of equal minimum hashes. Locality-sensitive hashing (REUSE_BANDS bands) proposes pairs;
each proposal is checked on the whole signature; groups are the connected pairs. A lookup
(`ReuseTable.copies`) re-checks every member of a group against the passage itself, so a chain
A~B~C never makes C a copy of A. An update computes the signatures of its new rows only and
regroups every row (numpy, a second at 10k reports); dead rows stay in groups and are dropped
at lookup. Pure numpy: no index library (only this stage may import whoosh; reuse needs none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from indexer.config import REUSE_BANDS, REUSE_MIN_CHARS, REUSE_PERMUTATIONS, REUSE_SHINGLE, REUSE_SIMILARITY
from indexer.models import Report
from indexer.text.normalize import compact

SIGNATURES = "reuse_signatures.npy"
CLUSTERS = "reuse_clusters.npy"
DIGITS = re.compile(r"\d+")
_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20261202)  # fixed: signatures of two builds must agree
_A = _rng.integers(1, 2**61, REUSE_PERMUTATIONS, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.integers(0, 2**61, REUSE_PERMUTATIONS, dtype=np.uint64)
_BASE = np.uint64(0x9E3779B97F4A7C15)
BATCH_CHARS = 2_000_000  # characters hashed at once (bounds the memory: ~16 bytes a character)


def reuse_text(body: str) -> str:
    """What a passage is compared by: folded word characters, every number written 0."""
    return DIGITS.sub("0", compact(body))


def _shingle_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """A 64-bit hash of each k-character window of `codes` (uint64 arithmetic wraps)."""
    h = np.zeros(len(codes) - k + 1, dtype=np.uint64)
    for j in range(k):
        h = h * _BASE + codes[j:len(codes) - k + 1 + j]
    return h ^ (h >> np.uint64(29))


def signatures(texts: Sequence[str], k: int = REUSE_SHINGLE, permutations: int = REUSE_PERMUTATIONS,
               min_chars: int = REUSE_MIN_CHARS) -> np.ndarray:
    """The MinHash signature of each text (rows of uint32; all 0 for a text shorter than `min_chars`)."""
    out = np.zeros((len(texts), permutations), dtype=np.uint32)
    batch: list[int] = []
    size = 0
    for i, text in enumerate(texts):
        if len(text) >= max(min_chars, k):
            batch.append(i)
            size += len(text)
        if batch and (size >= BATCH_CHARS or i == len(texts) - 1):
            _sign_batch([texts[j] for j in batch], k, out, np.array(batch), permutations)
            batch, size = [], 0
    return out


def _sign_batch(texts: list[str], k: int, out: np.ndarray, rows: np.ndarray, permutations: int) -> None:
    """Signatures of texts (each ≥ k characters) written into out[rows], all at once in numpy."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.array([len(t) for t in texts])
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    hashes = _shingle_hashes(codes, k)
    owner = np.repeat(np.arange(len(texts)), lengths)[:len(hashes)]
    valid = np.arange(len(hashes)) <= (starts + lengths - k)[owner]  # windows inside one text
    hashes = hashes[valid]
    bounds = np.r_[0, np.cumsum(lengths - k + 1)[:-1]]
    for p in range(permutations):
        values = ((hashes * _A[p] + _B[p]) >> np.uint64(32)) & _MASK32
        out[rows, p] = np.minimum.reduceat(values, bounds).astype(np.uint32)


def similarity(signature: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity of one signature with each of `others` (0 where either is empty)."""
    if not len(others):
        return np.zeros(0)
    same = (others == signature).mean(axis=1)
    empty = ~others.any(axis=1) | (not signature.any())
    return np.where(empty, 0.0, same)


def _links(sig: np.ndarray, bands: int, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows proposed by a shared band and confirmed on the whole signature."""
    usable = np.flatnonzero(sig.any(axis=1))
    width = sig.shape[1] // bands
    left, right = [], []
    for b in range(bands):
        band = np.ascontiguousarray(sig[usable, b * width:(b + 1) * width]).view(
            np.dtype((np.void, width * 4))).ravel()
        order = np.argsort(band, kind="stable")
        ordered, rows = band[order], usable[order]
        same_as_prev = np.r_[False, ordered[1:] == ordered[:-1]]
        first = np.maximum.accumulate(np.where(~same_as_prev, np.arange(len(rows)), 0))
        for other in (rows[first], np.r_[rows[:1], rows[:-1]]):  # against the bucket's first, and the one before
            pick = same_as_prev & (other != rows)
            a, c = rows[pick], other[pick]
            ok = (sig[a] == sig[c]).mean(axis=1) >= threshold
            left.append(a[ok])
            right.append(c[ok])
    return (np.concatenate(left) if left else np.zeros(0, np.int64),
            np.concatenate(right) if right else np.zeros(0, np.int64))


def clusters(sig: np.ndarray, bands: int = REUSE_BANDS, threshold: float = REUSE_SIMILARITY) -> np.ndarray:
    """Each row's group: the smallest row it is connected to by confirmed pairs (-1: none)."""
    n = len(sig)
    left, right = _links(sig, bands, threshold)
    label = np.arange(n)
    while len(left):  # min-label propagation with pointer jumping: a few rounds
        lo = np.minimum(label[left], label[right])
        before = label.copy()
        np.minimum.at(label, left, lo)
        np.minimum.at(label, right, lo)
        label = label[label]
        if np.array_equal(label, before):
            break
    linked = np.zeros(n, dtype=bool)
    linked[left] = linked[right] = True
    return np.where(linked, label, -1).astype(np.int32)


def write_reuse(generation: Path, reports: Iterable[Report], rows: int) -> None:
    """Signatures of the rows that `reports` added (the last ones of the generation's `rows`), the
    rows before them kept from the cloned generation, and every row's group."""
    texts = [reuse_text(s.body) for r in reports for s in r.sections]
    first = rows - len(texts)
    old = np.zeros((0, REUSE_PERMUTATIONS), dtype=np.uint32)
    if first and (generation / SIGNATURES).exists():
        old = np.load(generation / SIGNATURES)
    if len(old) != first or old.shape[1:] != (REUSE_PERMUTATIONS,):  # made by other code: not computed
        old = np.zeros((first, REUSE_PERMUTATIONS), dtype=np.uint32)
    sig = np.concatenate([old, signatures(texts)])
    for name, array in ((SIGNATURES, sig), (CLUSTERS, clusters(sig))):
        (generation / name).unlink(missing_ok=True)  # a clone may share the file with the live generation
        np.save(generation / name, array)


class ReuseTable:
    """The read side: for a row, the rows of its group that really are near copies of it."""

    def __init__(self, signature_rows: np.ndarray, cluster: np.ndarray) -> None:
        self.signatures, self.cluster = signature_rows, cluster
        grouped = np.flatnonzero(cluster >= 0)
        self._members = grouped[np.argsort(cluster[grouped], kind="stable")]
        keys, starts = np.unique(cluster[self._members], return_index=True)
        stops = np.r_[starts[1:], len(self._members)][:len(starts)]
        self._starts = {int(c): (int(a), int(b)) for c, a, b in zip(keys, starts, stops, strict=True)}

    @classmethod
    def load(cls, generation: Path) -> ReuseTable:
        """The table of a generation (empty if it was built without one)."""
        if not ((generation / SIGNATURES).exists() and (generation / CLUSTERS).exists()):
            return cls(np.zeros((0, REUSE_PERMUTATIONS), np.uint32), np.zeros(0, np.int32))
        return cls(np.load(generation / SIGNATURES, mmap_mode="r"), np.load(generation / CLUSTERS))

    def near(self, row: int, alive: np.ndarray, threshold: float = REUSE_SIMILARITY) -> list[tuple[int, float]]:
        """The live rows (not `row`) whose similarity with `row` is ≥ threshold, most similar first."""
        if row >= len(self.cluster) or self.cluster[row] < 0:
            return []
        start, stop = self._starts[int(self.cluster[row])]
        members = self._members[start:stop]
        members = members[(members != row) & alive[members]]
        sims = similarity(np.asarray(self.signatures[row]), np.asarray(self.signatures[members]))
        keep = sims >= threshold
        order = np.lexsort((members[keep], -sims[keep]))
        return [(int(members[keep][i]), float(sims[keep][i])) for i in order]

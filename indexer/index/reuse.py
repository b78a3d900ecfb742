"""Text reuse: passages repeated across reports, found at build time with shingles and MinHash.

    gen-…/reuse_signatures.npy  per row: REUSE_PERMUTATIONS minimum hashes (uint32) of its
                                character shingles (all 0: too short to say, or not computed)
    gen-…/reuse_unique.npy      the distinct signatures (a template copied 5,000 times is one)
    gen-…/reuse_rows.npy        per row: its distinct signature (int32; -1: none)
    gen-…/reuse_groups.npy      per distinct signature: a candidate group (int32; -1 alone):
                                signatures that share a band and agree on ≥ REUSE_SIMILARITY of it,
                                or that several rows share

A passage's text is folded (compact) with every number written 0, so a copy whose figures were
changed is the same text; its shingles are the REUSE_SHINGLE-character substrings, and the
similarity of two passages is the Jaccard similarity of their shingle sets, estimated by the
share of equal minimum hashes. Locality-sensitive hashing (REUSE_BANDS bands) proposes pairs;
each proposal is checked on the whole signature; groups are the connected pairs. Grouping and
lookups work on distinct signatures, so a passage copied verbatim into thousands of reports costs
once. A lookup (`ReuseTable.near`) re-checks every member of a group against the passage itself,
so a chain A~B~C never makes C a copy of A. An update computes the signatures of its new rows
only and regroups the distinct signatures; dead rows stay in the tables and are dropped at lookup.
Pure numpy: no index library (only this stage may import whoosh; reuse needs none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from indexer.config import REUSE_BANDS, REUSE_MIN_CHARS, REUSE_PERMUTATIONS, REUSE_SHINGLE, REUSE_SIMILARITY
from indexer.models import Report
from indexer.text.normalize import compact

SIGNATURES = "reuse_signatures.npy"  # per row (kept for the next update)
UNIQUE = "reuse_unique.npy"  # the distinct signatures
ROW_SIGNATURE = "reuse_rows.npy"  # per row: its distinct signature (-1: none)
GROUPS = "reuse_groups.npy"  # per distinct signature: its group (-1: alone)
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


def distinct(sig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct non-empty signatures, and each row's index among them (-1: empty)."""
    filled = sig.any(axis=1)
    keys = np.ascontiguousarray(sig).view(np.dtype((np.void, sig.shape[1] * 4))).ravel()
    unique_keys, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    unique = sig[first]
    keep = unique.any(axis=1)
    renumber = np.cumsum(keep) - 1
    uid = np.where(filled, renumber[inverse.ravel()], -1).astype(np.int32)
    return np.ascontiguousarray(unique[keep]), uid


def groups(unique: np.ndarray, uid: np.ndarray) -> np.ndarray:
    """Each distinct signature's group: its cluster among the distinct ones, or its own number when
    several rows share it (exact copies); -1 when it stands alone."""
    group = clusters(unique)
    shared = np.bincount(uid[uid >= 0], minlength=len(unique)) > 1
    return np.where((group < 0) & shared, np.arange(len(unique)), group).astype(np.int32)


def write_reuse(generation: Path, reports: Iterable[Report], rows: int) -> None:
    """Signatures of the rows that `reports` added (the last ones of the generation's `rows`), the
    rows before them kept from the cloned generation; the distinct signatures and their groups."""
    texts = [reuse_text(s.body) for r in reports for s in r.sections]
    first = rows - len(texts)
    old = np.zeros((0, REUSE_PERMUTATIONS), dtype=np.uint32)
    if first and (generation / SIGNATURES).exists():
        old = np.load(generation / SIGNATURES)
    if len(old) != first or old.shape[1:] != (REUSE_PERMUTATIONS,):  # made by other code: not computed
        old = np.zeros((first, REUSE_PERMUTATIONS), dtype=np.uint32)
    sig = np.concatenate([old, signatures(texts)])
    unique, uid = distinct(sig)
    for name, array in ((SIGNATURES, sig), (UNIQUE, unique), (ROW_SIGNATURE, uid), (GROUPS, groups(unique, uid))):
        (generation / name).unlink(missing_ok=True)  # a clone may share the file with the live generation
        np.save(generation / name, array)


def _slices(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indexes of `keys` (≥ 0) sorted by key, and for each key value its start and stop in them."""
    valid = np.flatnonzero(keys >= 0)
    order = valid[np.argsort(keys[valid], kind="stable")]
    counts = np.bincount(keys[valid], minlength=size)
    stops = np.cumsum(counts)
    return order, stops - counts, stops


class ReuseTable:
    """The read side: for a row, the rows whose distinct signature is in its group and near its own."""

    def __init__(self, unique: np.ndarray, uid: np.ndarray, group: np.ndarray) -> None:
        self.unique, self.uid, self.group = unique, uid, group
        self._rows, self._row_start, self._row_stop = _slices(uid, len(unique))
        self._members, self._member_start, self._member_stop = _slices(group, len(unique))

    @classmethod
    def load(cls, generation: Path) -> ReuseTable:
        """The table of a generation (empty if it was built without one)."""
        files = [generation / name for name in (UNIQUE, ROW_SIGNATURE, GROUPS)]
        if not all(f.exists() for f in files):
            return cls(np.zeros((0, REUSE_PERMUTATIONS), np.uint32), np.zeros(0, np.int32), np.zeros(0, np.int32))
        return cls(*(np.load(f) for f in files))

    def near(self, row: int, alive: np.ndarray, threshold: float = REUSE_SIMILARITY) -> list[tuple[int, float]]:
        """The live rows (not `row`) whose similarity with `row` is ≥ threshold, most similar first."""
        if row >= len(self.uid) or (u := int(self.uid[row])) < 0 or (g := int(self.group[u])) < 0:
            return []
        members = self._members[self._member_start[g]:self._member_stop[g]]
        sims = similarity(self.unique[u], self.unique[members])
        out: list[tuple[int, float]] = []
        for m, sim in sorted(zip(members[sims >= threshold].tolist(), sims[sims >= threshold].tolist(), strict=True),
                             key=lambda t: (-t[1], t[0])):
            rows = self._rows[self._row_start[m]:self._row_stop[m]]
            rows = rows[(rows != row) & alive[rows]]
            out += [(r, sim) for r in rows.tolist()]
        return out

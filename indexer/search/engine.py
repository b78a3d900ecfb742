"""Evaluate a query tree over one generation: the matching rows and their scores.

A `Text` leaf takes its candidates from the bigram postings (`indexer.index.postings`) (the sections holding
every bigram of the term), then counts the term's occurrences in each candidate's search
text: a candidate with none is dropped, so matching is exact, and the counts feed a BM25
score. Leaves without an ideograph pair (2023年, 12345) are counted over every section.
Occurrences inside boilerplate lines (see `boilerplate.py`) count less. Field leaves and
measure tags come from the facet arrays. Everything is a boolean row mask, a float score
array and a level array (1 = full match; `Graded` nodes give 2 to 4), combined with numpy;
results of leaves are cached per generation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.index.mapped import Strings
from indexer.index.postings import Postings, SizedCache
from indexer.search import querytree as qt
from indexer.search.boilerplate import find_demotions
from indexer.search.facets import FacetTables
from indexer.search.scan import TextScan
from indexer.text.analysis import han_bigrams

K1, B = 1.2, 0.75
TITLE_BONUS = 1.5  # a term in the report's title adds this many times its idf to the first section
LEVEL5_SHARE = 0.25  # share of a concept query's character-pair information a level-5 section holds
# (0.5, 0.34 and 0.25 were tried on bench/relevance_reports.json; see README, Measuring)
LEVEL5_WEIGHT = 0.1  # level-5 scores stay below every word match

SUBSTANTIVE_PRIOR = 1.15  # concept queries favour sections of the work itself over 基本情况/其他
PLAIN_TYPES = ("基本情况", "其他")


def section_prior(codes: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """A small per-row multiplier for graded (concept) queries, by section type."""
    plain = [i for i, name in enumerate(names) if name in PLAIN_TYPES]
    return np.where(np.isin(codes, plain), 1.0, SUBSTANTIVE_PRIOR).astype(np.float32)


@dataclass(frozen=True)
class Match:
    """Rows that match (mask), their scores (0 where they do not) and match levels (None: 1)."""

    mask: np.ndarray
    score: np.ndarray
    level: np.ndarray | None = None

    def levels(self) -> np.ndarray:
        """The level of every row (1 where the match is full or absent)."""
        return np.ones(len(self.mask), dtype=np.int8) if self.level is None else self.level


class Evaluator:
    """Turns query trees into matches over one generation's texts, postings and facets."""

    def __init__(self, texts: Sequence[str], lengths: np.ndarray, postings: Postings, tables: FacetTables,  # noqa: PLR0913
                 title_keys: Sequence[str], first_rows: np.ndarray, prior: np.ndarray | None = None,
                 scan: TextScan | None = None) -> None:
        self.texts = texts
        self.n = len(texts)
        self.lengths = lengths.astype(np.float32, copy=False)
        self.avg_length = float(self.lengths.mean()) if self.n else 1.0
        self.postings = postings
        self.tables = tables
        self.title_keys = title_keys
        self.first_rows = first_rows
        self.prior = np.ones(self.n, dtype=np.float32) if prior is None else prior.astype(np.float32, copy=False)
        self.scan = scan  # a mapped generation locates terms in its text buffer (and stores its boilerplate)
        self.demotion = find_demotions(texts) if scan is None else None
        self._cache = SizedCache()

    def everything(self) -> Match:
        return Match(np.ones(self.n, dtype=bool), np.zeros(self.n, dtype=np.float32))

    def evaluate(self, node: qt.Node) -> Match:
        """The rows matching `node`, with scores."""
        if isinstance(node, qt.Text):
            return self._text(node)
        if isinstance(node, qt.Tagged):
            mask = self.tables.mask("measure", node.measure)
            return Match(mask, mask.astype(np.float32) * node.weight)
        if isinstance(node, qt.Field):
            mask = self._title(node.value) if node.field == "title" else self.tables.mask(
                node.field, node.value, node.exact)
            return Match(mask, np.zeros(self.n, dtype=np.float32))
        if isinstance(node, qt.Everything):
            return self.everything()
        if isinstance(node, qt.Not):
            inner = self.evaluate(node.child)
            return Match(~inner.mask, np.zeros(self.n, dtype=np.float32))
        if isinstance(node, qt.Graded):
            return self._graded(node)
        parts = [self.evaluate(c) for c in node.children]
        graded = [p for p in parts if p.level is not None]
        if isinstance(node, qt.And):
            mask = np.logical_and.reduce([p.mask for p in parts])
            level = np.maximum.reduce([p.levels() for p in graded]) if graded else None
        else:
            mask = np.logical_or.reduce([p.mask for p in parts])
            level = np.minimum.reduce([np.where(p.mask, p.levels(), 9) for p in parts]).astype(np.int8) \
                if graded else None
        score = np.add.reduce([p.score for p in parts]) * mask
        return Match(mask, score.astype(np.float32), level)

    def _graded(self, node: qt.Graded) -> Match:
        """Levels 1–4 of a graded node (see `querytree.Graded`); rows holding no part are left out."""
        parts = [self.evaluate(c) for c in node.parts]
        held = np.add.reduce([p.mask.astype(np.int16) for p in parts])
        report, reports = self.tables.report_of_row, self.tables.n_reports
        count = np.zeros(reports, dtype=np.int16)  # parts each report holds
        info = np.zeros(reports, dtype=np.float32)  # their idf over reports, added
        weights = []
        for p in parts:
            present = np.zeros(reports, dtype=bool)
            present[report[p.mask]] = True
            weight = math.log(1 + (reports - present.sum() + 0.5) / (present.sum() + 0.5))  # idf over reports
            weights.append(weight)
            count += present
            info += present * weight
        full = held == len(parts)
        most = held >= node.minimum
        spread = count[report] == len(parts)
        informed = info[report] >= node.share * sum(weights) - 1e-6
        mask = (held > 0) & (most | spread | informed)
        level = np.maximum(np.select([full, most, spread], [1, 2, 3], 4), node.floor).astype(np.int8)
        score = np.add.reduce([p.score for p in parts] + [self.evaluate(b).score for b in node.bonus])
        score = score * self.prior * mask
        if node.floor == 1:  # level 5: the typed characters, where the words are not
            near, share = self._bigram_evidence(node)
            near &= ~mask
            level = np.where(near, 5, level).astype(np.int8)
            score = np.where(near, share * LEVEL5_WEIGHT, score)
            mask = mask | near
        return Match(mask, score.astype(np.float32), level)

    def _bigram_evidence(self, node: qt.Graded) -> tuple[np.ndarray, np.ndarray]:
        """Sections holding character pairs of the typed words that carry at least LEVEL5_SHARE of
        their information (idf over sections), and that share: the recall floor of a concept query."""
        keys = {leaf.key for part in node.parts for leaf in qt.leaves(part)
                if isinstance(leaf, qt.Text) and leaf.weight >= 1}
        grams = sorted({g for key in keys for g in han_bigrams(key)})
        evidence = np.zeros(self.n, dtype=np.float32)
        total = 0.0
        for gram in grams:
            rows = self.postings.rows(gram)
            if len(rows):
                weight = self.idf(len(rows))
                evidence[rows] += weight
                total += weight
        share = evidence / total if total else evidence
        return (share >= LEVEL5_SHARE) & (evidence > 0), share

    def idf(self, df: int) -> float:
        """BM25's inverse document frequency over sections."""
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def occurrences(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding `key` and how often, boilerplate occurrences discounted (cached)."""
        if (hit := self._cache.get(key)) is not None:
            return hit[0], hit[1]
        if self.scan is not None:
            found = self.scan.occurrences(key)
        else:
            candidates = self.postings.candidates(key)
            rows = np.arange(self.n, dtype=np.int32) if candidates is None else candidates
            texts = self.texts
            counts = np.fromiter((texts[r].count(key) for r in rows.tolist()), dtype=np.int32, count=len(rows))
            rows, counts = rows[counts > 0], counts[counts > 0]
            found = (rows, self.demotion.discounted(key, rows, counts))
        self._cache.put(key, found)
        return found

    def _text(self, node: qt.Text) -> Match:
        rows, tf = self.occurrences(node.key)
        mask = np.zeros(self.n, dtype=bool)
        score = np.zeros(self.n, dtype=np.float32)
        if not len(rows):
            return Match(mask, score)
        idf = self.idf(len(rows))
        norm = K1 * (1 - B + B * self.lengths[rows] / self.avg_length)
        mask[rows] = True
        score[rows] = node.weight * idf * tf * (K1 + 1) / (tf + norm)
        titled = self._titled(node.key)
        if titled:
            score[titled] += node.weight * idf * TITLE_BONUS
        return Match(mask, score)

    def _titled(self, key: str) -> list[int]:
        """First rows of the reports whose title holds `key` (cached with the key's occurrences)."""
        if (hit := self._cache.get("title:" + key)) is None:
            hit = (np.asarray(self.first_rows[titles_holding(self.title_keys, key)], dtype=np.int32),)
            self._cache.put("title:" + key, hit)
        return hit[0].tolist()

    def _title(self, key: str) -> np.ndarray:
        reports = np.zeros(len(self.title_keys), dtype=bool)
        reports[titles_holding(self.title_keys, key)] = True
        return self.tables.rows_of_reports(reports) if len(reports) else np.zeros(self.n, dtype=bool)


def titles_holding(titles: Sequence[str], key: str) -> np.ndarray:
    """The reports whose title key holds `key` (a mapped table is searched at once)."""
    if not key:
        return np.empty(0, dtype=np.int64)
    if isinstance(titles, Strings):
        return titles.holding(key)
    return np.array([i for i, title in enumerate(titles) if key in title], dtype=np.int64)

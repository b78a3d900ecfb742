"""Evaluate a query tree over one generation: the matching rows and their scores.

A `Text` leaf takes its candidates from the bigram postings (`indexer.index.postings`) (the sections holding
every bigram of the term), then counts the term's occurrences in each candidate's search
text: a candidate with none is dropped, so matching is exact, and the counts feed a BM25
score. Leaves without an ideograph pair (2023年, 12345) are counted over every section.
Occurrences inside boilerplate lines (see `boilerplate.py`) count less. Field leaves and
measure tags come from the facet arrays. Everything is a boolean row mask, a float score
array and a level array (1 = exact evidence, the typed term itself; `Near` and `Graded` nodes
give 2 to 5), combined with numpy; results of leaves are cached per generation.

Which rows match, and at which level, depends only on each row's own text (and its report's
other sections): never on other documents, so no count moves when an unrelated report is
added. Scores are where the collection speaks: a graded node fuses word evidence (BM25 over
the typed words, their variants and near-terms) with character-pair evidence (BM25 over the
query's ideograph pairs, as a bigram baseline scores), so the rare word decides and a report
that only says it in other characters is still reached.
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
HEADING_BONUS = 1.0  # a term in a section's heading, with text under it, adds this many times its idf
MIN_BODY = 20  # characters under a heading for the section to be more than the heading
PAIR_WEIGHT = 0.5  # character-pair evidence beside word evidence in a graded node's score
REPORT_PAIR_WEIGHT = 4.0  # a report's pair BM25 (whole text) beside its sections' evidence
REPORT_WORD_WEIGHT = 1.0  # a report's word BM25 (whole text) beside its sections' evidence
# (PAIR_WEIGHT 0.25–4, REPORT_PAIR_WEIGHT 0.5–8 and REPORT_WORD_WEIGHT 0–4 were tried on the dev
# split of bench/relevance_realdev.json: within ±0.01 of each other once REPORT_PAIR_WEIGHT ≥ 2)

SUBSTANTIVE_PRIOR = 1.15  # concept queries favour sections of the work itself over 基本情况/其他
PLAIN_TYPES = ("基本情况", "其他")


def section_prior(codes: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """A small per-row multiplier for graded (concept) queries, by section type."""
    plain = [i for i, name in enumerate(names) if name in PLAIN_TYPES]
    return np.where(np.isin(codes, plain), 1.0, SUBSTANTIVE_PRIOR).astype(np.float32)


@dataclass(frozen=True)
class Match:
    """Rows that match (mask), their scores (0 where they do not) and match grades (None: 1)."""

    mask: np.ndarray
    score: np.ndarray
    grade: np.ndarray | None = None
    report: np.ndarray | None = None  # per report: evidence of the report as a whole (added to its sections')

    def grades(self) -> np.ndarray:
        """The match grade of every row (1 where the match is full or absent)."""
        return np.ones(len(self.mask), dtype=np.int8) if self.grade is None else self.grade


class Evaluator:
    """Turns query trees into matches over one generation's texts, postings and facets."""

    def __init__(self, texts: Sequence[str], lengths: np.ndarray, postings: Postings, tables: FacetTables,  # noqa: PLR0913
                 title_keys: Sequence[str], first_rows: np.ndarray, prior: np.ndarray | None = None,
                 scan: TextScan | None = None) -> None:
        self.texts = texts
        self.n = len(texts)
        self.lengths = lengths.astype(np.float32, copy=False)
        self.avg_length = float(self.lengths.mean()) if self.n else 1.0
        # BM25's length normalisation, with no reward for being shorter than the average section:
        # a bare heading holding the words must not outrank a passage that says something about them
        self.norm = K1 * (1 - B + B * np.maximum(self.lengths, self.avg_length) / self.avg_length)
        self.report_lengths = np.bincount(tables.report_of_row, weights=self.lengths,
                                          minlength=tables.n_reports).astype(np.float32)
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
        if isinstance(node, qt.Near):
            inner = self.evaluate(node.child)
            return Match(inner.mask, inner.score, np.maximum(inner.grades(), 2).astype(np.int8), inner.report)
        if isinstance(node, qt.Graded):
            return self._graded(node)
        parts = [self.evaluate(c) for c in node.children]
        graded = [p for p in parts if p.grade is not None]
        if isinstance(node, qt.And):
            mask = np.logical_and.reduce([p.mask for p in parts])
            level = np.maximum.reduce([p.grades() for p in graded]) if graded else None
        else:
            mask = np.logical_or.reduce([p.mask for p in parts])
            level = np.minimum.reduce([np.where(p.mask, p.grades(), 9) for p in parts]).astype(np.int8) \
                if graded else None
        score = np.add.reduce([p.score for p in parts]) * mask
        whole = [p.report for p in parts if p.report is not None]
        return Match(mask, score.astype(np.float32), level, np.add.reduce(whole) if whole else None)

    def _graded(self, node: qt.Graded) -> Match:
        """Levels 1–5 of a graded node (see `querytree.Graded`); rows holding no part are left out.

        Membership and level come from the rows' own texts (and their reports' other sections),
        never from other documents; the score fuses the parts' word evidence with the query's
        character-pair evidence, per section and per report (`report` of the match)."""
        parts = [self.evaluate(c) for c in node.parts]
        held = np.add.reduce([p.mask.astype(np.int16) for p in parts])
        exact = np.add.reduce([(p.mask & (p.grades() == 1)).astype(np.int16) for p in parts])
        report, reports = self.tables.report_of_row, self.tables.n_reports
        count = np.zeros(reports, dtype=np.int16)  # parts each report holds
        for p in parts:
            present = np.zeros(reports, dtype=bool)
            present[report[p.mask]] = True
            count += present
        most = held >= node.minimum
        spread = count[report] == len(parts)
        mask = held > 0  # any word or near-term: word evidence reaches as far as the pairs do
        weakest = np.maximum.reduce([np.where(p.mask, p.grades(), 1) for p in parts])  # of the parts held
        level = np.maximum.reduce([np.select([exact == len(parts), most, spread], [1, 2, 3], 4), weakest,
                                   np.full(self.n, node.floor)]).astype(np.int8)
        score = np.add.reduce([p.score for p in parts] + [self.evaluate(b).score for b in node.bonus])
        score = score * self.prior
        if node.floor == 1:  # the typed characters, where the words are not: level 5
            pairs = self.pair_evidence(node)
            near = (pairs > 0) & ~mask  # any of the typed pairs: what a bigram BM25 reaches
            level = np.where(near, 5, level).astype(np.int8)
            mask = mask | near
            score = score + PAIR_WEIGHT * pairs
            whole = REPORT_PAIR_WEIGHT * self.report_pairs(node) + REPORT_WORD_WEIGHT * self.report_words(node)
            return Match(mask, (score * mask).astype(np.float32), level, whole)
        return Match(mask, (score * mask).astype(np.float32), level)

    def report_bm25(self, tf: np.ndarray) -> np.ndarray:
        """BM25 of every report for one term, given the term's count in each report."""
        reports = self.tables.n_reports
        norm = K1 * (1 - B + B * self.report_lengths / max(1.0, float(self.report_lengths.mean())))
        df = int(np.count_nonzero(tf))
        idf = math.log(1 + (reports - df + 0.5) / (df + 0.5))
        return (idf * tf * (K1 + 1) / (tf + norm)).astype(np.float32)

    def report_words(self, node: qt.Graded) -> np.ndarray:
        """BM25 of every report over the words of a graded node (typed words, variants and
        near-terms at their weights), counted over its whole text."""
        weights: dict[str, float] = {}
        for leaf in (leaf for part in (*node.parts, *node.bonus) for leaf in qt.leaves(part)):
            if isinstance(leaf, qt.Text) and leaf.key:
                weights[leaf.key] = max(weights.get(leaf.key, 0.0), leaf.weight)
        evidence = np.zeros(self.tables.n_reports, dtype=np.float32)
        for key, weight in weights.items():
            rows, tf = self.occurrences(key)
            if len(rows):
                counts = np.bincount(self.tables.report_of_row[rows], weights=tf, minlength=self.tables.n_reports)
                evidence += weight * self.report_bm25(counts)
        return evidence

    def report_pairs(self, node: qt.Graded) -> np.ndarray:
        """BM25 of every report over the typed words' ideograph pairs, counted over its whole
        text (what a bigram baseline scores): the report-level half of the pair evidence."""
        evidence = np.zeros(self.tables.n_reports, dtype=np.float32)
        for gram in self.query_pairs(node):
            rows, counts = self.pair_counts(gram)
            if len(rows):
                evidence += self.report_bm25(np.bincount(self.tables.report_of_row[rows], weights=counts,
                                                         minlength=self.tables.n_reports))
        return evidence

    def pair_counts(self, gram: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding the ideograph pair and how often (cached)."""
        if (hit := self._cache.get("pair:" + gram)) is None:
            if self.scan is not None:  # a mapped generation: stored, or counted in its text buffer
                hit = self.scan.pair_counts(gram)
            else:
                rows = self.postings.rows(gram)
                texts = self.texts
                hit = (rows, np.fromiter((texts[r].count(gram) for r in rows.tolist()), dtype=np.float32,
                                         count=len(rows)))
            self._cache.put("pair:" + gram, hit)
        return hit[0], hit[1]

    @staticmethod
    def query_pairs(node: qt.Graded) -> list[str]:
        """The distinct ideograph pairs of the words the user typed in a graded node."""
        keys = {leaf.key for part in node.parts for leaf in qt.leaves(part)
                if isinstance(leaf, qt.Text) and leaf.weight >= 1}
        return sorted({g for key in keys for g in han_bigrams(key)})

    def pair_evidence(self, node: qt.Graded) -> np.ndarray:
        """Every row's BM25 over the distinct ideograph pairs of the typed words (presence,
        length-normalised like the words): the section-level half of the pair evidence."""
        evidence = np.zeros(self.n, dtype=np.float32)
        saturation = (K1 + 1) / (1 + self.norm)
        for gram in self.query_pairs(node):
            rows = self.pair_counts(gram)[0] if self.scan is not None else self.postings.rows(gram)
            if len(rows):
                evidence[rows] += self.idf(len(rows)) * saturation[rows]
        return evidence

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
        norm = self.norm[rows]
        mask[rows] = True
        score[rows] = node.weight * idf * tf * (K1 + 1) / (tf + norm)
        score[self._headed(node.key, rows)] += node.weight * idf * HEADING_BONUS
        titled = self._titled(node.key)
        if titled:
            score[titled] += node.weight * idf * TITLE_BONUS
        return Match(mask, score)

    def _headed(self, key: str, rows: np.ndarray) -> np.ndarray:
        """The rows (of those holding `key`) whose first line — the heading — holds it, with text
        under it: a section about the term (cached with the key's occurrences)."""
        if (hit := self._cache.get("heading:" + key)) is None and self.scan is not None:
            hit = (self.scan.headed(key, rows, MIN_BODY),)  # a mapped generation: in its text buffer
            self._cache.put("heading:" + key, hit)
        if hit is None:
            texts = self.texts
            hit = (np.array([r for r in rows.tolist() if 0 <= texts[r].find(key) < (end := texts[r].find("\n"))
                             and len(texts[r]) - end > MIN_BODY], dtype=np.int32),)
            self._cache.put("heading:" + key, hit)
        return hit[0]

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

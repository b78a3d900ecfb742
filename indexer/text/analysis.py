"""Chinese analysis: the search text of a section, its bigrams, and query segmentation.

* ``search_text``: the section folded (traditional → simplified, full width → ASCII, lower
  case) with punctuation inside a sentence dropped and every sentence end turned into a
  line break. A term matches a section when its compact form is a substring of this text:
  行政许可 inside 行政许可法, 双随机、一公开 = 双随机一公开, never across two sentences.
* ``han_bigrams``: the distinct ideograph pairs of a search text. The whoosh index holds
  them (existence only) so that a term's candidates are the sections holding all of its
  bigrams; the substring test on the search text then decides.
* ``segment``: jieba precise mode (measure names, the policy vocabulary and the near-terms
  in its dictionary) to split a query of several words and show the user how it was read.

Nothing here knows the engine: the whoosh tokenizer that stores the bigrams is in
``indexer.index.postings``.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from indexer.text.normalize import SENTENCE_END, fold, is_word_char
from indexer.text.wordfreq import WordFreq, word_freq

if TYPE_CHECKING:
    import jieba

_lock = threading.Lock()
DICTIONARY_FREQ = 2000  # high enough that a policy term is kept whole inside a longer query
_segmenter: jieba.Tokenizer | None = None


@lru_cache(maxsize=1)
def added_words() -> tuple[str, ...]:
    """The words the segmenter's dictionary gets on top of jieba's, in the order it adds them:
    the measure terms, the policy vocabulary and the near-terms."""
    from indexer.ingest.measures import dictionary_words
    from indexer.text.vocabulary import policy_terms, synonym_words

    return tuple(sorted(dictionary_words() | set(policy_terms()) | synonym_words()))


def segmenter() -> jieba.Tokenizer:
    """The process's jieba tokenizer (jieba imported only then), with the added words each kept
    whole: 放管服, 免申即享, 互认. Its dictionary is the frequency table of `wordfreq`, read
    by key, not jieba's 350,000 words loaded into memory (0.7 CPU-seconds per process)."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _segmenter = table_segmenter()
    return _segmenter


def table_segmenter() -> jieba.Tokenizer:
    """A jieba tokenizer whose dictionary is the frequency table (nothing loaded)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    table = frequencies()
    seg.FREQ, seg.total, seg.initialized = table, table.total, True
    return seg


def preload() -> None:
    """For a server: the segmenter with jieba's dictionary loaded into memory (0.7 CPU-seconds once,
    then a query is cut in 0.04 ms instead of 1.2 ms); the same cuts either way."""
    global _segmenter
    with _lock:
        if _segmenter is None or not isinstance(_segmenter.FREQ, dict):
            _segmenter = loaded_segmenter()


def frequencies() -> WordFreq:
    """jieba's dictionary with the added words, as the segmenter reads it."""
    return word_freq(list(added_words()), DICTIONARY_FREQ)


def loaded_segmenter() -> jieba.Tokenizer:
    """A jieba tokenizer with its dictionary loaded into memory and the added words added, the
    way jieba is used on its own (what `segmenter` must agree with; slow: for tests and benches)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    seg.initialize()
    for word in added_words():
        seg.add_word(word, max(seg.FREQ.get(word, 0), DICTIONARY_FREQ))
    return seg


def segment(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` (folded first) with their character spans; punctuation dropped.

    A text that is one added word is that word (the segmenter keeps each whole; tests check
    every one), so a query such as 容缺受理 does not even import jieba."""
    folded = fold(text)
    if folded in _added_set():
        return [(folded, 0, len(folded))]
    return [
        (word, start, end)
        for word, start, end in segmenter().tokenize(folded, HMM=False)
        if any(is_word_char(ch) for ch in word)
    ]


@lru_cache(maxsize=1)
def _added_set() -> frozenset[str]:
    return frozenset(added_words())


def split_compound(word: str) -> list[str]:
    """The most likely split of a dictionary compound into two or more shorter dictionary words
    (行政执法三项制度 → 行政执法 三项 制度); [] when it has none (a single character costs most).

    Frequencies come from `wordfreq` (the segmenter's numbers, read by key, not loaded)."""
    freq = frequencies()
    total = math.log(freq.total)
    n = len(word)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = [(math.log(freq.get(word[i:j]) or 1) - total + best[j][0], j)
                   for j in range(i + 1, n + 1) if j - i == 1 or (freq.get(word[i:j]) and (i, j) != (0, n))]
        best[i] = max(options)
    pieces, i = [], 0
    while i < n:
        pieces.append(word[i:best[i][1]])
        i = best[i][1]
    return pieces if len(pieces) > 1 else []


ANALYZER_VERSION = 3  # bump when search_text or han_bigrams change: the index must be rebuilt
_SENTENCE_BREAK = str.maketrans(dict.fromkeys(SENTENCE_END, "\n"))
# a mirror site's pinyin residue after an ideograph (營商(shāng)環境): not part of the text
PINYIN_RESIDUE = r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)"
_PINYIN = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])" + PINYIN_RESIDUE)
_NOT_WORD = re.compile(r"[^\w\n]+|_")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def search_text(text: str) -> str:
    """Folded text with in-sentence punctuation and pinyin residues dropped, sentence ends as line breaks."""
    return _NOT_WORD.sub("", _PINYIN.sub("", fold(text)).translate(_SENTENCE_BREAK))


def han_bigrams(text: str) -> set[str]:
    """Distinct pairs of adjacent ideographs in a search text (or a compact term)."""
    return {run[i:i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}

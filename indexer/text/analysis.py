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

import jieba

from indexer.text.normalize import SENTENCE_END, fold, is_word_char

_lock = threading.Lock()
DICTIONARY_FREQ = 2000  # high enough that a policy term is kept whole inside a longer query
_segmenter: jieba.Tokenizer | None = None


def segmenter() -> jieba.Tokenizer:
    """The process's jieba tokenizer, loaded once, with the measure terms, the policy vocabulary
    and the near-terms added (each kept whole: 放管服, 免申即享, 互认)."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                from indexer.ingest.measures import dictionary_words
                from indexer.text.vocabulary import policy_terms, synonym_words

                jieba.setLogLevel(logging.WARNING)
                seg = jieba.Tokenizer()
                seg.initialize()
                for word in sorted(dictionary_words() | set(policy_terms()) | synonym_words()):
                    seg.add_word(word, max(seg.FREQ.get(word, 0), DICTIONARY_FREQ))
                _segmenter = seg
    return _segmenter


def segment(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` (folded first) with their character spans; punctuation dropped."""
    folded = fold(text)
    return [
        (word, start, end)
        for word, start, end in segmenter().tokenize(folded, HMM=False)
        if any(is_word_char(ch) for ch in word)
    ]


def split_compound(word: str) -> list[str]:
    """The most likely split of a dictionary compound into two or more shorter dictionary words
    (行政执法三项制度 → 行政执法 三项 制度); [] when it has none (a single character costs most)."""
    freq = segmenter().FREQ
    total = math.log(segmenter().total)
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

"""Chinese analysis for whoosh: jieba words and character bigrams over folded text.

Two tokenizers feed two fields of one index:

* ``WordTokenizer``: jieba precise mode (with the measure taxonomy in its dictionary).
  Words rank results and show the user how a query was segmented.
* ``BigramTokenizer``: overlapping character bigrams. A query that is any substring of
  the text (行政许可 in 行政许可法) matches as a phrase of bigrams: the recall backstop.

Both honour whoosh's tokenizer protocol: ``pos`` is the token's ordinal, ``startchar`` and
``endchar`` are offsets into the *original* text (folding keeps the length), and
punctuation inside a sentence is skipped without consuming a position, so 双随机、一公开
and 双随机一公开 are the same phrase. The classes are pickled into the index schema:
keep this module path and the class names stable (moving them needs a rebuild).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import jieba
from whoosh.analysis import Token, Tokenizer

from .normalize import SENTENCE_END, fold, is_han, is_word_char

_lock = threading.Lock()
_segmenter: jieba.Tokenizer | None = None


def segmenter() -> jieba.Tokenizer:
    """The process's jieba tokenizer, loaded once, with the measure terms added."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                from .measures import dictionary_words

                jieba.setLogLevel(logging.WARNING)
                seg = jieba.Tokenizer()
                seg.initialize()
                for word in sorted(dictionary_words()):
                    seg.add_word(word)
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


class _ProtocolTokenizer(Tokenizer):
    """Shared whoosh protocol handling: one reused Token, ordinals and offsets."""

    def spans(self, text: str, mode: str) -> Iterator[tuple[str, int, int, int]]:
        """Yield (text, position, startchar, endchar) for `text`."""
        raise NotImplementedError

    def __call__(  # noqa: PLR0913 - whoosh's protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold(value)  # type: ignore[attr-defined]
            token.boost, token.stopped = 1.0, False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for text, pos, start, end in self.spans(value, mode):
            token.text = text
            token.boost, token.stopped = 1.0, False
            if keeporiginal:
                token.original = value[start:end]  # type: ignore[attr-defined]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class WordTokenizer(_ProtocolTokenizer):
    """jieba words; positions are ordinals that skip punctuation."""

    def spans(self, text: str, mode: str) -> Iterator[tuple[str, int, int, int]]:
        for pos, (word, start, end) in enumerate(segment(text)):
            yield word, pos, start, end


class BigramTokenizer(_ProtocolTokenizer):
    """Overlapping character bigrams over runs of ideographs; letters/digits as whole words.

    A run of ideographs continues across in-sentence punctuation (、，“” spaces) and ends
    at a sentence end, a letter or a digit. In index mode the last character of a run is
    also emitted alone, so every character starts some token (a one-character query can
    be answered with a prefix query). A sentence end leaves a gap in the positions, so a
    phrase never matches across sentences.
    """

    def spans(self, text: str, mode: str) -> Iterator[tuple[str, int, int, int]]:
        folded = fold(text)
        pos = 0
        run: list[int] = []  # offsets of the ideographs of the current run

        def flush() -> Iterator[tuple[str, int, int, int]]:
            nonlocal pos
            for a, b in zip(run, run[1:], strict=False):
                yield folded[a] + folded[b], pos, a, b + 1
                pos += 1
            if run and (mode != "query" or len(run) == 1):
                yield folded[run[-1]], pos, run[-1], run[-1] + 1
                pos += 1
            run.clear()

        i, n = 0, len(folded)
        while i < n:
            ch = folded[i]
            if is_han(ch):
                run.append(i)
                i += 1
            elif is_word_char(ch):
                yield from flush()
                j = i
                while j < n and is_word_char(folded[j]) and not is_han(folded[j]):
                    j += 1
                yield folded[i:j], pos, i, j
                pos += 1
                i = j
            else:
                if ch in SENTENCE_END:
                    yield from flush()
                    pos += 1
                i += 1
        yield from flush()


def word_analyzer() -> WordTokenizer:
    """Analyzer of the word field."""
    return WordTokenizer()


def bigram_analyzer() -> BigramTokenizer:
    """Analyzer of the bigram field."""
    return BigramTokenizer()

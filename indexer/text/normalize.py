"""Length-preserving text folding: traditional → simplified, full-width → ASCII, lower case.

Every function here maps one character to one character, so an offset into the folded
text is an offset into the original. The analyzer folds at index and at query time; the
stored text stays as the report wrote it, so highlights show the report's own characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from indexer.text.sentences import MARKS

# Punctuation that may sit inside a term without changing it: 双随机、一公开 = 双随机一公开.
SENTENCE_END = frozenset(MARKS + "\n\r")  # where a sentence ends (indexer.text.sentences)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Variant forms opencc's t2s leaves as they are (陜西 is written with either 陜 or 陝; 巿 is a
# look-alike of 市 in text taken from PDFs): one character each, so lengths are kept.
_VARIANTS = str.maketrans("陜衞淸靑汚巿", "陕卫清青污市")
_HAS_VARIANT = re.compile("[陜衞淸靑汚巿]")  # translate only when needed: it costs as much as t2s


def _variants_folded(text: str) -> str:
    return text.translate(_VARIANTS) if _HAS_VARIANT.search(text) else text

_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Full-width ASCII → ASCII (＂（）ＯＲ → "()OR), nothing else; keeps the length."""
    return text.translate(_WIDTH)


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified, keeping the length (全麵 → 全面)."""
    converted = _variants_folded(_converter().convert(text))
    if len(converted) == len(text):
        return converted
    # t2s keeps lengths on every entry we know of; fall back to one character at a time.
    return _variants_folded("".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text))


def fold(text: str) -> str:
    """Fold text for matching; ``len(fold(t)) == len(t)`` always."""
    return fold_width(to_simplified(text)).lower()


def is_han(ch: str) -> bool:
    """True for a CJK ideograph."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def is_word_char(ch: str) -> bool:
    """Characters that carry meaning in a term (ideographs, letters, digits)."""
    return ch.isalnum() and unicodedata.category(ch)[0] in "LN"


_NOT_WORD = re.compile(r"[\W_]+")  # \w less "_" is exactly is_word_char (letters and digits)


def compact(text: str) -> str:
    """Fold and drop everything but word characters: “双随机、一公开” → 双随机一公开."""
    return _NOT_WORD.sub("", fold(text))


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces (incl. ideographic) inside a line and strip it."""
    return re.sub(r"[ \t\u3000\xa0]+", " ", text).strip()

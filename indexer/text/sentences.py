"""Sentences, the one definition: a run of text up to 。！？；!?; or a line break. Search (a term
never matches across two), highlights, the first sentence of a section body, licensing figures
and year-over-year changes all cut text here."""

from __future__ import annotations

import re

MARKS = "。！？；!?;"  # a sentence ends at one of these or at a line break
SENTENCE = re.compile(rf"[^{MARKS}\n]*[{MARKS}\n]?")
STATEMENT = re.compile(r"[^。！？!?\n]+[。！？!?]?")  # a sentence with its ；clauses inside: a list of
# figures (受理…件；办结…件) is one statement whose subject carries through its clauses
FIRST_LIMIT = 120  # characters: a longer first "sentence" is a paragraph without marks


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text` that is not blank, its end mark included."""
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text) if not m.group().isspace() and m.group()]


def sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped, blanks left out."""
    return [s for start, end in sentence_spans(text) if (s := text[start:end].strip())]


def first_sentence(text: str, limit: int = FIRST_LIMIT) -> str:
    """The first sentence of `text` without its end mark, at most `limit` characters."""
    match = SENTENCE.match(text)
    return (match.group() if match else "").rstrip(MARKS + "\n")[:limit]

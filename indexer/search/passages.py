"""Highlighted passages: the sentences of a section that hold the query's terms.

Matching runs on the folded text (traditional and full-width folded, length kept), so a
simplified query marks 004's traditional characters, and punctuation between the
characters of a term is allowed (双随机、一公开). Everything else is HTML-escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from html import escape

from indexer.text.analysis import PINYIN_RESIDUE
from indexer.text.normalize import compact, fold
from indexer.text.sentences import sentence_spans

GAP = rf"(?:[^\w\n。！？；!?;]{{0,3}}|{PINYIN_RESIDUE})"  # punctuation/space (or a pinyin residue) inside a term
WIDTH = 140  # characters around the match when a sentence is long


@lru_cache(maxsize=256)
def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for all terms, longest first, punctuation allowed between characters."""
    keys = sorted({k for t in terms if (k := compact(t))}, key=len, reverse=True)
    if not keys:
        return None
    return re.compile("|".join(GAP.join(map(re.escape, key)) for key in keys))


def find_spans(text: str, terms: Sequence[str], folded: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the terms in `text` (offsets into the original text).

    `folded` is `fold(text)` when the caller already has it.
    """
    pattern = term_pattern(tuple(terms))
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(folded if folded is not None else fold(text))]


def mark(text: str, spans: Sequence[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """Escaped `text[start:end]` with the spans inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    out, at = [], start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b or a < at:
            continue
        out.append(escape(text[at:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        at = b
    out.append(escape(text[at:end]))
    return "".join(out)


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(start, end) for start, end in sentence_spans(text) if text[start:end].strip()]


def _not_inside(start: int, stop: int, spans: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Widen a window so that it neither starts nor ends inside a marked term."""
    for a, b in spans:
        if a < start < b:
            start = a
        if a < stop < b:
            stop = b
    return start, stop


def highlight(
    text: str, terms: Sequence[str], limit: int = 3, fallback: Sequence[str] = ()
) -> tuple[str, ...]:
    """Up to `limit` passages of `text` with the terms marked, in reading order.

    `fallback` terms (the words of a query that was split) are marked only where none of
    the `terms` themselves occur.
    """
    keyed = fold(text)
    spans = find_spans(text, terms, keyed) or find_spans(text, fallback, keyed)
    if not spans:
        snippet = text[:WIDTH].strip()
        return (escape(snippet) + ("…" if len(text) > WIDTH else ""),) if snippet else ()
    scored = []
    starts, ends = [a for a, _ in spans], [b for _, b in spans]  # sorted alike: the spans never overlap
    keys: dict[str, str] = {}  # a matched text → its term (compact() once per distinct text)
    for s, e in _sentences(text):
        inside = spans[bisect_left(starts, s):bisect_right(ends, e)]  # the spans within the sentence
        if inside:
            found = {keyed[a:b] for a, b in inside}
            distinct = len({keys.get(t) or keys.setdefault(t, compact(t)) for t in found})
            scored.append((-(distinct * 10 + len(inside)), s, e, inside))
    chosen = sorted(sorted(scored)[:limit], key=lambda item: item[1])
    passages = []
    for _, s, e, inside in chosen:
        s = len(text[s:e]) - len(text[s:e].lstrip()) + s
        if e - s > WIDTH:  # long sentence: a window around its first match
            start = max(s, inside[0][0] - WIDTH // 3)
            stop = min(e, start + WIDTH)
            start, stop = _not_inside(start, stop, inside)
            passages.append(("…" if start > s else "") + mark(text, inside, start, stop) + ("…" if stop < e else ""))
        else:
            passages.append(mark(text, inside, s, e).strip())
    return tuple(passages)

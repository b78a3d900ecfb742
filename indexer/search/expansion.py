"""A plain (unquoted) query term → the parts a graded node matches, and their expansions.

* `query_words`: the segmented words with lone characters kept as bigrams (网上办理 率 → 理率)
  and function characters (的, 和 …) left out, and said so;
* `compound_node`: a long dictionary word, also found as its own words (near evidence);
* `near_node`: a near-term from synonyms.toml at half weight (a measure: all its variants),
  near evidence (level 2 at best);
* `measure_node`: a measure's variants and tag, the typed form first; `name_words`: the words of
  a lone measure name, from level 2 down;
* `graded`: the plain terms of one AND group as one `Graded` node.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from indexer.ingest.measures import Measure, measure_named
from indexer.search import querytree as qt
from indexer.text.analysis import split_compound
from indexer.text.normalize import compact, is_han

VARIANT_WEIGHT = 0.3  # a variant of a measure counts less than the form the user typed
WHOLE_WEIGHT = 2.0  # a split term found as one string ranks above its words found apart
SYNONYM_WEIGHT = 0.5  # a near-term of a typed word (synonyms.toml) counts half
MINIMUM_SHARE = 2 / 3  # level 2: a section holds at least this share of the words
COMPOUND_LENGTH = 4  # a dictionary word this long may also be found as its words
FUNCTION_CHARS = frozenset("的了和与及或等之在对把被将是并其")  # left out of a term, and said so


@dataclass(frozen=True)
class Words:
    """The graded parts of a plain term (merged with the other plain terms of its group)."""

    parts: tuple[qt.Node, ...]
    bonus: tuple[qt.Node, ...]
    alone: qt.Node | None = None  # what else the term finds when it is the group's only term


def graded(words: list[Words]) -> qt.Node:
    """The plain terms of one AND group as one graded node, even a lone word (so that its
    character pairs reach what its words miss); a lone measure name also finds its words,
    below the measure."""
    parts = tuple(p for w in words for p in w.parts)
    bonus = tuple(b for w in words for b in w.bonus)
    if len(words) == 1 and words[0].alone is not None:
        parts = (qt.Or((*parts, words[0].alone)),)
    return qt.Graded(parts, minimum_should_match(len(parts)), bonus)


def minimum_should_match(parts: int) -> int:
    """How many of the parts a section must hold for level 2: two thirds, rounded up."""
    return max(1, math.ceil(parts * MINIMUM_SHARE - 1e-9))


def query_words(words: list[str]) -> tuple[list[str], list[str]]:
    """Content words of a segmented term, and the function characters left out.

    Runs of single ideographs become one word (互 认 → 互认); a lone ideograph that is not a
    function character (的, 和 …) is kept as a required bigram with its neighbour's nearest
    character (网上办理 率 → 网上办理, 理率), never silently dropped.
    """
    merged: list[tuple[str, bool]] = []  # (word, a run of lone ideographs)
    for word in words:
        lone = _lone(word) and word not in FUNCTION_CHARS
        if lone and merged and merged[-1][1]:
            merged[-1] = (merged[-1][0] + word, True)
        else:
            merged.append((word, lone))
    out: list[str] = []
    dropped: list[str] = []
    for i, (word, lone) in enumerate(merged):
        after = merged[i + 1][0] if i + 1 < len(merged) else ""
        before = merged[i - 1][0] if i else ""
        if _lone(word) and not lone:
            dropped.append(word)
        elif lone and len(word) == 1 and (after and after not in FUNCTION_CHARS or before):
            out.append(word + after[0] if after and after not in FUNCTION_CHARS else before[-1] + word)
        else:
            out.append(word)
    return list(dict.fromkeys(out)), dropped


def _lone(word: str) -> bool:
    return len(word) == 1 and is_han(word)


def name_words(name: str) -> qt.Node | None:
    """The words of a measure's name (信用监管 → 信用, 监管), graded from level 2 down, at the
    variants' weight; None when the name does not split into words of two characters or more."""
    pieces = split_compound(compact(name)) if len(compact(name)) >= COMPOUND_LENGTH else []
    if len(pieces) < 2 or any(len(p) < 2 for p in pieces):
        return None
    texts = tuple(qt.Text(p, p, VARIANT_WEIGHT) for p in pieces)
    return qt.Near(qt.Graded(texts, minimum_should_match(len(texts)), floor=2))


def compound_node(word: str, negated: bool = False) -> qt.Node:
    """A typed word; a long dictionary compound (政务服务便民化) also finds its words apart
    (政务服务 … 便民化, graded from level 2 down), so that the vocabulary keeps it whole for
    the exact match without hiding the reports that write it in two places."""
    pieces = split_compound(word) if len(word) >= COMPOUND_LENGTH else []
    exact = qt.Text(word, compact(word))
    if not pieces or any(len(p) < 2 for p in pieces):
        return exact
    texts = tuple(qt.Text(p, compact(p)) for p in pieces)
    if negated:  # excluded: the word, or its words in one section
        return qt.Or((exact, qt.And(texts)))
    return qt.Or((exact, qt.Near(qt.Graded(texts, minimum_should_match(len(texts)), floor=2))))


def near_node(term: str) -> qt.Node:
    """A near-term of a typed word, at the near-term weight (a measure: any of its forms): near
    evidence, never counted as the word."""
    if (measure := measure_named(term)) is not None:
        forms = dict.fromkeys([measure.name, *measure.variants])
        return qt.Near(qt.Or((*(qt.Text(v, compact(v), VARIANT_WEIGHT) for v in forms if compact(v)),
                              qt.Tagged(measure.name, VARIANT_WEIGHT))))
    return qt.Near(qt.Text(term, compact(term), SYNONYM_WEIGHT))


def measure_node(measure: Measure, typed: str, info: dict[str, Any]) -> qt.Node:
    """Any variant of the measure or its index-time tag; the form the user typed ranks first."""
    info.setdefault("measures", []).append({"measure": measure.name, "variants": list(measure.variants)})
    forms = dict.fromkeys([typed, measure.name, *measure.variants])
    texts = [qt.Text(v, compact(v), 1.0 if v == typed else VARIANT_WEIGHT) for v in forms if compact(v)]
    return qt.Or((*texts, qt.Tagged(measure.name, VARIANT_WEIGHT)))

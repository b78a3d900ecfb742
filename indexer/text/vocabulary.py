"""Policy vocabulary and near-terms, read from data/vocabulary.txt and data/synonyms.toml.

* vocabulary.txt: one policy term a line (放管服, 免申即享 …; `#` starts a comment). The
  segmenter keeps each one whole, with every measure name and variant.
* synonyms.toml: `[[group]] terms = [...]`, words a researcher may use for the same idea.
  Groups are symmetric; a query word found in a group is expanded to the group's other
  terms at a lower weight than the typed word (a term that names a measure brings the
  measure's variants).

A malformed file raises VocabularyError: one line naming the file and the entry.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from indexer.config import TEXT_DATA_DIR
from indexer.text.normalize import compact

VOCABULARY_FILE = TEXT_DATA_DIR / "vocabulary.txt"
SYNONYMS_FILE = TEXT_DATA_DIR / "synonyms.toml"


class VocabularyError(ValueError):
    """The vocabulary or the synonym table is malformed; the message names the entry."""


def load_vocabulary(path: Path = VOCABULARY_FILE) -> tuple[str, ...]:
    """The terms of a vocabulary file, in file order, compacted."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise VocabularyError(f"词表文件 {path.name} 无法读取：{err}") from err
    terms: list[str] = []
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        term = compact(entry)
        if len(term) < 2 or len(entry.split()) > 1:
            raise VocabularyError(f"词表文件 {path.name} 第 {number} 行“{entry}”无效：每行写一个至少两个字的词。")
        terms.append(term)
    return tuple(dict.fromkeys(terms))


def load_synonyms(path: Path = SYNONYMS_FILE) -> tuple[tuple[str, ...], ...]:
    """The groups of a synonym file, each as compacted terms in file order."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise VocabularyError(f"近义词文件 {path.name} 有误：{err}") from err
    groups = data.get("group")
    if not isinstance(groups, list) or set(data) - {"group"}:
        raise VocabularyError(f"近义词文件 {path.name} 有误：只能包含 [[group]] 条目。")
    out: list[tuple[str, ...]] = []
    for number, group in enumerate(groups, 1):
        terms = group.get("terms") if isinstance(group, dict) else None
        if (not isinstance(terms, list) or len(terms) < 2 or set(group) - {"terms"}
                or not all(isinstance(t, str) and len(compact(t)) >= 2 for t in terms)):
            raise VocabularyError(f"近义词文件 {path.name} 第 {number} 个 [[group]]（{group!r}）无效："
                                  "terms 须为至少两个词的列表，每个词至少两个字。")
        out.append(tuple(dict.fromkeys(compact(t) for t in terms)))
    return tuple(out)


@lru_cache(maxsize=1)
def policy_terms() -> tuple[str, ...]:
    """The shipped vocabulary."""
    return load_vocabulary()


@lru_cache(maxsize=1)
def _near_index() -> dict[str, tuple[str, ...]]:
    near: dict[str, dict[str, None]] = {}
    for group in load_synonyms():
        for term in group:
            near.setdefault(term, {}).update(dict.fromkeys(t for t in group if t != term))
    return {term: tuple(others) for term, others in near.items()}


def near_terms(word: str) -> tuple[str, ...]:
    """The other terms of every group holding `word` (compared compacted), in file order."""
    return _near_index().get(compact(word), ())


def synonym_words() -> set[str]:
    """Every term of the synonym table: words for the segmenter's dictionary too."""
    return set(_near_index())

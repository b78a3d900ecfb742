"""Policy measures: a taxonomy read from data/measures.toml, and tagging text with it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from indexer.config import DataFileError, measures_file
from indexer.text.normalize import compact


@dataclass(frozen=True)
class Measure:
    """A policy measure with the variant forms that name it."""

    name: str
    variants: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = ()

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Variants in compact form (folded, punctuation dropped), longest first."""
        keys = {compact(v) for v in (self.name, *self.variants)}
        return tuple(sorted(keys, key=lambda k: (-len(k), k)))


class TaxonomyError(DataFileError):
    """The measures file is malformed."""


def load_measures(path: Path) -> tuple[Measure, ...]:
    """Read the taxonomy file; raises TaxonomyError with one line naming the faulty entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise TaxonomyError(f"措施分类文件 {path.name} 无法读取：{err}") from err
    entries = data.get("measure")
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"措施分类文件 {path.name} 中没有 [[measure]] 条目。")
    return tuple(_measure(entry, i, path.name) for i, entry in enumerate(entries, 1))


def _measure(entry: dict[str, object], number: int, filename: str) -> Measure:
    name = entry.get("name") if isinstance(entry, dict) else None
    where = f"措施分类文件 {filename} 第 {number} 个措施{f'“{name}”' if name else ''}"
    if not isinstance(name, str) or not name.strip():
        raise TaxonomyError(f"{where}缺少 name。")
    variants, patterns = entry.get("variants", []), entry.get("patterns", [])
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise TaxonomyError(f"{where}的 variants 必须是字符串列表。")
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise TaxonomyError(f"{where}的 patterns 必须是字符串列表。")
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as err:
            raise TaxonomyError(f"{where}的正则 {pattern!r} 有误：{err}") from err
    return Measure(name=name, variants=tuple(variants), patterns=tuple(compiled))


def taxonomy() -> tuple[Measure, ...]:
    """The measures of the taxonomy file in force (read once per file)."""
    return _taxonomy_of(measures_file())


@lru_cache(maxsize=4)
def _taxonomy_of(path: Path) -> tuple[Measure, ...]:
    return load_measures(path)


@lru_cache(maxsize=4)
def _key_index(measures: tuple[Measure, ...]) -> dict[str, Measure]:
    return {key: m for m in measures for key in m.keys}


def measure_named(text: str) -> Measure | None:
    """The measure whose name or variant `text` is (ignoring punctuation and script)."""
    return _key_index(taxonomy()).get(compact(text))


def find_measures(*texts: str) -> tuple[str, ...]:
    """Names of the measures mentioned in any of `texts` (each read apart), in taxonomy order."""
    flats = [compact(text) for text in texts]
    return tuple(
        m.name
        for m in taxonomy()
        if any(any(k in flat for k in m.keys) or any(p.search(flat) for p in m.patterns) for flat in flats)
    )


def dictionary_words() -> set[str]:
    """Every measure name and variant, compacted: words for the segmenter's dictionary."""
    return {k for m in taxonomy() for k in m.keys}

"""Policy measures: a taxonomy read from data/measures.toml, and tagging text with it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .config import MEASURES_FILE
from .normalize import compact


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


class TaxonomyError(Exception):
    """The measures file is malformed."""


def load_measures(path: Path = MEASURES_FILE) -> tuple[Measure, ...]:
    """Read the taxonomy file; raises TaxonomyError with the reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return tuple(
            Measure(
                name=entry["name"],
                variants=tuple(entry.get("variants", ())),
                patterns=tuple(re.compile(p) for p in entry.get("patterns", ())),
            )
            for entry in data["measure"]
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError, re.error) as err:
        raise TaxonomyError(f"措施分类文件 {path.name} 有误：{err}") from err


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Measure, ...]:
    """The measures of the shipped taxonomy file."""
    return load_measures()


@lru_cache(maxsize=1)
def _key_index() -> dict[str, Measure]:
    return {key: m for m in taxonomy() for key in m.keys}


def measure_named(text: str) -> Measure | None:
    """The measure whose name or variant `text` is (ignoring punctuation and script)."""
    return _key_index().get(compact(text))


def find_measures(text: str) -> tuple[str, ...]:
    """Names of the measures mentioned in `text`, in taxonomy order."""
    flat = compact(text)
    return tuple(
        m.name
        for m in taxonomy()
        if any(k in flat for k in m.keys) or any(p.search(flat) for p in m.patterns)
    )


def dictionary_words() -> set[str]:
    """Every measure name and variant, compacted: words for the segmenter's dictionary."""
    return {k for m in taxonomy() for k in m.keys}

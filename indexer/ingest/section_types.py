"""Section types (roles of a report's parts): read from data/section_types.toml.

Each type has a name, regexes matched on a folded heading, optional regexes matched on the
first sentence of the body (used when the heading names no type), and whether it is a
role: a part of that type gives it to every section under it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.config import SECTION_TYPES_FILE

OTHER = "其他"  # the type of a section nothing names


@dataclass(frozen=True)
class SectionType:
    """One section type and how a heading or an opening sentence names it."""

    name: str
    headings: tuple[re.Pattern[str], ...]
    openings: tuple[re.Pattern[str], ...] = ()
    role: bool = False


class SectionTypeError(Exception):
    """The section types file is malformed."""


def _entry(index: int, entry: object, path: Path) -> SectionType:
    name = entry.get("name", f"第{index}条") if isinstance(entry, dict) else f"第{index}条"
    try:
        if not isinstance(entry, dict) or not isinstance(entry["name"], str):
            raise TypeError("每条须有 name")
        for key in ("headings", "openings"):
            if not all(isinstance(p, str) for p in entry.get(key, [])) or not isinstance(entry.get(key, []), list):
                raise TypeError(f"{key} 须为字符串列表")
        if not isinstance(entry.get("role", False), bool):
            raise TypeError("role 须为 true 或 false")
        return SectionType(
            name=entry["name"],
            headings=tuple(re.compile(p) for p in entry.get("headings", ())),
            openings=tuple(re.compile(p) for p in entry.get("openings", ())),
            role=bool(entry.get("role", False)),
        )
    except (KeyError, TypeError, re.error) as err:
        raise SectionTypeError(f"章节类型文件 {path.name} 的条目“{name}”有误：{err}") from None


def load_section_types(path: Path = SECTION_TYPES_FILE) -> tuple[SectionType, ...]:
    """Read the section types file; raises SectionTypeError with one line naming the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise SectionTypeError(f"章节类型文件 {path.name} 无法读取：{err}") from None
    entries = data.get("type")
    if not isinstance(entries, list) or not entries:
        raise SectionTypeError(f"章节类型文件 {path.name} 没有 [[type]] 条目。")
    return tuple(_entry(i, entry, path) for i, entry in enumerate(entries, 1))


@lru_cache(maxsize=1)
def section_types() -> tuple[SectionType, ...]:
    """The section types of the shipped file, in matching order."""
    return load_section_types()


def section_type_names() -> tuple[str, ...]:
    """Every type name in the file, then 其他."""
    names = [t.name for t in section_types()]
    return (*dict.fromkeys(names), *(() if OTHER in names else (OTHER,)))

"""What every reader returns, and the error it raises for a file it cannot read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_LEVEL = 3  # section levels: 1 一、, 2 （一）, 3 1.


class ReadError(Exception):
    """A source file could not be read; the message says why, in one line."""


@dataclass(frozen=True)
class Extracted:
    """The plain text of a file, with the lines its format marks as headings."""

    text: str
    encoding: str = ""
    headings: Mapping[int, int] = field(default_factory=dict)  # line index → level 1..3


_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t\n]*(?=[{_CJK}])")


def join_cjk_breaks(text: str) -> str:
    """Drop source line breaks between two Chinese characters (HTML/Markdown soft wraps)."""
    return _CJK_BREAK.sub("", text)


FIELD_LINE = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]")  # 发布机构：… above a page's title


class TextBuilder:
    """Collects lines and heading marks; a lone top heading before any text is the title."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.levels: dict[int, int] = {}
        self.has_title = False  # a heading was taken as the document title

    def add(self, text: str) -> None:
        """Body text: one or more lines."""
        for line in text.split("\n"):
            if line.strip():
                self.lines.append(line.strip())

    def heading(self, text: str, level: int) -> None:
        """A heading of the format's own level (h2, Heading 2, ## …): any positive number."""
        text = " ".join(text.split())
        if text:
            self.levels[len(self.lines)] = level
            self.lines.append(text)

    def build(self, encoding: str = "") -> Extracted:
        """The text, with heading levels renumbered from 1 and capped at MAX_LEVEL."""
        levels = dict(self.levels)
        if levels:
            first = min(levels)
            above = all(v > levels[first] for i, v in levels.items() if i != first)
            if above and all(FIELD_LINE.match(line) for line in self.lines[:first]):
                del levels[first]  # "# 标题" over "## 一、…": the document title, left to the metadata
                self.has_title = True
        ranks = {lv: i + 1 for i, lv in enumerate(sorted(set(levels.values())))}
        headings = {i: min(ranks[lv], MAX_LEVEL) for i, lv in levels.items()}
        return Extracted("\n".join(self.lines), encoding, headings)

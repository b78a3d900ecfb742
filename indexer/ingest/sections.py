"""Split a report's body into sections as written: 一、 / （一） / 1. headings.

Each heading opens a section that runs to the next heading of any level; text before the
first heading is the preamble. A digit heading that continues the top-level count
(一、 二、 then "3、") is read as top level, otherwise as a numbered item.

Each section is typed (data/section_types.toml) from its heading path and the first sentence
of its body: a part typed as a role (存在问题, 下一步工作 …) gives its type to everything under
it, unless its heading names several types; a numbered item never opens a new role.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from indexer.ingest.conventions import DIGIT, HAN_NUM, LEVEL1, LEVEL2
from indexer.ingest.section_types import OTHER, SectionType, section_types
from indexer.text.normalize import clean_whitespace, fold
from indexer.text.numerals import chinese_number
from indexer.text.sentences import first_sentence

HEADING_END = re.compile(r"[。；;:：!！?？]")
MAX_HEADING = 50

NUMBERING = re.compile(rf"^\s*(?:第[{HAN_NUM}]+(?:部分|章)|[{HAN_NUM}]+\s*(?:、|\.)|\(\s*[{HAN_NUM}\d]+\s*\)"
                       r"|[\"“]?\d{1,3}\s*(?:、|\.))\s*")


@dataclass(frozen=True)
class RawSection:
    """A section before tagging: heading, depth, path and body text."""

    heading: str
    depth: int  # heading depth: 0 preamble, 1 一、, 2 （一）, 3 1.
    path: tuple[str, ...]
    section_type: str
    body: str


def cn_number(text: str) -> int:
    """Value of a heading's Chinese numeral (十二 → 12, 二十 → 20); 0 if it is not one."""
    return chinese_number(text) or 0


def heading_types(heading: str) -> list[SectionType]:
    """Every section type a heading names, in the data file's order."""
    folded = NUMBERING.sub("", fold(heading), count=1).rstrip("…")
    return [t for t in section_types() if any(p.search(folded) for p in t.headings)]


def classify_heading(heading: str) -> str | None:
    """The section type a heading names, if any (the first in the data file's order)."""
    found = heading_types(heading)
    return found[0].name if found else None


def classify_opening(body: str) -> str | None:
    """The section type the first sentence of a body names (存在的问题主要有… / 下一步，我局将…), if any."""
    sentence = first_sentence(fold(body.lstrip()))
    return next((t.name for t in section_types() if any(p.search(sentence) for p in t.openings)), None)


@dataclass(frozen=True)
class _Open:
    """An open ancestor heading: its level, text, type and whether it imposes its type as a role."""

    level: int
    heading: str
    section_type: str
    imposes: bool


def _type_section(heading: str, level: int, parent: _Open | None, first_line: str) -> _Open:
    """Type a heading from its path and first sentence: an imposed role, else its own, else its parent's."""
    found = heading_types(heading)
    if parent and parent.imposes:
        return _Open(level, heading, parent.section_type, True)
    if level >= 3 and parent and parent.section_type != OTHER:
        found = [t for t in found if not t.role]  # a numbered item does not open a new role
    if found:
        # A part whose heading names several types (工作总结及下一步计划) lets its children type themselves.
        imposes = found[0].role and len({t.name for t in found}) == 1
        return _Open(level, heading, found[0].name, imposes)
    opening = classify_opening(first_line) if first_line else None
    if opening and not (level >= 3 and parent and parent.section_type != OTHER):
        role = next(t.role for t in section_types() if t.name == opening)
        return _Open(level, heading, opening, role)
    return _Open(level, heading, parent.section_type if parent else OTHER, False)


def split_heading(line: str, marker_end: int) -> tuple[str, str]:
    """Split a heading line into (heading, body): （一）依法实施情况。一是… → both parts."""
    rest = line[marker_end:]
    end = HEADING_END.search(rest)
    if end and end.start() <= MAX_HEADING:
        return line[: marker_end + end.start()].strip(), rest[end.end():].strip()
    if len(rest) <= MAX_HEADING + 10:
        return line.strip(), ""
    # A long first sentence: a short label (ending in …) and the whole line as body.
    comma = re.search(r"[，,]", rest[:30])
    cut = comma.start() if comma else 24
    return (line[: marker_end + cut] + "…").strip(), line.strip()


class _Outline:
    """Tracks numbering state while walking the lines."""

    def __init__(self) -> None:
        self.level1 = 0  # number of the last top-level heading
        self.last_digit = 0  # last numbered item since then

    def match(self, line: str) -> tuple[int, int] | None:
        """(level, end of the numbering marker) if `line` is a heading."""
        folded = fold(line)
        if m := LEVEL1.match(folded):
            self.level1 = cn_number(m.group(1) or m.group(2))
            self.last_digit = 0
            return 1, m.end()
        if m := LEVEL2.match(folded):
            return 2, m.end()
        if m := DIGIT.match(folded):
            number = int(m.group(1))
            if self.level1 and number == self.level1 + 1 and self.last_digit != number - 1:
                self.level1, self.last_digit = number, 0
                return 1, m.end()
            self.last_digit = number
            return 3, m.end()
        return None


def split_sections(lines: list[str], explicit: Mapping[int, int] | None = None) -> list[RawSection]:
    """Sections of a body given as lines; the first is the preamble (level 0) if any text.

    `explicit` marks lines that the file's format made headings (Markdown #, Word heading
    styles, HTML h1–h6): line index → level. They are headings whatever their wording.
    """
    explicit = explicit or {}
    outline = _Outline()
    found: list[tuple[int, str, str, tuple[_Open, ...]]] = []  # level, heading, body, open ancestors
    stack: list[_Open] = []
    heading, level = "", 0
    body: list[str] = []

    def close() -> None:
        text = "\n".join(body).strip()
        if level == 0 and not text:
            return
        if level:  # type the heading now that its first sentence is known
            parent = stack[-2] if len(stack) > 1 else None
            stack[-1] = _type_section(heading, level, parent, text)
        found.append((level, heading, text, tuple(stack)))

    for index, raw in enumerate(lines):
        line = clean_whitespace(raw)
        if not line:
            continue
        match = outline.match(line)
        if index in explicit:
            match = explicit[index], match[1] if match else 0
        if match is None:
            body.append(line)
            continue
        close()
        level, marker_end = match
        heading, rest = split_heading(line, marker_end)
        while stack and stack[-1].level >= level:
            stack.pop()
        stack.append(_Open(level, heading, OTHER, False))
        body = [rest] if rest else []
    close()
    return [
        RawSection(heading, level, tuple(o.heading for o in path), path[-1].section_type if path else OTHER, text)
        for level, heading, text, path in found
    ]

"""Split a report's body into sections as written: 一、 / （一） / 1. headings.

Each heading opens a section that runs to the next heading of any level; text before the
first heading is the preamble. A digit heading that continues the top-level count
(一、 二、 then "3、") is read as top level, otherwise as a numbered item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .normalize import clean_whitespace, fold

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十百零〇两"
LEVEL1 = re.compile(rf"^\s*(?:第([{_CN}]+)(?:部分|章)\s*|([{_CN}]+)\s*(?:、|\.(?!\d)))")
LEVEL2 = re.compile(rf"^\s*\(\s*([{_CN}]+)\s*\)\s*")
DIGIT = re.compile(r"^\s*[\"“]?\s*(\d{1,3})\s*(?:、|\.(?!\d))\s*[\"”]?\s*")
HEADING_END = re.compile(r"[。；;:：!！?？]")
MAX_HEADING = 50

# Canonical section types, matched on a folded heading (first match wins).
SECTION_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("存在问题", r"问题|困难|不足|短板|薄弱"),
        ("下一步工作", r"下一步|下步|工作计划|工作打算|工作安排|工作思路|明年|\d{4}年.*(计划|打算|安排)|建议|展望"),
        ("工作目标", r"目标|总体要求|指导思想|基本原则"),
        ("主要任务", r"主要任务|重点任务|工作任务|任务分工|工作措施$"),
        ("保障措施", r"保障措施|组织保障|组织实施|实施保障|工作要求"),
        ("依法实施", r"依法实施|实施情况$"),
        ("公开公示", r"公开|公示"),
        ("监督管理", r"监督管理|监管|监督检查"),
        ("实施效果", r"实施效果|成效|效果|成果"),
        ("创新举措", r"创新|亮点|特色|经验做法|典型"),
        ("标准化", r"标准化|规范化"),
        ("基本情况", r"基本情况|总体情况|工作情况|主要做法|工作开展情况|概况"),
    )
)
# Types that a whole top-level part gives to everything under it.
ROLE_TYPES = frozenset({"存在问题", "下一步工作", "工作目标", "主要任务", "保障措施"})


@dataclass(frozen=True)
class RawSection:
    """A section before tagging: heading, level, path and body text."""

    heading: str
    level: int
    path: tuple[str, ...]
    section_type: str
    body: str


def cn_number(text: str) -> int:
    """Value of a Chinese numeral up to 999 (十二 → 12, 二十 → 20)."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS.get(ch, 0)
    return total + current


def classify_heading(heading: str) -> str | None:
    """The canonical section type a heading names, if any."""
    folded = fold(heading)
    for name, pattern in SECTION_TYPE_RULES:
        if pattern.search(folded):
            return name
    return None


def section_type_for(heading: str, parent_type: str | None) -> str:
    """A section's type: a role inherited from its part, else its own, else its parent's."""
    if parent_type in ROLE_TYPES:
        return parent_type
    return classify_heading(heading) or parent_type or "其他"


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
    sections: list[RawSection] = []
    stack: list[tuple[int, str, str]] = []  # (level, heading, type) of open ancestors
    heading, level = "", 0
    body: list[str] = []

    def close() -> None:
        text = "\n".join(body).strip()
        if level == 0 and not text:
            return
        section_type = stack[-1][2] if stack else "其他"
        sections.append(RawSection(heading, level, tuple(h for _, h, _ in stack), section_type, text))

    for index, raw in enumerate(lines):
        line = clean_whitespace(raw)
        if not line:
            continue
        found = outline.match(line)
        if index in explicit:
            found = explicit[index], found[1] if found else 0
        if found is None:
            body.append(line)
            continue
        close()
        level, marker_end = found
        heading, rest = split_heading(line, marker_end)
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent_type = stack[-1][2] if stack else None
        stack.append((level, heading, section_type_for(heading, parent_type)))
        body = [rest] if rest else []
    close()
    return sections

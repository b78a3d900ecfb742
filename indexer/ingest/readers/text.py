"""Plain text and Markdown reports."""

from __future__ import annotations

import re

from indexer.ingest.readers.base import Extracted, TextBuilder
from indexer.ingest.readers.encoding import decode

ATX = re.compile(r"^\s{0,3}(#{1,6})(?!#)\s*(.+?)\s*#*\s*$")  # "##工作成效" too: no space needed
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Each inner part excludes its own delimiters, so a scan from one opening stops at the next one:
# linear on a line of a thousand "[" or "**" without a closing (else quadratic: minutes).
INLINE = (
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)"), ""),  # images
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\*\*([^*]+)\*\*|__([^_]+)__"), r"\1\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"<[^<>\n]+>"), ""),  # inline HTML tags
)


def _lines(data: bytes) -> tuple[list[str], str]:
    text, encoding = decode(data)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), encoding


def read_text(data: bytes) -> Extracted:
    """A .txt report: decoded, line breaks normalised, no headings of its own."""
    lines, encoding = _lines(data)
    return Extracted("\n".join(lines), encoding)


def _inline(line: str) -> str:
    for pattern, repl in INLINE:
        line = pattern.sub(repl, line)
    return line


FRONT_FIELDS = {"title": "", "标题": "", "date": "发布日期", "日期": "发布日期", "发布日期": "发布日期",
                "author": "发布机构", "agency": "发布机构", "发布机构": "发布机构", "source": "来源", "来源": "来源"}


def front_matter(lines: list[str]) -> tuple[list[str], int]:
    """A YAML block (--- … ---) at the top: title first, then "发布日期：…" style lines; lines used."""
    if not lines or lines[0].strip() != "---":
        return [], 0
    end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() in ("---", "...")), 0)
    out: list[str] = []
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        label = FRONT_FIELDS.get(key.strip().lower())
        value = value.strip().strip("\"'")
        if not sep or not value or label is None:
            continue
        if label:
            out.append(f"{label}：{value}")
        else:
            out.insert(0, value)  # the title
    return (out, end + 1) if end else ([], 0)


def read_markdown(data: bytes) -> Extracted:
    """A .md report: # and underlined headings keep their level; markup is dropped.

    Each source line stays a line (reports saved as Markdown are rarely hard-wrapped, and
    joining lines would glue a numbered heading to the paragraph under it).
    """
    lines, encoding = _lines(data)
    out = TextBuilder()
    fields, start = front_matter(lines)
    for line in fields:
        out.add(line)
    in_fence = False
    for i, raw in enumerate(lines[start:], start):
        if FENCE.match(raw):
            in_fence = not in_fence
        elif in_fence:
            out.add(raw)
        elif m := ATX.match(raw):
            out.heading(_inline(m.group(2)), len(m.group(1)))
        elif (underline := SETEXT.match(lines[i + 1] if i + 1 < len(lines) else "")) and raw.strip() \
                and not RULE.match(raw) and not TABLE_RULE.match(raw):
            out.heading(_inline(raw), 1 if underline.group(1).startswith("=") else 2)
        elif SETEXT.match(raw) or RULE.match(raw) or TABLE_RULE.match(raw):
            continue
        else:
            line = re.sub(r"^\s{0,3}(?:>\s?)+", "", raw)  # block quotes
            line = re.sub(r"^\s*[-*+]\s+", "", line)  # bullets (1. stays: it is a heading form)
            if line.lstrip().startswith("|"):
                line = "  ".join(c.strip() for c in line.strip().strip("|").split("|"))
            out.add(_inline(line))
    return out.build(encoding)

"""Word's automatic paragraph numbers (一、 （一） 1.), rendered as Word shows them.

Official documents often number their headings with a list style: the number is not in
the paragraph's text, so without it "一、基本情况" reads as "基本情况" and no heading rule sees it.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

CN = "零一二三四五六七八九"
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
STEMS = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
         (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def chinese(n: int, digits: str = CN, ten: str = "十") -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 999)."""
    if n <= 0 or n > 999:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{digits[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    elif hundreds and ones:
        out += digits[0]
    return out + (digits[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese(n)
    if fmt == "chineseLegalSimplified":
        return chinese(n, CN_LEGAL, "拾")
    if fmt == "ideographTraditional" and n <= len(STEMS):
        return STEMS[n - 1]
    if fmt == "decimalEnclosedCircle" and n <= len(CIRCLED):
        return CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _val(element: Any, tag: str) -> str | None:
    found = element.find(qn(tag)) if element is not None else None
    return found.get(qn("w:val")) if found is not None else None


class Numbering:
    """Counts a document's numbered paragraphs in order and gives each its label."""

    def __init__(self, document: Any) -> None:
        self.abstract_of: dict[str, str] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstract, ilvl) → fmt, text, start
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            key = abstract.get(qn("w:abstractNumId"))
            for lvl in abstract.findall(qn("w:lvl")):
                start = _val(lvl, "w:start")
                self.levels[(key, int(lvl.get(qn("w:ilvl"), 0)))] = (
                    _val(lvl, "w:numFmt") or "decimal", _val(lvl, "w:lvlText") or "", int(start or 1))
        for num in root.findall(qn("w:num")):
            self.abstract_of[num.get(qn("w:numId"))] = _val(num, "w:abstractNumId") or ""

    def _num_pr(self, paragraph: Paragraph) -> tuple[str, int] | None:
        elements = [paragraph._p]
        style = paragraph.style
        while style is not None:
            elements.append(style.element)
            style = style.base_style
        for element in elements:
            ppr = element.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is not None:
                num_id = _val(num_pr, "w:numId")
                return (num_id, int(_val(num_pr, "w:ilvl") or 0)) if num_id and num_id != "0" else None
        return None

    def label(self, paragraph: Paragraph) -> str:
        """The number Word shows before this paragraph ("一、", "（二）", "3."), or ""."""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        abstract = self.abstract_of.get(found[0], "")
        ilvl = found[1]
        if (abstract, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        counters[ilvl] = counters.get(ilvl, self.levels[(abstract, ilvl)][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = self.levels[(abstract, ilvl)]
        if fmt in ("bullet", "none"):
            return ""
        for level in range(ilvl + 1):
            level_fmt, _, start = self.levels.get((abstract, level), ("decimal", "", 1))
            text = text.replace(f"%{level + 1}", format_number(counters.get(level, start), level_fmt))
        return text

"""Years and dates as reports write them: 2023年4月4日, 2023-04-04, 二〇二三年三月十五日."""

from __future__ import annotations

import re

from indexer.text.numerals import chinese_number, spelled_digits

YEAR_TOKEN = r"(?:\d{4}|一九[〇零○o一二三四五六七八九]{2}|二[〇零○o][〇零○o一二三四五六七八九]{2})"
_SMALL = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE = re.compile(
    rf"(?P<y>{YEAR_TOKEN})\s*年\s*(?P<m>{_SMALL})\s*月\s*(?P<d>{_SMALL})\s*日"
    r"|(?P<y2>\d{4})\s*[-/.]\s*(?P<m2>\d{1,2})\s*[-/.]\s*(?P<d2>\d{1,2})(?!\d)"
)
# A year the text is about: not part of a range (2021—2025年) nor of a longer number; "2020全年" too.
YEAR = re.compile(rf"(?<![\d\-—–~～至到－])(?P<y>{YEAR_TOKEN})\s*(?:全|上半|下半)?年(?!\s*[\-—–~～至到－]\s*\d)")
_BRACKETED = re.compile(r"《[^》]*》|〔[^〕]*〕|（[^）]*）|\([^)]*\)|\[[^\]]*\]|［[^］]*］")
MIN_YEAR, MAX_YEAR = 1980, 2100


def year_value(token: str) -> int | None:
    """2023 for '2023' or '二〇二三'; None if it is not a plausible year."""
    digits = spelled_digits(token)
    if not digits.isdigit():
        return None
    year = int(digits)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _small_value(token: str) -> int:
    return int(token) if token.isdigit() else chinese_number(token) or 0


def find_dates(text: str) -> list[tuple[int, int, int]]:
    """Every full date in (folded) text as (year, month, day), in order; implausible ones dropped."""
    found = []
    for m in DATE.finditer(text):
        year = year_value(m.group("y") or m.group("y2"))
        month = _small_value(m.group("m") or m.group("m2"))
        day = _small_value(m.group("d") or m.group("d2"))
        if year and 1 <= month <= 12 and 1 <= day <= 31:
            found.append((year, month, day))
    return found


def iso_date(text: str) -> str:
    """The first full date in `text` as yyyy-mm-dd, or ""."""
    dates = find_dates(text)
    return "{:04d}-{:02d}-{:02d}".format(*dates[0]) if dates else ""


def unbracketed(text: str) -> str:
    """Text without what other documents' titles and numbers hold (《…》, 〔…〕, （…）)."""
    return _BRACKETED.sub(" ", text)


def stated_years(text: str, outside_brackets: bool = True) -> list[int]:
    """Years a (folded) text states (2022年, 二〇二二年度), in order; ranges and cited titles skipped."""
    source = unbracketed(text) if outside_brackets else text
    return [y for m in YEAR.finditer(source) if (y := year_value(m.group("y")))]

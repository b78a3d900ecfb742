"""Chinese numerals, the one reader of them: 十二 → 12, 一千二百三十四 → 1234, 三万 → 30000, and
years spelled digit by digit (二〇二三 → 2023). Headings (一、 （十二）), counts (受理一千二百件) and
dates (二〇二三年三月十五日) all read numbers through here."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "○": 0, "o": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
GROUPS = {"万": 10_000, "亿": 100_000_000}


def chinese_number(text: str) -> int | None:
    """The value of a numeral written with units (十二, 一百零五, 三万); None if it is not one."""
    if not text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            section += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        elif ch in GROUPS:
            total = (total + section + (digit or 0)) * GROUPS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def spelled_digits(text: str) -> str:
    """Digits spelled one by one (二〇二三 → "2023"); other characters are kept as they are."""
    return "".join(str(DIGITS[ch]) if ch in DIGITS else ch for ch in text)

"""One reader of Chinese numerals for headings, counts and dates."""

import pytest

from indexer.ingest.dates import find_dates, stated_years
from indexer.ingest.sections import cn_number
from indexer.text.numerals import chinese_number, spelled_digits


@pytest.mark.parametrize(
    ("text", "value"),
    [("十二", 12), ("二十", 20), ("二百三十六", 236), ("一百零五", 105), ("一千零五", 1005), ("三万", 30000),
     ("两万五千", 25000), ("〇", 0)],
)
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


def test_not_a_numeral():
    assert chinese_number("一窗") is None and chinese_number("") is None
    assert cn_number("窗") == 0  # a heading mark that is not a number


def test_years_spelled_digit_by_digit():
    assert spelled_digits("二〇二三") == "2023" and spelled_digits("二○二四") == "2024"
    assert stated_years("二〇二二年度工作情况") == [2022]


def test_dates_read_their_numbers_the_same_way():
    assert find_dates("二〇二三年十二月三十一日印发") == [(2023, 12, 31)]
    assert find_dates("2024年3月5日") == [(2024, 3, 5)]

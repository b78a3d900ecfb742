"""The search text and its bigrams: folding, punctuation, sentence ends; matching on a small index."""

import pytest

from indexer import SearchRequest, build_index, open_index
from indexer.index.postings import BigramSetTokenizer
from indexer.text.analysis import han_bigrams, search_text, segment
from indexer.text.normalize import compact


def test_search_text_folds_and_drops_in_sentence_punctuation():
    assert search_text("落实“双随机、一公开”监管") == "落实双随机一公开监管"
    assert search_text("全麵貫徹") == "全面贯彻"
    assert search_text("加强监管。容缺受理") == "加强监管\n容缺受理"


def test_a_term_is_found_only_within_one_sentence():
    text = search_text("加强监管。容缺受理")
    assert compact("监管容缺") not in text and compact("容缺受理") in text


def test_bigrams_are_distinct_ideograph_pairs():
    assert han_bigrams("双随机一公开") == {"双随", "随机", "机一", "一公", "公开"}
    assert han_bigrams("2023年") == set()  # no pair of ideographs: found by scanning
    assert sorted(t.text for t in BigramSetTokenizer()("公开公开")) == ["公开", "开公"]


def test_measure_terms_are_single_words():
    assert [w for w, _, _ in segment("推行容缺受理和告知承诺制")] == ["推行", "容缺受理", "和", "告知承诺制"]


def test_traditional_text_segments_like_simplified():
    assert [w for w, _, _ in segment("全麵貫徹")] == [w for w, _, _ in segment("全面贯彻")]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    src = tmp_path_factory.mktemp("small")
    texts = [
        "一、情况\n落实“双随机、一公开”监管。容缺受理",
        "一、情况\n推进双随机一公开",
        "一、情况\n贯彻《中华人民共和国行政许可法》",
        "一、情况\n2023年度行政许可实施情况",
    ]
    for i, text in enumerate(texts):
        (src / f"{i}.txt").write_text(f"某市某局工作报告{i}\n{text}\n", encoding="utf-8")
    target = tmp_path_factory.mktemp("small_index")
    build_index([src], target)
    return open_index(target)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"双随机一公开"', {"0", "1"}),  # punctuation inside the term does not matter
        ('"双随机、一公开"', {"0", "1"}),
        ("人民共和国", {"2"}),  # substring of a longer word (中华人民共和国)
        ("行政许可", {"2", "3"}),  # … and of 行政许可法
        ("2023年", {"3"}),  # no ideograph pair: scanned, still exact
        ('"监管容缺"', set()),  # never across a sentence end
    ],
)
def test_contiguous_queries_on_a_small_index(small_index, query, expected):
    result = small_index.search(SearchRequest(query, page_size=100))
    assert {h.file.removesuffix(".txt") for h in result.hits} == expected

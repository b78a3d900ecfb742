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



@pytest.fixture(scope="module")
def loaded():
    """jieba as it is used on its own: its dictionary loaded, the added words added."""
    from indexer.text.analysis import loaded_segmenter

    return loaded_segmenter()


def test_the_frequency_table_answers_as_the_loaded_dictionary(tmp_path, monkeypatch, loaded):
    """The segmenter reads frequencies by key (wordfreq) instead of loading jieba's 350,000 words:
    the entries are jieba's own, for the added words, their parts, jieba's words and prefixes."""
    import itertools

    from indexer.text import wordfreq
    from indexer.text.analysis import DICTIONARY_FREQ, added_words

    monkeypatch.setenv("ZCJS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(wordfreq, "_cached", None)
    table = wordfreq.word_freq(list(added_words()), DICTIONARY_FREQ)
    assert table.path.parent == tmp_path and table.total == loaded.total
    parts = {w[i:j] for w in added_words() for i in range(len(w)) for j in range(i + 1, len(w) + 1)}
    sample = set(itertools.islice(loaded.FREQ, 0, None, 499))  # words and prefix entries (0)
    for word in parts | sample | {"不存在的词语组合", "行政执法三项制度", "x"}:
        assert (word in table) == (word in loaded.FREQ) and table.get(word) == loaded.FREQ.get(word), word


def test_the_segmenter_cuts_as_jieba_with_its_dictionary_loaded(reports, loaded):
    """Every line of the seed reports, and every added word, is cut exactly as loaded jieba cuts it."""
    from indexer.text.analysis import added_words, segment, table_segmenter
    from indexer.text.normalize import fold

    table = table_segmenter()
    lines = [fold(line) for r in reports.values() for s in r.sections for line in s.text.splitlines() if line]
    for line in lines[::3] + list(added_words()):
        assert list(table.tokenize(line, HMM=False)) == list(loaded.tokenize(line, HMM=False)), line
    for word in added_words():
        assert [w for w, _, _ in segment(word)] == [w for w, _, _ in loaded.tokenize(word, HMM=False)] == [word]

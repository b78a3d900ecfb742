"""The tokenizers' contract: ordinal positions, offsets into the original text."""

import pytest
from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from indexer.analysis import BigramTokenizer, WordTokenizer
from indexer.normalize import fold
from indexer.query import contiguous_query, gram_query


def tokens(tokenizer, text, mode="index"):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in tokenizer(text, positions=True, chars=True, mode=mode)]


@pytest.mark.parametrize("tokenizer", [WordTokenizer(), BigramTokenizer()])
def test_offsets_point_into_original_traditional_text(tokenizer, reports):
    text = reports["004"].sections[0].body
    toks = tokens(tokenizer, text)
    assert toks
    for word, _, start, end in toks:
        assert fold(text[start:end]).replace("、", "") .startswith(word[0])
        assert len(text[start:end]) >= len(word)


@pytest.mark.parametrize("tokenizer", [WordTokenizer(), BigramTokenizer()])
def test_positions_are_ordinals_and_skip_punctuation(tokenizer):
    with_pause = [t[0] for t in tokens(tokenizer, "双随机、一公开")]
    without = [t[0] for t in tokens(tokenizer, "双随机一公开")]
    assert [t[1] for t in tokens(tokenizer, "双随机、一公开")] == list(range(len(with_pause)))
    assert "、" not in "".join(with_pause)
    if isinstance(tokenizer, BigramTokenizer):
        assert with_pause == without


def test_measure_terms_are_single_words():
    assert [t[0] for t in tokens(WordTokenizer(), "推行容缺受理和告知承诺制")] == ["推行", "容缺受理", "和", "告知承诺制"]


def test_traditional_text_segments_like_simplified():
    assert [t[0] for t in tokens(WordTokenizer(), "全麵貫徹")] == [t[0] for t in tokens(WordTokenizer(), "全面贯彻")]


def test_sentence_end_breaks_phrases():
    grams = tokens(BigramTokenizer(), "加强监管。容缺")
    assert "管容" not in [g[0] for g in grams]
    positions = [g[1] for g in grams]
    assert positions[-1] - positions[-2] > 1 or "管" in [g[0] for g in grams]


def _ram_index(texts):
    schema = fields.Schema(
        id=fields.ID(stored=True),
        words=fields.TEXT(analyzer=WordTokenizer(), phrase=True),
        grams=fields.TEXT(analyzer=BigramTokenizer(), phrase=True),
    )
    ix = RamStorage().create_index(schema)
    writer = ix.writer()
    for i, text in enumerate(texts):
        writer.add_document(id=str(i), words=text, grams=text)
    writer.commit()
    return ix


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("双随机一公开", {"0", "1"}),  # punctuation inside the term does not matter
        ("双随机、一公开", {"0", "1"}),
        ("人民共和国", {"2"}),  # substring of a longer word (中华人民共和国)
        ("行政许可", {"2", "3"}),  # … and of 行政许可法
        ("2023年", {"3"}),  # a trailing single character still matches inside 年度
        ("监管容缺", set()),  # never across a sentence end
    ],
)
def test_contiguous_queries_on_a_small_index(query, expected):
    ix = _ram_index([
        "落实“双随机、一公开”监管。容缺受理",
        "推进双随机一公开",
        "贯彻《中华人民共和国行政许可法》",
        "2023年度行政许可实施情况",
    ])
    with ix.searcher() as searcher:
        found = {hit["id"] for hit in searcher.search(contiguous_query(query), limit=None)}
    assert found == expected


def test_gram_query_of_one_character_is_a_prefix():
    assert str(gram_query("证")) == "grams:证*"

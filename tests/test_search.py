"""Search over the real seed index: phrases, substrings, traditional script, facets."""

import pytest

from indexer import QueryError, SearchRequest


def files(result, level=1):
    """Reports with a hit at `level` or better (1: every word in one section)."""
    return {h.file[:3] for h in result.hits if h.grade <= level}


def run(index, text="", **filters):
    return index.search(SearchRequest(text, {k: tuple(v) for k, v in filters.items()}, page_size=100))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"双随机、一公开"', {"000", "001", "002", "003"}),
        ("双随机一公开", {"000", "001", "002", "003"}),  # same term without punctuation
        ("“双随机，一公开”", {"000", "001", "002", "003"}),
        ("容缺受理", {"001", "002"}),  # 002 says 容缺登记: a variant of the measure
        ('"容缺受理"', {"001"}),  # quoted: exactly this form
        ("人民共和国", {"003", "004"}),  # inside 中华人民共和国 (004 in traditional script)
        ("行政许可法", {"003"}),
        ("全面贯彻", {"002", "004"}),  # 004 writes 全麵貫徹 (003 has 全面 and 贯彻 apart: level 3)
        ("秒批 OR 电子证照", {"000", "001", "002", "004"}),
    ],
)
def test_queries_find_the_reports_that_say_it(index, query, expected):
    assert files(run(index, query)) == expected


def test_exclusion_matches_an_independent_count(index, reports):
    from indexer.text.normalize import compact

    result = run(index, '"电子证照" -共享')
    expected = [s for r in reports.values() for s in r.sections
                if "电子证照" in compact(s.text) and "共享" not in compact(s.text)]
    assert result.total == len(expected) > 0
    assert all("共享" not in h.highlights[0] for h in result.hits)


def test_simplified_query_highlights_traditional_characters(index):
    result = run(index, "全面贯彻")
    hit = next(h for h in result.hits if h.file.startswith("004"))
    assert "<mark>全麵貫徹</mark>" in hit.highlights[0]


def test_highlights_mark_the_whole_term_with_inner_punctuation(index):
    result = run(index, "双随机一公开", agency=["花都区"])
    marks = [p for h in result.hits[:result.total] for p in h.highlights if "<mark>" in p]
    assert marks and all("<mark>双随机、一公开</mark>" in p for p in marks)


def test_measure_facet_counts_and_browse_by_measure(index):
    everything = run(index)
    measure = {v.value: v.count for v in everything.facets["measure"]}
    browse = run(index, measure=["容缺受理"])
    assert browse.total == measure["容缺受理"] > 0
    assert all("容缺受理" in h.measures for h in browse.hits)
    assert any("<mark>" in p for h in browse.hits for p in h.highlights)


def test_facets_count_the_whole_result_set(index):
    result = index.search(SearchRequest("监管", page_size=1))
    passages = sum(v.passages for v in result.facets["year"])
    reports = sum(v.count for v in result.facets["year"])  # years count reports by default
    assert len(result.hits) == 1 and passages == result.total > 1 and reports == result.total_reports


def test_selected_facet_keeps_other_values_countable(index):
    result = run(index, "监管", year=["2023"])
    years = {v.value: (v.count, v.selected) for v in result.facets["year"]}
    assert years[2023][1] is True and len(years) > 1  # other years stay visible to add
    assert {h.year for h in result.hits} == {2023}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"agency": ["花都区"]}, {"001"}),
        ({"region": ["海珠区"]}, {"003"}),
        ({"region": ["广州市"]}, {"000", "001", "002", "003", "004"}),
        ({"year": ["2019-2022"]}, {"001", "002", "004"}),
        ({"year": ["2023", "2024"]}, {"000", "003"}),
        ({"doc_type": ["rule_of_law_report"]}, {"004"}),
        ({"section_type": ["存在问题"], "doc_type": ["licensing_report"]}, {"000", "001", "003"}),
    ],
)
def test_filters(index, filters, expected):
    assert files(run(index, **filters)) == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [({"year": ["abc"]}, "年份"), ({"doc_type": ["memo"]}, "文件类型"), ({"measure": ["不存在的措施"]}, "政策措施"),
     ({"agency": ["不存在的机构"]}, "机构"), ({"section_type": ["结论"]}, "章节类型")],
)
def test_unknown_filter_values_are_errors(index, filters, message):
    with pytest.raises(QueryError, match=message):
        run(index, **filters)


def test_grouping_by_report(index):
    result = index.search(SearchRequest("监管", group=True, page_size=2))
    assert len(result.groups) == 2 and result.total_reports >= 4
    assert all(len({h.doc_id for h in g.hits}) == 1 for g in result.groups)
    assert result.pages == -(-result.total_reports // 2)


def test_sort_by_year(index):
    years = [h.year for h in index.search(SearchRequest("监管", sort="year", page_size=100)).hits]
    assert years == sorted(years, reverse=True)


def test_report_text_is_escaped_in_highlights(index):
    for hit in run(index, "监管").hits:
        for passage in hit.highlights:
            assert "<" not in passage.replace("<mark>", "").replace("</mark>", "")


def test_to_dict_has_the_contract_keys(index):
    data = run(index, "容缺受理").to_dict()
    assert {"query", "total", "hits", "facets", "analysis"} <= set(data)
    assert set(data["facets"]) == {"agency", "region", "year", "doc_type", "section_type", "measure"}
    hit_keys = {"doc_id", "file", "title", "agency", "region", "year", "doc_type", "section", "section_type",
                "measures", "score", "highlights"}
    assert hit_keys <= set(data["hits"][0])

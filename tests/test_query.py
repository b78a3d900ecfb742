"""Query syntax, segmentation report and helpful errors."""

import pytest

from indexer.search.query import QueryError, parse_query
from indexer.search.querytree import render


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"双随机', "引号不成对"),
        ("(容缺受理", "括号不成对"),
        ("容缺受理)", "括号不成对"),
        ("容缺受理 OR", "OR 两侧"),
        ("OR 容缺受理", "OR 两侧"),
        ("NOT", "NOT 或 -"),
        ("，。、", "没有可检索的字词"),
        ("*", "没有可检索的字词"),
        ("-广州", "只有排除条件"),
        ("容" * 201, "查询过长"),
    ],
)
def test_malformed_queries_get_a_message(text, message):
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_exclusion_alone_is_fine_with_filters():
    assert parse_query("-广州", has_filters=True).tree is not None


def test_plain_measure_term_is_expanded_but_a_phrase_is_not():
    plain = parse_query("容缺办理")
    assert plain.terms[0]["measures"][0]["measure"] == "容缺受理"
    assert "容缺后补" in render(plain.tree)
    quoted = parse_query('"容缺办理"')
    assert "容缺后补" not in render(quoted.tree)


def test_analysis_shows_segmentation():
    plan = parse_query("落实容缺受理的情况")
    assert plan.analysis()["segmented"] == "落实 容缺受理 的 情况"


def test_filters_in_query_text():
    plan = parse_query("监管 agency:花都区 年份:2022")
    assert plan.filters == {"agency": ["花都区"], "year": ["2022"]}


def test_full_width_operators_work():
    full_width = parse_query("（容缺受理 ＯＲ 秒批） ＡＮＤ 监管")
    assert full_width.tree == parse_query("(容缺受理 OR 秒批) AND 监管").tree
    assert full_width.tree != parse_query("容缺受理 秒批 监管").tree  # the operators were read, not searched

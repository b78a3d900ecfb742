"""Ranking: graded levels, the policy vocabulary, near-terms and boilerplate, on small corpora
written in the forms of real annual reports (title, preamble, 一、… sections), plus the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import SearchRequest, build_index, open_index
from indexer.search.boilerplate import FORM_WEIGHT, line_weight
from indexer.search.expansion import query_words
from indexer.search.query import parse_query
from indexer.text.analysis import segment
from indexer.text.vocabulary import VocabularyError, load_synonyms, load_vocabulary

PLAN_A = """某市政务服务管理局2023年度电子证照应用情况报告

一、基本情况
全年新增电子证照目录86类，累计归集证照1200万张。

二、主要做法
推进电子证照与长三角城市互认，企业办事免于提交纸质证照，实现跨市互认证照32类。

三、下一步工作
继续扩大电子证照应用场景。
"""

PLAN_B = """某县行政审批局2023年度工作总结

一、电子证照归集
全县完成电子证照归集45类，窗口可调阅证照数据。

二、跨区域协作
与周边三县签订协议，推动办事结果互认，减少企业重复提交材料。

三、存在问题
部分部门数据更新不及时。
"""

PLAN_C = """某区市场监管局2023年度行政许可实施情况报告

一、行政许可实施情况
全年受理行政许可申请3260件，办结3258件。

二、监督管理情况
开展双随机抽查120次，检查市场主体860户。
"""


def _write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def graded_index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("graded")
    build_index([_write(root / "reports", {"a.txt": PLAN_A, "b.txt": PLAN_B, "c.txt": PLAN_C})], root / "index")
    return open_index(root / "index")


def test_words_in_one_section_rank_above_words_spread_over_a_report(graded_index):
    result = graded_index.search(SearchRequest("电子证照互认", page_size=100, group=True))
    order = [g.hits[0].file for g in result.groups]
    levels = {g.hits[0].file: g.grade for g in result.groups}
    assert order[:2] == ["a.txt", "b.txt"]
    assert levels["a.txt"] == 1 and levels["b.txt"] == 3  # b has 电子证照 and 互认 in two sections
    assert "c.txt" not in levels  # neither word
    b_hits = next(g for g in result.groups if g.hits[0].file == "b.txt").hits
    assert {h.section.split(" › ")[0] for h in b_hits} == {"一、电子证照归集", "二、跨区域协作"}
    assert all(h.grade == 3 for h in b_hits)
    assert result.to_dict()["hits"][0]["level"] == 1
    a_hits = next(g for g in result.groups if g.hits[0].file == "a.txt").hits
    assert all(h.grade == 1 for h in a_hits)  # a report with exact evidence shows only that
    levels_seen = {lv["level"]: lv["reports"] for lv in result.analysis["levels"]}
    assert levels_seen[1] == 1 and levels_seen[3] == 2  # a's other sections with 电子证照, and b


def test_facets_count_exact_evidence_and_near_matches_apart(graded_index):
    result = graded_index.search(SearchRequest("电子证照互认", page_size=100))
    exact = [h for h in result.hits if h.grade == 1]
    assert result.total == len(exact) == 1 and result.related == len(result.hits) - 1 > 0
    assert result.hits[:1] == tuple(exact)  # exact evidence first
    assert result.total_reports == 1 and result.related_reports == 1  # b holds the words apart
    by_type = {v.value: v.passages for v in result.facets["section_type"]}
    assert sum(by_type.values()) == result.total
    data = result.to_dict()
    assert (data["related"], data["related_reports"]) == (result.related, 1)


def test_matches_carry_levels_and_order_reports_like_search(graded_index):
    found = graded_index.matches(SearchRequest("电子证照互认"))
    assert [r.grade for r in found.reports] == [1]  # counted: exact evidence only
    near = graded_index.matches(SearchRequest("电子证照互认"), related=True)
    assert [r.grade for r in near.reports] == [1, 3]
    assert near.reports[0].score > 0 and all(s.grade in (1, 3) for r in near.reports for s in r.sections)


def test_quoted_phrase_is_not_graded(graded_index):
    result = graded_index.search(SearchRequest('"电子证照互认"', page_size=100))
    assert result.total == 0


def test_dictionary_keeps_policy_terms_whole():
    assert [w for w, _, _ in segment("放管服改革成效")] == ["放管服", "改革", "成效"]
    assert [w for w, _, _ in segment("惠企政策免申即享")] == ["惠企", "政策", "免申即享"]
    assert [w for w, _, _ in segment("电子证照互认")] == ["电子证照", "互认"]


def test_leftover_characters_become_bigrams_with_a_neighbour():
    assert query_words(["网上办理", "率"]) == (["网上办理", "理率"], [])
    assert query_words(["互", "认", "工作"]) == (["互认", "工作"], [])  # a run of lone characters is one word
    assert query_words(["落实", "容缺受理", "的", "情况"]) == (["落实", "容缺受理", "情况"], ["的"])
    plan = parse_query("落实容缺受理的情况")
    assert plan.terms[0]["dropped"] == ["的"]  # said, not silent


def test_a_multi_word_term_is_graded_never_an_exact_phrase():
    plan = parse_query("电子证照互认")
    assert plan.analysis()["query"].startswith("GRADED[2/2]")


def test_synonyms_are_shown_and_weigh_less(tmp_path):
    folder = _write(tmp_path / "reports", {
        "typed.txt": "某局2023年度工作总结\n\n一、审批提速\n全年压缩审批时限40%。\n",
        "near.txt": "某局2022年度工作总结\n\n一、审批提速\n全年压减审批时限40%。\n",
    })
    build_index([folder], tmp_path / "index")
    index = open_index(tmp_path / "index")
    result = index.search(SearchRequest("压缩", page_size=10))
    assert [h.file for h in result.hits] == ["typed.txt", "near.txt"]
    assert result.hits[0].score > result.hits[1].score
    synonyms = result.analysis["terms"][0]["synonyms"]
    assert synonyms[0]["word"] == "压缩" and "压减" in synonyms[0]["terms"]


def test_a_measure_is_reached_from_inside_a_longer_query():
    rendered = parse_query("减少群众跑动").analysis()["query"]
    assert "最多跑一次" in rendered and "零跑动" in rendered


def test_synonyms_appear_on_the_search_page(graded_index):
    from webapp import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(graded_index.path), "BUILD_IF_MISSING": False})
    page = app.test_client().get("/search?q=电子证照互认").get_data(as_text=True)
    assert "“互认”的近义词" in page and "互通互认" in page
    assert "所有词分散在同一报告的不同段落" in page  # b's hits say their level


CONTACT = "联系人：张科长　　电话：0571-88886666　　传真：0571-88886667"


def test_boilerplate_lines_weigh_less():
    assert line_weight("联系人张科长电话057188886666传真057188886667", 1) == FORM_WEIGHT
    assert line_weight("济政办字201937号", 1) == FORM_WEIGHT
    assert line_weight("全年受理行政许可申请3260件办结3258件", 1) == 1.0
    assert line_weight("全年受理行政许可申请3260件办结3258件", 5) < 1 / 2
    assert line_weight("电话渠道受理群众诉求12345件较上年增长百分之十二主要集中在物业管理交通出行噪声扰民等领域"
                       "对集中诉求形成专报推动相关部门逐项整改", 1) == 1.0  # a long sentence is a sentence


def test_contact_line_and_repeated_section_rank_below_the_substantive_one(tmp_path):
    template = "☑ 办事指南要素完整，与实际办理一致，投诉举报渠道畅通。"
    reports = {
        f"portal{i}.txt": f"某县第{i}局2023年度行政许可实施情况报告\n\n一、公示情况\n{template}\n\n"
                          f"二、联系方式\n{CONTACT}\n投诉举报电话：12345\n"
        for i in range(4)
    }
    reports["real.txt"] = ("某市市场监管局2023年度投诉举报处理情况报告\n\n一、投诉举报处理\n"
                           "全年受理投诉举报1860件，按期办结率99%，为消费者挽回损失120万元。\n")
    build_index([_write(tmp_path / "reports", reports)], tmp_path / "index")
    index = open_index(tmp_path / "index")
    hits = index.search(SearchRequest("投诉举报", page_size=100)).hits
    assert hits[0].file == "real.txt"
    contact = [h for h in hits if h.section.startswith("二、联系方式")]
    listed = [h for h in hits if h.section.startswith("一、公示情况")]
    assert contact and listed and max(h.score for h in contact + listed) < hits[0].score


def test_seed_search_keeps_measure_queries_at_level_one(index):
    result = index.search(SearchRequest("容缺受理", page_size=100))
    counted = result.hits[:result.total]
    assert counted and all(h.grade == 1 for h in counted)
    assert all(h.grade > 1 for h in result.hits[result.total:])  # the measure's words apart, after


def test_seed_graded_query_puts_level_one_first(index):
    result = index.search(SearchRequest("法治政府建设 存在问题", page_size=100))
    levels = [h.grade for h in result.hits]
    assert levels[0] == 1 and set(levels[:result.total]) == {1} and min(levels[result.total:]) > 1


def test_malformed_vocabulary_names_the_entry(tmp_path):
    bad = tmp_path / "vocabulary.txt"
    bad.write_text("放管服\n一 网通办\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="第 2 行“一 网通办”"):
        load_vocabulary(bad)
    toml = tmp_path / "synonyms.toml"
    toml.write_text('[[group]]\nterms = ["压缩", "压减"]\n\n[[group]]\nterms = ["减少"]\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match="第 2 个") as err:
        load_synonyms(toml)
    assert "\n" not in str(err.value)


def test_a_measure_name_also_finds_its_words_below_the_measure(tmp_path):
    folder = _write(tmp_path / "reports", {
        "named.txt": "某局2023年度工作总结\n\n一、监管方式\n全面推行信用监管，对企业实施分级分类。\n",
        "words.txt": "某局2022年度工作总结\n\n一、监管方式\n建立企业信用档案，对低信用企业加强日常监管。\n",
        "none.txt": "某局2021年度工作总结\n\n一、监管方式\n开展日常检查120次。\n",
    })
    build_index([folder], tmp_path / "index")
    result = open_index(tmp_path / "index").search(SearchRequest("信用监管", page_size=10, group=True))
    assert [(g.hits[0].file, g.grade) for g in result.groups] == [("named.txt", 1), ("words.txt", 2), ("none.txt", 4)]
    assert (result.total_reports, result.related_reports) == (1, 2)  # only named.txt says it; none.txt: 监管
    assert "GRADED" not in str(parse_query('"信用监管"').analysis()["query"])


def test_level_five_finds_the_typed_characters_where_the_words_are_not(tmp_path):
    from indexer import SearchRequest, build_index, open_index

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("甲市某局报告\n一、情况\n全面推行电子证照互认。\n", encoding="utf-8")
    (src / "d.txt").write_text("乙市某局报告\n一、情况\n推进电子政务，规范证照管理。\n", encoding="utf-8")
    (src / "e.txt").write_text("丙市某局报告\n一、情况\n加强安全生产检查。\n", encoding="utf-8")
    build_index([src], tmp_path / "ix")
    result = open_index(tmp_path / "ix").search(SearchRequest("电子证照互认", group=True))
    levels = {g.hits[0].file: g.grade for g in result.groups}
    assert levels == {"a.txt": 1, "d.txt": 5}  # d holds 电子 and 证照 apart, neither word; e holds nothing
    assert [g.hits[0].file for g in result.groups] == ["a.txt", "d.txt"]
    assert any(lv["level"] == 5 and lv["label"] == "只有字面相近（按字）" for lv in result.analysis["levels"])


RECALL_REPORTS = {
    "whole.txt": "某区政务服务中心2023年度工作总结\n\n一、主要做法\n全面推进政务服务便民化，群众办事更加方便。\n",
    "apart.txt": "某县行政审批局2023年度工作总结\n\n一、政务服务\n统一规范政务服务事项清单。\n\n"
                 "二、便民举措\n推行帮办代办和延时服务，实现审批便民化。\n",
    "rare.txt": "某市营商环境建设局2022年度工作总结\n\n一、涉企服务\n推行免申即享，符合条件的企业无需申请即可获得补贴。\n",
    "common.txt": "某市发展改革局2022年度工作总结\n\n一、政策宣传\n编印政策汇编，组织政策宣讲12场，解读相关政策文件。\n"
                  "持续做好政策落实情况跟踪，及时回应政策咨询。\n",
    "faster.txt": "某市数据局2023年度工作总结\n\n一、审批改革\n推动审批提效，平均办理时限压减40%。\n",
    "bare.txt": "某区司法局2023年度法治政府建设报告\n\n一、法治政府建设存在问题\n\n二、下一步工作\n继续推进普法工作。\n",
    "said.txt": "某市司法局2023年度法治政府建设报告\n\n一、法治政府建设情况\n完成年度考核，组织专题培训三次。\n\n"
                "二、法治政府建设存在问题\n基层执法人员法治意识仍需加强，执法程序不够规范，个别案件超期办理。\n",
}


@pytest.fixture(scope="module")
def recall_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("recall")
    build_index([_write(root / "reports", RECALL_REPORTS)], root / "index")
    return open_index(root / "index")


def _files(index, query):
    result = index.search(SearchRequest(query, page_size=50, group=True))
    return [g.hits[0].file for g in result.groups], result


def test_a_compound_term_also_finds_its_words_apart(recall_index):
    files, result = _files(recall_index, "政务服务便民化")
    assert files[0] == "whole.txt" and result.total_reports == 1  # exact evidence, counted
    assert "apart.txt" in files[1:]  # 政务服务 … 便民化 in two sections: near, listed after


def test_the_rare_word_decides(recall_index):
    files, result = _files(recall_index, "惠企政策免申即享")
    assert result.total_reports == 0
    assert files.index("rare.txt") < files.index("common.txt")  # 免申即享 outweighs 政策 said five times


def test_a_single_two_character_word_gets_near_matches(recall_index):
    files, result = _files(recall_index, "提速")
    assert result.total_reports == 0 and "faster.txt" in files  # 提效, a near-term
    assert result.related_reports == len(files)


def test_a_bare_heading_never_leads(recall_index):
    result = recall_index.search(SearchRequest("法治政府建设 存在问题", page_size=10))
    assert {h.file for h in result.hits[:result.total]} == {"said.txt", "bare.txt"}  # both say it
    assert result.hits[0].file == "said.txt"  # the section with something under its heading leads
    bare = [h for h in result.hits if h.file == "bare.txt"]
    assert bare and all(h.score < result.hits[0].score for h in bare)

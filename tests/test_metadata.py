"""Metadata of all five seed reports, as a researcher reads them off the documents."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.ingest.agency import (
    canonical_agency,
    complete_agency,
    expands,
    is_agency_name,
    qualified,
    split_agencies,
)
from indexer.ingest.dates import find_dates, stated_years
from indexer.ingest.frontmatter import is_addressee, strip_glosses
from indexer.ingest.metadata import find_doc_type, parse_chrome
from indexer.ingest.parsing import parse_report
from indexer.ingest.reading import SourceText
from indexer.ingest.regions import find_region, region_in_text
from indexer.text.normalize import fold

EXPECTED = {
    "000": ("广州市规划和自然资源局2023年度行政许可实施和监督管理情况报告", "广州市规划和自然资源局",
            "广东省广州市", 2023, "licensing_report"),
    "001": ("广州市花都区推进政府职能转变和“放管服”改革协调小组办公室关于2022年度行政许可实施和监督管理情况报告",
            "广州市花都区推进政府职能转变和“放管服”改革协调小组办公室", "广东省广州市花都区", 2022, "licensing_report"),
    "002": ("广州市深入推进审批服务便民化工作方案", "广州市人民政府办公厅", "广东省广州市", 2019, "work_plan"),
    "003": ("广州市公安局海珠区分局2024年度行政许可实施和监督管理情况报告", "广州市公安局海珠区分局",
            "广东省广州市海珠区", 2024, "licensing_report"),
    # no title line: "現將我局2019年度法治政府建設報告如下" names the report but states no title
    "004": ("", "广州市黄埔区政务服务数据管理局",
            "广东省广州市黄埔区", 2019, "rule_of_law_report"),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_metadata(reports, key):
    r = reports[key]
    title, agency, region, year, doc_type = EXPECTED[key]
    # one name per body (data/agency_aliases.tsv): 政务服务数据管理局 is now 政务服务和数据管理局
    assert (r.title, r.agency, r.region, r.year, r.doc_type) == (title, canonical_agency(agency), region, year, doc_type)
    assert agency in {fold(form) for form in r.agency_forms}  # the name as written is kept beside it


@pytest.mark.parametrize(
    ("agency", "region"),
    [
        ("北京市朝阳区市场监督管理局", "北京市朝阳区"),
        ("江苏省南通市通州区行政审批局", "江苏省南通市通州区"),
        ("湖北省仙桃市政务服务和大数据管理局", "湖北省仙桃市"),
        ("浙江省人民政府办公厅", "浙江省"),
        ("成都市武侯区行政审批局", "四川省成都市武侯区"),
    ],
)
def test_regions_of_agencies_elsewhere(agency, region):
    assert find_region(agency).name == region


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("杭州市西湖区2021年度法治政府建设情况报告", "rule_of_law_report"),
        ("某某县2022年工作总结", "work_summary"),
        ("关于印发优化营商环境三年行动计划的通知", "notice"),  # the page is the notice (its 文种)
        ("深圳市市场监督管理局2020年行政许可实施情况报告", "licensing_report"),
    ],
)
def test_doc_type_from_titles_elsewhere(title, doc_type):
    assert find_doc_type(title, "") == doc_type


def test_page_header_fields_are_parsed():
    assert parse_chrome("索引号: 11440114MB2D29247E/2023-00020 分类: 主题分类") == {
        "索引号": "11440114MB2D29247E/2023-00020", "分类": "主题分类"}


# ---- Rules on the parts of official documents (GB/T 9704-2012), on texts that are not the seeds.



@pytest.mark.parametrize(
    "value",
    [
        "为进一步提升深圳市政务服务水平,建设人民满意的服务型政府,根据《国务院办公厅",  # a sentence
        "各区人民政府", "各地级以上市人民政府", "市政府各部门",  # addressees
        "穗府办报〔2022〕22号广州市人民政府办公厅",  # a number glued on
        "我代表市人民政府", "2023年度广州市规划和自然资源局", "《广州市人民政府》", "工作格局", "马上办",
        "广州市人民政府办公厅关于印发广州市深入推进审批服务便民化工作方案的通知",  # too long, a title
    ],
)
def test_values_that_are_not_names_fail_the_shape_rule(value):
    assert not is_agency_name(value)


@pytest.mark.parametrize(
    "value",
    ["广州市人民政府办公厅", "广州市公安局海珠区分局", "中共益阳市委办公室", "石家庄市长安区建北街道办事处",
     "廣州開發區行政審批局", "国家税务总局广州市税务局", "兰州市政务服务中心", "南平市人民政府信息公开工作领导小组办公室"],
)
def test_names_pass_the_shape_rule(value):
    assert is_agency_name(value)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("穗府办报〔2022〕22号广州市人民政府办公厅", ["广州市人民政府办公厅"]),
        ("黄埔区政务服务数据管理局/广州开发区行政审批局", ["黄埔区政务服务数据管理局", "广州开发区行政审批局"]),
        ("中共益阳市委办公室益阳市人民政府办公室印发", ["中共益阳市委办公室", "益阳市人民政府办公室"]),
        ("南昌市发展和改革委员会、南昌市市场监督管理局联合印发", ["南昌市发展和改革委员会", "南昌市市场监督管理局"]),
        ("广州市公安局海珠区分局", ["广州市公安局海珠区分局"]),  # a 分局 belongs to its parent's name
        ("国家税务总局广州市税务局", ["国家税务总局广州市税务局"]),
    ],
)
def test_joint_authors_are_split_and_numbers_stripped(text, names):
    assert split_agencies(text) == names


def test_abbreviated_names_are_completed_from_the_region_or_dropped():
    assert complete_agency("市政务服务数据管理局", find_region("广州市")) == "广州市政务服务数据管理局"
    assert complete_agency("区行政审批局", find_region("成都市武侯区")) == "成都市武侯区行政审批局"
    assert complete_agency("市政务服务数据管理局", find_region("广东省")) == ""  # no city: empty, not wrong


def _meta(text):
    """The report a text makes, parsed end to end as a file would be."""
    return parse_report(SourceText(path=Path("某报告.txt"), name="某报告.txt", text=text, encoding="utf-8", digest="0" * 64))


def test_addressee_is_never_the_author():
    meta = _meta("关于做好2023年度政务公开工作的通知\n各区人民政府，市政府各部门：\n"
                 "为进一步做好政务公开工作，现将有关事项通知如下。请各单位高度重视，认真组织实施，按时报送有关材料。\n")
    assert is_addressee("各区人民政府，市政府各部门：")
    assert meta.agency == "" and meta.doc_type == "notice" and meta.year == 2023  # the year its title states


def test_banner_number_signature_dates_and_url():
    meta = _meta("某某市行政审批局文件\n某审批发〔2023〕7号\n\n关于开展行政许可实施情况评价的通知\n\n"
                 "各县区行政审批局：\n为规范行政许可实施行为，决定开展评价工作，现将有关事项通知如下，请认真组织实施并按时报送。\n"
                 "……\n某某市行政审批局\n二〇二三年十一月六日\n（此件主动公开）\nhttps://example.gov.cn/a/1.html\n")
    assert meta.agencies == ("某某市行政审批局",)
    assert (meta.year, meta.published, meta.source_url) == (2023, "2023-11-06", "https://example.gov.cn/a/1.html")


def test_portal_header_gives_title_agency_and_date():
    meta = _meta("标题：沈阳市和平区行政审批局2022年度行政许可实施情况报告\n"
                 "发布机构：沈阳市和平区行政审批局 发布日期：2023-02-14\n"
                 "一、基本情况\n2022年，我局共受理行政许可申请5321件，全部在法定期限内办结，无超期办理情况。\n")
    assert meta.title == "沈阳市和平区行政审批局2022年度行政许可实施情况报告"
    assert (meta.agency, meta.year, meta.published) == ("沈阳市和平区行政审批局", 2022, "2023-02-14")


def test_chinese_numeral_years_and_dates():
    assert stated_years("二〇二三年，我局") == [2023]
    assert find_dates("二〇二四年三月二十八日") == [(2024, 3, 28)]
    assert stated_years("根据《纲要（2021—2025年）》，2022年") == [2022]  # cited titles and ranges skipped


def test_seed_report_records_carry_agencies_published_and_source(reports):
    # one name per body: the renamed 政务服务和数据管理局; the name as written is kept in agency_forms
    assert reports["004"].agencies == ("广州市黄埔区政务服务和数据管理局", "广州开发区行政审批局")
    assert reports["001"].published == "2023-04-04"
    summary = reports["004"].summary()
    assert summary["agencies"] == ["广州市黄埔区政务服务和数据管理局", "广州开发区行政审批局"]
    assert [fold(f) for f in summary["agency_forms"]] == ["广州市黄埔区政务服务数据管理局", "广州开发区行政审批局"]
    assert list(summary)[:10] == ["doc_id", "file", "title", "agency", "region", "year", "doc_type", "agencies",
                                  "published", "source_url"]


def test_table_shaped_and_spaced_portal_headers():
    assert parse_chrome("标 题 | 某市人民政府关于印发某方案的通知 | 成文日期 | 2025-06-13 |") == {
        "标题": "某市人民政府关于印发某方案的通知", "成文日期": "2025-06-13"}
    assert parse_chrome("索 引 号：014112345/2024-00007") == {"索引号": "014112345/2024-00007"}


def test_an_alias_in_brackets_keeps_the_body_s_name():
    assert split_agencies("金华市市场监管局(知识产权局)") == ["金华市市场监管局"]


def test_years_of_the_last_century_in_chinese_numerals():
    assert find_dates("一九九七年九月十七日") == [(1997, 9, 17)]

_FRAGMENTS = ["广州市人民政府办公厅", "各区人民政府，市政府各部门：", "穗府办〔2019〕12号", "我代表市人民政府，", "2023年3月1日",
              "关于印发", "的通知", "现将我局2022年度行政许可实施情况报告如下：", "为进一步提升深圳市政务服务水平，", "文件",
              "（此件主动公开）", "标题：", "发布机构：", "市政务服务数据管理局", "、", "/", "《", "》", "\n", " ", "。", "2022年，"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=25))
def test_any_text_gives_only_shaped_agency_values(parts):
    report = _meta("".join(parts) + "\n一、基本情况\n" + "我局全年共受理申请一千件，全部按期办结，群众满意度明显提升。\n")
    assert all(is_agency_name(a) for a in report.agencies)
    assert report.agency == (report.agencies[0] if report.agencies else "")
    assert report.title != "某报告"  # never the file name


def test_one_name_per_body_from_the_aliases_file():
    assert canonical_agency("佛山市顺德区政务服务数据管理局") == "佛山市顺德区政务服务和数据管理局"
    assert canonical_agency("台州市市场监管局") == canonical_agency("台州市市场监督管理局")
    assert canonical_agency("东城区政府") == "东城区人民政府"
    assert canonical_agency("市政府") == "市政府"  # no place: not a name to map


def test_a_short_name_expands_only_to_the_same_kind_of_body():
    assert expands("自治区大数据办", "宁夏回族自治区大数据产业发展办公室")
    assert expands("江北区政务服务办公室", "宁波市江北区人民政府政务服务办公室")
    assert not expands("东城区政府", "北京市东城区政府办公室")  # 政府 is not its 办公室
    assert not expands("区行政审批局", "区市场监督管理局")


def test_district_names_are_written_under_their_city():
    region = find_region("番禺区")
    assert qualified("番禺区政务服务数据管理局", region) == "广州市番禺区政务服务数据管理局"
    assert qualified("广州市番禺区政务服务数据管理局", region) == "广州市番禺区政务服务数据管理局"


def test_in_a_county_level_city_the_short_form_shi_is_that_city():
    assert complete_agency("市政务服务中心", find_region("浏阳市")) == "浏阳市政务服务中心"
    assert complete_agency("市政务服务中心", find_region("长沙市")) == "长沙市政务服务中心"


def test_the_place_a_text_speaks_of_is_the_one_it_names_most_and_cited_titles_last():
    text = "我委按照东城区政务服务局要求，在东城区政府网站公开信息。北京市东城区2023年要点……东城区"
    assert region_in_text(text).name == "北京市东城区"
    assert region_in_text("会议由高县行政审批局主持，四川省有关要求……高县").name == "四川省宜宾市高县"
    assert region_in_text("").name == ""


def test_mirror_pinyin_glosses_are_dropped_from_metadata_lines():
    assert strip_glosses("某某縣財(cái)政局辦(bàn)公室") == "某某縣財政局辦公室"
    assert strip_glosses("根据(2023)12号") == "根据(2023)12号"


def test_every_field_says_where_it_came_from():
    r = _meta("索引号：X-2024-01 发布机构：宁波市江北区行政审批局\n名称：宁波市江北区行政审批局2023年度法治政府建设情况报告\n"
                "发布日期：2024-02-01\n\n2023年，我局深入推进依法行政，现将有关情况报告如下：\n一、主要成效\n……")
    assert r.provenance["title"].rule == "portal_header:名称"
    assert r.provenance["agency"].rule == "title" and "宁波市江北区行政审批局" in r.provenance["agency"].line
    assert r.provenance["published"].line == "发布日期: 2024-02-01"
    assert r.year == 2023 and r.provenance["year"].rule == "title"
    assert set(r.provenance) >= {"title", "agency", "region", "year", "doc_type", "published"}


def test_a_news_byline_date_is_the_published_date():
    r = _meta("某市召开政务服务工作推进会\n2021-06-03 09:12 来源：某市人民政府\n\n6月2日，某市召开政务服务工作推进会，部署全年工作。\n")
    assert r.published == "2021-06-03" and r.provenance["published"].rule == "portal_header:发布时间"
    assert r.doc_type == "bulletin" and r.title == "某市召开政务服务工作推进会"


def test_a_validity_mark_is_not_part_of_the_title():
    assert _meta("(失效)某某市政务服务事项管理办法\n第一条 为规范政务服务事项管理，根据有关规定，结合本市实际，制定本办法。\n"
                 ).title == "某某市政务服务事项管理办法"
    assert _meta("名称：【已废止】宁波市江北区行政审批局关于印发某某办法的通知\n发布日期：2020-01-02\n\n"
                 "各街道：现将某某办法印发给你们，请遵照执行。\n").title == "宁波市江北区行政审批局关于印发某某办法的通知"


def test_a_county_found_by_its_own_name_at_the_start_of_a_body_s_name():
    assert find_region("沛县人民政府").name == "江苏省徐州市沛县"
    assert find_region("城区人民政府").name == ""  # ambiguous: many 城区

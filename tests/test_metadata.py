"""Metadata of all five seed reports, as a researcher reads them off the documents."""

import pytest

from indexer.metadata import find_doc_type, parse_chrome
from indexer.regions import find_region

EXPECTED = {
    "000": ("广州市规划和自然资源局2023年度行政许可实施和监督管理情况报告", "广州市规划和自然资源局",
            "广东省广州市", 2023, "licensing_report"),
    "001": ("广州市花都区推进政府职能转变和“放管服”改革协调小组办公室关于2022年度行政许可实施和监督管理情况报告",
            "广州市花都区推进政府职能转变和“放管服”改革协调小组办公室", "广东省广州市花都区", 2022, "licensing_report"),
    "002": ("广州市深入推进审批服务便民化工作方案", "广州市人民政府办公厅", "广东省广州市", 2019, "work_plan"),
    "003": ("广州市公安局海珠区分局2024年度行政许可实施和监督管理情况报告", "广州市公安局海珠区分局",
            "广东省广州市海珠区", 2024, "licensing_report"),
    # no title line: built from "現將我局2019年度法治政府建設報告如下"
    "004": ("廣州市黃埔區政務服務數據管理局2019年度法治政府建設報告", "广州市黄埔区政务服务数据管理局",
            "广东省广州市黄埔区", 2019, "rule_of_law_report"),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_metadata(reports, key):
    r = reports[key]
    assert (r.title, r.agency, r.region, r.year, r.doc_type) == EXPECTED[key]


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
        ("关于印发优化营商环境三年行动计划的通知", "work_plan"),
        ("深圳市市场监督管理局2020年行政许可实施情况报告", "licensing_report"),
    ],
)
def test_doc_type_from_titles_elsewhere(title, doc_type):
    assert find_doc_type(title, "") == doc_type


def test_page_header_fields_are_parsed():
    assert parse_chrome("索引号: 11440114MB2D29247E/2023-00020 分类: 主题分类") == {
        "索引号": "11440114MB2D29247E/2023-00020", "分类": "主题分类"}

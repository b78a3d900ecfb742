"""Sections as written, with heading paths and canonical types."""

import sys
import tomllib
from pathlib import Path

import pytest

from indexer.config import SECTION_TYPES_FILE
from indexer.ingest.section_types import SectionTypeError, load_section_types, section_type_names
from indexer.ingest.sections import classify_heading, classify_opening, cn_number, split_sections

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from section_accuracy import accuracy, labelled_sections  # noqa: E402


def paths(report):
    return [s.path_label for s in report.sections]


def test_licensing_report_outline(reports):
    r = reports["000"]
    assert paths(r)[:3] == ["前言", "一、基本情况", "一、基本情况 › （一）依法实施情况"]
    assert [s.section_type for s in r.sections[2:8]] == ["依法实施", "公开公示", "监督管理", "实施效果", "创新举措", "标准化"]
    assert r.sections[-1].path_label == "三、下一步工作措施及有关建议 › （三）进一步强化监管"
    assert r.sections[-1].section_type == "下一步工作"
    assert r.sections[2].body.startswith("一是及时从广东省政务服务事项管理系统")


def test_digit_heading_continuing_top_level_is_top_level(reports):
    top = [s.heading for s in reports["003"].sections if s.depth == 1]
    assert top == ["一、基本情况", "二、存在问题", "3、 下一步工作措施"]
    assert reports["003"].sections[-1].path[0] == "3、 下一步工作措施"


def test_numbered_items_nest_under_subheadings(reports):
    items = [s for s in reports["002"].sections if s.depth == 3]
    assert len(items) == 26
    assert items[0].path == ("二、主要任务", "(一)全面推行审批服务“马上办、网上办、就近办、一次办”", "1.积极推行“马上办”")
    assert all(s.section_type == "主要任务" for s in items)
    assert {s.section_type for s in reports["002"].sections if s.path and s.path[0] == "三、保障措施"} == {"保障措施"}


def test_page_chrome_is_not_body(reports):
    text = "\n".join(s.text for s in reports["001"].sections)
    for chrome in ("索引号", "【打印】", "浏览次数", "主题词"):
        assert chrome not in text
    assert reports["001"].sections[0].body.startswith("根据《广东省行政许可监督管理条例》")


def test_traditional_report_sections(reports):
    r = reports["004"]
    assert r.sections[0].heading == "" and r.sections[0].body.startswith("2019年,廣州市黃埔區")
    assert [s.section_type for s in r.sections if s.depth == 1] == ["基本情况", "创新举措", "存在问题", "下一步工作"]


def test_no_body_text_is_lost(reports):
    from conftest import SEEDS

    from indexer.ingest.metadata import is_chrome
    from indexer.text.normalize import compact

    for key, report in reports.items():
        texts = compact("".join(s.text for s in report.sections))
        lines = [x for x in SEEDS[key].read_text(encoding="utf-8").splitlines() if not is_chrome(x.strip())]
        missing = [x for x in map(compact, lines) if len(x) > 30 and x not in texts and x not in compact(report.title)]
        assert missing == [], key


def test_heading_classification_generalizes():
    assert classify_heading("（五）创新方式情况") == "创新举措"
    assert classify_heading("四、2020年工作计划") == "下一步工作"
    assert classify_heading("二、存在的主要问题") == "存在问题"
    assert classify_heading("（三）加强组织领导") is None


def test_chinese_numerals():
    assert [cn_number(t) for t in ("一", "十", "十二", "二十", "二十三")] == [1, 10, 12, 20, 23]


# ---- Section types from data/section_types.toml, on texts that are not the seeds.



def types_of(lines):
    return [(s.heading, s.section_type) for s in split_sections(lines) if s.depth]


def test_labelled_sample_accuracy_floor():
    results = labelled_sections()
    assert len(results) >= 100
    assert accuracy(results) >= 0.85, [r for r in results if r.found != r.expected]


def test_main_work_is_a_practice_not_other():
    assert types_of(["一、主要工作", "（一）推行帮办代办", "二、工作成效", "（一）办事效率明显提升"]) == [
        ("一、主要工作", "主要做法"), ("（一）推行帮办代办", "主要做法"),
        ("二、工作成效", "工作成效"), ("（一）办事效率明显提升", "工作成效")]


def test_past_work_under_a_mixed_part_is_not_next_steps():
    found = types_of(["一、过去五年工作回顾和今后工作建议", "（一）过去五年工作开展情况", "五年来，审批事项精简40%。",
                      "（二）今后工作建议", "建议进一步加强统筹。"])
    assert found[1:] == [("（一）过去五年工作开展情况", "基本情况"), ("（二）今后工作建议", "下一步工作")]


def test_numbered_checklist_items_do_not_open_new_roles():
    found = types_of(["一、基本情况", "2023年，我局共办理审批事项2.3万件。", "1.问题整改情况", "2.下一步打算的落实",
                      "二、存在问题", "1.系统不互通", "2.人员不足"])
    assert [t for _, t in found] == ["基本情况", "基本情况", "基本情况", "存在问题", "存在问题", "存在问题"]


def test_first_sentence_types_a_heading_that_names_nothing():
    assert classify_opening("当前，我局工作中还存在以下问题和不足：") == "存在问题"
    assert classify_opening("2024年，我局将重点做好以下工作：") == "下一步工作"
    assert types_of(["三、需要说明的情况", "当前，工作中仍存在一些短板。"]) == [("三、需要说明的情况", "存在问题")]


def test_section_types_follow_the_data_file():
    names = [entry["name"] for entry in tomllib.loads(SECTION_TYPES_FILE.read_text(encoding="utf-8"))["type"]]
    assert (*names, "其他") == section_type_names()
    assert {"主要做法", "工作成效", "基本情况", "存在问题", "下一步工作"} <= set(section_type_names())


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ('[[type]]\nname = "坏条目"\nheadings = ["(unclosed"]\n', "坏条目"),
        ('[[type]]\nheadings = ["问题"]\n', "第1条"),
        ('[[type]]\nname = "好"\nheadings = ["好"]\n[[type]]\nname = "坏"\nheadings = "不是列表["\n', "坏"),
    ],
)
def test_malformed_section_types_file_is_one_line_naming_the_entry(tmp_path, content, named):
    path = tmp_path / "section_types.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SectionTypeError) as err:
        load_section_types(path)
    assert named in str(err.value) and "\n" not in str(err.value)

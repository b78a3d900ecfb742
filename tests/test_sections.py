"""Sections as written, with heading paths and canonical types."""

from indexer.sections import classify_heading, cn_number


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
    top = [s.heading for s in reports["003"].sections if s.level == 1]
    assert top == ["一、基本情况", "二、存在问题", "3、 下一步工作措施"]
    assert reports["003"].sections[-1].path[0] == "3、 下一步工作措施"


def test_numbered_items_nest_under_subheadings(reports):
    items = [s for s in reports["002"].sections if s.level == 3]
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
    assert [s.section_type for s in r.sections if s.level == 1] == ["基本情况", "创新举措", "存在问题", "下一步工作"]


def test_no_body_text_is_lost(reports):
    from conftest import SEEDS

    from indexer.metadata import is_chrome
    from indexer.normalize import compact

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

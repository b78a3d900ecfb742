"""Reading every format and encoding: the same report, the same sections and metadata.

The fixtures in tests/data/ingest/ (written by make_fixtures.py there) hold one invented
licensing report as .txt, .md, .html, .htm (GBK), .docx and .pdf and in seven encodings,
a headings-only report as .md/.docx/.html, and one file for each kind of bad input.
"""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from indexer import build_index, open_index
from indexer.ingest.metadata import read_front_matter
from indexer.ingest.parsing import body_start, parse_report
from indexer.ingest.reading import ReadError, SourceText, decode, iter_sources, read_source
from indexer.ingest.sections import split_sections
from indexer.models import SkippedFile
from indexer.text.normalize import compact, fold

DATA = Path(__file__).parent / "data" / "ingest"
TXT = DATA / "formats" / "report.txt"
VARIANTS = sorted(p for p in (*(DATA / "formats").iterdir(), *(DATA / "encodings").iterdir()) if p != TXT)
HEADINGS = sorted((DATA / "headings").iterdir())


def outline(path: Path) -> dict:
    """What must not depend on the format: metadata, and per section its place, type, measures, text."""
    report = parse_report(read_source(path))
    return {
        "title": fold(report.title),
        "agency": report.agency,
        "region": report.region,
        "year": report.year,
        "doc_type": report.doc_type,
        "sections": [(s.depth, compact(s.heading), tuple(compact(h) for h in s.path), s.section_type,
                      s.measures, compact(s.body)) for s in report.sections],
    }


def test_the_plain_text_report_is_what_the_others_are_compared_with():
    expected = outline(TXT)
    assert expected["title"] == "广州市白云区市场监督管理局2023年度行政许可实施和监督管理情况报告"
    assert expected["agency"] == "广州市白云区市场监督管理局" and expected["year"] == 2023
    assert expected["region"] == "广东省广州市白云区" and expected["doc_type"] == "licensing_report"
    headings = [s[1] for s in expected["sections"]]
    assert headings[:3] == ["", "一基本情况", "一依法实施情况"] and len(headings) == 10
    measures = {m for s in expected["sections"] for m in s[4]}
    assert measures == {"容缺受理", "告知承诺制", "电子证照", "好差评", "双随机一公开", "秒批"}


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_format_and_encoding_gives_the_same_report(path):
    assert outline(path) == outline(TXT)


@pytest.mark.parametrize(("name", "encoding"), [
    ("utf8-bom.txt", "utf-8-sig"), ("utf16le-bom.txt", "utf-16-le"), ("utf16be-bom.txt", "utf-16-be"),
    ("utf16le.txt", "utf-16-le"), ("utf16be.txt", "utf-16-be"), ("gbk.txt", "gb18030"),
    ("gb18030-crlf.txt", "gb18030"), ("big5.txt", "big5"),
])
def test_encodings_are_detected(name, encoding):
    source = read_source(DATA / "encodings" / name)
    assert source.encoding == encoding and "\r" not in source.text


SHORT_TEXTS = [  # 10–30 characters, the length where guessing goes wrong
    "行政许可实施情况报告",
    "推行告知承诺制和电子证照应用",
    "二、存在的问题和不足",
    "加强事中事后监管，落实双随机一公开",
    "全年办结审批事项九千余件，按期办结率百分之百。",
    "区政务服务中心窗口受理量同比增长",
    "下一步工作计划：扩大容缺受理范围",
    "我局严格执行行政许可法，依法设定许可条件。",
    "关于印发优化营商环境工作方案的通知",
    "群众满意度测评结果为优秀",
]


@pytest.mark.parametrize("text", SHORT_TEXTS)
def test_short_gbk_and_big5_texts_are_not_mistaken_for_each_other(text):
    traditional = opencc.OpenCC("s2tw").convert(text)
    assert traditional != text
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(traditional.encode("cp950")) == (traditional, "big5")
    assert decode(text.encode("utf-16-le"))[0] == text
    assert decode(text.encode("utf-16-be"))[0] == text
    assert decode(text.encode("utf-8")) == (text, "utf-8")


def test_a_declared_charset_that_lies_is_overruled():
    page = '<html><head><meta charset="big5"></head><body><p>关于行政许可实施情况的报告</p></body></html>'
    path_text = read_html_bytes(page.encode("gbk"))
    assert "关于行政许可实施情况的报告" in path_text


def read_html_bytes(data: bytes) -> str:
    from indexer.ingest.readers.html import read_html

    return read_html(data).text


@pytest.mark.parametrize("path", HEADINGS, ids=lambda p: p.name)
def test_headings_of_the_format_start_sections(path):
    source = read_source(path)
    report = parse_report(source)
    assert [(s.depth, s.heading) for s in report.sections] == [
        (0, ""), (1, "主要做法"), (2, "健全依法决策机制"), (2, "规范行政执法行为"),
        (1, "工作成效"), (1, "存在问题"), (1, "下一步工作安排"),
    ]
    assert report.title == "广州市白云区市场监督管理局2023年法治政府建设工作总结"
    results = next(s for s in report.sections if s.heading == "工作成效")
    assert results.body.startswith("全年办理行政复议案件12件") and results.path == ("工作成效",)
    assert "工作成效" not in report.sections[0].body


def test_markdown_markup_is_dropped_and_the_title_heading_left_to_the_metadata():
    source = read_source(DATA / "formats" / "report.md")
    assert "#" not in source.text and "**" not in source.text and "|" not in source.text
    assert source.text.split("\n")[0].startswith("广州市白云区") and 0 not in source.headings


def test_split_sections_honours_explicit_headings():
    lines = ["我局坚持依法行政，现将有关情况报告如下。", "工作成效", "全年办结9279件。", "困难和问题", "人员不足。"]
    sections = split_sections(lines, explicit={1: 1, 3: 1})
    assert [(s.depth, s.heading, s.body) for s in sections] == [
        (0, "", lines[0]), (1, "工作成效", "全年办结9279件。"), (1, "困难和问题", "人员不足。")]
    assert [s.depth for s in split_sections(lines)] == [0]


def test_web_page_chrome_is_dropped_and_header_fields_kept():
    source = read_source(DATA / "formats" / "report.html")
    for chrome in ("首页", "当前位置", "打印", "关闭窗口", "分享", "微博", "统计代码", "网站标识码", "人民政府门户网站",
                   "字体", "float"):
        assert chrome not in source.text, chrome
    lines = source.text.split("\n")
    front = read_front_matter(lines, body_start(lines))
    assert front.chrome["发布机构"] == "广州市白云区市场监督管理局"
    assert front.chrome["发布日期"] == "2024-01-16" and front.chrome["成文日期"] == "2024-01-15"
    assert front.chrome["来源"] == "广州市白云区市场监督管理局"
    assert front.chrome["索引号"] == "11440111MB2D31284X/2024-00012"
    assert lines.count("广州市白云区市场监督管理局2023年度行政许可实施和监督管理情况报告") == 1


def test_gbk_page_is_decoded_from_its_meta_charset():
    assert read_source(DATA / "formats" / "report-gbk.htm").encoding == "gb18030"


def test_pdf_page_numbers_and_running_headers_are_dropped():
    text = read_source(DATA / "formats" / "report.pdf").text
    assert "- 1 -" not in text and "- 2 -" not in text and "政府信息公开" not in text
    assert "检查结果全部向社会公示。" in text  # a paragraph wrapped over two lines, joined


def test_docx_tables_are_read_row_by_row():
    text = read_source(DATA / "formats" / "report.docx").text
    assert "食品经营许可  6412  6398" in text.split("\n")


BAD = {  # file → a word its one-line reason must contain
    "bad/empty.txt": "为空",
    "bad/空白.md": "为空",
    "bad/photo.txt": "不是文本文件",
    "bad/truncated.docx": "Word 文件已损坏",
    "bad/truncated.pdf": "PDF 文件不完整",
    "bad/scanned.pdf": "PDF 没有文字层（可能是扫描件）",
    "bad/加密.pdf": "PDF 已加密",
    "bad/slides.pptx": "不支持的文件格式 .pptx",
    "bad/旧版报告.doc": "另存为 .docx",
    "bad/只有标题.txt": "没有可索引的正文",
    "make_fixtures.py": "不支持的文件格式 .py",
    "重复/report.txt": "与 formats/report.txt 内容相同",
}


def test_a_build_over_the_whole_folder_names_each_bad_file_and_indexes_the_rest(tmp_path):
    stats = build_index([DATA], tmp_path / "index")
    reasons = {s.file: s.error for s in stats.skipped}
    assert set(reasons) == set(BAD)
    for name, word in BAD.items():
        assert word in reasons[name], (name, reasons[name])
        assert "\n" not in reasons[name]
    good = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
            if p.is_file() and not p.name.startswith(".")} - set(BAD)  # hidden files are not sources
    files = {r["file"] for r in open_index(tmp_path / "index").reports()}
    assert files == good and stats.documents == len(good)
    assert {"同名/甲/通知.txt", "同名/乙/通知.txt"} <= files


def test_a_huge_file_is_skipped_without_stopping_the_build(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "report.txt").write_bytes(TXT.read_bytes())
    line = "一、基本情况\n全年受理行政许可申请9295件，办结9279件，按期办结率100%。\n".encode()
    (src / "huge.txt").write_bytes(line * (20 * 1024 * 1024 // len(line) + 1))
    assert (src / "huge.txt").stat().st_size >= 20 * 1024 * 1024
    stats = build_index([src], tmp_path / "index")
    assert stats.documents == 1
    assert [(s.file, "文件过大" in s.error) for s in stats.skipped] == [("huge.txt", True)]


def test_sources_stream_one_at_a_time_with_relative_names(tmp_path):
    for folder in ("甲", "乙"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "通知.txt").write_text(f"{folder}区关于开展检查的通知\n一、检查范围\n全区{folder}。\n",
                                                   encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / "~$报告.docx").write_bytes(b"lock")
    stream = iter_sources([tmp_path])
    first = next(stream)
    assert isinstance(first, SourceText) and first.name == "乙/通知.txt"
    rest = list(stream)
    assert [item.name for item in rest if isinstance(item, SourceText)] == ["甲/通知.txt"]
    assert not [item for item in rest if isinstance(item, SkippedFile)]
    assert parse_report(first).file == "乙/通知.txt"


def test_a_missing_source_folder_is_an_error_before_reading(tmp_path):
    with pytest.raises(ReadError, match="不存在"):
        iter_sources([tmp_path / "none", DATA])


def test_word_list_numbers_are_rendered_as_word_shows_them():
    from indexer.ingest.readers.numbering import chinese, format_number

    assert [chinese(n) for n in (1, 10, 11, 20, 21, 105, 110)] == ["一", "十", "十一", "二十", "二十一", "一百零五",
                                                                "一百一十"]
    assert [format_number(3, f) for f in ("decimal", "chineseCounting", "ideographTraditional",
                                          "decimalEnclosedCircle", "lowerLetter", "upperRoman")] == \
        ["3", "三", "丙", "③", "c", "III"]
    lines = read_source(DATA / "formats" / "report-numbered.docx").text.split("\n")
    assert "一、基本情况" in lines and "（三）强化事中事后监管" in lines and "四、下一步工作计划" in lines


def test_a_policy_page_with_spaced_labels_and_br_paragraphs():
    source = read_source(DATA / "formats" / "report-policy-page.html")
    for chrome in ("English", "政策", "纠错", "打印", "版权所有"):
        assert chrome not in source.text, chrome
    lines = source.text.split("\n")
    assert "索引号：11440111MB2D31284X/2024-00012" in lines and "发布日期：2024年01月16日" in lines
    assert "主题分类：行政许可" in lines  # a portal field the metadata reader knows is kept as a label line


def test_pdf_lines_are_rejoined_only_where_the_page_width_broke_them():
    from indexer.ingest.readers.pdf import reflow

    lines = ["一、基本情况", "全年受理行政许可申请九千余件，办结九千余", "件，按期办结率百分之百。", "（一）依法实施",
             "严格按照法定权限和程序实施行政许可事项，", "对申请材料齐全的当场受理。"]
    assert reflow(lines) == ["一、基本情况", "全年受理行政许可申请九千余件，办结九千余件，按期办结率百分之百。",
                             "（一）依法实施", "严格按照法定权限和程序实施行政许可事项，对申请材料齐全的当场受理。"]


def test_an_unreadable_file_is_named_in_chinese(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("一、基本情况\n全年办结9279件。\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:  # what the OS says to a file without read permission
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    (item,) = list(iter_sources([tmp_path]))
    assert isinstance(item, SkippedFile) and item.error == "无法读取：没有读取权限"


def test_page_chrome_is_recognised_by_its_class_whatever_else_it_says():
    from indexer.ingest.readers.html import read_html

    page = """<html><body class="menu-open"><div class="main-nav"><a>首页</a><a>机构概况</a></div>
    <header><div class="logo">某某市人民政府</div></header>
    <div id="content" class="print-area"><article><header><h1>某某局关于推行容缺受理的通知</h1>
    <p>发布日期：2024-03-01 来源：某某局</p></header>
    <p>为优化营商环境，现就推行容缺受理有关事项通知如下。</p>
    <div class="content-share">分享到：<a>微信</a></div></article></div>
    <footer>网站标识码：0000000000</footer></body></html>"""
    lines = read_html(page.encode("utf-8")).text.split("\n")
    assert lines == ["某某局关于推行容缺受理的通知", "发布日期：2024-03-01", "来源：某某局",
                     "为优化营商环境，现就推行容缺受理有关事项通知如下。"]


def test_word_tracked_insertions_and_hyperlinks_are_text_and_deletions_are_not(tmp_path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("某某局2023年度行政许可实施情况报告")
    paragraph = document.add_paragraph("全面推行")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>容缺受理</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>秒批</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:hyperlink {w}><w:r><w:t>和告知承诺制。</w:t></w:r></w:hyperlink>'))
    document.save(tmp_path / "tracked.docx")
    lines = read_source(tmp_path / "tracked.docx").text.split("\n")
    assert lines[1] == "全面推行容缺受理和告知承诺制。"


def test_markdown_front_matter_gives_the_title_and_date_not_a_heading():
    from indexer.ingest.readers.text import read_markdown

    text = "---\ntitle: 某某局2023年工作总结\ndate: 2024-01-05\nlayout: post\n---\n\n## 工作成效\n全年办结9279件。\n"
    extracted = read_markdown(text.encode("utf-8"))
    assert extracted.text.split("\n") == ["某某局2023年工作总结", "发布日期：2024-01-05", "工作成效", "全年办结9279件。"]
    assert dict(extracted.headings) == {2: 1}


@pytest.mark.parametrize(("encoding", "name"), [("utf-8", "utf-8"), ("gbk", "gb18030")])
def test_a_stray_bad_byte_does_not_lose_the_report(encoding, name):
    data = TXT.read_text(encoding="utf-8").encode(encoding)
    cut = data.index("（一）".encode(encoding))
    text, found = decode(data[:cut] + b"\xff" + data[cut:])
    assert found == name and text.count("\ufffd") == 1 and "四、下一步工作计划" in text


def test_a_page_laid_out_in_a_table_keeps_its_paragraphs_and_its_data_rows():
    from indexer.ingest.readers.html import read_html

    page = """<html><body><table width="960"><tr><td class="nav"><a>首页</a></td></tr>
    <tr><td width="200"><ul><li><a>政务公开</a></li></ul></td><td>
    <p align="center"><b>某某局2023年度行政许可实施情况报告</b></p>
    <p>一、基本情况</p><p>全年受理申请9295件。</p>
    <table border="1"><tr><td>事项</td><td>办结量</td></tr><tr><td>食品经营许可</td><td>6398</td></tr></table>
    <p>二、存在问题</p>人员不足。<br>系统不稳定。
    </td></tr></table></body></html>"""
    assert read_html(page.encode("utf-8")).text.split("\n") == [
        "某某局2023年度行政许可实施情况报告", "一、基本情况", "全年受理申请9295件。", "事项  办结量",
        "食品经营许可  6398", "二、存在问题", "人员不足。", "系统不稳定。"]


def test_markdown_headings_without_a_space_after_the_hashes():
    from indexer.ingest.readers.text import read_markdown

    extracted = read_markdown("我局现将情况报告如下。\n##工作成效\n全年办结9279件。\n## 存在问题 ##\n人员不足。\n".encode())
    assert extracted.text.split("\n")[1:4:2] == ["工作成效", "存在问题"] and dict(extracted.headings) == {1: 1, 3: 1}


def test_pdf_rejoined_latin_words_keep_their_space():
    from indexer.ingest.readers.pdf import reflow

    lines = ["推行政务服务事项全程网办，企业可通过Guangdong", "Government Service平台办理，共计", "办结9279件。"]
    assert reflow(lines) == ["推行政务服务事项全程网办，企业可通过Guangdong Government Service平台办理，共计办结9279件。"]

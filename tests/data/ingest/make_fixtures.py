"""Write the ingest fixtures: one report in every format and encoding, and the bad cases.

Run once (python tests/data/ingest/make_fixtures.py) and commit the files it writes; the
text is invented, in the form of a district bureau's annual licensing report. Needs
python-docx, fpdf2 (with Pillow) and a Noto CJK font (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import io
import os
import random
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import opencc
import pypdf
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF
from PIL import Image

HERE = Path(__file__).resolve().parent
FONT_NAME = "NotoSansCJK-Regular.ttc"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
FIXED_DATE = datetime(2024, 1, 16, tzinfo=UTC)

AGENCY = "广州市白云区市场监督管理局"
TITLE = f"{AGENCY}2023年度行政许可实施和监督管理情况报告"
PREAMBLE = ("根据《广东省行政许可监督管理条例》的规定，现将我局2023年度行政许可实施和监督管理"
            "情况报告如下：")
TABLE = [("事项类别", "申请量（件）", "办结量（件）"), ("食品经营许可", "6412", "6398"),
         ("药品零售许可", "733", "731"), ("特种设备使用登记", "2150", "2150")]
# (level, heading, paragraphs); a paragraph "<table>" stands for TABLE.
SECTIONS = [
    (1, "一、基本情况", [
        "2023年，我局共有行政许可事项28项，全部进驻广东政务服务网，实现网上可办率100%。",
        "全年受理行政许可申请9295件，办结9279件，按期办结率100%，未发生超期办理情况。",
        "<table>",
    ]),
    (2, "（一）依法实施情况", [
        "严格按照法定权限、条件和程序实施行政许可，对申请材料齐全、符合法定形式的当场受理。",
        "对基本条件具备、次要材料欠缺的申请推行容缺受理，全年容缺受理食品经营许可申请316件。",
    ]),
    (2, "（二）公开公示情况", [
        "在区政府门户网站公开行政许可事项清单、办事指南和审批结果，公示信息准确、完整、及时。",
    ]),
    (1, "二、主要做法和工作成效", [
        "我局以优化营商环境为主线，持续推进审批服务便利化改革。",
    ]),
    (2, "（一）推行告知承诺制", [
        "对药品零售许可等12个事项实行告知承诺制，申请人书面承诺符合条件即可当场取得许可证。",
    ]),
    (2, "（二）深化电子证照应用", [
        "食品经营许可证全面实行电子证照，企业可在粤商通自行下载使用，累计发放电子证照5200余张。",
        "办事群众通过“好差评”系统评价服务8120次，好评率99.8%。",
    ]),
    (2, "（三）强化事中事后监管", [
        "全面落实“双随机、一公开”监管，随机抽取检查对象486户，检查结果全部向社会公示。",
        "对告知承诺取得许可的市场主体开展全覆盖核查，发现承诺不实的依法撤销许可3件。",
    ]),
    (1, "三、存在问题", [
        "部分事项线上线下办理标准不一致，基层窗口人员业务水平有待进一步提高。",
    ]),
    (1, "四、下一步工作计划", [
        "一是扩大告知承诺制适用范围，二是推进高频事项“秒批”，三是加强审批与监管信息共享。",
    ]),
]
SIGNATURE = [AGENCY, "2024年1月15日"]

HEADINGS_MD = f"""# {AGENCY}2023年法治政府建设工作总结

2023年，我局坚持依法行政，全面推进法治政府建设，现将有关情况总结如下：

## 主要做法

### 健全依法决策机制

重大行政决策全部经过合法性审查和集体讨论决定，全年审查规范性文件6件。

### 规范行政执法行为

全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。

## 工作成效

全年办理行政复议案件12件，无一被纠错；行政诉讼案件败诉率为零。

## 存在问题

执法人员法治素养参差不齐，执法信息化水平有待提升。

## 下一步工作安排

继续深化“放管服”改革，推进“一件事一次办”，加强执法队伍培训。
"""


def find_font() -> Path:
    """The Noto CJK font (ZCJS_CJK_FONT overrides the search of the usual font folders)."""
    if os.environ.get("ZCJS_CJK_FONT"):
        return Path(os.environ["ZCJS_CJK_FONT"])
    for folder in FONT_DIRS:
        found = sorted(Path(folder).expanduser().rglob(FONT_NAME)) if Path(folder).expanduser().is_dir() else []
        if found:
            return found[0]
    raise SystemExit(f"没有找到字体 {FONT_NAME}（请安装 fonts-noto-cjk 或设置 ZCJS_CJK_FONT）")


def table_lines() -> list[str]:
    return ["  ".join(row) for row in TABLE]


def report_txt() -> str:
    lines = [TITLE, "", PREAMBLE]
    for _, heading, paragraphs in SECTIONS:
        lines.append(heading)
        for p in paragraphs:
            lines.extend(table_lines() if p == "<table>" else [p])
    return "\n".join([*lines, "", *SIGNATURE, ""])


def report_md() -> str:
    out = [f"# {TITLE}", "", PREAMBLE, ""]
    for level, heading, paragraphs in SECTIONS:
        out += [f"{'#' * (level + 1)} {heading}", ""]
        for p in paragraphs:
            if p == "<table>":
                out += [f"| {' | '.join(TABLE[0])} |", "|---|---|---|",
                        *(f"| {' | '.join(row)} |" for row in TABLE[1:]), ""]
            else:
                out += [p.replace("容缺受理", "**容缺受理**"), ""]
    return "\n".join([*out, *(f"{s}  " for s in SIGNATURE), ""])


def report_html(charset: str) -> str:
    body = [f"<p>{PREAMBLE}</p>"]
    for _, heading, paragraphs in SECTIONS:
        body.append(f"<p><strong>{heading}</strong></p>")
        for p in paragraphs:
            if p == "<table>":
                rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE)
                body.append(f'<table border="1">{rows}</table>')
            else:
                body.append(f"<p>　　{p}</p>")
    body += [f'<p style="text-align:right">{s}</p>' for s in SIGNATURE]
    newline = "\n"
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{TITLE}_广州市白云区人民政府门户网站</title>
<style>.nav li {{ float: left; }} body {{ font-family: "宋体"; }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<div class="header"><div class="logo">广州市白云区人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 行政许可</div>
<div class="article">
<table class="xxgk-info">
<tr><td>索引号：</td><td>11440111MB2D31284X/2024-00012</td><td>分类：</td><td>行政许可</td></tr>
<tr><td>发布机构：</td><td>{AGENCY}</td><td>成文日期：</td><td>2024-01-15</td></tr>
<tr><th>名称</th><td colspan="3">{TITLE}</td></tr>
</table>
<h1>{TITLE}</h1>
<div class="meta"><span>发布日期：2024-01-16</span> <span>来源：{AGENCY}</span>
<span class="fontsize">【字体：<a>大</a> <a>中</a> <a>小</a>】</span></div>
<div class="content TRS_Editor">
{newline.join(body)}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="print-bar"><a href="javascript:window.print()">【打印本页】</a> <a>【关闭窗口】</a></div>
</div>
<div class="footer">主办：广州市白云区人民政府办公室　网站标识码：4401110001　粤ICP备00000000号</div>
</body>
</html>
"""


def report_table_html() -> str:
    """The report as a State-Council-style policy page: spaced labels, <br> paragraphs, GBK."""
    body = [PREAMBLE]
    for _, heading, paragraphs in SECTIONS:
        body.append(f"<b>{heading}</b>")
        for p in paragraphs:
            body += (["&nbsp;&nbsp;".join(row) for row in TABLE] if p == "<table>" else [f"&nbsp;&nbsp;{p}"])
    return f"""<html><head><meta charset="gbk"><title>{TITLE}</title>
<link rel="stylesheet" href="/css/main.css"></head>
<body><div class="top"><a href="/">首页</a> | <a href="/en/">English</a></div>
<div id="menu"><a href="/zhengce/">政策</a><a href="/hudong/">互动</a></div>
<table class="bd1" width="100%">
<tr><td><b>索　引　号：</b></td><td>11440111MB2D31284X/2024-00012</td><td><b>主题分类：</b></td><td>行政许可</td></tr>
<tr><td><b>发布机构：</b></td><td>{AGENCY}</td><td><b>成文日期：</b></td><td>2024年01月15日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">{TITLE}</td></tr>
<tr><td><b>发布日期：</b></td><td>2024年01月16日</td><td></td><td></td></tr>
</table>
<div class="pages-title">{TITLE}</div>
<div id="UCAP-CONTENT">
{"<br>".join(body)}<br>
<p align="right">{SIGNATURE[0]}<br>{SIGNATURE[1]}</p>
</div>
<div class="pages_print"><a>【我要纠错】</a> <a>【打印】</a> <a>【关闭】</a></div>
<div class="bottom">版权所有：{AGENCY}　地址：广州市白云区</div>
</body></html>
"""


def _heading_style(document: docx.document.Document, name: str, level: int) -> str:
    """A paragraph style called `name` whose outline level makes it a heading."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    ppr = style.element.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))
    ppr.append(outline)
    return name


def _docx_bytes(document: docx.document.Document) -> bytes:
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    buffer = io.BytesIO()
    document.save(buffer)
    stable = io.BytesIO()  # the same bytes on every run: zip entries with a fixed time
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, FIXED_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry))
    return stable.getvalue()


def report_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(PREAMBLE)
    for level, heading, paragraphs in SECTIONS:
        document.add_heading(heading, level=level)
        for p in paragraphs:
            if p == "<table>":
                table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
                for r, row in enumerate(TABLE):
                    for c, text in enumerate(row):
                        table.cell(r, c).text = text
            else:
                document.add_paragraph(p)
    for line in SIGNATURE:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _docx_bytes(document)


def _list_numbering(document: docx.document.Document) -> str:
    """A list definition numbering level 0 as 一、 and level 1 as （一）; its w:numId."""
    root = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, text in ((0, "%1、"), (1, "（%2）")):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    root.insert(0, abstract)  # abstract definitions come before w:num
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    root.append(num)
    return "90"


def _numbered(paragraph: docx.text.paragraph.Paragraph, num_id: str, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = int(num_id)


def report_numbered_docx() -> bytes:
    """The report as Word with list-numbered headings: "一、" is not in the paragraph text."""
    document = docx.Document()
    num_id = _list_numbering(document)
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(PREAMBLE)
    for level, heading, paragraphs in SECTIONS:
        _numbered(document.add_paragraph(heading.split("、", 1)[-1].split("）", 1)[-1]), num_id, level - 1)
        for p in paragraphs:
            if p == "<table>":
                table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
                for r, row in enumerate(TABLE):
                    for c, text in enumerate(row):
                        table.cell(r, c).text = text
            else:
                document.add_paragraph(p)
    for line in SIGNATURE:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _docx_bytes(document)


def headings_docx() -> bytes:
    """The Markdown headings report as Word: 标题 1 / outline-level styles, no numbering."""
    document = docx.Document()
    styles = {1: _heading_style(document, "标题 1", 1), 2: _heading_style(document, "公文二级标题", 2)}
    for line in HEADINGS_MD.splitlines():
        if not line.strip():
            continue
        marks = len(line) - len(line.lstrip("#"))
        text = line.lstrip("# ")
        if marks == 1:
            document.add_paragraph(text, style="Title")
        elif marks:
            document.add_paragraph(text, style=styles[marks - 1])
        else:
            document.add_paragraph(text)
    return _docx_bytes(document)


class _Page(FPDF):
    def header(self) -> None:
        self.set_font("cjk", size=9)
        self.cell(0, 6, "白云区市场监管局政府信息公开", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("cjk", size=11)
        self.cell(0, 10, f"- {self.page_no()} -", align="C")


def report_pdf(font: Path) -> bytes:
    pdf = _Page(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_font("cjk", fname=str(font), collection_font_number=2)
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(0, 10, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=13)
    pdf.multi_cell(0, 8, PREAMBLE, new_x="LMARGIN", new_y="NEXT")
    for _, heading, paragraphs in SECTIONS:
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        for p in paragraphs:
            if p == "<table>":
                for row in TABLE:
                    for text in row:
                        pdf.cell(50, 8, text, border=1)
                    pdf.ln(8)
            else:
                pdf.multi_cell(0, 8, p, new_x="LMARGIN", new_y="NEXT")
    for line in SIGNATURE:
        pdf.multi_cell(0, 8, line, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page that is only an image (a scan): no text layer."""
    rng = random.Random(7)
    image = Image.new("L", (240, 340), 255)
    for _ in range(4000):
        image.putpixel((rng.randrange(240), rng.randrange(340)), rng.randrange(120))
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypted_pdf(data: bytes, user_password: str) -> bytes:
    """The PDF encrypted (RC4): with an empty user password it still opens without one.

    pypdf draws a random file id for the key, so these two files differ on every run.
    """
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write(relative: str, data: bytes | str, encoding: str = "utf-8") -> bytes:
    path = HERE / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode(encoding) if isinstance(data, str) else data
    path.write_bytes(raw)
    return raw


def main() -> None:
    font = find_font()
    for folder in ("formats", "encodings", "headings", "同名", "bad", "重复"):
        shutil.rmtree(HERE / folder, ignore_errors=True)
    text = report_txt()
    write("formats/report.txt", text)
    write("formats/report.md", report_md())
    write("formats/report.html", report_html("utf-8"))
    write("formats/report-gbk.htm", report_html("gb2312"), "gb18030")
    write("formats/report-policy-page.html", report_table_html(), "gbk")
    docx_data = write("formats/report.docx", report_docx())
    write("formats/report-numbered.docx", report_numbered_docx())
    pdf_data = write("formats/report.pdf", report_pdf(font))
    write("formats/report-protected.pdf", encrypted_pdf(pdf_data, ""))  # no copying, but readable

    traditional = opencc.OpenCC("s2tw").convert(text)  # Taiwan forms: all in Big5
    write("encodings/utf8-bom.txt", text, "utf-8-sig")
    write("encodings/utf16le-bom.txt", text, "utf-16")  # Python writes the BOM, little-endian
    write("encodings/utf16be-bom.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    write("encodings/utf16le.txt", text, "utf-16-le")
    write("encodings/utf16be.txt", text, "utf-16-be")
    write("encodings/gbk.txt", text, "gbk")
    write("encodings/gb18030-crlf.txt", text.replace("\n", "\r\n"), "gb18030")
    write("encodings/big5.txt", traditional, "cp950")

    write("headings/headings.md", HEADINGS_MD)
    write("headings/headings.docx", headings_docx())
    write("headings/headings.html", "<html><head><meta charset='utf-8'><title>工作总结</title></head><body>"
          + "".join(f"<h{len(line) - len(line.lstrip('#'))}>{line.lstrip('# ')}</h{len(line) - len(line.lstrip('#'))}>"
                    if line.startswith("#") else f"<p>{line}</p>"
                    for line in HEADINGS_MD.splitlines() if line.strip())
          + "</body></html>")

    write("同名/甲/通知.txt", "广州市白云区市场监督管理局关于开展食品经营许可专项检查的通知\n"
          "一、检查范围\n全区持证食品经营者，重点检查告知承诺制取得许可的经营者。\n")
    write("同名/乙/通知.txt", "广州市白云区市场监督管理局关于推行电子证照的通知\n"
          "一、工作目标\n2024年底前食品经营许可证全面实现电子证照亮证经营。\n")

    write("bad/empty.txt", b"")
    write("bad/空白.md", "   \n\n\u3000\n")
    write("bad/photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    write("bad/truncated.docx", docx_data[: len(docx_data) // 2])
    write("bad/truncated.pdf", pdf_data[: len(pdf_data) // 2])
    write("bad/scanned.pdf", scanned_pdf())
    write("bad/加密.pdf", encrypted_pdf(pdf_data, "secret"))
    write("bad/slides.pptx", b"PK\x03\x04" + bytes(60))
    write("bad/旧版报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    write("bad/只有标题.txt", TITLE + "\n")
    write("重复/report.txt", text)  # the same bytes as formats/report.txt


if __name__ == "__main__":
    main()

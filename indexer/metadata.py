"""Report metadata from its text: page chrome, title, agency, region, year, document type.

Reports are messy: the title may span lines, sit in a page header (名称：…) or be missing;
the agency may only be named in the first sentence. Each field is found by a chain of
general rules, most specific first, so that reports from other places work too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .models import DocType
from .normalize import clean_whitespace, fold
from .regions import find_region

CHROME_LABELS = ("索引号", "分类", "发布机构", "成文日期", "名称", "标题", "文号", "发文字号", "发布日期",
                 "主题词", "来源", "信息来源", "更新时间", "浏览次数", "公开方式", "发文机关", "生效日期")
_LABEL_RE = re.compile(rf"({'|'.join(CHROME_LABELS)})\s*[:：]\s*")
CHROME_LINE = re.compile(
    rf"^(?:(?:{'|'.join(CHROME_LABELS)})\s*[:：]|附件\s*\d*$|【|\[打印\])|【(?:打印|关闭|字体)"
    r"|(?:政府信息公开|规章库|信息公开目录)$"
)
TITLE_END = re.compile(r"(?:报告|方案|总结|计划|要点|意见|通知|规划|办法|情况|汇报|细则|决定|通报|公告)$")
ORG_SUFFIX = (r"(?:委员会|管理委员会|管委会|办公室|办公厅|人民政府|政府|领导小组|工作小组|小组|"
              r"分局|局|厅|委|办|院|中心|署)")
YEAR_NUMBER = r"(?:\d{4}|[一二][〇零o○][一二三四五六七八九〇零]{2})"
ORG_BEFORE_YEAR = re.compile(rf"^(?P<org>.{{2,50}}?{ORG_SUFFIX})(?:关于)?{YEAR_NUMBER}\s*年")
ORG_ABOUT = re.compile(rf"^(?P<org>.{{2,50}}?{ORG_SUFFIX})关于")
ORG_IN_TEXT = re.compile(
    r"(?:^|[，,。\s：:])(?:\d{4}年[，,]?)?(?P<org>[\u4e00-\u9fff]{1,12}?(?:省|市|区|县|州|盟|旗)"
    r"[\u4e00-\u9fff]{0,25}?(?:局|委员会|办公室|办公厅|管委会|中心|人民政府|厅))"
    r"(?=[\s，,、]|$|全面|坚持|认真|深入|积极|紧紧|始终|在|以|按照|根据|围绕|聚焦)"
)
SIGNATURE_ORG = re.compile(rf"^(?P<org>[\u4e00-\u9fff“”\"（）()]{{4,50}}{ORG_SUFFIX})(?:秘书处|秘书科)?$")
DATE = re.compile(r"(\d{4})\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|-\d{1,2}-\d{1,2})")
REPORT_SENTENCE = re.compile(
    r"现将(?:我局|我区|我市|我县|我委|我办|本局|本单位|我单位|我中心|我厅|我院|有关)?"
    r"(?P<what>[^，,。]{4,40}?(?:报告|总结|情况))如下"
)
YEAR = re.compile(r"(\d{4})\s*年")


@dataclass
class FrontMatter:
    """What the head of a report says about it, and which lines are not body."""

    chrome: dict[str, str] = field(default_factory=dict)
    title: str = ""
    skip_lines: set[int] = field(default_factory=set)  # chrome, title and signature lines
    signature: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Metadata:
    """The extracted metadata of one report."""

    title: str
    agency: str
    region: str
    region_parts: tuple[str, ...]
    year: int | None
    doc_type: DocType


def is_chrome(line: str) -> bool:
    """Page furniture of a web page the report was copied from (索引号, 【打印】 …)."""
    return bool(CHROME_LINE.search(fold(line))) and len(line) <= 200


def parse_chrome(line: str) -> dict[str, str]:
    """'索引号: X 分类: Y' → {'索引号': 'X', '分类': 'Y'}."""
    folded = fold(line)
    marks = list(_LABEL_RE.finditer(folded))
    values = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=False):
        end = following.start() if following else len(line)
        values[mark.group(1)] = clean_whitespace(line[mark.end():end])
    return values


def _title_like(line: str) -> bool:
    return len(line) <= 80 and not re.search(r"[。；;:：]", line) and not line.startswith(("根据", "为", "按照"))


def read_front_matter(lines: list[str], body_start: int) -> FrontMatter:
    """Chrome, title and signature from the lines before `body_start` and at the end."""
    front = FrontMatter()
    pending: list[int] = []
    for i in range(body_start):
        line = clean_whitespace(lines[i])
        if not line:
            continue
        if is_chrome(line):
            front.skip_lines.add(i)
            front.chrome.update(parse_chrome(line))
            continue
        if front.title or not _title_like(line):
            pending = []
            continue
        pending = [*pending[-2:], i]
        joined = "".join(clean_whitespace(lines[j]) for j in pending)
        if TITLE_END.search(fold(joined)) and len(joined) >= 6:
            front.title = joined
            front.skip_lines.update(pending)
    for i in range(len(lines) - 1, body_start - 1, -1):  # chrome and signature at the tail
        line = clean_whitespace(lines[i])
        if not line:
            continue
        if is_chrome(line):
            front.skip_lines.add(i)
        elif len(line) <= 40 and (DATE.search(line) or SIGNATURE_ORG.match(fold(line.split(" ")[0]))):
            front.signature.insert(0, line)
            front.skip_lines.add(i)
        else:
            break
    return front


def find_title(front: FrontMatter, text: str, agency: str) -> str:
    """The title as written; built from the report sentence if the report has none."""
    if front.title:
        return front.title
    if front.chrome.get("名称") or front.chrome.get("标题"):
        return front.chrome.get("名称") or front.chrome["标题"]
    if m := REPORT_SENTENCE.search(fold(text[:2000])):
        return agency + text[m.start("what"): m.end("what")]
    return ""


def _original(text: str, pattern: re.Pattern[str], search: bool = False) -> str:
    """The `org` group of a match on the folded text, in the text's own script."""
    m = (pattern.search if search else pattern.match)(fold(text))
    return text[m.start("org"): m.end("org")] if m else ""


def _agency_candidates(title: str, front: FrontMatter, head: str) -> Iterator[str]:
    """Places that may name the agency, most specific first (computed lazily)."""
    yield _original(title, ORG_ABOUT)
    yield _original(title, ORG_BEFORE_YEAR)
    for line in head.splitlines()[:5]:  # "XX办公厅关于印发…的通知"
        yield _original(clean_whitespace(line), ORG_ABOUT)
    yield front.chrome.get("发布机构", "")
    for line in front.signature:
        yield _original(line.split(" ")[0], SIGNATURE_ORG)
    yield _original(head[:600], ORG_IN_TEXT, search=True)


def find_agency(title: str, front: FrontMatter, head: str) -> str:
    """The body that wrote the report, as named in it (in the report's own script)."""
    return next((found for found in _agency_candidates(title, front, head) if found), "")


def find_doc_type(title: str, head: str) -> DocType:
    """Document type from the title (or the opening text if there is no title)."""
    text = fold(title or head[:300])
    if "行政许可" in text and re.search(r"报告|情况|总结", text):
        return "licensing_report"
    if re.search(r"法治政府|依法行政", text) and re.search(r"报告|情况|总结", text):
        return "rule_of_law_report"
    if re.search(r"总结|工作报告|工作情况", text):
        return "work_summary"
    if re.search(r"方案|计划|要点|意见|通知|措施|规划|办法|细则", text):
        return "work_plan"
    return "other"


def _plausible(year: int) -> bool:
    return 1980 <= year <= 2100


def find_year(title: str, doc_type: DocType, front: FrontMatter, head: str) -> int | None:
    """The year a report is about; for a plan, the year it was issued."""
    issued = [int(m.group(1)) for m in DATE.finditer(fold(" ".join(front.signature) + "\n" + head))]
    issued += [int(m.group(1)) for key in ("成文日期", "发布日期", "更新时间")
               if (m := DATE.search(front.chrome.get(key, "")))]
    about = [int(m.group(1)) for m in YEAR.finditer(fold(title))]
    if doc_type == "work_plan":
        candidates = issued + about
    else:
        candidates = about + [int(m.group(1)) for m in YEAR.finditer(fold(head[:300]))] + issued
    return next((y for y in candidates if _plausible(y)), None)


def extract_metadata(front: FrontMatter, head: str) -> Metadata:
    """All metadata of a report, given its front matter and opening text."""
    agency = find_agency(front.title or front.chrome.get("名称", ""), front, head)
    title = find_title(front, head, agency)
    if not agency:
        agency = find_agency(title, front, head)
    doc_type = find_doc_type(title, head)
    region = find_region(agency) if agency else None
    if not region or not region.name:
        region = find_region(title) if title else region
    if not region or not region.name:
        region = find_region(head[:200])
    return Metadata(
        title=title,
        agency=fold(agency),
        region=region.name,
        region_parts=region.parts,
        year=find_year(title, doc_type, front, head),
        doc_type=doc_type,
    )

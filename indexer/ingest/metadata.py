"""Report metadata from its parts: title, agencies, region, year, document type, dates, source.

Each field is found by a chain of general rules on the parts an official document has
(see frontmatter.py), most specific first; a value that fails its shape goes nowhere
(an agency must pass `is_agency_name`), so an empty field is preferred to a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from indexer.ingest.agency import MAX_AGENCY, ORG_END_PATTERN, complete_agency, is_agency_name, split_agencies
from indexer.ingest.dates import YEAR_TOKEN, find_dates, iso_date, stated_years, year_value
from indexer.ingest.frontmatter import (
    TITLE_END,
    URL,
    FrontMatter,
    is_addressee,
    is_chrome,
    parse_chrome,
    read_front_matter,
    signature_of,
)
from indexer.ingest.regions import Region, find_region, names_place
from indexer.models import DocType
from indexer.text.normalize import clean_whitespace, fold

__all__ = ["Metadata", "extract_metadata", "find_doc_type", "is_agency_name", "is_chrome", "parse_chrome",
           "read_front_matter"]

_ORG = ORG_END_PATTERN.removesuffix("$")
LEADING_YEAR = re.compile(rf"^{YEAR_TOKEN}\s*年(?:度)?")
ORG_ABOUT = re.compile(r"^(?P<org>.{2,80}?)关于")
ORG_ISSUES = re.compile(r"^(?P<org>.{2,80}?)(?:联合)?(?:印发|转发)")
ORG_BEFORE_YEAR = re.compile(rf"^(?P<org>.{{2,60}}?{_ORG})(?:关于)?{YEAR_TOKEN}\s*年")
# The subject of the opening sentence: "2022年，市政务服务数据管理局坚持…".
_LEAD_IN = r"(?:(?:" + YEAR_TOKEN + r"\s*年(?:度|以来|上半年)?|近年来|今年以来|过去一年|一年来)\s*[，,、]?\s*)?"
_VERB = (r"全面|坚持|认真|深入|积极|紧紧|始终|在|以|按照|根据|围绕|聚焦|严格|持续|进一步|着力|大力|不断|扎实|切实|"
         r"高度|共|牢固|立足|紧扣|贯彻|落实|加强|深化|推进|主动|全力|锚定|坚决|统筹|把|将|继续|对|从|结合|依法")
OPENING_SUBJECT = re.compile(rf"^{_LEAD_IN}(?P<org>[^，,。；;：:、]{{4,80}}?{_ORG})(?=\s*(?:{_VERB})|\s*[，,])")
COMPILED_BY = re.compile(rf"本(?:年度)?报告(?:是)?由(?P<org>[\u4e00-\u9fff“”]{{4,40}}?{_ORG})"
                         r"(?:根据|按照|依据|依照|编制|负责)")
SPEAKING_FOR = re.compile(rf"我代表(?P<org>[\u4e00-\u9fff]{{2,30}}?{_ORG})[，,]?向")  # 政府工作报告
CALLED = re.compile(rf"(?P<org>[\u4e00-\u9fff“”]{{4,40}}?{_ORG})[（(]以下简称")
REPORT_SENTENCE = re.compile(
    r"现将(?:我局|我区|我市|我县|我委|我办|本局|本单位|我单位|我中心|我厅|我院|我省|我镇|本机关|我机关)?"
    r"(?P<what>[^，,。《》]{4,40}?(?:报告|总结|情况))如下"
)
PUBLISHED = re.compile(r"现(?:予以?)?(?:公开)?(?:发布|公布)《?"
                       r"(?P<what>[^《》。，,；;]{6,60}?(?:年度报告|年报|报告))》?")
PUBLISHED_TITLE = re.compile(r"《(?P<what>[^《》]{6,60}?(?:年度报告|年报))》(?:已经?[^。]{0,12}同意)?[，,]?"
                             r"现(?:予以?)?(?:公开)?(?:发布|公布)")
COMPILED = re.compile(rf"(?P<org>[\u4e00-\u9fff]{{2,30}}?{_ORG})编制(?:了|完成)?《?"
                      r"(?P<what>[^《》。，,]{4,40}?(?:年度报告|年报))》?")
NAMED_REPORT = (REPORT_SENTENCE, PUBLISHED_TITLE, PUBLISHED, COMPILED)
_VAGUE_WHAT = re.compile(r"^(?:有关|相关|上述|具体|主要|以下|一年来|本|该|其|工作|自查|检查|落实)")
NUMBER_YEAR = re.compile(rf"[〔\[［(（【]\s*({YEAR_TOKEN})\s*[〕\]］)）】]")
AGENCY_CHROME = ("发布机构", "发文机关", "发文机构", "来源", "信息来源")
PUBLISHED_CHROME = ("发布日期", "发布时间", "成文日期", "发文日期")
ISSUED_CHROME = ("成文日期", "发文日期", "发布日期", "发布时间", "更新时间")
ISSUED_TYPES = frozenset({"work_plan", "notice", "regulation"})  # dated by issue, not by the year reported on
ANNUAL_TYPES = frozenset({"licensing_report", "rule_of_law_report", "disclosure_report"})


@dataclass(frozen=True)
class Metadata:
    """The extracted metadata of one report."""

    title: str
    agency: str
    region: str
    region_parts: tuple[str, ...]
    year: int | None
    doc_type: DocType
    agencies: tuple[str, ...] = ()
    published: str = ""
    source_url: str = ""


def _prose_lines(head: str) -> Iterator[str]:
    """Lines of the opening that are prose: not an addressee, a title or a signature."""
    for raw in head.splitlines():
        line = clean_whitespace(raw)
        if line and not is_addressee(line) and not signature_of(line) and split_agencies(line) != [line]:
            if len(line) <= 80 and TITLE_END.search(fold(line)) and "。" not in line:
                continue
            yield line


def _named_report(head: str) -> tuple[str, str]:
    """What the opening says the report is, and who compiled it, if a sentence names it with its year."""
    folded = fold(head[:3000])
    for pattern in NAMED_REPORT:
        for m in pattern.finditer(folded):
            if not _VAGUE_WHAT.search(m.group("what")) and stated_years(m.group("what")):
                org = head[m.start("org"): m.end("org")] if "org" in pattern.groupindex else ""
                return head[m.start("what"): m.end("what")], org
    return "", ""  # "现将有关情况报告如下" names nothing


def report_sentence_title(head: str, agency: str) -> str:
    """A title from the sentence that names the report ("现将我局2019年度法治政府建设报告如下", "现发布《…》")."""
    what, _ = _named_report(head)
    return "" if not what else what if _from_title(what) else agency + what


def chrome_title(front: FrontMatter) -> str:
    """The title a portal header gives (名称, 标题, 文件名称)."""
    return next((front.chrome[k] for k in ("名称", "标题", "文件名称") if front.chrome.get(k)), "")


def head_title(head: str) -> str:
    """A title standing alone in the opening: first, or right after a 落款 (a 令's or notice's attachment)."""
    after_signature = True  # the opening's first line may be a title too
    for raw in head.splitlines()[:30]:
        line = clean_whitespace(raw)
        if not line:
            continue
        if (after_signature and 8 <= len(line) <= 60 and TITLE_END.search(fold(line))
                and not re.search(r"[，,。；;：:]", line) and not re.match(r"特此|现将|请|以上|附件", line)):
            return line
        after_signature = signature_of(line) is not None
    return ""


def find_title(front: FrontMatter, head: str, agency: str) -> str:
    """The title as written (title lines, the portal header, a title line in the opening), else built."""
    return front.title or chrome_title(front) or head_title(head) or report_sentence_title(head, agency)


def _from_title(title: str) -> list[str]:
    """The authors a title starts with: "XX局关于…", "A、B印发…", "XX局2023年度…", "XX局行政许可…"."""
    if lead := LEADING_YEAR.match(fold(title)):  # 2022年度杭州市拱墅区卫生健康局政府信息公开工作年度报告
        title = title[lead.end():]
    folded = fold(title)
    for pattern in (ORG_ABOUT, ORG_ISSUES, ORG_BEFORE_YEAR):
        if (m := pattern.match(folded)) and (names := split_agencies(title[: m.end("org")])):
            return names
    # No 关于 and no year: the longest leading name that names a place (嘉兴市南湖区…分局行政许可…报告);
    # a bare 政府 starts the topic there (市政府信息公开…, 市政府工作报告), not a name.
    for end in range(min(len(title) - 4, MAX_AGENCY), 3, -1):
        name = folded[:end]
        if is_agency_name(title[:end]) and names_place(name) and not re.search(r"(?<!人民)政府$", name):
            return [title[:end]]
    return []


def _agency_sources(title: str, front: FrontMatter, head: str) -> Iterator[list[str]]:
    """Names from each place that may name the authors, most specific first (computed lazily)."""
    yield _from_title(title)
    yield list(front.banner)
    for line in head.splitlines()[:6]:  # a notice's own title: "XX办公厅关于印发…的通知"
        line = clean_whitespace(line)
        if len(line) <= 120 and TITLE_END.search(fold(line)):
            yield _from_title(line)
    yield next((list(s.names) for s in front.signatures if s.names and not s.printed), [])
    yield list(front.named)
    yield split_agencies(_named_report(head)[1])
    folded_head = fold(head[:1500])
    for pattern in (COMPILED_BY, SPEAKING_FOR, CALLED):
        if m := pattern.search(folded_head):
            yield split_agencies(head[m.start("org"): m.end("org")])
    for line in islice((x for x in _prose_lines(head) if re.search(r"[，,。]", x)), 1):  # the first sentence
        if m := OPENING_SUBJECT.match(fold(line)):  # "我市政务服务中心" is the city's: "市政务服务中心"
            yield split_agencies(re.sub(r"^我(?=[省市区县州旗])", "", line[m.start("org"): m.end("org")]))
    for key in AGENCY_CHROME:  # the portal that published it: often, not always, the author
        yield split_agencies(front.chrome.get(key, ""))


def find_agencies(title: str, front: FrontMatter, head: str, hint: Region) -> tuple[str, ...]:
    """The bodies that wrote the report (primary first), as named in it, abbreviations completed."""
    for names in _agency_sources(title, front, head):
        completed = [c for name in names if (c := complete_agency(name, hint))]
        if completed:
            return tuple(dict.fromkeys(completed))
    return ()


def find_doc_type(title: str, head: str) -> DocType:
    """Document type from the title (or the opening text if there is no title)."""
    text = fold(title or head[:300])
    plan = r"方案|计划|要点|意见|措施|规划"
    rules = r"办法|细则|规则|规定|条例|指引|规范$|制度$"
    if re.search(r"(?:通知|通告|公告)$", text) and not re.search(r"(?:印发|转发).*报告", text):
        if issued := re.search(rf"(?:印发|转发).*({plan}|{rules})", text):  # a notice issuing a plan or rules
            return "regulation" if re.fullmatch(rules, issued.group(1)) else "work_plan"
        return "notice"
    if re.search(r"信息公开.{0,8}(?:年度报告|年报|工作报告|情况的?报告)|政务公开.{0,6}年度报告", text):
        return "disclosure_report"
    if "行政许可" in text and re.search(r"报告|情况|总结", text):
        return "licensing_report"
    reported = r"报告|情况|总结" if title else r"报告|情况|总结|成效|进展"  # an untitled text: what it did
    if re.search(r"法治(?:政府|建设|[\u4e00-\u9fff]{1,4}建设)|依法行政", text) and re.search(reported, text):
        return "rule_of_law_report"
    if re.search(r"总结|工作报告|工作情况|自查报告|情况的?报告|汇报", text):
        return "work_summary"
    if re.search(plan, text):
        return "work_plan"
    return "regulation" if re.search(rules, text) else "other"


def _issued_years(front: FrontMatter) -> list[int]:
    signed = [s for s in front.signatures if s.date and not s.printed]
    years = [int(s.date[:4]) for s in signed]
    years += [y for number in front.doc_numbers if (m := NUMBER_YEAR.search(fold(number))) and (y := year_value(m[1]))]
    years += [d[0] for key in ISSUED_CHROME for d in find_dates(fold(front.chrome.get(key, "")))[:1]]
    return years + [int(s.date[:4]) for s in front.signatures if s.date and s.printed]


def find_year(title: str, doc_type: DocType, front: FrontMatter, head: str) -> int | None:
    """The year a report is about, where the text states it; for a plan or a notice, the year it was issued."""
    folded_title = fold(title)
    about = stated_years(folded_title) or stated_years(folded_title, outside_brackets=False)
    stated = stated_years(fold(_named_report(head)[0]))
    opening = stated_years(fold(" ".join(islice(_prose_lines(head[:1500]), 2))[:300]))
    issued = _issued_years(front)
    if doc_type in ISSUED_TYPES:
        candidates = issued + about + opening
    else:
        candidates = about + stated + opening + ([] if doc_type in ANNUAL_TYPES else issued)
    return candidates[0] if candidates else None


def find_published(front: FrontMatter) -> str:
    """发布日期 or 成文日期 (portal header, else the 落款), as yyyy-mm-dd; "" if not stated."""
    for key in PUBLISHED_CHROME:
        if found := iso_date(fold(front.chrome.get(key, ""))):
            return found
    signed = [s.date for s in front.signatures if s.date and not s.printed]
    return signed[0] if signed else ""


def find_source_url(front: FrontMatter) -> str:
    """The page the report was copied from: a URL in the portal header (来源, 原文链接 …) or a URL line."""
    for key in ("原文链接", "网址", "来源", "信息来源"):
        if m := URL.search(fold(front.chrome.get(key, ""))):
            return m.group()
    return front.urls[0] if front.urls else ""


def _region_hint(title: str, front: FrontMatter, head: str) -> Region:
    """The place the report names (title, 版头, header, 落款, opening), to complete abbreviated names."""
    signed = " ".join(n for s in front.signatures for n in s.names)
    chrome = " ".join(front.chrome.get(k, "") for k in AGENCY_CHROME)
    return find_region(" ".join([title, *front.banner, chrome, signed, head[:300]]))


def extract_metadata(front: FrontMatter, head: str) -> Metadata:
    """All metadata of a report, given its front matter and opening text."""
    early_title = front.title or chrome_title(front) or ""
    hint = _region_hint(early_title, front, head)
    agencies = find_agencies(early_title, front, head, hint)
    title = find_title(front, head, agencies[0] if agencies else "")
    if not agencies and title:
        agencies = find_agencies(title, front, head, hint)
    doc_type = find_doc_type(title, head)
    region = find_region(agencies[0]) if agencies else Region()
    for text in (title, head[:200]):
        if not region.name and text:
            region = find_region(text)
    folded = tuple(dict.fromkeys(fold(a) for a in agencies))
    return Metadata(
        title=title,
        agency=folded[0] if folded else "",
        region=region.name,
        region_parts=region.parts,
        year=find_year(title, doc_type, front, head),
        doc_type=doc_type,
        agencies=folded,
        published=find_published(front),
        source_url=find_source_url(front),
    )


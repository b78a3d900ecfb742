"""Report metadata from its parts: title, agencies, region, year, document type, dates, source.

Each field is found by a chain of general rules on the parts an official document has
(see frontmatter.py), most specific first; a value that fails its shape goes nowhere
(an agency must pass `is_agency_name`), so an empty field is preferred to a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from indexer.ingest.agency import (
    MAX_AGENCY,
    ORG_END_PATTERN,
    canonical_agency,
    complete_agency,
    expands,
    is_agency_name,
    qualified,
    split_agencies,
)
from indexer.ingest.dates import YEAR_TOKEN, find_dates, iso_date, stated_years, unbracketed, year_value
from indexer.ingest.frontmatter import (
    INTERPRETATION_MARK,
    TITLE_END,
    TITLE_START,
    URL,
    FrontMatter,
    is_addressee,
    is_chrome,
    is_closing,
    parse_chrome,
    read_front_matter,
    signature_of,
    without_status,
)
from indexer.ingest.regions import Region, find_region, names_place, region_in_text
from indexer.models import DocType, Provenance
from indexer.text.normalize import clean_whitespace, fold

__all__ = ["Metadata", "Provenance", "extract_metadata", "find_doc_type", "is_agency_name", "is_chrome", "parse_chrome",
           "read_front_matter"]

_ORG = ORG_END_PATTERN.removesuffix("$")
LEADING_YEAR = re.compile(rf"^{YEAR_TOKEN}\s*年(?:度)?")
ORG_ABOUT = re.compile(r"^(?P<org>.{2,80}?)关于")
ORG_ISSUES = re.compile(r"^(?P<org>.{2,80}?)(?:联合)?(?:印发|转发)")
ORG_BEFORE_YEAR = re.compile(rf"^(?P<org>.{{2,60}}?{_ORG})(?:关于)?{YEAR_TOKEN}\s*年")
# The subject of the opening sentence: "2022年，市政务服务数据管理局坚持…".
# "自2019年组建以来，…": a span's start, not the year a text is about.
SINCE = re.compile(rf"(?:自|从){YEAR_TOKEN}\s*年[^，,。；;]{{0,20}}?(?:以来|起)")
_LEAD_IN = (r"(?:(?:" + YEAR_TOKEN + r"\s*年(?:度|以来|上半年)?|近年来|今年以来|过去一年|一年来|近日|日前|"
            + SINCE.pattern + r")"
            r"\s*[，,、]?\s*)?"
            r"(?:在[^，,。；;]{2,40}?下\s*[，,]\s*|(?:为[^，,。；;]{2,40}[，,]\s*)(?:[^，,。；;]{2,40}[，,]\s*)?)?")
# ^ 2022年，在区委、区政府的正确领导下，… / 为提升…，推动…，县××局于…
_VERB = (r"全面|坚持|认真|深入|积极|紧紧|始终|在|以|按照|根据|围绕|聚焦|严格|持续|进一步|着力|大力|不断|扎实|切实|"
         r"高度|共|牢固|立足|紧扣|贯彻|落实|加强|深化|推进|主动|全力|锚定|坚决|统筹|把|将|继续|对|从|结合|依法|于|出台|印发|召开")
OPENING_SUBJECT = re.compile(rf"^{_LEAD_IN}(?P<org>[^，,。；;：:、]{{2,80}}?{_ORG})(?=\s*(?:{_VERB})|\s*[，,])")
COMPILED_BY = re.compile(rf"报告(?:是)?(?:(?:根据|依据|按照)《[^》]{{2,60}}》[^，,。由]{{0,12}}[，,]?)?由"
                         rf"(?P<org>[\u4e00-\u9fff“”]{{4,40}}?{_ORG})(?:根据|按照|依据|依照|编制|负责|综合|汇总|[（(]以下简称)")
SPEAKING_FOR = re.compile(rf"我代表(?P<org>[\u4e00-\u9fff]{{2,30}}?{_ORG})[，,]?向")  # 政府工作报告
CALLED = re.compile(rf"(?:由|经|在)?(?P<org>[\u4e00-\u9fff“”]{{4,40}}?{_ORG})[（(]以下简称")
REPORT_SENTENCE = re.compile(
    r"现将(?:我局|我区|我市|我县|我委|我办|本局|本单位|我单位|我中心|我厅|我院|我省|我镇|本机关|我机关)?"
    r"(?P<what>[^，,。《》]{4,40}?(?:报告|总结|情况))如下"
)
PUBLISHED = re.compile(r"现(?:予以?)?(?:向社会)?(?:公开)?(?:发布|公布)《?"
                       r"(?P<what>[^《》。，,；;]{6,60}?(?:年度报告|年报|报告))》?")
PUBLISHED_TITLE = re.compile(r"《(?P<what>[^《》]{6,60}?(?:年度报告|年报))》(?:已经?[^。]{0,12}同意)?[，,]?"
                             r"现(?:予以?)?(?:公开)?(?:发布|公布)")
COMPILED = re.compile(rf"(?P<org>[\u4e00-\u9fff]{{2,30}}?{_ORG})编制(?:了|完成)?《?"
                      r"(?P<what>[^《》。，,]{4,40}?(?:年度报告|年报))》?")
PUBLISHED_CITED = re.compile(r"现将《(?P<what>[^《》]{6,60}?(?:年度报告|年报|报告))》"
                             r"(?:予以|向社会)?(?:公布|发布|公开)")
NAMED_REPORT = (REPORT_SENTENCE, PUBLISHED_TITLE, PUBLISHED, PUBLISHED_CITED, COMPILED)
_VAGUE_WHAT = re.compile(r"^(?:有关|相关|上述|具体|主要|以下|一年来|本|该|其|工作|自查|检查|落实)")
ACCOUNT_YEAR = re.compile(rf"(?<![\d\-—–~～至到－])({YEAR_TOKEN})\s*年度")
NUMBER_YEAR = re.compile(rf"[〔\[［(（【]\s*({YEAR_TOKEN})\s*[〕\]］)）】]")
# Portal header fields that name the author (发文机关, 信息来源, 发布单位: the body the text is from),
# and those that may name only the office that posted it or the page it was copied from.
AUTHOR_CHROME = ("发文机关", "发文机构", "制发机构", "信息来源", "发布单位")
POSTING_CHROME = ("发布机构", "作者", "来源", "文章来源", "稿件来源", "供稿单位")
AGENCY_CHROME = AUTHOR_CHROME + POSTING_CHROME
CREDIT_CHROME = ("来源", "文章来源", "稿件来源")  # where an article came from: not its author under a person's byline
MEDIA = re.compile(r"融媒体|新闻|日报|晚报|报社|电视台|广播|传媒|网站|门户|公众号|客户端|杂志|编辑部")
# A person's byline (作者：王晓东, 记者 李明 通讯员 张华), not 本网 or 管理员.
PERSON = re.compile(r"(?:(?:本网|本报)?(?:记者|通讯员|编辑)\s*)?(?!本|管理员)[\u4e00-\u9fff]{2,3}"
                    r"(?:\s+(?:(?:记者|通讯员)\s*)?[\u4e00-\u9fff]{2,3})*")
PUBLISHED_CHROME = ("发布日期", "发布时间", "成文日期", "发文日期", "撰写时间", "生成日期", "更新时间")
ISSUED_CHROME = ("成文日期", "发文日期", "发布日期", "发布时间", "更新时间")
ISSUED_TYPES = frozenset({"work_plan", "notice", "regulation"})  # dated by issue, not by the year reported on
ANNUAL_TYPES = frozenset({"licensing_report", "rule_of_law_report", "disclosure_report"})


@dataclass(frozen=True)
class Metadata:
    """The extracted metadata of one report, and where each field was read."""

    title: str
    agency: str
    region: str
    region_parts: tuple[str, ...]
    year: int | None
    doc_type: DocType
    agencies: tuple[str, ...] = ()
    published: str = ""
    source_url: str = ""
    agency_forms: tuple[str, ...] = ()  # the authors' names as written, before one name per body
    provenance: dict[str, Provenance] = field(default_factory=dict)


Found = tuple[str, str]  # (rule, the line it was read from)


def _prose_lines(head: str) -> Iterator[str]:
    """Lines of the opening that are prose: not an addressee, a title or a signature."""
    for raw in head.splitlines():
        line = clean_whitespace(raw)
        if line and not is_addressee(line) and not signature_of(line) and (
                len(line) > MAX_AGENCY or split_agencies(line) != [line]):  # not a name alone
            if len(line) <= 80 and TITLE_END.search(fold(line)) and "。" not in line:
                continue
            yield line


def _sentences(head: str, lines: int = 4) -> tuple[str, ...]:
    """The first sentence of each of the opening's first prose lines (headings are not prose)."""
    return _opening_sentences(head[:1500])[:lines]


@lru_cache(maxsize=8)
def _opening_sentences(head: str) -> tuple[str, ...]:
    found = islice((x for x in _prose_lines(head) if re.search(r"[，,。]", x)), 4)
    return tuple(re.split(r"[。；;]", line, maxsplit=1)[0] for line in found)


def _named_report(head: str) -> tuple[str, str, str]:
    """What the opening says the report is, who compiled it, and the line, if a sentence names it with its year."""
    folded = fold(head[:3000])
    for pattern in NAMED_REPORT:
        for m in pattern.finditer(folded):
            if not _VAGUE_WHAT.search(m.group("what")) and stated_years(m.group("what")):
                org = head[m.start("org"): m.end("org")] if "org" in pattern.groupindex else ""
                return head[m.start("what"): m.end("what")], org, _line_at(head, m.start())
    return "", "", ""  # "现将有关情况报告如下" names nothing


def _line_at(text: str, offset: int) -> str:
    """The line of `text` holding `offset`, shortened for a provenance note."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return _short(text[start: end if end >= 0 else len(text)])


def _short(line: str, limit: int = 120) -> str:
    line = clean_whitespace(line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def chrome_title(front: FrontMatter) -> str:
    """The title a portal header gives (名称, 标题, 文件名称), without a validity mark."""
    return without_status(next((front.chrome[k] for k in ("名称", "标题", "文件名称") if front.chrome.get(k)), ""))


def _after_signature_marker(line: str) -> bool:
    """What may stand between a 落款 and an attachment's title: (此件公开), a garbled short bracket, 附件."""
    return bool(is_closing(line) or re.fullmatch(r"\S{0,12}[)）]", line)
                or re.fullmatch(r"附件\s*\d*", line))


def head_title(head: str) -> tuple[str, str]:
    """A title standing alone in the opening: first, or right after a 落款 (a 令's or notice's attachment)."""
    after_signature = True  # the opening's first line may be a title too
    for raw in head.splitlines()[:30]:
        line = clean_whitespace(raw)
        if not line:
            continue
        if (after_signature and 8 <= len(line) <= 60 and TITLE_END.search(fold(line))
                and not re.search(r"[，,。；;：:]", line) and not re.match(r"特此|现将|请|以上|附件", line)):
            return line, line
        if after_signature and _after_signature_marker(line):
            continue
        after_signature = signature_of(line) is not None
    return "", ""


# A title run into the body on one line (pages without line breaks): "…关于2023年度…情况的报告2023年，省政府…".
GLUED_TITLE = re.compile(r"^(?P<title>.{6,80}?的(?:报告|通知|意见|通报|决定|方案|总结))"
                         r"(?=\s*(?:\d{4}|二[〇零○]|[\u4e00-\u9fff]))")


def glued_title(head: str) -> str:
    """The title at the start of a first line that runs on into the body, if it has a GB/T title's shape."""
    first = clean_whitespace(next((x for x in head.splitlines() if x.strip()), ""))
    m = GLUED_TITLE.match(first)
    if m and len(first) > len(m["title"]) + 10 and TITLE_START.match(fold(m["title"])):
        return first[: m.end("title")]
    return ""


def news_headline(front: FrontMatter) -> tuple[str, str]:
    """A news item's headline (a first line above its byline, or repeated), as the title."""
    return (front.headline, front.headline) if 8 <= len(front.headline) <= 60 else ("", "")


def find_title(front: FrontMatter, head: str) -> tuple[str, Found]:
    """The title as written (title lines, the portal header, a title line in the opening, a headline)."""
    header = chrome_title(front)
    # The text's own title lines, unless the header names the page an interpretation: the heading
    # below it is then the interpreted document's, repeated.
    if front.title and not INTERPRETATION_TITLE.search(fold(header)):
        return front.title, ("title_lines", front.title_line or front.title)
    if header:
        key = next(k for k in ("名称", "标题", "文件名称") if front.chrome.get(k))
        return header, (f"portal_header:{key}", f"{key}: {header}")
    if (found := head_title(head))[0]:
        return found[0], ("title_line_in_text", found[1])
    if title := glued_title(head):
        return title, ("title_run_into_text", _short(head.lstrip().split("\n", 1)[0]))
    if (found := news_headline(front))[0]:
        return found[0], ("news_headline", found[1])
    return "", ("", "")  # a sentence that names the report ("现公布…报告") states no title


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


AgencySource = tuple[str, str, list[str]]  # rule, line, names


def _agency_sources(title: str, front: FrontMatter, head: str) -> Iterator[AgencySource]:
    """Names from each place that may name the authors, most specific first (computed lazily)."""
    yield "title", title, _from_title(title)
    yield "banner", " ".join(front.banner), list(front.banner)
    for line in head.splitlines()[:6]:  # a notice's own title: "XX办公厅关于印发…的通知"
        line = clean_whitespace(line)
        if len(line) <= 120 and TITLE_END.search(fold(line)):
            yield "title_line_in_text", line, _from_title(line)
    signed = next((s for s in front.signatures if s.names and not s.printed), None)
    yield "signature", " ".join(signed.names) + (f" {signed.date}" if signed.date else "") if signed else "", (
        list(signed.names) if signed else [])
    yield "names_line", " ".join(front.named), list(front.named)
    yield from _header_sources(front, AUTHOR_CHROME)  # 信息来源：××局 names the author, whatever the text mentions
    what, org, line = _named_report(head)  # "现将《XX局2023年…年度报告》予以公布": its author
    yield "report_named_in_text", line, split_agencies(org) or (_from_title(what) if what else [])
    folded_head = fold(head[:1500])
    for rule, pattern in (("compiled_by", COMPILED_BY), ("speaking_for", SPEAKING_FOR), ("called", CALLED)):
        if m := pattern.search(folded_head):
            yield rule, _line_at(head, m.start()), split_agencies(head[m.start("org"): m.end("org")])
    for sentence in _sentences(head, 3):  # the subject of an opening sentence
        if m := OPENING_SUBJECT.match(fold(sentence)):  # "我市政务服务中心" is the city's: "市政务服务中心"
            names = split_agencies(re.sub(r"^我(?=[省市区县州旗])", "", sentence[m.start("org"): m.end("org")]))
            yield "opening_subject", _short(sentence), names
    for attached in front.attachments:  # the attachment a notice publishes: "附件：A B2020年度…报告"
        yield "attachment", f"附件：{attached}", _from_title(attached)
    yield from _header_sources(front, POSTING_CHROME)  # the portal that published it: often, not always, the author
    printed = next((s for s in front.signatures if s.names and s.printed), None)  # 版记: "××办公厅 …印发"
    yield "printed_by", " ".join(printed.names) if printed else "", list(printed.names) if printed else []


def _header_sources(front: FrontMatter, keys: tuple[str, ...]) -> Iterator[AgencySource]:
    """The names the portal header's fields give; a media outlet (融媒体中心, 日报) is never an author,
    nor is the 来源 of an article a person signs (作者：王某)."""
    by_person = bool(PERSON.fullmatch(fold(front.chrome.get("作者", "")))) and not is_agency_name(front.chrome["作者"])
    for key in keys:
        value = front.chrome.get(key, "")
        if not value or MEDIA.search(fold(value)) or (by_person and key in CREDIT_CHROME):
            continue
        yield f"portal_header:{key}", f"{key}: {value}", split_agencies(value)


def _completed(name: str, hint: Region, spoken: Callable[[], Region]) -> str:
    """A name with its abbreviated place completed from the place the report names (else the place
    its text speaks of most, if that lies in it); kept as written when the text does not say."""
    if fold(name).startswith("市") and isinstance(hint, _Hint) and not hint.own_county:
        hint = _city_level(hint, spoken)
    if found := complete_agency(name, hint):
        return found
    if (place := spoken()).name and (place.province == hint.province or not hint.name):
        found = complete_agency(name, place)
    return found or (name if is_agency_name(name) else "")


def find_agencies(title: str, front: FrontMatter, head: str, hint: Region,
                  spoken: Callable[[], Region] = Region) -> tuple[tuple[str, ...], Found]:
    """The bodies that wrote the report (primary first), as named in it, abbreviations completed,
    a short name replaced by the full name the report itself gives the same body."""
    chosen: tuple[str, ...] = ()
    found: Found = ("", "")
    context: list[str] = []
    for rule, line, names in _agency_sources(title, front, head):
        if chosen:
            context += names
            continue
        completed = [c for name in names if (c := _completed(name, hint, spoken))]
        if completed:
            chosen, found = tuple(dict.fromkeys(completed)), (rule, _short(line))
    if not chosen:
        return (), ("", "")
    context = [c for name in context if (c := complete_agency(name, hint))]
    full = [max((c for c in context if expands(name, c)), key=len, default=name) for name in chosen]
    return tuple(dict.fromkeys(full)), found


PLAN = r"方案|计划|要点|意见|措施|规划"
RULES = r"办法|细则|规则|规定|条例|指引|规范$|制度$"
# An untitled text is told by its parts: a 政府信息公开 annual report by the sections its format
# prescribes, an interpretation by its 解读 sentence or its 背景 heading, a news item by a meeting,
# a notice by its 主送机关 and operative sentence, rules by their articles, a plan by saying so.
# the headings of the national format (国办公开办函〔2021〕30号)
DISCLOSURE_PARTS = re.compile(r"^[一二三四五六]、\s*(?:总体情况|概述|主动公开政府信息情况"
                              r"|收到和处理政府信息公开申请情况)", re.MULTILINE)
DISCLOSURE_OPENING = re.compile(r"政府信息公开(?:条例|工作)[^。]{0,80}(?:编制本报告|年度报告|本报告)")
INTERPRETATION = re.compile(r"(?:政策)?解读如下|现(?:就|将)[^。]{0,30}解读|(?:出台|起草|政策)背景")
NEWS = re.compile(r"^(?:\d{1,2}月\d{1,2}日|日前|近日|近期|[^。]{0,40}于\d{4}年\d{1,2}月\d{1,2}日)"
                  r"[^。]{0,80}(?:召开|举行|举办)")
# A headline without a 文种 that reports an event or a result (…召开…会, …开展…, …通报…).
NEWS_HEADLINE = re.compile(r"召开|举行|举办|开展|启动|部署|获评|获批|荣获|入选|上线|开通|亮相|调研|督导|督查|走访|"
                           r"出席|见成效|见效|落地|创新高|通报|(?:推进|建设)$")
# A title that says it interprets another document: …的解读, 《…》政策解读, 解读：…, 一图读懂….
INTERPRETATION_TITLE = re.compile(r"解读(?:\s*[(（][^()（）]{1,10}[)）])?$|" + INTERPRETATION_MARK)
OTHER_END = re.compile(r"(?:报告|方案|办法|规定|细则|规则|意见|总结|计划|要点|决定|制度|机制)$")  # …通报制度…的报告
SPEECH = re.compile(r"(?:讲话|发言|致辞|讲话稿)$")
# The operative sentence of a notice that publishes or issues (…予以公布, 现将有关事项通知如下).
NOTICE_OPERATIVE = re.compile(r"予以公布|现予公布|公布如下|通知如下|(?:印发|转发)给你们")
ARTICLES = re.compile(r"^\s*第[一1]条", re.MULTILINE)  # rules are written in articles
PLAN_SAYS = re.compile(rf"(?:制定|形成|提出)(?:本|如下|以下)?(?:{PLAN})|(?:{PLAN})如下")
# "2022年，我部坚持…": a body's own account of its year, in the first person.
OPENING_WE = re.compile(rf"^{YEAR_TOKEN}\s*年度?\s*[，,]\s*(?:[^，,。]{{2,40}}[，,]\s*)?"
                        r"我(?:部|局|委|厅|办|署|院|中心|区|县|市|省|州|镇|乡|街道)")


def _untitled_type(head: str, addressed: bool = False) -> DocType | None:
    """The type of a text without a title, from the parts it opens with (None: go by its words)."""
    opening = fold(head[:1500])
    if INTERPRETATION.search(opening[:600]):
        return "interpretation"
    if DISCLOSURE_OPENING.search(opening[:400]) or ("信息公开" in opening and DISCLOSURE_PARTS.search(opening)):
        return "disclosure_report"
    if addressed and (m := NOTICE_OPERATIVE.search(opening[:600])):  # 主送机关 + "现将…予以公布"
        return "bulletin" if "通报" in opening[: m.start()] else "notice"
    return "bulletin" if NEWS.search(opening[:300]) else None


def _accounts_for_year(head: str) -> bool:
    """Does an untitled text open as a body's account of its year ("2023年，市××局在…领导下，…", "2022年，我部…")?"""
    return any((LEADING_YEAR.match(f := fold(x)) or SINCE.match(f))
               and (OPENING_SUBJECT.match(f) or OPENING_WE.match(f)) for x in _sentences(head, 1))


def _type_by_form(title: str, text: str, head: str, untitled: DocType | None, wrapper: bool, headline: bool,
                  label: str) -> DocType | None:
    """The type a document's form gives whatever its topic: an interpretation, a notice, a speech, a
    bulletin or news item (None: go by the title's words)."""
    if (title and INTERPRETATION_TITLE.search(text)) or "解读" in label:
        return "interpretation"
    if re.search(r"(?:通知|通告|公告)$", text) or wrapper:
        return "notice"
    if untitled in ("interpretation", "disclosure_report", "notice"):
        return untitled
    if title and SPEECH.search(text):
        return "other"
    bare = unbracketed(text) if title else text  # what the title says itself, not the titles it cites
    if re.search(r"通报$", text) or (title and "通报" in bare and not OTHER_END.search(text)):
        return "bulletin"
    if title and not TITLE_END.search(text) and (NEWS_HEADLINE.search(bare) or (
            headline and not _accounts_for_year(head))):  # (a page's heading above a body's account of its year)
        return "bulletin"  # a headline: the 文种 words inside it (…总结会, …要点) are its topic
    return None


def find_doc_type(title: str, head: str, wrapper: bool = False, headline: bool = False, label: str = "",
                  addressed: bool = False) -> DocType:
    """Document type by the document's form: the title's 文种 (or the opening's parts if there is
    no title); `headline`: the title is a page's headline (a news item, unless it names a 文种);
    `label`: a section label above the title (【政策解读】); `addressed`: the text has a 主送机关."""
    text = fold(title or head[:300])
    untitled = None if title else _untitled_type(head, addressed)
    if by_form := _type_by_form(title, text, head, untitled, wrapper, headline, label):
        return by_form
    if re.search(r"信息公开.{0,8}(?:年度报告|年报|工作报告|情况的?报告)|政务公开.{0,6}年度报告", text):
        return "disclosure_report"
    if "行政许可" in text and re.search(r"报告|情况|总结", text):
        return "licensing_report"
    reported = r"报告|情况|总结" if title else r"报告|情况|总结|成效|进展"  # an untitled text: what it did
    law = re.search(r"法治(?:政府|建设|[\u4e00-\u9fff]{1,4}建设)|依法行政", text)
    if law and (re.search(reported, text) or (not title and _accounts_for_year(head))):
        return "rule_of_law_report"
    if re.search(r"总结|工作报告|工作情况|自查报告|情况的?报告|汇报", text):
        return "work_summary"
    if re.search(PLAN, text) and (title or PLAN_SAYS.search(text)):
        return "work_plan"
    if re.search(RULES, text) and (title or ARTICLES.search(head[:1500])):
        return "regulation"
    if untitled == "bulletin":
        return "bulletin"
    return "work_summary" if (not title or headline) and _accounts_for_year(head) else "other"


def _issued_years(front: FrontMatter) -> list[tuple[int, Found]]:
    signed = [s for s in front.signatures if s.date and not s.printed]
    years = [(int(s.date[:4]), ("signature_date", s.date)) for s in signed]
    years += [(y, ("doc_number", number)) for number in front.doc_numbers
              if (m := NUMBER_YEAR.search(fold(number))) and (y := year_value(m[1]))]
    years += [(d[0], (f"portal_header:{key}", f"{key}: {front.chrome[key]}")) for key in ISSUED_CHROME
              for d in find_dates(fold(front.chrome.get(key, "")))[:1]]
    return years + [(int(s.date[:4]), ("printed_date", s.date)) for s in front.signatures if s.date and s.printed]


def find_year(title: str, doc_type: DocType, front: FrontMatter, head: str) -> tuple[int | None, Found]:
    """The year a report is about, where the text states it; for a plan or a notice, the year it was issued."""
    folded_title = fold(title)
    about = [(y, ("title", title)) for y in
             (stated_years(folded_title) or stated_years(folded_title, outside_brackets=False))]
    what, _, line = _named_report(head)
    stated = [(y, ("report_named_in_text", line)) for y in stated_years(fold(what))]
    sentences = list(_sentences(head, 3))
    opening = [(y, ("opening_sentence", _short(sentence))) for sentence in sentences
               for y in stated_years(SINCE.sub(" ", fold(sentence)))[:1]]  # 自2019年组建以来 is no year about
    opening += [(y, ("opening_sentence_cited_title", _short(sentence))) for sentence in sentences
                for y in stated_years(fold(sentence), outside_brackets=False)[:1]]  # 《2023年…方案》 last
    issued = _issued_years(front)
    accounted = [(y, ("title", title)) for m in ACCOUNT_YEAR.finditer(unbracketed(folded_title))
                 if (y := year_value(m[1]))]  # 关于公布2022年度…结果的通知: the year it accounts for
    if doc_type in ISSUED_TYPES:
        candidates = accounted + issued + about + opening
    else:
        candidates = about + stated + opening + ([] if doc_type in ANNUAL_TYPES else issued)
    return candidates[0] if candidates else (None, ("", ""))


def find_published(front: FrontMatter) -> tuple[str, Found]:
    """发布日期 or 成文日期 (portal header, else the 落款), as yyyy-mm-dd; "" if not stated."""
    for key in PUBLISHED_CHROME:
        if found := iso_date(fold(front.chrome.get(key, ""))):
            return found, (f"portal_header:{key}", f"{key}: {front.chrome[key]}")
    signed = [s.date for s in front.signatures if s.date and not s.printed]
    return (signed[0], ("signature_date", signed[0])) if signed else ("", ("", ""))


def find_source_url(front: FrontMatter) -> str:
    """The page the report was copied from: a URL in the portal header (来源, 原文链接 …) or a URL line."""
    for key in ("原文链接", "网址", "来源", "信息来源"):
        if m := URL.search(fold(front.chrome.get(key, ""))):
            return m.group()
    return front.urls[0] if front.urls else ""


@dataclass(frozen=True)
class _Hint(Region):
    """The place a report names, and whether its own parts (title, header, 落款) name the county."""

    own_county: bool = False


def _region_hint(title: str, front: FrontMatter, head: str) -> _Hint:
    """The place the report names (title, 版头, header, 落款, opening), to complete abbreviated names."""
    signed = " ".join(n for s in front.signatures for n in s.names)
    chrome = " ".join(front.chrome.get(k, "") for k in AGENCY_CHROME)
    parts = " ".join([title, *front.banner, chrome, signed])
    hint = find_region(f"{parts} {unbracketed(head[:300])}")
    own = bool(hint.county) and bool(find_region(parts).county)
    return _Hint(hint.province, hint.city, hint.county, own_county=own)


def _city_level(hint: Region, spoken: Callable[[], Region]) -> Region:
    """Whether 市 is the city or a county-level city in it, where the report's own parts do not say:
    as the place its text speaks of says (a 开平市 body's text names 江门市's bodies; a city's text
    names one of its county-level cities in passing)."""
    if not hint.city or (hint.county and not hint.county.endswith("市")):
        return hint
    place = spoken()
    if place.city == hint.city and (place.county.endswith("市") or hint.county):
        return Region(hint.province, hint.city, place.county if place.county.endswith("市") else "")
    return hint


def find_region_of(agencies: tuple[str, ...], title: str, text: str,
                   interprets: bool = False) -> tuple[Region, Found]:
    """The author's own place (its name), else the title's, else the place the text names most
    (names inside cited titles 《…》 only when nothing else names one); `interprets`: the text is an
    interpretation, and the document its title cites is the author's own (《桐庐县…办法》政策解读)."""
    for name in agencies:
        if (region := find_region(name)).name:
            return region, ("agency", name)
    if title and (region := find_region(unbracketed(title))).name:
        return region, ("title", title)
    if title and interprets and (region := find_region(title)).name:
        return region, ("title_cited_document", title)
    for rule, source in (("places_in_text", unbracketed(text)), ("places_in_cited_titles", text)):
        if (region := region_in_text(source)).name:
            return region, (rule, region.name)
    return Region(), ("", "")


def _one_name(name: str, region: Region) -> str:
    """The name a body goes by in facets and the matrix (under its city, aliases mapped), if it keeps a name's shape."""
    for candidate in (canonical_agency(qualified(name, region)), canonical_agency(name)):
        if is_agency_name(candidate):
            return candidate
    return fold(name)


def extract_metadata(front: FrontMatter, head: str, opening: str = "") -> Metadata:
    """All metadata of a report, given its front matter, opening text (preamble) and the first part
    of its body (`opening`: what follows the preamble, for the year and the places it names)."""
    opening = opening or head
    header = chrome_title(front)
    early_title = header if INTERPRETATION_TITLE.search(fold(header)) else front.title or header
    spoken_text = unbracketed(opening[:3000])

    def spoken() -> Region:  # a short form (市××局) is of the place the text speaks of (computed if needed);
        # failing that, a 省 body (省政府办公厅) is of the province whose rules the text cites (《湖南省…条例》)
        found = region_in_text(spoken_text)
        return found if found.name else Region(region_in_text(opening[:3000]).province)

    hint = _region_hint(f"{early_title} {front.headline}", front, head)

    agencies, agency_from = find_agencies(early_title, front, head, hint, spoken)
    title, title_from = find_title(front, head)
    if not agencies and title:
        agencies, agency_from = find_agencies(title, front, head, hint, spoken)
    wrapper = front.wrapper
    addressed = any(is_addressee(clean_whitespace(x)) for x in head.splitlines()[:8])
    doc_type = find_doc_type(title, opening, wrapper=wrapper, headline=title_from[0] == "news_headline",
                             label=front.label, addressed=addressed)
    doc_type_from = ("wrapper_notice", _short(head.lstrip().split("\n", 1)[0])) if wrapper and not title.endswith(
        ("通知", "通告", "公告")) else ("title", title) if title else ("opening_text", _short(opening[:80]))
    region, region_from = find_region_of(agencies, title, opening[:3000], interprets=doc_type == "interpretation")
    forms = tuple(dict.fromkeys(agencies))
    names = tuple(dict.fromkeys(_one_name(a, region) for a in agencies))
    year, year_from = find_year(title, doc_type, front, opening)
    published, published_from = find_published(front)
    provenance = {key: Provenance(rule, line) for key, (rule, line) in (
        ("title", title_from), ("agency", agency_from), ("region", region_from), ("year", year_from),
        ("doc_type", doc_type_from), ("published", published_from)) if rule}
    return Metadata(
        title=title,
        agency=names[0] if names else "",
        region=region.name,
        region_parts=region.parts,
        year=year,
        doc_type=doc_type,
        agencies=names,
        published=published,
        source_url=find_source_url(front),
        agency_forms=forms,
        provenance=provenance,
    )

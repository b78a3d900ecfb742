"""The parts of an official document around its body (GB/T 9704-2012) and of the page it sat on.

版头 (发文机关标志 "××局文件", 发文字号 "穗府办〔2019〕12号"), 标题 (one to three lines ending in a
文种), portal chrome (名称/发布机构/成文日期/来源 …), 主送机关 ("各区人民政府，市政府各部门："),
落款 (发文机关署名 + 成文日期, possibly with 印发 lines, (此件主动公开), 抄送). Each line is
recognised by its own shape; what is not body is listed in `skip_lines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.ingest.agency import DOC_NUMBER, split_agencies
from indexer.ingest.conventions import CHROME_LABELS
from indexer.ingest.dates import DATE, iso_date
from indexer.ingest.regions import place_at
from indexer.text.normalize import clean_whitespace, compact, fold

_LABEL_RE = re.compile(rf"({'|'.join(sorted(CHROME_LABELS, key=len, reverse=True))})\s*[:：]\s*")
CHROME_LINE = re.compile(
    rf"^(?:[•·]\s*)?(?:(?:{'|'.join(CHROME_LABELS)})\s*[:：]|附件\s*\d*$|【|\[打印\])|【(?:打印|关闭|字体)"
    r"|(?:政府信息公开|规章库|信息公开目录)$|^首页\s*>|\s>\s.*\s>\s"
    r"|^(?:返回顶部|返回首页|返回列表|打印本页|关闭窗口|关闭本页|分享到|视力保护色|扫一扫|微信扫一扫|归档时间)"
    r"|^page\s*\d+\s*-|^p\.\s*\d+$|^-\s*\d+\s*-$"  # a flip-book viewer's page lines (Page 1 - …, P. 1, - 1 -)
    r"|^\d{4}-\d{1,2}-\d{1,2}(?:\s+[\d:]+)?\s+(?:来源|作者|发布|责任编辑)"  # a news byline: 2020-05-06 08:00 来源:…
    r"|^(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)\s+\d{1,2}:\d{2}(?::\d{2})?$"  # a bare date and time
)
# A section label before a headline (【政策解读】关于…的解读): a title, not page furniture.
LABELLED_TITLE = re.compile(r"^【[\u4e00-\u9fff]{2,8}】(?=[^【】]{6,})")
# An interpretation's headline by its opening word: 解读：《…》, 图解：…, 一图读懂《…》 (no 文种 at its end).
INTERPRETATION_MARK = r"^(?:(?:政策)?解读\s*[:：]|图解\s*[:：]?|一图(?:读懂|看懂|了解|速览))"
INTERPRETATION_HEADLINE = re.compile(INTERPRETATION_MARK + r"\s*\S.{3,}")
# A news item's first sentence (its dateline): "4月11日上午，…", "近日，…", "本报讯（记者…）".
DATELINE = re.compile(r"^(?:\d{1,2}\s*月\s*\d{1,2}\s*日[上下中]?午?|近日|日前|近期|连日来|本报讯|本网讯|"
                      r"[\u4e00-\u9fff]{2,6}(?:网|报)讯)\s*[，,（(]")
# A credit at the end of a news item: （来源：县优化办）, (供稿：区政务服务中心).
TRAILING_CREDIT = re.compile(r"^[(（]\s*(?:信息来源|文章来源|稿件来源|来源|供稿单位|供稿)\s*[:：]\s*"
                             r"(?P<org>[^()（）]{2,40})[)）]$")
# Mirror-site artefacts: pinyin glosses after characters (發(fā), 辦(bàn)).
PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}[)）]")
URL = re.compile(r"(?:https?://|www\.)[\w./?=&%#:;~+\-]+")
TITLE_END = re.compile(r"(?:报告|方案|总结|计划|要点|意见|通知|规划|办法|细则|规则|规定|条例|指引|决定|通报|公告|通告|"
                       r"年报|批复|函|情况|汇报|措施|清单|思路|打算|安排|纲要|目录|解读|指南|公报|讲话|致辞)"
                       r"(?:\s*[(（][^()（）]{2,20}[)）])?$")  # 计划（2021—2023年）
# A title line that starts the way a GB/T title does (发文机关 + 关于/印发): a title by itself.
TITLE_START = re.compile(r"^.{2,80}?(?:关于|印发|转发)")
_BANNER = re.compile(r"^(?P<org>.{4,80}?)\s*(?:文件|令)$")  # ××局文件, ××市人民政府令
_ADDRESSEE = re.compile(r"^(?:各|市政府|区政府|县政府|省政府|"
                        r"[\u4e00-\u9fff]{2,30}(?:人民政府|办公厅|办公室|局|委员会|委)[:：]$)")
_CLOSING = re.compile(r"^[(（]?(?:此件|本件)(?:主动|依申请|不予)?公开[)）]?$|^抄送[:：]|^抄报[:：]"
                      r"|^(?:联系人|联系电话)[:：]")


@dataclass(frozen=True)
class Signature:
    """A 落款: the signing bodies and the date, or an 印发 line (printing office and date)."""

    names: tuple[str, ...]
    date: str  # yyyy-mm-dd, "" if none
    printed: bool = False


@dataclass
class FrontMatter:
    """What the head and tail of a report say about it, and which lines are not body."""

    chrome: dict[str, str] = field(default_factory=dict)
    title: str = ""
    banner: tuple[str, ...] = ()  # 发文机关标志: the issuing bodies
    named: tuple[str, ...] = ()  # a head line that is only names (a 版头 without 文件)
    doc_numbers: list[str] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)  # in document order
    urls: list[str] = field(default_factory=list)
    skip_lines: set[int] = field(default_factory=set)  # chrome, title and signature lines
    # The 落款 lines at the tail, as written (an undated 落款 is read from them).
    signature: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # titles named on 附件: lines
    title_line: str = ""  # the line(s) the title was read from, as written
    headline: str = ""  # a page's headline without a 文种 (a news item), above its byline or repeated
    title_at: int = -1  # the line the title starts on
    label: str = ""  # a section label the title line carried (【政策解读】)
    wrapper: bool = False  # the page is a notice issuing an enclosed text ("现将《…》印发给你们"), title below it


_SPACED = re.compile("|".join(r"\s*".join(label) for label in sorted(CHROME_LABELS, key=len, reverse=True)
                              if len(label) > 1))  # 索 引 号, 名  称: labels spaced out to fill a table cell
_LABEL_SET = frozenset(CHROME_LABELS)


_BARE_LABEL = re.compile(rf"(?:^|(?<=\s))({'|'.join(sorted(CHROME_LABELS, key=len, reverse=True))})(?=\s+\S)")


def strip_glosses(line: str) -> str:
    """A line without a mirror site's pinyin glosses (辦(bàn)公廳 → 辦公廳)."""
    return PINYIN_GLOSS.sub("", line) if "(" in line or "（" in line else line


def _as_labelled(line: str) -> str:
    """A header line in one shape: spaced labels joined (索 引 号 → 索引号), table cells (标题 | X |) as 标题: X."""
    line = _SPACED.sub(lambda m: re.sub(r"\s+", "", m.group()), line) if " " in line else line
    folded = fold(line)
    if ":" not in folded and "|" not in line and _BARE_LABEL.match(folded):  # 索引号 X 成文日期 Y (no colons)
        marks = [m for m in _BARE_LABEL.finditer(folded)]
        for m in reversed(marks):
            line = line[: m.end()] + ":" + line[m.end():]
        return line
    if "|" not in line:
        return line
    cells = [c.strip() for c in line.split("|")]
    return " ".join(f"{c}:" if fold(c) in _LABEL_SET else c for c in cells if c)


def is_chrome(line: str) -> bool:
    """Page furniture of a web page the report was copied from (索引号, 【打印】, a bare URL …)."""
    if len(line) > 200 or LABELLED_TITLE.match(line):
        return False
    folded = fold(_as_labelled(line))
    return bool(CHROME_LINE.search(folded) or URL.fullmatch(folded.strip()))


def parse_chrome(line: str) -> dict[str, str]:
    """'索引号: X 分类: Y' → {'索引号': 'X', '分类': 'Y'} (also '索 引 号 | X | 分类 | Y |')."""
    line = _as_labelled(line)
    folded = fold(line)
    marks = list(_LABEL_RE.finditer(folded))
    values = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=False):
        end = following.start() if following else len(line)
        values[mark.group(1)] = clean_whitespace(line[mark.end():end]).lstrip("•· ")
    return values


def is_closing(line: str) -> bool:
    """A line that closes a document after its 落款: (此件公开发布), 抄送：…, 联系人：…."""
    return bool(_CLOSING.search(fold(line)))


def is_doc_number(line: str) -> bool:
    """A line that is only a 发文字号 (穗府办〔2019〕12号)."""
    folded = fold(line).strip()
    return bool(DOC_NUMBER.fullmatch(folded) or re.fullmatch(r"第\s*\d+\s*号", folded))  # 令 第18号


def is_addressee(line: str) -> bool:
    """主送机关: a short line naming recipients and ending in a colon (各区人民政府，市政府各部门：)."""
    folded = fold(line)
    return len(line) <= 80 and "。" not in line and folded.rstrip().endswith(":") and bool(_ADDRESSEE.match(folded))


def _names_only(line: str) -> tuple[str, ...]:
    """The agency names a line consists of, if it holds nothing else."""
    line = re.sub(r"[（(](?:盖章|印章|公章|章)[)）]$", "", line)  # a 落款 noting its seal
    names = split_agencies(line)
    return tuple(names) if names and compact(line) == compact("".join(names)) else ()


def signature_of(line: str) -> Signature | None:
    """A one-line 落款 or date line: 'XX局 2023年3月31日', '2023年3月31日', 'XX秘书处 2019年10月10日印发'."""
    if len(line) > 60:
        return None
    if re.fullmatch(r"[(（].*[)）]", line):  # （2023年4月6日印发）
        line = line[1:-1]
    folded = fold(line)
    if not (m := DATE.search(folded)):  # a 版记 without its date: "××办公厅印发"
        names = _names_only(line[:-2].strip()) if folded.endswith("印发") else ()
        return Signature(names, "", printed=True) if names else None
    before, after = line[: m.start()].strip(), folded[m.end():].strip()
    printed = after == "印发"
    names = _names_only(before) if before else ()
    if (after and not printed) or (before and not names and not printed):
        return None
    return Signature(names, iso_date(folded), printed=printed)


def find_signatures(lines: list[str]) -> list[tuple[int, Signature, list[int]]]:
    """Every 落款 in the text: (line of the date, signature, lines it spans); names may sit on lines above."""
    found = []
    for i, raw in enumerate(lines):
        line = clean_whitespace(raw)
        sig = signature_of(line) if line else None
        if sig is None:
            continue
        span, names = [i], list(sig.names)
        j = i - 1
        while not sig.names and not sig.printed and j >= 0 and i - j <= 4:  # names on the lines above
            above = clean_whitespace(lines[j])
            more = _names_only(above) if above else ()
            if above and not more:
                break
            if more:
                names[:0] = more
                span.insert(0, j)
            j -= 1
        found.append((i, Signature(tuple(names), sig.date, sig.printed), span))
    return found


# 2023-01-29 14:44 来源:本网; a bare 2021-06-18 15:20 or 2021年06月18日 15:20 under a headline
_BYLINE_DATE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}(?=\s+(?:[\d:]+\s+)?(?:来源|作者|发布|责任编辑))"
                          r"|(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)"
                          r"(?=\s+\d{1,2}:\d{2}(?::\d{2})?$))")


def _take_chrome(line: str, i: int, front: FrontMatter) -> str | None:
    """Record a chrome line; returns the label whose value is on the next line, if any."""
    front.skip_lines.add(i)
    values = parse_chrome(line)
    if (m := _BYLINE_DATE.match(fold(line))) and "发布时间" not in values:  # 2023-01-29 14:44 来源:本网
        values = {"发布时间": m.group(), **values}
    front.chrome.update({k: v for k, v in values.items() if v or k not in front.chrome})
    front.urls += URL.findall(fold(line))
    return next((k for k, v in reversed(values.items()) if not v), None)


def _take_banner(line: str, i: int, front: FrontMatter, above: list[tuple[int, tuple[str, ...]]]) -> bool:
    """Record a 发文机关标志 ("××局文件"; joint ones stacked, one body a line, 文件 beside the last)."""
    m = _BANNER.match(line)
    if not m and line != "文件":
        return False
    names = [n for _, stacked in above for n in stacked] + (split_agencies(m.group("org")) if m else [])
    if not names:
        return False
    front.banner = front.banner or tuple(dict.fromkeys(names))
    front.skip_lines.update([i, *(j for j, _ in above)])
    return True


def _read_head(lines: list[str], body_start: int, front: FrontMatter) -> None:
    pending: list[int] = []  # title-like lines that may be one title
    above: list[tuple[int, tuple[str, ...]]] = []  # lines that are only names (a stacked 版头?)
    follow: str | None = None  # a chrome label whose value is on the next line
    for i in range(body_start):
        line = clean_whitespace(lines[i]).lstrip("•·▪●◆ ")  # list bullets of a portal's layout
        if not line:
            continue
        if follow and not is_chrome(line):
            front.chrome[follow] = line
            front.skip_lines.add(i)
            follow = None
            continue
        follow = _take_chrome(line, i, front) if is_chrome(line) else None
        if follow or i in front.skip_lines or _take_banner(line, i, front, above):
            pending, above = [], []
            continue
        if is_doc_number(line):
            front.doc_numbers.append(line)
            front.skip_lines.add(i)
            pending = []
            continue
        above = [*above, (i, names)] if (names := _names_only(line)) else []
        front.named = front.named or names
        if not _title_like(line) or (front.title and _opens_with_issuer(front.title)):
            pending = []
            continue
        pending = [*pending[-2:], i]
        if not front.title:
            _take_title(lines, pending, front)
            continue
        # A headline without its issuer's full name (区…局…, 山东通报…): the document's own title below wins.
        trial = FrontMatter(doc_numbers=list(front.doc_numbers))
        _take_title(lines, pending, trial)
        if trial.title and _opens_with_issuer(trial.title):
            front.title, front.title_line, front.doc_numbers = trial.title, trial.title_line, trial.doc_numbers
            front.skip_lines.update(trial.skip_lines)


_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff《》“”〈〉（）()])\s+(?=[\u4e00-\u9fff《》“”〈〉（）()\d])"
                        r"|(?<=[\u4e00-\u9fff《》“”〈〉（）()\d])\s+(?=[\u4e00-\u9fff《》“”〈〉（）()])")


def _headline_like(line: str) -> bool:
    """A news headline's shape: short, no sentence punctuation or date (a colon may part it: 江宁区：…)."""
    return (8 <= len(line) <= 60 and not re.search(r"[。；;！!？?]", line) and not DATE.search(fold(line))
            and not line.startswith(("根据", "为", "按照")) and not is_chrome(line) and not _names_only(line))


def _take_headline(lines: list[str], end: int, front: FrontMatter) -> None:
    """The page's first line (after breadcrumbs and furniture) as a headline: followed by a byline (date,
    来源), by itself again or by a dateline ("4月11日，…"), or naming its place first on a page that
    credits its source or sets it apart by a blank line — the convention of a news item."""
    first = [i for i in range(end) if lines[i].strip() and i not in front.skip_lines  # not a 版头 or 文号
             and not is_chrome(clean_whitespace(lines[i]))][:1]
    if front.title or not first:
        return
    head = clean_whitespace(lines[first[0]])
    below_at = next((i for i in range(first[0] + 1, len(lines)) if lines[i].strip()), None)
    if below_at is None or not _headline_like(head):
        return
    below = clean_whitespace(lines[below_at])
    credited = below_at > first[0] + 1 or any(  # a blank line under it, or a source or date in the header
        k in front.chrome for k in ("来源", "信息来源", "文章来源", "发布时间", "发布日期"))
    if (below == head or is_chrome(below) or DATELINE.match(fold(below))
            or (credited and place_at(fold(head), 0) and not re.search(r"[:：，,]", head))):
        front.headline = head
        front.skip_lines.update([first[0], below_at] if below == head else [first[0]])


# A portal's mark of a document's validity before or after its title: (失效), 【已废止】, [现行有效].
STATUS_MARK = re.compile(r"^[(（\[【]\s*(?:已?失效|已?废止|部分失效|已修订|现行有效|有效)\s*[)）\]】]\s*"
                         r"|\s*[(（\[【]\s*(?:已?失效|已?废止|部分失效|已修订|现行有效)\s*[)）\]】]$")


def without_status(title: str) -> str:
    """A title without a portal's validity mark ((失效)××办法 → ××办法)."""
    return STATUS_MARK.sub("", title).strip() if title else title


def _bare(line: str) -> str:
    """A title line without list bullets, a section label (【政策解读】), a site section (地方报告|), a
    validity mark ((失效)), PDF spaces."""
    line = without_status(LABELLED_TITLE.sub("", without_status(clean_whitespace(line).lstrip("•·▪●◆ "))))
    if "|" in line:  # 栏目|标题: the part after the last bar
        line = line.rsplit("|", 1)[1].strip()
    return _CJK_SPACE.sub("", line)


def _unwrapped(line: str) -> str:
    """A title quoted whole (《…的通知》) without its quotes."""
    if line.startswith("《") and line.endswith("》") and line.count("《") == 1:
        return line[1:-1]
    return line


def _take_title(lines: list[str], pending: list[int], front: FrontMatter) -> None:
    """Record the title if the pending lines (one to three) make one."""
    joined = "".join(_unwrapped(_without_number(_bare(_trailing_number_dropped(lines[j])), front)) for j in pending)
    last = _unwrapped(_without_number(_bare(_trailing_number_dropped(lines[pending[-1]])), front))
    starts = TITLE_START.match(fold(last)) or place_at(fold(last), 0)  # a title opens with its issuer
    above = _bare(lines[pending[-2]]) if len(pending) > 1 else ""
    unfinished = re.search(r"(?:关于|印发|转发|关于印发|关于转发)$", fold(above))  # "××关于印发" / "…方案的通知"
    if TITLE_END.search(fold(last)) and starts and len(pending) > 1 and not unfinished:
        pending, joined = pending[-1:], last  # the lines above were something else (a portal's title)
    if (TITLE_END.search(fold(joined)) or INTERPRETATION_HEADLINE.match(fold(joined))) and len(joined) >= 6:
        if m := LABELLED_TITLE.match(clean_whitespace(lines[pending[0]]).lstrip("•·▪●◆ ")):
            front.label = m.group()
        front.title = _number_dropped(joined, front)
        front.title_line = " / ".join(clean_whitespace(lines[j]) for j in pending)
        front.title_at = pending[0]
        front.skip_lines.update(pending)


_TRAILING_NUMBER = re.compile(rf"\s+(?:{DOC_NUMBER.pattern})\s*$")


def _trailing_number_dropped(line: str) -> str:
    """A title line without the 发文字号 printed after it, apart (…的通知 桂司通〔2020〕156 号)."""
    line = clean_whitespace(line)
    m = _TRAILING_NUMBER.search(fold(line))
    return line[: m.start()].strip() if m and m.start() > 6 else line


def _opens_with_issuer(title: str) -> bool:
    """Does a title start with a place's name or 中共 (the full name of its issuer)?"""
    folded = fold(title)
    return bool(place_at(folded, 0)) or folded.startswith("中共")


def _number_dropped(title: str, front: FrontMatter) -> str:
    """A title without a 发文字号 written into it: …的通知（岳办发〔2017〕2号） → …的通知."""
    for m in DOC_NUMBER.finditer(fold(title)):
        front.doc_numbers.append(title[m.start(): m.end()])
    return re.sub(r"[(（]\s*[)）]$", "", DOC_NUMBER.sub("", title)).strip() if front.doc_numbers else title


def _without_number(line: str, front: FrontMatter) -> str:
    """A title line without a 发文字号 glued to its start (长府办函〔2021〕37号长春市…), the number kept apart."""
    m = DOC_NUMBER.match(fold(line))
    if not m:
        return line
    if line[: m.end()] not in front.doc_numbers:
        front.doc_numbers.append(line[: m.end()])
    return line[m.end():].strip()


def _title_like(line: str) -> bool:
    punctuation = r"[。；;]" if INTERPRETATION_HEADLINE.match(fold(line)) else r"[。；;:：]"  # 解读：《…》
    return (len(line) <= (140 if "《" in line else 80) and not re.search(punctuation, line)
            and not line.startswith(("根据", "为", "按照"))
            and not DATE.search(fold(line)))


def _read_tail(lines: list[str], front: FrontMatter, signed: set[int]) -> None:
    for i in range(len(lines) - 1, -1, -1):
        line = clean_whitespace(lines[i])
        if i in front.skip_lines:  # the head (title, chrome) reached: a short text
            break
        if not line:
            continue
        if is_chrome(line):
            front.urls += URL.findall(fold(line))
        elif m := TRAILING_CREDIT.match(fold(line)):  # （来源：县优化办）
            front.chrome.setdefault("来源", clean_whitespace(line[m.start("org"): m.end("org")]))
        elif not (i in signed or _CLOSING.search(fold(line)) or _names_only(line)):
            break
        else:
            front.signature.insert(0, line)
        front.skip_lines.add(i)


def _undated_signature(front: FrontMatter) -> list[Signature]:
    """A 落款 at the tail that gives names but no date (pages often drop the date)."""
    names = [n for line in front.signature if not signature_of(line) for n in _names_only(line)]
    return [Signature(tuple(dict.fromkeys(names)), "")] if names else []


_ISSUING = re.compile(r"(?:印发|转发)给你们")  # a notice's operative sentence: it issues what follows
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]\s*(?P<title>.{6,120})$")


def _attachments(lines: list[str]) -> list[str]:
    """Titles of the attachments a text names (附件：××局2020年度……报告)."""
    found = []
    for raw in lines:
        line = clean_whitespace(raw)
        if line.startswith("附件") and (m := ATTACHMENT.match(line)) and TITLE_END.search(fold(m["title"])):
            found.append(m["title"])
    return found


def read_front_matter(lines: list[str], body_start: int) -> FrontMatter:
    """Chrome, 版头, title and 落款 from the lines before `body_start` and at the end."""
    front = FrontMatter()
    front.attachments = _attachments(lines)
    _read_head(lines, body_start, front)
    issuing = next((i for i, line in enumerate(lines[:60]) if _ISSUING.search(fold(line))), None)
    front.wrapper = issuing is not None and (not front.title or front.title_at > issuing)
    found = find_signatures(lines)
    _read_tail(lines, front, {i for _, _, span in found for i in span})
    _take_headline(lines, body_start, front)  # after the tail: a trailing credit marks a news item
    front.signatures = [sig for _, sig, _ in found]
    if not any(sig.names for sig in front.signatures):
        front.signatures += _undated_signature(front)
    return front

"""Licensing figures (申请量, 受理量, 办结量 …) stated in a report, with consistency checks.

Extraction works clause by clause on the folded text: every count (a number with a unit
件/宗/项/份, 万 and 亿 multiplied out, Chinese numerals read) takes the label that ends
nearest before it, provided only filler (为, 共计, ：…) separates them (so 约3万件 and
食品经营许可受理…: a qualifier in between, are not read). A count is dropped when its clause
speaks of a change (同比增加, 较上年), another year, an estimate (余, 左右, 数百) or another
business (热线, 信息公开, 复议); an item count also when it is a subset (下放, 进驻 …). Of
several candidates for one figure, a stated total (共, 合计) wins, then the first in the report.
Empty is better than wrong: a figure without a licensing sentence is not taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from indexer.models import Report
from indexer.text.normalize import fold
from indexer.text.numerals import chinese_number
from indexer.text.sentences import STATEMENT

FIGURE_LABELS: dict[str, str] = {
    "items": "许可事项数",
    "applications": "申请量",
    "accepted": "受理量",
    "not_accepted": "不予受理",
    "concluded": "办结量",
    "approved": "准予许可",
    "not_approved": "不予许可",
    "online_accepted": "网上受理",
    "online_concluded": "网上办结",
}
FIGURE_NAMES = tuple(FIGURE_LABELS)

_Q = r"(?:量|数|数量|件数|总量|总数|宗数|件)?"  # 受理量, 受理数量 …
_OBJ = r"[^\d，,。；;、（）()]{0,10}?(?:申请|业务|案件|办件|项目)" + _Q  # 受理各类行政许可申请
_ONLINE = r"(?:网上|在线|线上|网办|全程网上|网上全流程)[^\d，,。；;、（）()]{0,4}?"
# (name, pattern); the name "" marks a label that is not a figure (子项, 政务服务事项 …).
LABELS: tuple[tuple[str, str], ...] = (
    ("items", r"(?:行政)?许可(?:事项|项目)(?:主项)?(?:共)?"),
    ("", r"子项|政务服务事项|依申请事项|服务事项|权力事项|备案事项|其他事项"),
    ("", r"(?:办理|处理|审查|审核|核查)" + _OBJ),  # 办理…申请N件: handled, neither received nor 办结
    ("applications", r"(?:行政许可)?(?:申请|申办|申报)" + _Q),
    ("applications", r"(?:收到|接收|接到|提出)" + _OBJ),
    ("applications", r"申请(?:行政)?许可"),
    ("accepted", r"受理" + _Q),
    ("accepted", r"受理" + _OBJ),
    ("accepted", r"受理(?:行政)?许可"),
    ("accepted", r"予以受理" + _Q),
    ("not_accepted", r"不(?:予)?受理" + _Q),
    ("not_accepted", r"不(?:予)?受理" + _OBJ),
    ("concluded", r"办结" + _Q),
    ("concluded", r"办结" + _OBJ),
    ("concluded", r"(?:办理完结|审结)" + _Q),
    ("approved", r"(?:审批)?同意" + _Q),
    ("approved", r"(?:准予|予以|同意)(?:行政)?许可(?:决定)?" + _Q),
    ("approved", r"(?:予以)?批准" + _Q),
    ("approved", r"许可(?:量|数|数量|件数)"),
    ("approved", r"^(?:其中)?许可"),  # …，其中许可N宗，不予许可M宗: 许可 opening its clause
    ("not_approved", r"(?:审批)?不同意" + _Q),
    ("not_approved", r"(?:不予|不准予|不同意|不准)(?:行政)?许可(?:决定)?" + _Q),
    ("not_approved", r"(?:不予批准|不批准|驳回)" + _Q),
    ("online_accepted", _ONLINE + r"受理" + _Q),
    ("online_concluded", _ONLINE + r"办结" + _Q),
)
_LABEL_PATTERNS = tuple((name, re.compile(p)) for name, p in LABELS)
FILLER = re.compile(r"(?:为|是|的|达到?|共计?|合计|总计|累计|计|有|了|[:：\s])*")
TOTAL = re.compile(r"共|合计|总计|累计|总量|总数")
# A clause holding one of these is about something else than this year's licensing totals.
CHANGE = re.compile(
    r"(?:同比|环比|增长|增加|减少|下降|上升|提高|降低|较|比上|上年|去年|上一年|同期|新增|取消|"
    r"超时|逾期|退回|撤销|撤回|变更|延续|注销)(?!后)"  # 调整后共有…: the state after a change
)
SUBSET = re.compile(r"(?:下放|承接|调整|保留|划转|精简|进驻|纳入|委托)(?!后)")  # of the items list
OTHER_BUSINESS = re.compile(
    r"热线|工单|信息公开|依申请公开|复议|诉讼|投诉|咨询|处罚|强制|检查|备案|信访|来电|来访|建议|提案|培训"
)
# A noun right after a count, when nothing before it names it: 23个行政许可事项.
FOLLOWING = re.compile(r"(?P<items>(?:行政)?许可事项)|(?P<applications>(?:行政)?许可申请)")
ANCHOR = re.compile(r"许可|审批")
# A sentence that only borrows the anchor of the one before must not name another counter.
OTHER_SUBJECT = re.compile(r"中心|大厅|窗口|平台|热线|业务总量|办件总量")
NUMBER = re.compile(  # not after 数/几/上 (数百件, 几十件, 上万件 are estimates)
    r"(?<![数几上])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)\s*"
    r"(?P<mult>万|亿|千)?\s*(?P<approx>余|多)?\s*(?P<unit>件次|宗次|件|宗|大项|主项|项|份|个)(?!事|窗|网|门|次|工作日|月|小时|百分点)"
)
PERIOD_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
CLOSED_BRACKET = re.compile(r"[（(][^（()）]*[)）]")
ASIDE = re.compile(r"[（(][^（()）\d]{1,12}[)）]")  # (含子项), （不含即办件）: no count inside
CLAUSE_BREAK = re.compile(r"[，,；;、（）()]")
APPROX_AFTER = re.compile(r"\s*(?:左右|以上|余|多)")  # matched right after a count


@dataclass(frozen=True)
class Figure:
    """One stated figure and the sentence it was read from (as the report wrote it)."""

    name: str
    value: int
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "sentence": self.sentence}

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> Figure:
        return cls(name, int(data["value"]), data["sentence"])


@dataclass(frozen=True)
class Check:
    """A consistency check or a rate over the figures, labelled for a reader."""

    name: str
    kind: str  # "sum": parts vs total; "rate": a share in [0, 1]
    label: str
    ok: bool
    value: float  # the difference (sum) or the rate (rate)
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "label": self.label, "ok": self.ok,
                "value": self.value, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        return cls(data["name"], data["kind"], data["label"], data["ok"], data["value"], data["detail"])


@dataclass(frozen=True)
class ReportFigures:
    """The licensing figures of one report and the checks over them."""

    doc_id: str
    file: str
    agency: str
    year: int | None
    figures: dict[str, Figure]
    checks: tuple[Check, ...]
    period: str = ""  # the part of the year covered (11月, 第一季度, 1–6月); "" for the whole year

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "file": self.file,
            "agency": self.agency,
            "year": self.year,
            "figures": {name: f.to_dict() for name, f in self.figures.items()},
            "checks": [c.to_dict() for c in self.checks],
            "period": self.period or None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportFigures:
        """Back from `to_dict()` (as the catalog stores it)."""
        figures = {name: Figure.from_dict(name, f) for name, f in data["figures"].items()}
        return cls(data["doc_id"], data["file"], data["agency"], data["year"], figures,
                   tuple(Check.from_dict(c) for c in data["checks"]), data.get("period") or "")

    def to_row(self) -> dict[str, Any]:
        """One flat table row with exactly ROW_COLUMNS; None where a figure or check is absent."""
        values = {
            "doc_id": self.doc_id, "file": self.file, "agency": self.agency, "year": self.year,
            "period": self.period or None,
            **{name: f.value for name, f in self.figures.items()},
            **{c.name: c.value for c in self.checks},
        }
        return {key: values.get(key) for key in ROW_COLUMNS}


def count_value(match: re.Match[str]) -> int | None:
    """The integer a NUMBER match states, or None for an estimate or a fraction of a unit."""
    if match["approx"]:
        return None
    num = match["num"]
    mult = {"万": 10_000, "亿": 100_000_000, "千": 1000, None: 1}[match["mult"]]
    if num[0].isdigit():
        value = float(num.replace(",", "")) * mult
        return int(round(value)) if abs(value - round(value)) < 1e-6 else None
    base = chinese_number(num)
    return None if base is None else base * mult


def nearest_label(span: str) -> str | None:
    """The name of the label ending nearest the end of `span` (longest on a tie); None if none.

    Only filler may follow the label: with other words between, it names something else.
    """
    best: tuple[int, int, str] | None = None  # (end, length, name)
    for name, pattern in _LABEL_PATTERNS:
        for m in pattern.finditer(span):
            key = (m.end(), m.end() - m.start(), name)
            if FILLER.fullmatch(span, m.end()) and (best is None or key[:2] > best[:2]):
                best = key
    return None if best is None else best[2]


def _sentence_year(sentence: str, offset: int) -> int | None:
    """The last period year (2023年, 2023年度; not a date 2023年12月) before `offset`.

    A year inside a closed bracket before the count speaks only for the bracket.
    """
    before = CLOSED_BRACKET.sub(lambda m: " " * len(m.group()), sentence[:offset])
    years = [int(m[1]) for m in PERIOD_YEAR.finditer(before)]
    return years[-1] if years else None


def _label_of(folded: str, start: int, match: re.Match[str]) -> str | None:
    """The figure a count names: the label before it in its clause, else a noun right after."""
    found = nearest_label(folded[start:match.start()])
    if found is not None:
        return found or None  # "": a label of something else
    following = FOLLOWING.match(folded, match.end())
    return None if following is None else following.lastgroup


def _without_asides(folded: str) -> str:
    """The sentence without short brackets that hold no number: an aside on a label
    (许可事项(含子项)46项, 受理（不含即办件）申请120件) must not cut the label from its count."""
    return ASIDE.sub("", folded)


def sentence_candidates(folded: str, year: int | None) -> Iterator[tuple[str, int, bool]]:
    """(name, value, is_total) for each labelled count in one folded sentence."""
    folded = _without_asides(folded)
    clause_start = 0
    for m in NUMBER.finditer(folded):
        for brk in CLAUSE_BREAK.finditer(folded, clause_start, m.start()):
            clause_start = brk.end()
        name = _label_of(folded, clause_start, m)
        span = folded[clause_start:m.start()]
        clause_start = m.end()  # the next count's label lies after this one
        value = count_value(m)
        if name is None or value is None or APPROX_AFTER.match(folded, m.end()):
            continue
        if CHANGE.search(span) or OTHER_BUSINESS.search(span) or (name == "items" and SUBSET.search(span)):
            continue
        stated = _sentence_year(folded, m.start())
        if year is not None and stated is not None and stated != year:
            continue
        yield name, value, bool(TOTAL.search(span))


def _sentences(text: str) -> Iterator[tuple[str, str]]:
    """(original, folded) licensing sentences of a text, line by line.

    A sentence counts when it names 许可/审批, or when the sentence before it does (the
    subject carries over: "2023年共受理行政许可申请…。全年办结…") and it names no other
    counter (政务服务中心受理业务总量… is not the agency's licensing).
    """
    folded_text = fold(text)
    offset = 0
    for line in folded_text.split("\n"):
        anchored = False
        for m in STATEMENT.finditer(line):
            has_anchor = bool(ANCHOR.search(m.group()))
            if has_anchor or (anchored and not OTHER_SUBJECT.search(m.group())):
                yield text[offset + m.start():offset + m.end()].strip(), m.group().strip()
            anchored = has_anchor
        offset += len(line) + 1


def find_figures(texts: Iterable[str], year: int | None) -> dict[str, Figure]:
    """The figures stated in texts (in reading order) for `year` (None: any year)."""
    best: dict[str, tuple[Figure, bool]] = {}  # name → (figure, stated as a total)
    for text in texts:
        for original, folded in _sentences(text):
            for name, value, total in sentence_candidates(folded, year):
                if name not in best or (total and not best[name][1]):
                    best[name] = (Figure(name, value, original), total)
    return {name: best[name][0] for name in FIGURE_NAMES if name in best}


PERIODS = (  # (pattern on the folded title, label): a report of part of a year
    (re.compile(r"(?<!\d)(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})\s*月"), "{0}–{1}月"),
    (re.compile(r"第?([一二三四1-4])季度"), "第{0}季度"),
    (re.compile(r"([上下])半年"), "{0}半年"),
    (re.compile(r"(?:19|20)\d{2}\s*年\s*(\d{1,2})\s*月(?:份)?(?!\s*\d|\s*[-—–~至到])"), "{0}月"),
    (re.compile(r"月报|月度报告|月度工作"), "月度"),
)


def report_period(title: str) -> str:
    """The part of a year a report covers, from its title (2023年11月…月报 → 11月, 一季度 → 第一季度,
    1-6月 → 1–6月); "" for a whole year. A title's date of issue (…2023年12月5日) is not a period."""
    folded = fold(title)
    for pattern, label in PERIODS:
        if m := pattern.search(folded):
            return label.format(*m.groups())
    return ""


def extract_figures(report: Report) -> ReportFigures:
    """The licensing figures a report states for its own year (or the part of it its title names), with checks."""
    figures = find_figures((s.text for s in report.sections), report.year)
    head = report.title or next((line for s in report.sections[:1] for line in s.text.splitlines() if line.strip()), "")
    return ReportFigures(report.doc_id, report.file, report.agency, report.year, figures, checks(figures),
                         report_period(head))


SUMS = (  # (name, total, parts, label); the check's value is total − parts
    ("accepted_sum", "applications", ("accepted", "not_accepted"), "申请 = 受理 + 不予受理"),
    ("approved_sum", "concluded", ("approved", "not_approved"), "办结 = 准予许可 + 不予许可"),
)
RATES = (  # (name, part, whole, label)
    ("acceptance_rate", "accepted", "applications", "受理率（受理 ÷ 申请）"),
    ("approval_rate", "approved", "concluded", "准予率（准予许可 ÷ 办结）"),
    ("online_accepted_share", "online_accepted", "accepted", "网上受理占比（网上受理 ÷ 受理）"),
    ("online_concluded_share", "online_concluded", "concluded", "网上办结占比（网上办结 ÷ 办结）"),
)


def _amount(figures: dict[str, Figure], name: str) -> str:
    return f"{FIGURE_LABELS[name]}{figures[name].value}"


def checks(figures: dict[str, Figure]) -> tuple[Check, ...]:
    """Sums of parts against their totals and the rates, for the figures that are present."""
    out: list[Check] = []
    for name, total, parts, label in SUMS:
        if total not in figures or any(p not in figures for p in parts):
            continue
        parts_sum = sum(figures[p].value for p in parts)
        diff = figures[total].value - parts_sum
        lhs = " + ".join(_amount(figures, p) for p in parts)
        whole = _amount(figures, total)
        verdict = f"与{whole}相符" if diff == 0 else f"比{whole}{'少' if diff > 0 else '多'}{abs(diff)}"
        detail = f"{lhs} = {parts_sum}，{verdict}"
        out.append(Check(name, "sum", label, diff == 0, diff, detail))
    for name, part, whole, label in RATES:
        if part not in figures or whole not in figures or figures[whole].value == 0:
            continue
        rate = figures[part].value / figures[whole].value
        detail = f"{_amount(figures, part)} ÷ {_amount(figures, whole)} = {rate:.2%}"
        if rate > 1:
            detail += "，超过100%，数字有误或口径不同"
        out.append(Check(name, "rate", label, rate <= 1, round(rate, 4), detail))
    return tuple(out)


ROW_COLUMNS: tuple[str, ...] = (
    "agency", "year", *FIGURE_NAMES, *(s[0] for s in SUMS), *(r[0] for r in RATES), "period", "doc_id", "file",
)
ROW_HEADERS: dict[str, str] = {
    "agency": "机构", "year": "年度", "period": "统计期（空为全年）", "doc_id": "报告编号", "file": "文件",
    **FIGURE_LABELS,
    **{name: "差额：" + " − ".join(FIGURE_LABELS[n] for n in (total, *parts)) for name, total, parts, _ in SUMS},
    **{name: label for name, _, _, label in RATES},
}

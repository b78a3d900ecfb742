"""Agency names: the shape an organisation name has, and turning found text into names.

A value that feeds the agency facet must look like an organisation's name (CJK, no
sentence punctuation, at most 30 characters, ending in an organisation word). Text found
around a report (a title's prefix, a signature line, a 版头) is cleaned of document
numbers, split into joint authors and completed from the region when abbreviated
(市政务服务数据管理局 → 广州市政务服务数据管理局). Empty is better than wrong.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from indexer.config import AGENCY_ALIASES_FILE
from indexer.ingest.regions import DIRECT, Region, names_place, place_at
from indexer.text.normalize import fold

MAX_AGENCY = 30
MAX_GLUED = 4 * MAX_AGENCY  # a run of glued names longer than this is text, not names (split in linear time)
ORG_END_WINDOW = 9  # the longest organisation word and the character its guard looks at
# Words an organisation's name ends in; a few guards keep common words out (格局, 部署, 马上办, 乡镇,
# 政务服务大厅: a hall, not a body).
# A town (石门镇) and a 管理区 sign as themselves.
ORG_END_PATTERN = (
    r"(?:领导小组办公室|管理委员会|委员会|管委会|办公室|办公厅|人民政府|政府|领导小组|工作小组|协调小组|"
    r"分局|总局|支局|(?<![格布大开结当全变])局|(?<![大餐展门])厅|(?<![部])委|(?<![上近网掌一好])办|中心|(?<!部)署|"
    r"法院|检察院|研究院|科学院|(?<![干全内局外])部|办事处|管理处|派出所|司法所|研究所|管理所|监管所|"
    r"管理站|支队|大队|中队|分行|支行|银行|联合会|协会|(?<![各镇乡])街道|(?<![乡城村集古小重名强大各点])镇|管理区)$"
)
_ORG_END = re.compile(ORG_END_PATTERN)
_ALLOWED = re.compile(r"^[\u4e00-\u9fff“”（）()]+$")
# A name never starts like a sentence, an addressee or a pronoun, nor holds a verb of issuing.
_BAD_START = re.compile(r"^(?:各|我|本|该|其|有关|相关|关于|根据|按照|依据|为|经|由|向|对|在|请|现|将|以|和|及|与|并|"
                        r"打造|构建|推进|推动|加快|深化|坚持|全面|持续|围绕|聚焦|努力|着力|奋力|建成|争创|"
                        r"代表|全市|全区|全县|全省|市委市政府|区委区政府|县委县政府|省委省政府|上级|下级|同级)")
_BAD_INSIDE = re.compile(r"印发|关于|联合|同意|报告|通知|代表|负责|部门和|以下简称|转发|批复|要求|开展|的|"
                         r"我局|我区|我市|各级|有关部门")
# Numbers glued to names: 穗府办报〔2022〕22号, 国办发[2019]5号, (2023)12号.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,12}\s*[〔\[［(（【]\s*(?:\d{4}|[一二][〇零○][一二三四五六七八九〇零]{2})\s*"
                        r"[〕\]］)）】]\s*第?\s*\d+\s*号")
_SEPARATORS = re.compile(r"[、/／,，;；\s]+")
_LEVEL_PREFIX = re.compile(r"^(省|自治区|市|州|盟|区|县|旗)(?=[\u4e00-\u9fff])")


def is_agency_name(name: str) -> bool:
    """Does `name` have the shape of an organisation's name (not a sentence, not an addressee)?"""
    folded = fold(name)
    return (
        2 < len(name) <= MAX_AGENCY
        and bool(_ALLOWED.match(folded))
        and folded.count("（") + folded.count("(") == folded.count("）") + folded.count(")")
        and folded.count("“") == folded.count("”")
        and bool(_ORG_END.search(folded))
        and not _BAD_START.search(folded)
        and not _BAD_INSIDE.search(folded)
    )


def strip_doc_numbers(text: str) -> str:
    """Remove 发文字号 (穗府办〔2019〕12号) from a line."""
    return DOC_NUMBER.sub(" ", text)


def _split_glued(name: str) -> list[str]:
    """中共益阳市委办公室益阳市人民政府办公室 → two names: cut where a second named place begins."""
    if len(name) > MAX_GLUED:
        return [name]
    folded = fold(name)
    for i in range(3, len(name) - 2):
        ends = _ORG_END.search(folded[max(0, i - ORG_END_WINDOW):i])
        if not ends or not (place_at(folded, i) or folded.startswith("中共", i)):
            continue
        head, tail = name[:i], name[i:]
        # Both halves name a place: 国家税务总局广州市税务局 stays one name; a 分局 is part of its parent.
        if is_agency_name(head) and names_place(fold(head)) and not re.search(
                r"(?:分局|支队|大队|派出所|分中心|分行|支行)$", fold(tail)):
            rest = _split_glued(tail)
            if all(is_agency_name(r) for r in rest):
                return [head, *rest]
    return [name]


def split_agencies(text: str) -> list[str]:
    """Names in a run of text that may hold several (A、B联合印发; A B; A/B), cleaned; unshaped parts dropped."""
    cleaned = re.sub(r"(?:联合)?(?:印发|制定|发布)$", "", strip_doc_numbers(text).strip())
    names: list[str] = []
    for part in _SEPARATORS.split(cleaned):
        part = re.sub(r"^(?:中共)?(?=中共)", "", part)
        # An alias in brackets names the same body: 金华市市场监管局（知识产权局） → 金华市市场监管局.
        part = re.sub(r"[(（][^()（）]{2,20}[)）]$", "", part) if not is_agency_name(part) else part
        for name in _split_glued(part) if part else []:
            if is_agency_name(name) and name not in names:
                names.append(name)
    return names


def complete_agency(name: str, region: Region) -> str:
    """Complete an abbreviated name from the report's region: 市政务服务数据管理局 → 广州市政务服务数据管理局.

    Returns "" when the name is abbreviated and the region does not have the level it needs.
    """
    m = _LEVEL_PREFIX.match(fold(name))
    if not m:
        return name
    level = m.group(1)
    if level in ("省", "自治区"):
        prefix = region.province
    elif level in ("市", "州", "盟"):  # in a county-level city (浏阳市), 市 is that city
        prefix = region.county if region.county.endswith("市") else region.city
    else:  # 区 / 县 / 旗: the county, under its city
        prefix = region.city + region.county if region.county else ""
    if region.city in DIRECT:  # 仙桃市 is a county-level city directly under its province
        prefix = region.county if region.county.endswith(level[-1]) else ""
    if not prefix or not fold(prefix).endswith(level[-1]):
        return ""
    completed = prefix + name[len(level):]
    return completed if is_agency_name(completed) else ""


@lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(part rules, suffix rules) of data/agency_aliases.tsv, longest form first."""
    parts, suffixes = [], []
    with AGENCY_ALIASES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            rule = (fold(row["form"]), row["name"])
            (parts if row["kind"] == "part" else suffixes).append(rule)
    return (tuple(sorted(parts, key=lambda r: -len(r[0]))), tuple(sorted(suffixes, key=lambda r: -len(r[0]))))


def canonical_agency(name: str) -> str:
    """The one name of a body (folded): renamed and shortened forms of data/agency_aliases.tsv mapped."""
    folded = fold(name)
    parts, suffixes = _aliases()
    for form, current in parts:
        if form in folded and current not in folded:
            folded = folded.replace(form, current)
    for form, current in suffixes:
        head = folded[: len(folded) - len(form)]
        if folded.endswith(form) and (names_place(head + form[:1]) or names_place(head)):
            folded = head + current
            break
    return folded


_EXPANDS = {"办": ("办公室", "办"), "委": ("委员会", "委"), "政府": ("人民政府", "政府")}


def _org_word(name: str) -> str:
    m = _ORG_END.search(name)
    return m.group() if m else ""


def expands(short: str, full: str) -> bool:
    """Is `full` the full name of the body `short` abbreviates (大数据办 → 大数据产业发展办公室)?

    The short form's characters, in order, within the longer name of the same kind of body,
    under the same place (if the short form names one).
    """
    short, full = fold(short), fold(full)
    if len(full) <= len(short) or not is_agency_name(full):
        return False
    word_s, word_f = _org_word(short), _org_word(full)
    if word_f not in _EXPANDS.get(word_s, (word_s,)):
        return False
    start = full.find(short[:2])
    rest = iter(full[start:])
    return start >= 0 and all(ch in rest for ch in short)


def qualified(name: str, region: Region) -> str:
    """A district's body under its city's name, as 区 names are written in full (番禺区… → 广州市番禺区…)."""
    folded = fold(name)
    if (region.county.endswith("区") and region.city and region.city not in DIRECT
            and place_at(folded, 0) == region.county):
        return region.city + name
    return name

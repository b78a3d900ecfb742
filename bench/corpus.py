"""A deterministic benchmark corpus: N reports mixed from real sections of the shipped reports.

    python bench/corpus.py --reports 10000 --out "$TMPDIR"/corpus10k    # ≈ 105 MB, ≈ 21 sections each

Every generated report has its own header (an agency of a real kind in a region drawn from
the gazetteer, a year 2018–2025, one of four document types), the outline of that type, and
subsections drawn from the seeds' sections of the matching kind, so one report mixes text of
several seeds. An 索引号 line with the report's number makes every file distinct. Report i
depends only on (seed, i): the 1k corpus is the first 1000 files of the 10k one. A rare term
(RARE_TERM) is planted in exactly the reports RARE_REPORTS (own sentence, not in the seeds).
The manifest `.corpus.json` (hidden, so the indexer does not read it) records the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.parsing import parse_report  # noqa: E402  (the product's own parser reads the seeds)
from indexer.ingest.reading import find_sources, read_source  # noqa: E402

SEEDS_DIR = ROOT / "index_data" / "reports"
REGIONS_TSV = ROOT / "indexer" / "ingest" / "data" / "regions.tsv"
MANIFEST = ".corpus.json"
DEFAULT_SEED = 20261201
RARE_TERM = "踏勘"
RARE_SENTENCE = "对新建项目试点远程视频踏勘，申请人无需到场即可完成现场核验。"
RARE_AT = (137, 811)  # report numbers (mod N) that carry the rare sentence
MAX_BODY = 320  # characters of a subsection body (cut after a sentence): ≈ 11 KB a report

_CN = "一二三四五六七八九十"
MARKER = re.compile(rf"^\s*(?:[(（]\s*[{_CN}]+\s*[)）]|[{_CN}]+\s*[、.．]|\d{{1,3}}\s*[、.．])\s*")
YEAR_IN_HEADING = re.compile(r"(20\d\d)(?=年)")

LOCAL_DEPTS = ("政务服务数据管理局", "市场监督管理局", "自然资源局", "住房和城乡建设局", "公安局", "生态环境局",
               "交通运输局", "卫生健康局", "教育局", "民政局", "人力资源和社会保障局", "农业农村局", "水务局",
               "文化广电旅游体育局", "应急管理局", "司法局", "发展和改革局", "行政审批局", "商务局",
               "城市管理和综合执法局", "人民政府办公室", "医疗保障局", "林业局", "退役军人事务局")
PROVINCE_DEPTS = ("市场监督管理局", "自然资源厅", "住房和城乡建设厅", "公安厅", "生态环境厅", "交通运输厅",
                  "卫生健康委员会", "教育厅", "民政厅", "人力资源和社会保障厅", "农业农村厅", "水利厅", "司法厅",
                  "发展和改革委员会", "人民政府办公厅", "政务服务管理局", "商务厅")

# Outline per document type: (level-1 heading, pool of subsection types, min, max subsections).
A = ("基本情况", "依法实施", "公开公示", "监督管理", "实施效果", "创新举措", "标准化")
P, N = ("存在问题",), ("下一步工作",)
OUTLINES: dict[str, tuple[tuple[str, tuple[str, ...], int, int], ...]] = {
    "licensing": (("基本情况", A, 8, 11), ("存在问题和困难", P, 3, 5), ("下一步工作措施及有关建议", N, 4, 6)),
    "rule_of_law": (("{y}年法治政府建设的基本情况", A, 5, 7),
                    ("{y}年法治政府建设主要亮点", ("创新举措", "实施效果"), 4, 6),
                    ("{y}年法治政府建设存在的问题", P, 2, 4), ("{y1}年工作计划", N, 4, 6)),
    "summary": (("主要工作及成效", A, 9, 12), ("存在问题", P, 2, 4), ("下一步工作打算", N, 4, 6)),
    "plan": (("工作目标", (), 0, 0), ("主要任务", ("主要任务",), 12, 16), ("保障措施", ("保障措施", *N), 3, 4)),
}
TITLES = {
    "licensing": "{agency}{y}年度行政许可实施和监督管理情况报告",
    "rule_of_law": "{agency}{y}年法治政府建设年度报告",
    "summary": "{agency}{y}年工作总结",
    "plan": "{agency}{y}年深化审批服务便民化工作方案",
}
PREAMBLES = {
    "licensing": "根据《{province}行政许可监督管理条例》的要求，现将{me}{y}年度行政许可实施和监督管理情况报告如下：",
    "rule_of_law": "{y}年，{agency}坚持以习近平法治思想为指导，深入推进依法行政，各项工作有序开展。"
                   "现将{me}{y}年度法治政府建设情况报告如下：",
    "summary": "{y}年，{me}紧紧围绕优化营商环境的目标，扎实推进各项工作。现将{me}{y}年工作总结如下：",
    "plan": "为进一步深化“放管服”改革，推进审批服务便民化，结合{place}实际，制定本方案。",
}


@dataclass(frozen=True)
class Piece:
    """A section of a seed: its kind, heading without numbering, body lines, seed year."""

    section_type: str
    level: int
    heading: str
    body: tuple[str, ...]
    year: int
    seed: str


@lru_cache(maxsize=1)
def pieces() -> tuple[Piece, ...]:
    """Every section of every seed report, as parsed by the product."""
    out = []
    for path in find_sources([SEEDS_DIR]):
        report = parse_report(read_source(path))
        for s in report.sections:
            if s.depth == 0:
                continue
            body = tuple(s.body.split("\n")) if s.body else ()
            heading = MARKER.sub("", s.heading)
            if heading.endswith("…") and body:  # a long first line: the body holds it whole
                heading, body = MARKER.sub("", body[0]), body[1:]
            out.append(Piece(s.section_type, s.depth, heading, body, report.year or 2023, path.name))
    return tuple(out)


@lru_cache(maxsize=1)
def regions() -> tuple[tuple[str, str, str], ...]:
    """(province, city, county) rows of the product's gazetteer."""
    with REGIONS_TSV.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    return tuple((p, c, d) for p, c, d in rows if p)


def agency_for(rng: random.Random) -> tuple[str, str, str]:
    """(agency, province, place name) of a real kind: 某市某区 + a department."""
    province, city, county = rng.choice(regions())
    if not city:
        return province + rng.choice(PROVINCE_DEPTS), province, province
    place = "".join(dict.fromkeys([city, county] if county else [city]))
    return place + rng.choice(LOCAL_DEPTS), province, place


def self_name(agency: str) -> str:
    """How the agency calls itself: 我局, 我厅, 我委, 我办."""
    for suffix, me in (("局", "我局"), ("厅", "我厅"), ("委员会", "我委"), ("办公室", "我办")):
        if agency.endswith(suffix):
            return me
    return "我单位"


def shift_years(text: str, delta: int) -> str:
    return YEAR_IN_HEADING.sub(lambda m: str(int(m.group(1)) + delta), text)


def trim(lines: tuple[str, ...], limit: int = MAX_BODY) -> list[str]:
    """The body's lines up to about `limit` characters, cut after a full sentence."""
    out: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) > limit:
            cut = line.rfind("。", 0, max(limit - used, 0))
            if cut > 0:
                out.append(line[: cut + 1])
            return out or [line[: line.find("。") + 1] or line]
        out.append(line)
        used += len(line)
    return out


def render_piece(piece: Piece, marker: str, year: int) -> list[str]:
    heading = shift_years(piece.heading, year - piece.year)
    return [f"{marker}{heading}", *(f"\u3000\u3000{line}" for line in trim(piece.body))]


def generate_report(seed: int, i: int, n: int) -> str:
    """The text of report number i of an n-report corpus."""
    rng = random.Random(f"{seed}-{i}")
    kind = rng.choice(("licensing", "licensing", "rule_of_law", "summary", "plan"))
    year = rng.randint(2018, 2025)
    agency, province, place = agency_for(rng)
    me = self_name(agency)
    title = TITLES[kind].format(agency=agency, y=year)
    issued = f"{year if kind == 'plan' else year + 1}年{rng.randint(1, 4)}月{rng.randint(1, 28)}日"
    code = f"{rng.randrange(10**9, 10**10)}{chr(65 + rng.randrange(26))}"
    if rng.random() < 0.5:
        head = [f"{agency}政府信息公开", f"索引号：{code}/{year + 1}-{i:05d}  分类：综合政务",
                f"发布机构：{agency}  成文日期：{issued.replace('年', '-').replace('月', '-').rstrip('日')}",
                f"名称：{title}", "", title]
    else:
        cut = title.index(f"{year}年") + 5
        cut += title[cut:].startswith("度")
        head = ["附件", "", title[:cut], "", title[cut:], f"索引号：{code}/{year + 1}-{i:05d}"]
    lines = [*head, "", "\u3000\u3000" + PREAMBLES[kind].format(province=province, me=me, y=year, agency=agency,
                                                                   place=place)]
    pool = pieces()
    rare = i in {r % n for r in RARE_AT}
    digit = 0
    for number, (heading, types, low, high) in enumerate(OUTLINES[kind]):
        top = [p for p in pool if p.level == 1 and p.body and heading.startswith(p.section_type[:2])]
        lines.append(f"{_CN[number]}、{heading.format(y=year, y1=year + 1)}")
        if top and rng.random() < 0.6:
            lines += [f"\u3000\u3000{line}" for line in rng.choice(top).body]
        candidates = [p for p in pool if p.level >= 2 and p.body and p.section_type in types]
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(low, high)))
        for k, piece in enumerate(chosen):
            if kind == "plan" and number == 1:
                digit += 1
                lines += render_piece(piece, f"{digit}.", year)
            else:
                lines += render_piece(piece, f"（{_CN[k] if k < 10 else '十' + _CN[k - 10]}）", year)
            if rare and number == 0 and k == 0:
                lines[-1] += RARE_SENTENCE
                rare = False
    if rare:
        lines.append(f"\u3000\u3000{RARE_SENTENCE}")
    lines += ["", agency, issued, ""]
    return "\n".join(lines)


def generate(n: int, out: Path, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Write n reports into `out` (emptied of earlier generated files); returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("r*.txt"):
        old.unlink()
    total = 0
    for i in range(n):
        data = generate_report(seed, i, n).encode("utf-8")
        (out / f"r{i:05d}.txt").write_bytes(data)
        total += len(data)
    manifest = {"seed": seed, "reports": n, "bytes": total, "rare_term": RARE_TERM,
                "rare_reports": sorted({f"r{r % n:05d}.txt" for r in RARE_AT})}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of a corpus generated earlier into `out`, if any."""
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    manifest = generate(args.reports, args.out, args.seed)
    print(f"{manifest['reports']} reports, {int(manifest['bytes']) / 1e6:.1f} MB → {args.out}")


if __name__ == "__main__":
    main()

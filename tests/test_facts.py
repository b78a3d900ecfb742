"""Licensing figures: the seeds exactly, and hand-written paragraphs in many wordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.ingest.facts import FIGURE_NAMES, ROW_COLUMNS, extract_figures, find_figures
from indexer.text.normalize import fold

FIXTURES = Path(__file__).parent / "data" / "figures"


def load(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


DEV = load("paragraphs.json")  # written alongside the rules: each must pass
HELD_OUT = load("heldout.json") + load("heldout2.json")  # written after them: floors only
CASES = DEV + HELD_OUT

SEEDS = {
    "000": {"items": 47, "applications": 17261, "accepted": 16840, "not_accepted": 421, "concluded": 16840,
            "approved": 10880, "not_approved": 5864},
    "001": {"items": 593, "applications": 1801779, "accepted": 1795742, "not_accepted": 5146,
            "concluded": 1795762, "approved": 1792547, "not_approved": 2675},
    # 主项23项、子项70项: the main items are the count
    "003": {"items": 23, "applications": 865359, "accepted": 865310, "not_accepted": 49, "concluded": 865349,
            "approved": 858546, "not_approved": 6803, "online_accepted": 10434, "online_concluded": 10120},
    "002": {},  # a work plan: targets in percent, no counts
    "004": {},  # 政务中心受理业务总量118万件, 热线工单, 依申请公开: none is a licensing figure
}


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_figures_exact(reports, key):
    result = extract_figures(reports[key])
    assert {name: f.value for name, f in result.figures.items()} == SEEDS[key]


@pytest.mark.parametrize("key", ["000", "001", "003"])
def test_each_figure_keeps_its_sentence_as_written(reports, key):
    report = reports[key]
    text = "\n".join(s.text for s in report.sections)
    for figure in extract_figures(report).figures.values():
        assert figure.sentence in text
        digits = "".join(ch for ch in fold(figure.sentence) if ch.isdigit())
        assert str(figure.value) in digits


def test_json_shape(reports):
    data = extract_figures(reports["003"]).to_dict()
    assert list(data) == ["doc_id", "file", "agency", "year", "figures", "checks", "period"]
    assert data["period"] is None  # a whole year
    assert data["agency"] == "广州市公安局海珠区分局" and data["year"] == 2024
    assert data["file"] == reports["003"].file and data["doc_id"] == reports["003"].doc_id
    assert all(set(f) == {"value", "sentence"} for f in data["figures"].values())
    assert data["figures"]["online_accepted"]["value"] == 10434
    assert "网上受理量10434份" in data["figures"]["online_accepted"]["sentence"]
    assert all({"name", "kind", "label", "ok", "detail", "value"} == set(c) for c in data["checks"])


def test_checks_on_seeds(reports):
    checks = {c.name: c for c in extract_figures(reports["000"]).checks}
    assert checks["accepted_sum"].ok and checks["accepted_sum"].value == 0
    # 10880 + 5864 = 16744, the report states 16840 concluded
    assert not checks["approved_sum"].ok and checks["approved_sum"].value == 96
    assert checks["approved_sum"].detail == "准予许可10880 + 不予许可5864 = 16744，比办结量16840少96"
    assert checks["accepted_sum"].detail == "受理量16840 + 不予受理421 = 17261，与申请量17261相符"
    assert checks["acceptance_rate"].value == round(16840 / 17261, 4)
    assert checks["approval_rate"].label.startswith("准予率")
    assert "online_accepted_share" not in checks  # no online figures stated

    checks = {c.name: c for c in extract_figures(reports["003"]).checks}
    assert checks["accepted_sum"].ok and checks["approved_sum"].ok
    assert checks["online_accepted_share"].value == round(10434 / 865310, 4)
    assert "1.21%" in checks["online_accepted_share"].detail
    assert extract_figures(reports["004"]).checks == ()


def test_row_has_every_column(reports):
    row = extract_figures(reports["001"]).to_row()
    assert list(row) == list(ROW_COLUMNS)
    assert row["online_accepted_share"] is None and row["approval_rate"] == round(1792547 / 1795762, 4)
    assert row["applications"] == 1801779 and row["online_accepted"] is None
    assert row["accepted_sum"] == 1801779 - 1795742 - 5146


def found(case: dict) -> dict[str, int]:
    return {name: f.value for name, f in find_figures([case["text"]], case["year"]).items()}


@pytest.mark.parametrize("case", DEV, ids=[c["id"] for c in DEV])
def test_dev_paragraph(case):
    assert found(case) == case["expected"]


def test_held_out_floors():
    """Precision and recall over every figure of the held-out paragraphs (see bench/figures_accuracy.py)."""
    tp = fp = fn = 0
    for case in HELD_OUT:
        got, expected = found(case), case["expected"]
        hits = sum(1 for name, value in got.items() if expected.get(name) == value)
        tp, fp, fn = tp + hits, fp + len(got) - hits, fn + len(expected) - hits
    assert tp / (tp + fp) >= 0.97  # wrong figures are worse than missing ones
    assert tp / (tp + fn) >= 0.93


def test_fixtures_cover_every_figure_and_traps():
    expected = {name for case in CASES for name in case["expected"]}
    assert expected == set(FIGURE_NAMES)
    assert len(CASES) >= 15
    assert sum(1 for case in CASES if not case["expected"]) >= 4  # paragraphs that must give nothing


def test_traditional_sentence_is_kept_in_its_own_characters():
    figures = find_figures(["2021年,本局受理行政許可申請1,286件,辦結1,280件。"], 2021)
    assert figures["concluded"].value == 1280
    assert "辦結1,280件" in figures["concluded"].sentence


def test_other_year_never_wins_over_report_year():
    text = "2022年受理行政许可申请900件。2023年受理行政许可申请1000件。"
    assert find_figures([text], 2023)["accepted"].value == 1000
    assert find_figures([text], 2022)["accepted"].value == 900
    assert find_figures([text], None)["accepted"].value == 900  # year unknown: the first stated


def test_first_section_wins_unless_a_later_one_states_a_total():
    sections = ["其中食品类受理行政许可申请300件。", "本年度共受理行政许可申请1200件。"]
    assert find_figures(sections, 2023)["accepted"].value == 1200
    assert find_figures(sections[:1], 2023)["accepted"].value == 300


@pytest.mark.parametrize(("title", "period"), [
    ("江门市某局2023年11月行政审批工作月报", "11月"),
    ("某区2024年1-6月政务服务工作情况", "1–6月"),
    ("某市2022年第三季度行政许可办理情况通报", "第三季度"),
    ("某县2023年一季度审批数据", "第一季度"),
    ("某局2023年上半年工作总结", "上半年"),
    ("某局行政审批工作月报（第12期）", "月度"),
    ("某局2023年度行政许可实施和监督管理情况报告", ""),
    ("某局关于2023年12月5日起施行新规的通知", ""),  # a date, not a month's report
    ("2019-2023年法治政府建设情况", ""),
])
def test_a_report_of_part_of_a_year_says_which(title, period):
    from indexer.ingest.facts import report_period

    assert report_period(title) == period

"""A small corpus written for the research tools: several bodies over several years.

- diffusion: 容缺受理 said exactly first by 顺德区行政审批局 in 2020 (its 2019 report is silent),
  by 韶关市市场监督管理局 in 2021 (its 2020 report has only 容缺 … 受理 apart: a near match),
  by 江门市交通运输局 in 2021 (no earlier report) and 顺德区市场监督管理局 in 2022;
  肇庆市生态环境局 never (two silent reports).
- changes: 顺德区行政审批局 2020 → 2021, with the differences listed in CHANGES.
- reuse: the template paragraph TEMPLATE is copied whole, with one sentence changed, and with
  its numbers changed into four reports.
"""

from __future__ import annotations

from pathlib import Path

SHUNDE = "佛山市顺德区行政审批局"
SHAOGUAN = "韶关市市场监督管理局"
JIANGMEN = "江门市交通运输局"
SHUNDE_MARKET = "佛山市顺德区市场监督管理局"
ZHAOQING = "肇庆市生态环境局"
FIRST_YEARS = {SHUNDE: 2020, SHAOGUAN: 2021, JIANGMEN: 2021, SHUNDE_MARKET: 2022, ZHAOQING: None}
EARLIER = {SHUNDE: 1, SHAOGUAN: 1, JIANGMEN: 0, SHUNDE_MARKET: 0, ZHAOQING: 2}

TEMPLATE = ("各级行政机关应当建立健全行政许可监督检查制度，对被许可人从事许可事项的活动实施有效监督。"
            "监督检查的情况和处理结果应当予以记录，由监督检查人员签字后归档。"
            "公众有权查阅行政机关监督检查记录，行政机关应当为查阅提供便利。"
            "本年度共组织监督检查120次，覆盖全部许可事项。"
            "对监督检查中发现的问题，建立台账，明确整改时限和责任人。"
            "上级机关加强对下级机关实施行政许可的监督检查，及时纠正违法行为。")
TEMPLATE_ONE_CHANGED = TEMPLATE.replace("公众有权查阅行政机关监督检查记录，行政机关应当为查阅提供便利。",
                                        "对检查中发现的违法行为，依法责令限期改正并跟踪整改落实。")
TEMPLATE_NUMBERS = TEMPLATE.replace("120次", "87次")
UNRELATED = ("本局围绕生态环境保护目标，完善排污许可证核发流程，对重点排污单位开展执法检查，"
             "推动企业落实污染防治主体责任，全年未发生较大环境污染事件。")


def _report(agency: str, year: int, sections: list[tuple[str, str]]) -> str:
    lines = [f"{agency}{year}年度行政许可实施和监督管理情况报告"]
    for heading, body in sections:
        lines += [heading, body]
    return "\n".join(lines) + "\n"


SHUNDE_2020 = [
    ("一、基本情况", "2020年，我局共受理行政许可申请1234件，办结1200件。推行容缺受理，对次要材料缺失的申请先行受理。"
                    "全面推行网上办理，减少群众跑动次数。"),
    ("二、主要做法", "压缩审批时限，审批时间平均缩短三成。设立综合受理窗口，实行一窗通办。"
                    "组织窗口人员开展业务培训。"),
    ("三、存在问题", "部分事项的办理标准还不够统一。基层窗口人员业务能力有待提高。"),
]
SHUNDE_2021 = [
    ("一、基本情况", "2021年，我局共受理行政许可申请1502件，办结1480件。推行容缺受理，对次要材料缺失的申请先行受理。"
                    "全面推行网上办理，减少群众跑动次数。上线电子证照系统，证照可在线查验。"),
    ("二、主要做法和成效", "压缩审批时限，审批时间平均缩短四成。设立综合受理窗口，实行一窗通办。"
                          "建立审批服务好差评制度，办事群众可当场评价。"),
    ("三、存在问题", "部分事项的办理标准还不够统一。基层窗口人员业务能力有待提高。"),
    ("四、下一步工作打算", "深化告知承诺制改革，扩大适用事项范围。"),
]
CHANGES = {  # section heading of 2021 → (added, removed, reworded) as sentences, punctuation kept
    "一、基本情况": (["上线电子证照系统，证照可在线查验。"], [],
                   [("2020年，我局共受理行政许可申请1234件，办结1200件。", "2021年，我局共受理行政许可申请1502件，办结1480件。")]),
    "二、主要做法和成效": (["建立审批服务好差评制度，办事群众可当场评价。"], ["组织窗口人员开展业务培训。"],
                         [("压缩审批时限，审批时间平均缩短三成。", "压缩审批时限，审批时间平均缩短四成。")]),
    "四、下一步工作打算": (["深化告知承诺制改革，扩大适用事项范围。"], [], []),
}

REPORTS: dict[str, str] = {
    "shunde_2019.txt": _report(SHUNDE, 2019, [("一、基本情况", "2019年，我局共受理行政许可申请980件，全部按时办结。"),
                                              ("二、主要做法", "优化窗口布局，推行预约办理。")]),
    "shunde_2020.txt": _report(SHUNDE, 2020, SHUNDE_2020),
    "shunde_2021.txt": _report(SHUNDE, 2021, SHUNDE_2021),
    "shaoguan_2020.txt": _report(SHAOGUAN, 2020, [("一、基本情况", "对申请材料存在容缺情形的，一次性告知补正内容。"),
                                                  ("二、主要做法", "窗口统一受理食品经营许可申请，当日录入系统。")]),
    "shaoguan_2021.txt": _report(SHAOGUAN, 2021, [("一、基本情况", "全面实行容缺受理，企业可先办后补。"),
                                                  ("二、监督管理", TEMPLATE)]),
    "jiangmen_2021.txt": _report(JIANGMEN, 2021, [("一、基本情况", "道路运输许可事项实行容缺受理和网上办理。"),
                                                  ("二、监督管理", TEMPLATE_ONE_CHANGED)]),
    "shunde_market_2022.txt": _report(SHUNDE_MARKET, 2022, [("一、基本情况", "市场主体登记推行容缺受理。"),
                                                            ("二、监督管理", TEMPLATE)]),
    "zhaoqing_2019.txt": _report(ZHAOQING, 2019, [("一、基本情况", UNRELATED)]),
    "zhaoqing_2020.txt": _report(ZHAOQING, 2020, [("一、基本情况", "继续优化排污许可办理流程，缩短办理时间。"),
                                                  ("二、监督管理", TEMPLATE_NUMBERS)]),
}
COPIES = {"shaoguan_2021.txt", "jiangmen_2021.txt", "shunde_market_2022.txt", "zhaoqing_2020.txt"}  # TEMPLATE


def write_corpus(folder: Path) -> Path:
    """Write every report into `folder`; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder

"""A small corpus in the forms real reports take (written for these tests): Guangdong agencies
at province, city and district level over 2015–2024, licensing reports and other documents
(a notice, a work plan, a monthly report), one without an agency, one file with a long ASCII name."""

from __future__ import annotations

from pathlib import Path

LONG_NAME = "guangzhou_huadu_government_service_administrative_licensing_annual_report_2023_final_v2.txt"

REPORTS: dict[str, str] = {
    "jiangmen_pengjiang_2023.txt": """江门市蓬江区市场监督管理局2023年度行政许可实施和监督管理情况报告

一、行政许可实施总体情况
2023年，我局实施市场监管领域行政许可事项(含子项)46项。全年共受理行政许可申请3120件，办结3098件，其中许可3075宗，不予许可23宗。
二、主要做法
（一）推行容缺受理。对基本条件具备、次要材料欠缺的申请先行受理，申请人在约定期限内补齐。
（二）压减办理时限。食品经营许可承诺时限压减至5个工作日。
三、存在问题
部分窗口人员对新业务不熟悉。
""",
    "jiangmen_jtj_2022.txt": """江门市交通运输局2022年行政许可工作情况报告

一、基本情况
全年受理道路运输行政许可申请856件，办结850件。
二、工作举措
推行告知承诺制，对道路货物运输经营许可实行承诺即办。
""",
    "foshan_nanhai_2023.txt": """佛山市南海区行政审批局关于2023年度行政许可实施情况的报告

一、总体情况
本年度共受理各类行政许可申请12804件，办结12790件，准予许可12700件，不予许可90件。
二、主要措施
（一）深化容缺受理，全年容缺受理事项1024件。
（二）推进“一网通办”，网上受理率达到95%。
""",
    "foshan_shunde_2021.txt": """佛山市顺德区市场监督管理局2021年度行政许可实施和监督管理情况报告

一、基本情况
2021年受理许可申请5210件，办结5200件。
二、监督管理
全面落实“双随机、一公开”监管，抽查经营主体320户。
""",
    LONG_NAME: """广州市花都区政务服务数据管理局2023年度政务服务工作总结

一、工作成效
全区推行容缺受理和帮办代办，企业开办时间压缩至半天。
二、下一步计划
持续深化“一件事一次办”改革。
""",
    "huangpu_2015.txt": """广州市黄埔区市场监督管理局2015年度行政许可实施情况报告

一、基本情况
2015年共受理行政许可申请2310件，办结2300件。
二、存在问题
审批信息化水平不高。
""",
    **{f"huangpu_{year}.txt": f"""广州市黄埔区市场监督管理局{year}年度行政许可实施情况报告

一、基本情况
{year}年共受理行政许可申请{1900 + year % 100 * 10}件，办结{1890 + year % 100 * 10}件。
二、主要做法
推行网上办理，压缩审批环节。
""" for year in (2017, 2018, 2019)},
    "foshan_shunde_2019.txt": """佛山市顺德区市场监督管理局2019年度行政许可实施情况报告

一、基本情况
2019年受理许可申请4020件，办结4011件。
二、主要做法
推行“证照分离”改革。
""",
    "shaoguan_plan_2024.txt": """韶关市生态环境局2024年优化营商环境工作方案

为进一步优化营商环境，制定本方案。
一、工作目标
环评审批时限压减至法定时限的一半。
二、主要任务
（一）推行环评告知承诺制。
（二）探索容缺受理，对重大项目开辟绿色通道。
""",
    "guangdong_notice_2023.txt": """广东省市场监督管理局关于做好2023年行政许可工作的通知

各地级以上市市场监督管理局：
现就做好2023年行政许可工作通知如下。
一、严格依法实施许可，不得擅自增设条件。
二、推广容缺受理做法，及时总结经验。
""",
    "jiangmen_monthly_2023_11.txt": """江门市政务服务数据管理局2023年11月行政审批工作月报

一、本月办件情况
11月共受理行政许可申请402件，办结398件。
二、本月重点工作
组织开展窗口服务评议。
""",
    "qingyuan_sfj_2023.txt": """清远市司法局2023年度行政许可实施情况报告

一、基本情况
我局实施的行政许可事项(含子项)共9项，均已进驻市政务服务中心。
二、下一步工作
持续规范许可实施。
""",
    "unsigned_2022.txt": """2022年度行政许可实施情况报告

一、基本情况
本年度受理行政许可申请615件，办结610件。
二、主要做法
推行容缺受理，材料不全可先行受理。
""",
}


def write_corpus(folder: Path) -> Path:
    """Write every report into `folder`; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder

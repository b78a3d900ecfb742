"""Small reports written for update tests: a few sections each, distinct by a serial marker."""

from __future__ import annotations

from pathlib import Path

AGENCIES = ("广州市白云区市场监督管理局", "佛山市南海区行政审批局", "韶关市生态环境局", "江门市交通运输局")


def report_text(serial: int) -> str:
    """A licensing report in the usual form; `专项{serial:03d}号` appears in it once."""
    agency = AGENCIES[serial % len(AGENCIES)]
    year = 2019 + serial % 5
    return (
        f"{agency}{year}年度行政许可实施和监督管理情况报告\n"
        "一、基本情况\n"
        f"{year}年，我局共受理行政许可申请{100 + serial}件，办结{90 + serial}件，推行容缺受理和告知承诺。\n"
        "二、主要做法\n"
        f"（一）压缩审批时限。开展专项{serial:03d}号整治行动，推动电子证照应用。\n"
        "（二）加强事中事后监管。全面落实“双随机、一公开”监管。\n"
        "三、存在问题\n"
        "基层窗口人员业务能力有待提高。\n"
    )


def write_report(folder: Path, serial: int, name: str | None = None) -> Path:
    """Write report `serial` as `folder/name` (default r{serial:03d}.txt); returns its path."""
    path = folder / (name or f"r{serial:03d}.txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_text(serial), encoding="utf-8")
    return path

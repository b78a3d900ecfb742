"""What /api documents: every route and parameter of the app, with an example each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus, urlencode

from indexer.search.facets import FACETS

from .params import SEARCH_PARAMS

COMPARE_PARAMS = ("q", *FACETS, "sort", "order", "only")  # /compare, /api/compare; only=mentioned
DIFFUSION_PARAMS = ("q", *FACETS)  # /diffusion, /api/diffusion
CHANGES_PARAMS = ("agency", "from", "to", "doc")  # /changes, /api/changes
REUSE_PARAMS = ("passage",)  # /reuse, /api/reuse


@dataclass(frozen=True)
class Param:
    """One query parameter: what it means and a value to try."""

    name: str
    meaning: str
    example: str


@dataclass(frozen=True)
class Route:
    """One route: its path (`<doc_id>` filled in for examples), what it answers, its parameters."""

    path: str
    answer: str  # "HTML" or "JSON"
    summary: str
    params: tuple[str, ...] = ()
    example: tuple[tuple[str, str], ...] = ()

    @property
    def anchor(self) -> str:
        """The id of the route's section on /api (/api/doc/<doc_id> → api-doc-doc_id)."""
        return self.path.strip("/").replace("/", "-").replace("<", "").replace(">", "") or "home"

    def example_url(self, doc_id: str) -> str:
        """A URL to try, `doc_id` standing in for a report id."""
        path = self.path.replace("<doc_id>", doc_id)
        example = [(k, v.replace("<doc_id>", doc_id)) for k, v in self.example]
        return f"{path}?{urlencode(example)}" if example else path

    def example_label(self, doc_id: str) -> str:
        """The example as a person reads it (not percent-encoded)."""
        return unquote_plus(self.example_url(doc_id))


PARAMS: dict[str, Param] = {p.name: p for p in (
    Param("q", "检索词：多个词须同时出现；\"引号\" 内为精确短语；支持 OR、NOT 或 -词、括号，"
               "以及 字段:值（机构: 地区: 年份: 类型: 章节: 措施: 标题:，繁体字段名亦可）。", "容缺受理 OR 告知承诺"),
    Param("measure", "政策措施，可重复（多个之间为“或”）；写措施名或其变体均可。", "容缺受理"),
    Param("agency", "机构：分面中的名称按原样筛选，其他写法按名称的一部分匹配；"
                    "未注明 为未识别出机构的报告；可重复。", "花都区"),
    Param("region", "地区：省、市或区县，按习惯写即可（广东、广州、黄埔），含其下辖地区；"
                    "可重复。", "广州"),
    Param("year", "年份（四位数字）或范围，或 未注明（报告未写年份）；可重复。", "2019-2023"),
    Param("doc_type", "文件类型：代码或中文名，可重复。", "licensing_report"),
    Param("section_type", "章节类型（如 监督管理、存在问题），可重复。", "监督管理"),
    Param("doc", "只看一份报告的匹配段落：16 位十六进制的报告编号。", "<doc_id>"),
    Param("sort", "排序：检索为 relevance（相关度，默认）或 year（年份从新到旧）；"
                  "/compare 为 agency、region 或 mentions；/figures 为任一列名，如 applications。", "year"),
    Param("page", "页码，从 1 开始。", "2"),
    Param("size", "每页条数，1 到 100，默认 10（按报告分组时为每页报告数）。", "20"),
    Param("limit", "size 的别名（与命令行的 --limit 同名）；两者只写一个。", "20"),
    Param("group", "1：按报告分组返回（结果中多出 groups）；网页检索总是分组。", "1"),
    Param("format", "返回格式：/api 为 html 或 json（以 JSON 返回本页内容）；"
                    "/export/… 为 csv（UTF-8 带 BOM，Excel 可直接打开）、xlsx 或 json。", "json"),
    Param("from", "/changes：较早的年份（默认为较晚年份之前最近的一份报告）。", "2022"),
    Param("to", "/changes：较晚的年份（默认为该机构最近的一年；给出 doc 时为该报告的年份）。", "2023"),
    Param("copies", "检索页面：fold 折叠本页中与上文段落相同或相近的段落（接口中不起作用）。", "fold"),
    Param("passage", "段落编号（报告编号-序号），见检索结果的 id。", "<doc_id>-000"),
    Param("order", "排序方向：asc（升序，默认）或 desc（降序）。", "desc"),
    Param("name", "保存检索的名字：不写则列出全部保存的检索，写则现在重新运行它，并列出自上次查看以来"
                   "新增和不再匹配的报告。", "容缺受理 广东"),
    Param("only", "mentioned：同行对比只列有提及的机构和年份（命令行 --only-mentioned）。", "mentioned"),
)}

ROUTES: tuple[Route, ...] = (
    Route("/", "HTML", "首页：检索框、按政策措施浏览（每项注明报告数与段落数）、语料一览。"),
    Route("/search", "HTML", "检索页面：结果按报告分组，带筛选、分页和分词说明。", SEARCH_PARAMS,
          (("q", "容缺受理"), ("year", "2023"))),
    Route("/doc/<doc_id>", "HTML", "一份报告的全文，按章节排版；带上检索参数时标出检索词和匹配的章节。",
          SEARCH_PARAMS, (("measure", "容缺受理"),)),
    Route("/api/search", "JSON", "检索，返回与命令行 python -m indexer search --json 相同的结构。total、total_reports "
          "与各分面计数只计写出检索词本身的段落；相近的（近义词、词语分散、字面相近）列在其后，另计为 related、"
          "related_reports（无一段写出检索词的报告数）。", SEARCH_PARAMS,
          (("q", "双随机一公开"), ("agency", "花都区"))),
    Route("/api/docs", "JSON", "全部报告：元数据与目录（同 python -m indexer docs --json）；provenance 给出每个字段的"
          "来源（规则与原文行，人工更正为 corrected），agency_forms 为原文写法。"),
    Route("/api/doc/<doc_id>", "JSON", "一份报告：元数据与各章节全文（同 python -m indexer show --json）。"),
    Route("/api/measures", "JSON", "政策措施分类，含变体及提及它的报告数、段落数。"),
    Route("/api", "HTML", "本说明页；加 format=json 以 JSON 返回。", ("format",), (("format", "json"),)),
    Route("/compare", "HTML", "同行对比：行为机构、列为年份，每格为最相关的段落与提及段落数，"
          "或注明“相近”（不计为提及）/“未提及”/“无报告”；"
          "只选章节类型时并排列出各机构的该类章节。sort 可为 agency、region、mentions。", COMPARE_PARAMS,
          (("measure", "容缺受理"),)),
    Route("/api/compare", "JSON", "同行对比矩阵（同 python -m indexer compare … --json），每个机构×年份一格。",
          COMPARE_PARAMS, (("measure", "双随机一公开"),)),
    Route("/figures", "HTML", "各报告的行政许可数据（申请、受理、办结…）、核对与比率，可按任一列排序，附图表。",
          ("sort", "order"), (("sort", "applications"), ("order", "desc"))),
    Route("/api/figures", "JSON", "各报告的行政许可数据及原句（同 python -m indexer figures --json）。"),
    Route("/export/search", "文件", "下载全部匹配段落（不只一页），每段附引用：CSV、XLSX 或 JSON。",
          (*SEARCH_PARAMS, "format"), (("q", "容缺受理"), ("format", "csv"))),
    Route("/export/compare", "文件", "下载同行对比矩阵，每个机构×年份一行。", (*COMPARE_PARAMS, "format"),
          (("measure", "容缺受理"), ("format", "xlsx"))),
    Route("/export/figures", "文件", "下载许可数据表。", ("sort", "order", "format"),
          (("sort", "applications"), ("order", "desc"), ("format", "json"))),
    Route("/saved", "HTML", "保存的检索（存于索引文件夹，重建索引后仍在）：全部列表，或 name=… 重新运行一个，"
          "列出自上次查看以来新增和不再匹配的报告。POST 表单 action=save（name、q 与筛选）、seen（记为已看）"
          "或 delete。", ("name",)),
    Route("/api/saved", "JSON", "保存的检索：列表，或 name=… 的运行结果（同 python -m indexer saved run … --json）。"
          "POST JSON {\"name\", \"q\", \"filters\": {筛选: [值]}, \"action\": \"save\"|\"seen\"|\"delete\"}。",
          ("name",)),
    Route("/diffusion", "HTML", "做法的扩散：各机构的报告最早哪一年确切提及、那一段，累计采用曲线，各地区谁最先提及。",
          DIFFUSION_PARAMS, (("measure", "容缺受理"),)),
    Route("/api/diffusion", "JSON", "扩散（同 python -m indexer diffusion … --json）：agencies 为各机构首次提及，"
          "curve 为逐年累计的机构数与地区数。", DIFFUSION_PARAMS, (("measure", "容缺受理"),)),
    Route("/export/diffusion", "文件", "下载扩散表，每个机构一行，附首次提及的段落与引用。",
          (*DIFFUSION_PARAMS, "format"), (("measure", "容缺受理"), ("format", "csv"))),
    Route("/changes", "HTML", "逐年变化：同一机构两个年度的报告逐节对齐，标出新增、删去、改写的句子，未变的折叠。",
          CHANGES_PARAMS, (("doc", "<doc_id>"),)),
    Route("/api/changes", "JSON", "逐年变化（同 python -m indexer changes … --json）；缺少报告时返回 404 并说明。",
          CHANGES_PARAMS, (("doc", "<doc_id>"),)),
    Route("/reuse", "HTML", "一个段落在其他报告中的相同或相近段落（建索引时用 MinHash 找出），标出不同的字。",
          REUSE_PARAMS, (("passage", "<doc_id>-000"),)),
    Route("/api/reuse", "JSON", "同上，JSON（同 python -m indexer reuse <段落编号> --json）：copies 为相近段落。",
          REUSE_PARAMS, (("passage", "<doc_id>-000"),)),
)

ERRORS = ("参数有误、查询无法解析或出现未知参数时返回 400，找不到报告或地址时返回 404；"
          "/api 下的错误一律为 JSON：{\"error\": {\"status\": 400, \"message\": \"……\"}}。")


def known_params(path: str) -> tuple[str, ...]:
    """The parameters a documented route accepts."""
    return next(r.params for r in ROUTES if r.path == path)


def as_json(doc_id: str) -> dict[str, Any]:
    """The documentation as JSON (what /api?format=json answers)."""
    return {
        "routes": [{"path": r.path, "answer": r.answer, "summary": r.summary,
                    "params": [{"name": n, "meaning": PARAMS[n].meaning,
                                "example": PARAMS[n].example.replace("<doc_id>", doc_id)} for n in r.params],
                    "example": r.example_url(doc_id)} for r in ROUTES],
        "errors": ERRORS,
    }

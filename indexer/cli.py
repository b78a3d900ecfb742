"""Command line: `python -m indexer build | add | remove | search | docs | show | figures | compare | diffusion |
changes | reuse | export | metadata export`;
--json prints the API's JSON.

Heavy modules (whoosh, numpy, jieba) are imported inside the commands, so `--help` and
errors answer at once.
"""

from __future__ import annotations

import errno
import json
import re
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from indexer.config import MAX_PAGE_SIZE, DataFileError, settings
from indexer.models import printable_name

if TYPE_CHECKING:
    from indexer.models import SearchResult
    from indexer.search.searchindex import SearchIndex

DOC_TYPE_HELP = "文件类型：代码如 licensing_report、work_plan，或中文名如 法治政府建设报告，可重复。"


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _plain(html: str) -> str:
    """A highlight for the terminal: <mark> as bold, entities decoded."""
    return unescape(re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, fg="red"), html))


def _open(index: Path | None) -> SearchIndex:
    from indexer.index.storage import IndexMissing
    from indexer.search.searchindex import open_index

    try:
        return open_index(index or settings().index_dir)
    except IndexMissing as err:
        raise click.ClickException(str(err)) from err


index_option = click.option("--index", type=click.Path(path_type=Path), help="索引文件夹，默认 index_data/index。")


def json_option(what: str) -> Any:
    return click.option("--json", "as_json", is_flag=True, help=f"输出与 {what} 相同的 JSON。")


@click.group()
def cli() -> None:
    """政策检索：为政府报告与文件（年度报告、工作方案、通知……）建立索引并检索。

    各命令的用法见 python -m indexer <命令> --help；加 --json 则输出与网页 API 相同的 JSON。
    """


result_json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果。")
source_option = click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
                             help="报告所在的文件夹（或文件），可重复；默认为索引记住的文件夹（新索引：index_data/reports）。")


replace_source_option = click.option(
    "--replace-source", is_flag=True,
    help="允许 --source 不含索引原来的报告文件夹（那里的报告将从索引中删去）。")


@cli.command()
@source_option
@index_option
@click.option("--full", is_flag=True, help="重读全部文件（默认只读新增或改动的文件）。")
@replace_source_option
@result_json_option
def build(sources: tuple[Path, ...], index: Path | None, full: bool, replace_source: bool, as_json: bool) -> None:
    """建立或更新索引。

    \b
    默认只读新增或改动的文件，--full 则重读全部；新索引建成之前，旧索引照常可用。
    索引记得它的报告文件夹：不写 --source 即读这些文件夹；
    --source 若不含其中之一则拒绝（会删去那里的报告），除非加 --replace-source。
    """
    _update(sources, index, as_json, full=full, replace_source=replace_source)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@source_option
@index_option
@result_json_option
def add(paths: tuple[Path, ...], sources: tuple[Path, ...], index: Path | None, as_json: bool) -> None:
    """索引指定的文件或文件夹。

    PATHS 为源目录中的文件或文件夹：新增或重新索引它们，其余报告不动。
    """
    _update(sources, index, as_json, add=paths)


@cli.command()
@click.argument("names", nargs=-1, required=True)
@source_option
@index_option
@result_json_option
def remove(names: tuple[str, ...], sources: tuple[Path, ...], index: Path | None, as_json: bool) -> None:
    """从索引中删除指定的文件。

    \b
    NAMES 为相对于源目录的文件名，或源目录中的路径；
    文件仍在源目录中时，下次 build 会重新索引。
    """
    from indexer.index.update import remembered_sources

    _update(sources, index, as_json, remove=names)
    roots = sources or remembered_sources(index or settings().index_dir) or [settings().source_dir]
    still = [n for n in names if any((root / n).exists() for root in roots)]
    if still and not as_json:
        click.echo(f"注意：{'、'.join(map(printable_name, still))} 仍在源目录中，下次 build 会重新索引。", err=True)


def _update(sources: tuple[Path, ...], index: Path | None, as_json: bool, **change: Any) -> None:
    from indexer.index.build import BuildError
    from indexer.index.storage import IndexBusy
    from indexer.index.update import update_index

    conf = settings()
    try:
        stats = update_index(list(sources), index or conf.index_dir, progress=not as_json,
                             default_sources=[conf.source_dir], **change)
    except (BuildError, IndexBusy) as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _echo_json(stats.to_dict())
        return
    skipped = f"，跳过 {len(stats.skipped)} 个文件" if stats.skipped else ""
    total = f"{stats.documents} 份报告，{stats.sections} 个段落"
    if stats.full:
        click.echo(f"{'完整重建（' + stats.reason + '）：' if stats.reason else ''}已索引 {total}{skipped}。")
    elif stats.changed:
        click.echo(f"已更新索引：新增 {stats.added} 份、更新 {stats.updated} 份、删除 {stats.removed} 份，"
                   f"未变 {stats.unchanged} 份；共 {total}{skipped}。")
    else:
        click.echo(f"索引已是最新：共 {total}{skipped}。")
    for item in stats.skipped:
        click.echo(f"跳过 {item.file}：{item.error}", err=True)
    if stats.corrections_changed:
        click.echo(f"已应用 metadata.csv：{stats.corrected} 份报告的元数据按更正表显示。")
    for warning in stats.warnings:
        click.echo(warning, err=True)


@cli.group()
def metadata() -> None:
    """元数据：导出、更正。

    导出的表格改好后，存为源目录根下的 metadata.csv（同样的列；空白单元格保留提取值），
    再运行 build 即按更正表显示（不重读报告）。
    """


@metadata.command("export")
@index_option
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=Path("元数据.csv"),
              show_default=True, help="输出的 CSV 文件（UTF-8 带 BOM，Excel 可直接打开）。")
def metadata_export(index: Path | None, output: Path) -> None:
    """导出每份报告的 file、title、agency、region、year、doc_type、published。"""
    from indexer.ingest.corrections import write_export

    try:
        count = write_export(_open(index).reports(), output)
    except OSError as err:
        raise click.ClickException(f"无法写入 {output}：{err.strerror or err}") from err
    click.echo(f"已导出 {count} 份报告的元数据到 {output}。")


def filter_options(command: Any) -> Any:
    """The facet filters, shared by `search` (and later commands that take a search)."""
    for name, help_text in reversed([
        ("--agency", "机构名称（全称或其一部分），可重复。"),
        ("--region", "地区：省、市或区县，按通常写法，如 广东、广州、花都区，可重复。"),
        ("--year", "年份或范围，如 2019-2023，或 未注明，可重复。"),
        ("--doc-type", DOC_TYPE_HELP),
        ("--section-type", "章节类型，如 存在问题，可重复。"),
        ("--measure", "政策措施，如 容缺受理（写其变体亦可），可重复。"),
    ]):
        command = click.option(name, multiple=True, help=help_text)(command)
    return command


FILTER_NAMES = ("measure", "agency", "region", "year", "doc_type", "section_type")


@cli.command(name="search")
@click.argument("query")
@index_option
@json_option("/api/search")
@click.option("--limit", "--size", "limit", default=10, show_default=True, type=click.IntRange(1, MAX_PAGE_SIZE),
              help="每页条数（--size 为 API 中的名称）。")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="页码，从 1 开始。")
@click.option("--sort", type=click.Choice(["relevance", "year"]), default="relevance", show_default=True,
              help="排序：relevance 按相关度，year 按年份（从新到旧）。")
@click.option("--group", is_flag=True, help="JSON 中按报告分组（文本输出总是分组）。")
@click.option("--doc", "doc_id", help="只看这份报告（报告编号）的段落。")
@filter_options
def search_command(query: str, index: Path | None, as_json: bool, limit: int, page: int, sort: str,
                   group: bool, doc_id: str | None, **filters: tuple[str, ...]) -> None:
    """检索段落。

    \b
    QUERY 为检索词，写 "" 则只按筛选条件浏览。
    多个词须同时出现；"引号" 内为精确短语；支持 OR、NOT 或 -词、括号，
    以及 字段:值（机构: 地区: 年份: 类型: 章节: 措施:）。
    """
    from indexer.models import SearchRequest
    from indexer.search.query import QueryError

    request = SearchRequest(
        text=query, filters={facet: filters[facet] for facet in FILTER_NAMES if filters.get(facet)},
        page=page, page_size=limit, sort=sort, group=group or not as_json, doc_id=doc_id,  # type: ignore[arg-type]
    )
    ix = _open(index)
    if doc_id and ix.report(doc_id) is None:
        raise click.ClickException(f"没有编号为 {doc_id} 的报告（编号见 python -m indexer docs）。")
    try:
        result = ix.search(request)
    except QueryError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _echo_json(result.to_dict())
        return
    _print_result(result)


def _segmented(analysis: dict[str, Any]) -> str:
    """How the query was cut, as the search page says it: an exact phrase is quoted whole, not segmented."""
    terms = analysis.get("terms") or []
    if not terms:
        return str(analysis.get("segmented") or "")
    return " ".join(("-" if t.get("negated") else "") + (f"“{t['text']}”" if t.get("kind") == "phrase"
                                                         else " ".join(t.get("words") or [t["text"]]))
                    for t in terms)


def _print_result(result: SearchResult) -> None:
    """Readable results: a summary line, then report by report with their passages."""
    line = f"共 {result.total_reports} 份报告、{result.total} 个段落写出检索词"
    if result.related_reports:
        line += f"（另有 {result.related_reports} 份报告相近，列在其后）"
    line += f" · 第 {result.page}/{result.pages} 页"
    if segmented := _segmented(result.analysis):
        line += f" · 分词：{segmented}"
    click.echo(line)
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    if result.page > result.pages and result.total:
        click.echo(f"第 {result.page} 页已超出结果范围：共 {result.pages} 页，请用 --page {result.pages}。")
        return
    groups = result.groups if result.groups is not None else [None] * len(result.hits)
    hits_by_group = [g.hits for g in result.groups] if result.groups is not None else [(h,) for h in result.hits]
    for group, hits in zip(groups, hits_by_group, strict=True):
        first = hits[0]
        click.echo(click.style(f"\n{first.title or printable_name(first.file)}", bold=True)
                   + f"  [{first.agency or '机构不详'} · {first.year or '年份不详'}]"
                   + ("  （相近，不计入）" if first.grade > 1 else ""))
        for hit in hits:
            click.echo(f"  {hit.section}  ({hit.section_type})  {hit.id}")
            for passage in hit.highlights:
                click.echo(f"    {_plain(passage)}")
        if group is not None and group.total > len(hits):
            click.echo(f"  … 本报告还有 {group.total - len(hits)} 个匹配段落（--doc {group.doc_id}）")


@cli.command()
@index_option
@json_option("/api/docs")
def docs(index: Path | None, as_json: bool) -> None:
    """列出已索引的报告。

    每份报告一行：报告编号、年份、文件类型、机构和标题；--json 另含各章节目录。
    """
    reports = _open(index).reports()
    if as_json:
        _echo_json(reports)
        return
    from indexer.models import DOC_TYPE_LABELS

    for r in reports:
        kind = DOC_TYPE_LABELS.get(r["doc_type"], r["doc_type"])
        click.echo(f"{r['doc_id']}  {r['year'] or '----'}  {kind}  {r['agency'] or '机构不详'}  《{r['title']}》")


@cli.command()
@click.argument("doc_id")
@index_option
@json_option("/api/doc/<id>")
def show(doc_id: str, index: Path | None, as_json: bool) -> None:
    """按章节打印一份报告。

    DOC_ID 为报告编号（见 python -m indexer docs）。
    """
    from indexer.models import document_dict

    ix = _open(index)
    summary, report = ix.report(doc_id), ix.document(doc_id)
    if summary is None or report is None:
        raise click.ClickException(f"没有编号为 {doc_id} 的报告。")
    if as_json:
        _echo_json(document_dict(summary, report))
        return
    click.echo(click.style(report.title or printable_name(report.file), bold=True))
    for s in report.sections:
        click.echo(click.style(f"\n{s.path_label}  [{s.section_type}]", fg="blue"))
        click.echo(s.body)


def _request(query: str, filters: dict[str, tuple[str, ...]]) -> Any:
    from indexer.models import SearchRequest

    return SearchRequest(text=query, filters={f: filters[f] for f in FILTER_NAMES if filters.get(f)})


@cli.command()
@index_option
@json_option("/api/figures")
def figures(index: Path | None, as_json: bool) -> None:
    """各报告的行政许可数据。

    报告中载明的申请、受理、办结等数字，附核对结果与比率；只列载明数字的报告，
    并说明几份未载明（--json 列出全部）。只统计一个月、季度或半年的报告注明统计期。
    """
    from indexer.ingest.facts import FIGURE_LABELS

    found = _open(index).figures()
    if as_json:
        _echo_json([f.to_dict() for f in found])
        return
    stated = [f for f in found if f.figures]
    for f in stated:
        period = f"（只统计{f.period}）" if f.period else ""
        head = f"{f.agency or '机构不详'} · {f.year or '年份不详'}{period}"
        click.echo(click.style(head, bold=True) + f"  {f.doc_id}")
        for name, fig in f.figures.items():
            click.echo(f"  {FIGURE_LABELS[name]}：{fig.value:,}")
        for check in f.checks:
            click.echo(f"  {'✓' if check.ok else '✗'} {check.label}：{check.detail}")
    click.echo(f"\n{len(found)} 份报告中有 {len(stated)} 份载明许可数据，"
               f"{len(found) - len(stated)} 份未载明许可数据（--json 列出全部）。")


EXPORT_SORT_HELP = "排序：compare 为 agency、region 或 mentions；figures 为任一列名，如 applications。"
desc_option = click.option("--desc", is_flag=True, help="降序排列。")
SORT_HELP = "行的排序：agency（机构）、region（地区）或 mentions（提及数）。"
only_mentioned_option = click.option("--only-mentioned", is_flag=True,
                                     help="同行对比只列有提及的机构和年份（API 的 only=mentioned）。")


@cli.command()
@click.argument("measure_name", metavar="[MEASURE]", required=False, default="")
@click.option("--query", "-q", "query", default="", help="检索词，代替 MEASURE 或与之同用。")
@index_option
@json_option("/api/compare")
@click.option("--sort", type=click.Choice(["agency", "region", "mentions"]), default="agency", show_default=True,
              help=SORT_HELP)
@desc_option
@only_mentioned_option
@filter_options
def compare(measure_name: str, query: str, index: Path | None, as_json: bool, sort: str, desc: bool,
            only_mentioned: bool, **filters: tuple[str, ...]) -> None:
    """同行对比：机构 × 年份。

    \b
    每格为提及 MEASURE（政策措施，或 --query 的检索词）的段落数；
    有报告而无匹配段落为“未提及”，没有该机构该年份的报告为“无报告”。
    """
    from indexer.research.compare import build_matrix
    from indexer.search.query import QueryError

    if measure_name:
        filters["measure"] = (*filters.get("measure", ()), measure_name)
    try:
        matrix = build_matrix(_open(index), _request(query, filters)).sorted(sort, desc)
        matrix = matrix.mentioned_only() if only_mentioned else matrix
    except QueryError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _echo_json(matrix.to_dict())
        return
    click.echo(matrix.summary())
    for agency in matrix.agencies:
        cells = [matrix.cell(agency, y) for y in matrix.years]
        line = "  ".join(f"{y or '未注明'}:{f'{c.label}{c.count}段' if c.status == 'mentioned' else c.label}"
                         for y, c in zip(matrix.years, cells, strict=True))
        click.echo(f"{agency}  {line}")


@cli.command()
@click.argument("measure_name", metavar="[MEASURE]", required=False, default="")
@click.option("--query", "-q", "query", default="", help="检索词，代替 MEASURE 或与之同用。")
@index_option
@json_option("/api/diffusion")
@filter_options
def diffusion(measure_name: str, query: str, index: Path | None, as_json: bool, **filters: tuple[str, ...]) -> None:
    """扩散：各机构首次提及的年份与累计采用曲线。

    \b
    只计确切提及（段落中有该词或措施名及其变体）；首次提及之前
    有报告而未提及的，列出报告数，没有更早报告的，写“无更早报告”。
    """
    from indexer.research.diffusion import build_diffusion
    from indexer.search.query import QueryError

    if measure_name:
        filters["measure"] = (*filters.get("measure", ()), measure_name)
    if not query and not filters.get("measure"):
        raise click.UsageError("请给出 MEASURE（政策措施）或 --query 检索词。")
    try:
        found = build_diffusion(_open(index), _request(query, filters))
    except QueryError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _echo_json(found.to_dict())
        return
    click.echo(found.summary())
    for a in found.agencies:
        when = f"{a.first_year} 年首次提及" if a.first_year else "未提及"
        click.echo(f"{a.agency}  {a.region or '地区不详'}  {when}  （{a.earlier_label}）  {a.passage_id or ''}")
    for point in found.curve:
        click.echo(f"{point.year}: 累计 {point.agencies} 家机构、{point.regions} 个地区（新增 {point.new}）")


@cli.command()
@click.option("--agency", default="", help="机构名称（与分面、同行对比中的写法一致）。")
@click.option("--from", "from_year", type=click.IntRange(1900, 2100), help="较早的年份，默认为较晚年份的上一份报告。")
@click.option("--to", "to_year", type=click.IntRange(1900, 2100), help="较晚的年份，默认为最近一年。")
@click.option("--doc", "doc_id", help="报告编号：与该机构上一年的报告比较（代替 --agency、--to）。")
@index_option
@json_option("/api/changes")
def changes(agency: str, from_year: int | None, to_year: int | None, doc_id: str | None, index: Path | None,
            as_json: bool) -> None:
    """逐年变化：同一机构两个年度的报告逐节比较。

    \b
    标出新增、删去和改写（数字或个别字词变了）的句子，未变的句子只计数。
    """
    from indexer.research.changes import ChangesError, build_changes

    try:
        found = build_changes(_open(index), agency, from_year, to_year, doc_id)
    except ChangesError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _echo_json(found.to_dict())
        return
    if found.from_year is None:
        click.echo(found.message)
        return
    counts = found.counts()
    click.echo(f"{found.agency}：{found.from_year} → {found.to_year}，新增 {counts['added']} 句、删去 "
               f"{counts['removed']} 句、改写 {counts['reworded']} 句，未变 {counts['unchanged']} 句。")
    for s in found.sections:
        if s.status == "unchanged":
            continue
        click.echo(click.style(f"\n{s.heading}  [{s.section_type}]", fg="blue"))
        for old, new in s.reworded:
            click.echo(f"  ≈ {old}\n    → {new}")
        for text in s.added:
            click.echo(click.style(f"  + {text}", fg="green"))
        for text in s.removed:
            click.echo(click.style(f"  - {text}", fg="red"))


@cli.command()
@click.argument("passage_id")
@index_option
@json_option("/api/reuse")
def reuse(passage_id: str, index: Path | None, as_json: bool) -> None:
    """相同段落：这段文字还出现在哪些报告中。

    PASSAGE_ID 为段落编号（报告编号-序号，见 search 的输出）；相似度为两段文字
    5 字片段重合的比例（数字不计差别），建索引时算出。
    """
    from indexer.config import REUSE_LIST_LIMIT

    found = _open(index).reuse(passage_id, REUSE_LIST_LIMIT)
    if found is None:
        raise click.ClickException(f"没有编号为 {passage_id} 的段落。")
    if as_json:
        _echo_json(found.to_dict())
        return
    shown = f"，列出最相近的 {len(found.copies)} 个" if len(found.copies) < found.total else ""
    click.echo(f"这段文字还出现在 {found.reports} 份报告中（{found.total} 个段落{shown}）。")
    for c in found.copies:
        where = f"{c.agency or '机构不详'} · {c.year or '年份不详'}"
        click.echo(f"  {c.similarity:.0%}  {where}  {c.section}  {c.passage_id}")


@cli.command()
@click.argument("kind", type=click.Choice(["search", "compare", "figures", "diffusion"]))
@click.argument("query", required=False, default="")
@index_option
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True,
              help="文件格式：csv（UTF-8 带 BOM，Excel 可直接打开）、xlsx 或 json。")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="要写入的文件。")
@click.option("--sort", default="", help=EXPORT_SORT_HELP)
@desc_option
@only_mentioned_option
@filter_options
def export(kind: str, query: str, index: Path | None, fmt: str, output: Path, sort: str, desc: bool,
           only_mentioned: bool, **filters: tuple[str, ...]) -> None:
    """把结果下载为文件。

    \b
    第一个参数为 search（全部匹配段落，不只一页）、compare（同行对比矩阵）、
    figures（许可数据）或 diffusion（各机构首次提及）；QUERY 为检索词，可省略。
    """
    from indexer.research.compare import SORTS
    from indexer.research.downloads import (
        FIGURE_COLUMNS,
        compare_table,
        diffusion_table,
        figures_table,
        render,
        search_table,
    )
    from indexer.search.query import QueryError

    sorts = {"compare": SORTS, "figures": FIGURE_COLUMNS}.get(kind, ())
    if sort and sort not in sorts:
        allowed = f"只能是 {'、'.join(sorts)} 之一" if sorts else "只用于 compare 和 figures"
        raise click.UsageError(f"--sort {allowed}（收到 {sort!r}）。")
    ix = _open(index)
    try:
        if kind == "search":
            table = search_table(ix, _request(query, filters))
        elif kind == "compare":
            table = compare_table(ix, _request(query, filters), sort or "agency", desc,
                                  mentioned_only=only_mentioned)
        elif kind == "diffusion":
            table = diffusion_table(ix, _request(query, filters))
        else:
            table = figures_table(ix, sort or "agency", desc)
    except QueryError as err:
        raise click.ClickException(str(err)) from err
    try:
        output.write_bytes(render(table, fmt))
    except OSError as err:
        raise click.ClickException(f"无法写入 {output}：{_os_reason(err)}。") from err
    click.echo(f"已写入 {output}：{len(table.rows)} 行。")


@cli.group()
def saved() -> None:
    """保存的检索：起个名字，以后重新运行并查看变化。

    \b
    保存在索引文件夹中（重建索引后仍在）；网页首页与 /saved 列出同样的内容。
    python -m indexer saved add 名字 检索词 [--region …]   保存
    python -m indexer saved list                           列出
    python -m indexer saved run 名字 [--seen]              重新运行，列出新增与不再匹配的报告
    python -m indexer saved remove 名字                    删除
    """


def _saved_call(call: Any) -> Any:
    from indexer.research.saved import SavedSearchError
    from indexer.search.query import QueryError

    try:
        return call()
    except (SavedSearchError, QueryError) as err:
        raise click.ClickException(str(err)) from err


@saved.command(name="add")
@click.argument("name")
@click.argument("query", required=False, default="")
@index_option
@click.option("--replace", is_flag=True, help="同名的保存检索已存在时替换它。")
@json_option("POST /api/saved")
@filter_options
def saved_add(name: str, query: str, index: Path | None, replace: bool, as_json: bool,
              **filters: tuple[str, ...]) -> None:
    """保存一个检索：NAME 为名字，QUERY 为检索词（可省略，只用筛选条件）。"""
    from indexer.research.saved import save_search

    entry = _saved_call(lambda: save_search(_open(index), name, _request(query, filters), replace))
    if as_json:
        _echo_json(entry.to_dict())
        return
    click.echo(f"已保存“{entry.name}”：现在 {len(entry.reports)} 份报告。以后用 python -m indexer saved run "
               f"{entry.name} 查看变化。")


@saved.command(name="list")
@index_option
@json_option("/api/saved")
def saved_list(index: Path | None, as_json: bool) -> None:
    """列出保存的检索。"""
    from indexer.research.saved import describe, load_saved
    from indexer.search.facets import FACET_LABELS

    searches = _saved_call(lambda: load_saved(index or settings().index_dir))
    if as_json:
        _echo_json([{**s.to_dict(), "reports": len(s.reports)} for s in searches])
        return
    if not searches:
        click.echo("还没有保存的检索（python -m indexer saved add 名字 检索词）。")
    for s in searches:
        click.echo(f"{s.name}  {describe(s, FACET_LABELS)}  上次查看 {s.checked[:16].replace('T', ' ')}："
                   f"{len(s.reports)} 份报告")


@saved.command(name="run")
@click.argument("name")
@index_option
@click.option("--seen", is_flag=True, help="运行后记为已看：以后与现在的结果比较。")
@json_option("/api/saved?name=…")
def saved_run(name: str, index: Path | None, seen: bool, as_json: bool) -> None:
    """重新运行保存的检索，列出自上次查看以来新增和不再匹配的报告。"""
    from indexer.research.saved import mark_seen, run_saved

    ix = _open(index)
    run = _saved_call(lambda: run_saved(ix, name))
    if seen:
        _saved_call(lambda: mark_seen(ix, name))
    if as_json:
        _echo_json(run.to_dict())
        return
    since = run.search.checked[:16].replace("T", " ")
    click.echo(f"“{run.search.name}”现在 {len(run.reports)} 份报告；自 {since}（{len(run.search.reports)} 份）以来"
               + (f"新增 {len(run.new)} 份、不再匹配 {len(run.removed)} 份。" if run.changed else "没有变化。"))
    for mark, refs in (("+", run.new), ("-", run.removed)):
        for r in refs:
            where = f"{r.agency or '机构不详'} · {r.year or '年份不详'}"
            click.echo(f"  {mark} {where}  《{r.title or r.file}》  {r.doc_id}")
    if seen and run.changed:
        click.echo("已记为已看。")


@saved.command(name="remove")
@click.argument("name")
@index_option
def saved_remove(name: str, index: Path | None) -> None:
    """删除保存的检索。"""
    from indexer.research.saved import delete_saved

    _saved_call(lambda: delete_saved(index or settings().index_dir, name))
    click.echo(f"已删除“{name.strip()}”。")


OS_REASONS = {errno.ENOENT: "所在文件夹不存在", errno.EISDIR: "这是一个文件夹，请写文件名",
              errno.EACCES: "没有写入权限", errno.ENOSPC: "磁盘已满"}


def _os_reason(err: OSError) -> str:
    return OS_REASONS.get(err.errno or 0, err.strerror or str(err))


def main() -> None:
    """Entry point: a malformed data file is one line and exit status 1, not a traceback."""
    try:
        cli(prog_name="python -m indexer", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        raise SystemExit(130) from None
    except click.UsageError as err:  # one line too, with where to read the usage
        where = err.ctx.command_path if err.ctx else "python -m indexer"
        click.echo(f"错误：{err.format_message()}（用法见 {where} --help）", err=True)
        raise SystemExit(err.exit_code) from None
    except click.ClickException as err:
        click.echo(f"错误：{err.format_message()}", err=True)
        raise SystemExit(err.exit_code) from None
    except DataFileError as err:
        click.echo(f"错误：{err}", err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()

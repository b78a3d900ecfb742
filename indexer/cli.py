"""Command line: `python -m indexer build | add | remove | search | docs | show | figures | compare | export`;
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

from .config import MAX_PAGE_SIZE, DataFileError, settings

if TYPE_CHECKING:
    from .models import SearchResult
    from .searchindex import SearchIndex

DOC_TYPE_HELP = "licensing_report, rule_of_law_report, work_plan, work_summary, other …"


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _plain(html: str) -> str:
    """A highlight for the terminal: <mark> as bold, entities decoded."""
    return unescape(re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, fg="red"), html))


def _open(index: Path | None) -> SearchIndex:
    from .searchindex import open_index
    from .storage import IndexMissing

    try:
        return open_index(index or settings().index_dir)
    except IndexMissing as err:
        raise click.ClickException(str(err)) from err


index_option = click.option("--index", type=click.Path(path_type=Path), help="Index folder. Default: index_data/index.")


def json_option(what: str) -> Any:
    return click.option("--json", "as_json", is_flag=True, help=f"Print the same JSON as {what}.")


@click.group()
def cli() -> None:
    """政策检索: index Chinese government reports and search them."""


source_option = click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
                             help="Folder (or file) of reports; repeatable. Default: index_data/reports.")


@cli.command()
@source_option
@index_option
@click.option("--full", is_flag=True, help="Re-read every file (by default only new or changed ones).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def build(sources: tuple[Path, ...], index: Path | None, full: bool, as_json: bool) -> None:
    """Index the reports: new or changed files only, or all (atomic: the old index serves until done)."""
    _update(sources, index, as_json, full=full)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@source_option
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def add(paths: tuple[Path, ...], sources: tuple[Path, ...], index: Path | None, as_json: bool) -> None:
    """Index (or re-index) these files or folders of the source folder, and nothing else."""
    _update(sources, index, as_json, add=paths)


@cli.command()
@click.argument("names", nargs=-1, required=True)
@source_option
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def remove(names: tuple[str, ...], sources: tuple[Path, ...], index: Path | None, as_json: bool) -> None:
    """Take these files (names relative to the source folder, or paths in it) out of the index."""
    _update(sources, index, as_json, remove=names)
    still = [n for n in names if any((root / n).exists() for root in sources or [settings().source_dir])]
    if still and not as_json:
        click.echo(f"注意：{'、'.join(still)} 仍在源目录中，下次 build 会重新索引。", err=True)


def _update(sources: tuple[Path, ...], index: Path | None, as_json: bool, **change: Any) -> None:
    from .build import BuildError
    from .storage import IndexBusy
    from .update import update_index

    conf = settings()
    try:
        stats = update_index(list(sources) or [conf.source_dir], index or conf.index_dir, progress=not as_json,
                             **change)
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


def filter_options(command: Any) -> Any:
    """The facet filters, shared by `search` (and later commands that take a search)."""
    for name, help_text in reversed([
        ("--agency", "Agency name (exact, or part of it) (repeatable)."),
        ("--region", "Province, city or district as people write it: 广东, 广州, 花都区 (repeatable)."),
        ("--year", "Year or range such as 2019-2023, or 未注明 (repeatable)."),
        ("--doc-type", f"One of {DOC_TYPE_HELP} (repeatable)."),
        ("--section-type", "Section type such as 存在问题 (repeatable)."),
        ("--measure", "Policy measure such as 容缺受理 (repeatable)."),
    ]):
        command = click.option(name, multiple=True, help=help_text)(command)
    return command


FILTER_NAMES = ("measure", "agency", "region", "year", "doc_type", "section_type")


@cli.command(name="search")
@click.argument("query")
@index_option
@json_option("/api/search")
@click.option("--limit", "--size", "limit", default=10, show_default=True, type=click.IntRange(1, MAX_PAGE_SIZE),
              help="Results per page (--size is the API's name).")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--sort", type=click.Choice(["relevance", "year"]), default="relevance", show_default=True)
@click.option("--group", is_flag=True, help="Group hits by report in the JSON (the text output always does).")
@click.option("--doc", "doc_id", help="Only the sections of this report (doc_id).")
@filter_options
def search_command(query: str, index: Path | None, as_json: bool, limit: int, page: int, sort: str,
                   group: bool, doc_id: str | None, **filters: tuple[str, ...]) -> None:
    """Search sections; QUERY may be "" to browse by filters."""
    from .models import SearchRequest
    from .query import QueryError

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


def _print_result(result: SearchResult) -> None:
    """Readable results: a summary line, then report by report with their passages."""
    line = f"共 {result.total_reports} 份报告、{result.total} 个段落 · 第 {result.page}/{result.pages} 页"
    if result.analysis.get("segmented"):
        line += f" · 分词：{result.analysis['segmented']}"
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
        click.echo(click.style(f"\n{first.title or first.file}", bold=True)
                   + f"  [{first.agency or '机构不详'} · {first.year or '年份不详'}]")
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
    """List the indexed reports with their metadata and sections."""
    reports = _open(index).reports()
    if as_json:
        _echo_json(reports)
        return
    from .models import DOC_TYPE_LABELS

    for r in reports:
        kind = DOC_TYPE_LABELS.get(r["doc_type"], r["doc_type"])
        click.echo(f"{r['doc_id']}  {r['year'] or '----'}  {kind}  {r['agency'] or '机构不详'}  《{r['title']}》")


@cli.command()
@click.argument("doc_id")
@index_option
@json_option("/api/doc/<id>")
def show(doc_id: str, index: Path | None, as_json: bool) -> None:
    """Print one report, section by section."""
    from .models import document_dict

    ix = _open(index)
    summary, report = ix.report(doc_id), ix.document(doc_id)
    if summary is None or report is None:
        raise click.ClickException(f"没有编号为 {doc_id} 的报告。")
    if as_json:
        _echo_json(document_dict(summary, report))
        return
    click.echo(click.style(report.title or report.file, bold=True))
    for s in report.sections:
        click.echo(click.style(f"\n{s.path_label}  [{s.section_type}]", fg="blue"))
        click.echo(s.body)


def _request(query: str, filters: dict[str, tuple[str, ...]]) -> Any:
    from .models import SearchRequest

    return SearchRequest(text=query, filters={f: filters[f] for f in FILTER_NAMES if filters.get(f)})


@cli.command()
@index_option
@json_option("/api/figures")
def figures(index: Path | None, as_json: bool) -> None:
    """The licensing figures each report states (申请, 受理, 办结 …), with checks and rates."""
    from .facts import FIGURE_LABELS

    found = _open(index).figures()
    if as_json:
        _echo_json([f.to_dict() for f in found])
        return
    for f in found:
        click.echo(click.style(f"{f.agency or '机构不详'} · {f.year or '年份不详'}", bold=True) + f"  {f.doc_id}")
        if not f.figures:
            click.echo("  未载明许可数据。")
        for name, fig in f.figures.items():
            click.echo(f"  {FIGURE_LABELS[name]}：{fig.value:,}")
        for check in f.checks:
            click.echo(f"  {'✓' if check.ok else '✗'} {check.label}：{check.detail}")


SORT_HELP = "Rows by agency, region or mentions."


@cli.command()
@click.argument("measure_name", metavar="[MEASURE]", required=False, default="")
@click.option("--query", "-q", "query", default="", help="Query text instead of (or besides) a measure.")
@index_option
@json_option("/api/compare")
@click.option("--sort", type=click.Choice(["agency", "region", "mentions"]), default="agency", show_default=True,
              help=SORT_HELP)
@click.option("--desc", is_flag=True, help="Descending order.")
@filter_options
def compare(measure_name: str, query: str, index: Path | None, as_json: bool, sort: str, desc: bool,
            **filters: tuple[str, ...]) -> None:
    """Peer matrix: agencies × years, which mention MEASURE (or --query), 未提及 vs 无报告."""
    from .compare import build_matrix
    from .query import QueryError

    if measure_name:
        filters["measure"] = (*filters.get("measure", ()), measure_name)
    try:
        matrix = build_matrix(_open(index), _request(query, filters)).sorted(sort, desc)
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
@click.argument("kind", type=click.Choice(["search", "compare", "figures"]))
@click.argument("query", required=False, default="")
@index_option
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="File to write.")
@click.option("--sort", default="", help="compare: agency, region or mentions; figures: a column such as applications.")
@click.option("--desc", is_flag=True, help="Descending order.")
@filter_options
def export(kind: str, query: str, index: Path | None, fmt: str, output: Path, sort: str, desc: bool,
           **filters: tuple[str, ...]) -> None:
    """Download every matching passage (search), the matrix (compare) or the figures as a file."""
    from .compare import SORTS
    from .downloads import FIGURE_COLUMNS, compare_table, figures_table, render, search_table
    from .query import QueryError

    sorts = {"compare": SORTS, "figures": FIGURE_COLUMNS}.get(kind, ())
    if sort and sort not in sorts:
        allowed = f"只能是 {'、'.join(sorts)} 之一" if sorts else "只用于 compare 和 figures"
        raise click.UsageError(f"--sort {allowed}（收到 {sort!r}）。")
    ix = _open(index)
    try:
        if kind == "search":
            table = search_table(ix, _request(query, filters))
        elif kind == "compare":
            table = compare_table(ix, _request(query, filters), sort or "agency", desc)
        else:
            table = figures_table(ix, sort or "agency", desc)
    except QueryError as err:
        raise click.ClickException(str(err)) from err
    try:
        output.write_bytes(render(table, fmt))
    except OSError as err:
        raise click.ClickException(f"无法写入 {output}：{_os_reason(err)}。") from err
    click.echo(f"已写入 {output}：{len(table.rows)} 行。")


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

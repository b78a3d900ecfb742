"""Command line: `python -m indexer build | search | docs | show`; --json prints the API's JSON."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import click

from . import schema as f
from .build import BuildError, build_index
from .config import MAX_PAGE_SIZE, settings
from .models import DOC_TYPE_LABELS, SearchRequest
from .query import QueryError
from .search import document_sections, search
from .storage import IndexBusy, IndexMissing, PolicyIndex, open_index


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _plain(html: str) -> str:
    """A highlight for the terminal: <mark> as bold, entities decoded."""
    return unescape(re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, fg="red"), html))


def _open(index: Path | None) -> PolicyIndex:
    try:
        return open_index(index or settings().index_dir)
    except IndexMissing as err:
        raise click.ClickException(str(err)) from err


@click.group()
def cli() -> None:
    """政策检索: index Chinese government reports and search them."""


@cli.command()
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
              help="Folder (or file) of reports; repeatable. Default: index_data/reports.")
@click.option("--index", type=click.Path(path_type=Path), help="Index folder. Default: index_data/index.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def build(sources: tuple[Path, ...], index: Path | None, as_json: bool) -> None:
    """Build the index from the reports (atomic: the old index stays until the new one is done)."""
    conf = settings()
    try:
        stats = build_index(list(sources) or [conf.source_dir], index or conf.index_dir, progress=True)
    except (BuildError, IndexBusy) as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _echo_json(stats.to_dict())
        return
    click.echo(f"已索引 {stats.documents} 份报告，{stats.sections} 个段落。")
    for skipped in stats.skipped:
        click.echo(f"跳过 {skipped.file}：{skipped.error}", err=True)


@cli.command(name="search")
@click.argument("query")
@click.option("--index", type=click.Path(path_type=Path), help="Index folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as /api/search.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_PAGE_SIZE))
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--sort", type=click.Choice(["relevance", "year"]), default="relevance", show_default=True)
@click.option("--group", is_flag=True, help="Group hits by report.")
@click.option("--agency", multiple=True, help="Agency name or part of it (repeatable).")
@click.option("--region", multiple=True, help="Province, city or district (repeatable).")
@click.option("--year", multiple=True, help="Year or range such as 2019-2023 (repeatable).")
@click.option("--doc-type", multiple=True, help=f"One of {', '.join(DOC_TYPE_LABELS)} (repeatable).")
@click.option("--section-type", multiple=True, help="Section type such as 存在问题 (repeatable).")
@click.option("--measure", multiple=True, help="Policy measure such as 容缺受理 (repeatable).")
def search_command(query: str, index: Path | None, as_json: bool, limit: int, page: int, sort: str,
                   group: bool, **filters: tuple[str, ...]) -> None:
    """Search sections; QUERY may be "" to browse by filters."""
    request = SearchRequest(
        text=query,
        filters={facet: filters[facet] for facet in f.FACETS if filters.get(facet)},
        page=page, page_size=limit, sort=sort, group=group,  # type: ignore[arg-type]
    )
    try:
        result = search(_open(index), request)
    except QueryError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _echo_json(result.to_dict())
        return
    click.echo(f"共 {result.total} 个段落，来自 {result.total_reports} 份报告。分词：{result.analysis['segmented']}")
    for hit in result.hits:
        click.echo(click.style(f"\n{hit.title}", bold=True) + f"  [{hit.agency} · {hit.year or '年份不详'}]")
        click.echo(f"  {hit.section}  ({hit.section_type})  {hit.id}")
        for passage in hit.highlights:
            click.echo(f"    {_plain(passage)}")


@cli.command()
@click.option("--index", type=click.Path(path_type=Path), help="Index folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as /api/docs.")
def docs(index: Path | None, as_json: bool) -> None:
    """List the indexed reports with their metadata and sections."""
    reports = list(_open(index).reports.values())
    if as_json:
        _echo_json(reports)
        return
    for r in reports:
        click.echo(f"{r['doc_id']}  {r['year'] or '----'}  {r['doc_type']:<20} {r['agency']}  《{r['title']}》")


@cli.command()
@click.argument("doc_id")
@click.option("--index", type=click.Path(path_type=Path), help="Index folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as /api/doc/<id>.")
def show(doc_id: str, index: Path | None, as_json: bool) -> None:
    """Print one report, section by section."""
    ix = _open(index)
    if doc_id not in ix.reports:
        raise click.ClickException(f"没有编号为 {doc_id} 的报告。")
    with ix.whoosh.searcher() as searcher:
        sections = document_sections(searcher, doc_id)
    if as_json:
        _echo_json({**ix.reports[doc_id], "sections": sections})
        return
    click.echo(click.style(ix.reports[doc_id]["title"], bold=True))
    for s in sections:
        click.echo(click.style(f"\n{s['path']}  [{s['section_type']}]", fg="blue"))
        click.echo(s["body"])


def main() -> None:
    """Entry point."""
    cli(prog_name="python -m indexer")


if __name__ == "__main__":
    main()

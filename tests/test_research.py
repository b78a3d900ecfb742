"""Figures end to end (index → CLI, API, page), downloads opened as files, the search page's
charts and citations."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from test_facts import SEEDS as SEED_FIGURES

from indexer import SearchRequest
from indexer.cli import cli
from indexer.ingest.facts import extract_figures


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


# ── figures ──

def test_index_stores_the_figures_read_at_build(index, reports):
    stored = {f.doc_id: f for f in index.figures()}
    assert [f.doc_id for f in index.figures()] == [r["doc_id"] for r in index.reports()]
    for key, report in reports.items():
        assert stored[report.doc_id] == extract_figures(report)
        assert {n: f.value for n, f in stored[report.doc_id].figures.items()} == SEED_FIGURES[key]


def test_cli_figures_json(index_dir, reports):
    result = invoke("figures", "--index", str(index_dir), "--json")
    assert result.exit_code == 0, result.output
    data = {d["doc_id"]: d for d in json.loads(result.stdout)}
    for key, report in reports.items():
        item = data[report.doc_id]
        assert list(item) == ["doc_id", "file", "agency", "year", "figures", "checks", "period"]
        assert {n: f["value"] for n, f in item["figures"].items()} == SEED_FIGURES[key]
        assert all(f["sentence"] in report.sections[0].text or any(f["sentence"] in s.text for s in report.sections)
                   for f in item["figures"].values())


def test_api_figures_is_the_cli_json(client, index_dir):
    cli_json = json.loads(invoke("figures", "--index", str(index_dir), "--json").stdout)
    assert client.get("/api/figures").get_json() == cli_json
    assert client.get("/api/figures?x=1").status_code == 400


def test_figures_page_table_checks_and_chart(client):
    page = client.get("/figures").get_data(as_text=True)
    assert page.count('<tr data-doc="') == 3  # the two seeds that state no figure are counted, not listed
    assert "5 份报告中有 <strong>3</strong> 份载明了许可数据" in page and "其余 <strong>2</strong> 份未载明" in page
    assert "1,801,779" in page and "865,310" in page and "16,840" in page
    assert "97.56%" in page  # 受理率 beside the numbers
    assert "比申请量1801779少891" in page  # a failed sum check, said as one sentence
    assert page.count("<svg") == 2 and "<script>" not in page
    assert 'href="?sort=applications&amp;order=asc"' in page


def test_figures_page_sorts_by_any_column(client, index):
    page = client.get("/figures?sort=applications&order=desc").get_data(as_text=True)
    order = re.findall(r'<tr data-doc="([0-9a-f]+)"', page)
    by_value = sorted((f for f in index.figures() if "applications" in f.figures),
                      key=lambda f: -f.figures["applications"].value)
    assert order == [f.doc_id for f in by_value]
    assert 'href="?sort=applications&amp;order=asc"' in page  # the same header now sorts back
    assert client.get("/figures?sort=colour").status_code == 400


# ── downloads ──

def test_export_search_has_every_passage_with_its_citation(client, index):
    request = SearchRequest("监管")
    total = index.matches(request).total
    assert total > 10  # more than one page
    rows = read_csv(client.get("/export/search?q=监管&format=csv").data)
    assert len(rows) == total
    ids = [r["段落编号"] for r in rows]
    assert len(set(ids)) == total
    assert set(ids) == {s.id for r in index.matches(request).reports for s in r.sections}
    for row in rows:
        assert "<mark>" not in row["段落"] and row["段落"]
        assert row["引用"].endswith(f"段落 {row['段落编号']}）") and row["机构"] in row["引用"]
        assert row["链接"].startswith("/doc/") and row["链接"].endswith("#" + row["段落编号"])
        assert row["文件"].endswith(".txt") and row["报告编号"] == row["段落编号"][:16]


def test_export_search_keeps_the_filters(client):
    rows = read_csv(client.get("/export/search?q=监管&agency=花都区&format=csv").data)
    assert rows and all("花都区" in r["机构"] for r in rows)


def test_export_search_xlsx_and_json(client):
    response = client.get("/export/search?measure=容缺受理&format=xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.data))["检索结果"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["机构", "地区", "年度", "标题"] and "引用" in header
    assert ws.max_row == 1 + 4  # 4 passages mention 容缺受理
    years = {ws.cell(row=i, column=3).value for i in range(2, ws.max_row + 1)}
    assert years == {2019, 2022}
    data = json.loads(client.get("/export/search?measure=容缺受理&format=json").data)
    assert len(data["rows"]) == 4 and {"citation", "passage_id", "published", "source_url"} <= set(data["rows"][0])


def test_exports_say_what_they_are(client, index):
    """JSON: an object with the query, filters, export time and index generation beside the rows;
    XLSX: a 说明 sheet with the same; CSV: the plain table."""
    url = "/export/search?q=监管&agency=花都区&year=2019-2023"
    data = json.loads(client.get(url + "&format=json").data)
    assert list(data)[-1] == "rows" and data["query"] == "监管"
    assert data["filters"] == {"agency": ["花都区"], "year": ["2019-2023"]}
    assert data["index"]["generation"] == index.generation and data["index"]["reports"] == 5
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", data["exported_at"])
    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").data))
    assert book.sheetnames == ["检索结果", "说明"]
    notes = {r[0].value: r[1].value for r in book["说明"].iter_rows(min_row=2)}
    assert notes["检索词"] == "监管" and notes["筛选条件"] == "agency=花都区；year=2019-2023"
    assert notes["索引版本（generation）"] == index.generation and notes["行数"] == str(len(data["rows"]))
    assert notes["导出时间"][:10] == data["exported_at"][:10]
    csv_bytes = client.get(url + "&format=csv").data
    assert csv_bytes.decode("utf-8-sig").splitlines()[0].startswith("机构,地区,年度,标题")
    assert "generation" not in csv_bytes.decode("utf-8-sig") and len(read_csv(csv_bytes)) == len(data["rows"])


def test_a_not_mentioned_row_names_the_report_read(client, index):
    """未提及 means a report was read and found silent: the row says which (file, doc_id, title)."""
    rows = json.loads(client.get("/export/compare?measure=双随机一公开&format=json").data)["rows"]
    silent = [r for r in rows if r["status"] == "未提及"]
    assert silent
    for row in silent:
        report = index.report(row["doc_id"])
        assert report is not None and report["file"] == row["file"] and report["title"] == row["title"]
        assert report["agency"] == row["agency"] and report["year"] == row["year"]
        assert row["link"].endswith(f"/doc/{row['doc_id']}")
    assert all(not r["doc_id"] for r in rows if r["status"] == "无报告")


def test_export_compare_one_row_per_cell(client):
    response = client.get("/export/compare?measure=双随机一公开&format=xlsx&sort=mentions&order=desc")
    ws = load_workbook(io.BytesIO(response.data))["同行对比"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 5 * 4
    status = {(r["机构"][:6], r["年度"]): r["情况"] for r in rows}
    assert status[("广州市黄埔区", 2019)] == "未提及" and status[("广州市黄埔区", 2022)] == "无报告"
    assert sum(v == "提及" for v in status.values()) == 4
    mentioned = [r for r in rows if r["情况"] == "提及"]
    assert all(r["引用"] and r["段落编号"] and "<mark>" not in r["最相关段落"] for r in mentioned)
    assert rows[0]["提及段落数"] >= rows[-1]["提及段落数"]
    csv_rows = read_csv(client.get("/export/compare?measure=双随机一公开&format=csv").data)
    assert len(csv_rows) == 20


def test_export_figures_in_the_page_order(client):
    rows = read_csv(client.get("/export/figures?sort=accepted&order=desc&format=csv").data)
    assert [r["受理量"] for r in rows] == ["1795742", "865310", "16840"]
    book = load_workbook(io.BytesIO(client.get("/export/figures?format=xlsx").data))
    assert book.active.max_row == 4
    notes = {r[0].value: r[1].value for r in book["说明"].iter_rows(min_row=2)}
    assert notes["未载明许可数据的报告数（未列出）"] == "2"


@pytest.mark.parametrize("url", ["/export/search?q=监管&format=pdf", "/export/figures?sort=x", "/export/compare?order=z"])
def test_export_bad_parameters(client, url):
    assert client.get(url).status_code == 400


def test_cli_export_writes_the_same_file(tmp_path, index_dir, client):
    out = tmp_path / "rq.json"
    result = invoke("export", "search", "容缺受理", "--index", str(index_dir), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    cli_rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    web_rows = json.loads(client.get("/export/search?q=容缺受理&format=json").data)["rows"]
    strip = [{k: v for k, v in r.items() if k != "link"} for r in cli_rows]
    assert strip == [{k: v for k, v in r.items() if k != "link"} for r in web_rows]
    xlsx = tmp_path / "m.xlsx"
    assert invoke("export", "compare", "", "--measure", "容缺受理", "--index", str(index_dir), "--format", "xlsx",
                  "-o", str(xlsx)).exit_code == 0
    assert load_workbook(xlsx).active.max_row == 21


# ── pages ──

def test_compare_page_matrix(client):
    page = client.get("/compare?measure=容缺受理").get_data(as_text=True)
    assert "5 家机构中有 2 家的报告提及" in page
    assert page.count('data-status="mentioned"') == 2 and page.count('data-status="not_mentioned"') == 3
    assert page.count('data-status="no_report"') == 15
    assert re.search(r'href="/doc/86886a773e152663\?measure=%E5%AE%B9%E7%BC%BA%E5%8F%97%E7%90%86#86886a773e152663-\d{3}"',
                     page)
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/export/compare?measure=%E5%AE%B9%E7%BC%BA%E5%8F%97%E7%90%86&amp;format={fmt}"' in page


def test_compare_page_sorts_without_script(client):
    page = client.get("/compare?measure=双随机一公开&sort=mentions&order=desc").get_data(as_text=True)
    rows = re.findall(r'<tr data-agency="([^"]+)"', page)
    assert "黄埔" in rows[-1]
    assert "sort=mentions&amp;order=asc" in page  # the header sorts back


def test_compare_page_escapes_the_query(client):
    page = client.get("/compare?q=<b>容缺</b>").get_data(as_text=True)
    assert "<b>容缺</b>" not in page and "&lt;b&gt;容缺&lt;/b&gt;" in page


def test_compare_without_a_question_offers_measures(client):
    page = client.get("/compare").get_data(as_text=True)
    assert "/compare?measure=" in page and "<table" not in page


def test_compare_section_type_side_by_side(client):
    page = client.get("/compare?section_type=存在问题").get_data(as_text=True)
    assert "并排对比：存在问题" in page and page.count('class="agency-column"') == 4
    # the top search box does not carry the matrix's row order into /search
    assert 'name="sort"' not in page.split("</header>")[0]


def test_search_page_charts_citations_and_export_links(client):
    page = client.get("/search?q=容缺受理").get_data(as_text=True)
    charts = page.split('<details class="charts"')[1].split("</details>")[0]
    assert charts.count("<svg") == 2 and ">2019<" in charts and ">2022<" in charts and "花都区" in charts
    assert page.count('class="permalink"') == page.count('class="hit"') > 0
    assert 'href="/doc/86886a773e152663#86886a773e152663-' in page
    citation = re.search(r'<span class="citation">([^<]+)</span>', page).group(1)
    assert "：《" in citation and "段落 " in citation
    assert 'href="/export/search?q=%E5%AE%B9%E7%BC%BA%E5%8F%97%E7%90%86&amp;format=xlsx"' in page
    assert '<script src="/static/app.js" defer></script>' in page and "<script>" not in page
    assert 'class="compare-link" href="/compare?q=%E5%AE%B9%E7%BC%BA%E5%8F%97%E7%90%86"' in page


def test_charts_escape_labels(client):
    from webapp.charts import Group, bar_chart

    svg = str(bar_chart("<t>", [Group("<script>x</script>", (1.0,), "/a?b=<c>")]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;t&gt;" in svg


def test_report_markup_is_text_on_the_research_pages(xss_index_dir):
    from webapp import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(xss_index_dir), "BUILD_IF_MISSING": False}).test_client()
    for url in ("/compare?measure=容缺受理", "/compare?q=双随机一公开", "/search?q=容缺受理", "/figures"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img" not in page, url
    matrix = client.get("/compare?measure=容缺受理").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in matrix  # shown as text in the best passage
    rows = read_csv(client.get("/export/search?q=容缺受理&format=csv").data)
    assert any("<script>alert(1)</script>" in r["段落"] for r in rows)  # the file holds the text as written


def test_compare_conditions_can_be_removed(client):
    page = client.get("/compare?measure=容缺受理&year=2019&sort=mentions").get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="([^"]+)"', page)
    assert "?measure=%E5%AE%B9%E7%BC%BA%E5%8F%97%E7%90%86&amp;sort=mentions" in chips  # the year removed
    assert client.get("/compare" + unescape(chips[-1])).status_code == 200

"""Issue 10, what a new user hit in the web app: one test (or a few) per point."""

import json
import re
import socket
import subprocess
import sys
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from indexer.search.facets import region_nodes
from webapp.params import SEARCH_PARAMS

ROOT = Path(__file__).resolve().parent.parent
HUADU_2022 = "86886a773e152663"  # 花都区 2022 licensing report: 容缺受理 in two sections
GZ_2019 = "40c9f673179076ad"  # 广州市 2019 work plan: 容缺后补 (a variant of 容缺受理), many 监管 sections


def html_of(response) -> str:
    return response.get_data(as_text=True)


def text_of(response) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html_of(response)))


def marks(html: str) -> set[str]:
    return {unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html)}


def section_html(page: str, section_id: str) -> str:
    return re.search(rf'<section id="{section_id}".*?</section>', page, re.S).group(0)


def hrefs(page: str, pattern: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'href="({pattern}[^"]*)"', page)]


def params_of(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query))


# 2. The document view marks what the result list marked and keeps every filter.

@pytest.mark.parametrize(
    "args",
    [{"q": "容缺受理"}, {"measure": "容缺受理"}, {"q": "审批监管"}, {"q": "信用监管制度"},
     {"q": "监管", "agency": "花都区", "sort": "year"}, {"q": "措施:容缺受理 审批"}],
)
def test_document_marks_what_each_hit_marked(client, args):
    data = client.get("/api/search", query_string={**args, "size": 100}).get_json()
    assert data["hits"]
    pages: dict[str, str] = {}
    for hit in data["hits"]:
        page = pages.setdefault(hit["doc_id"], html_of(client.get(f"/doc/{hit['doc_id']}", query_string=args)))
        listed = marks(" ".join(hit["highlights"]))
        assert listed <= marks(section_html(page, hit["id"])), (hit["id"], listed)


def test_measure_browsing_marks_the_variants_in_the_report(client):
    page = html_of(client.get(f"/doc/{GZ_2019}?measure=容缺受理"))
    assert "容缺后补" in marks(page)  # the variant the result list marks too
    assert html_of(client.get(f"/doc/{GZ_2019}")).count("<mark>") == 0


def test_result_links_carry_every_parameter_and_the_report_links_back(client):
    args = [("q", "监管"), ("agency", "广州市"), ("year", "2019"), ("year", "2023"), ("sort", "year"), ("page", "1")]
    results = html_of(client.get("/search", query_string=args))
    doc_links = hrefs(re.sub(r'<a class="permalink"[^>]*>', "", results), "/doc/")  # a permalink is bare
    assert doc_links and all(params_of(link) == sorted(args) for link in doc_links)
    page = html_of(client.get(doc_links[0]))
    back = hrefs(page, "/search")
    assert any(params_of(link) == sorted(args) for link in back)
    assert "返回结果" in page


# 5. A 400 page keeps what was typed.

def test_error_page_keeps_the_query_and_the_filters(client):
    response = client.get("/search", query_string=[("q", '"容缺 受理'), ("agency", "花都区"), ("year", "2022")])
    page = html_of(response)
    assert response.status_code == 400
    assert 'name="q" value="&#34;容缺 受理"' in page
    assert '<input type="hidden" name="agency" value="花都区">' in page
    assert '<input type="hidden" name="year" value="2022">' in page


def test_error_page_does_not_carry_the_unknown_parameter_again(client):
    page = html_of(client.get("/search?q=秒批&colour=red"))
    assert 'value="秒批"' in page and 'name="colour"' not in page


# 6. A page past the end says so and links to the last page.

def test_page_past_the_end_links_to_the_last_page(client):
    last = client.get("/api/search?q=监管&group=1&size=2").get_json()["pages"]
    response = client.get("/search?q=监管&size=2&page=50")
    text = text_of(response)
    assert "超出了结果范围" in text and f"共 {last} 页" in text
    assert "没有找到" not in text and "份报告、" not in text
    assert any(dict(params_of(h)).get("page") == str(last) for h in hrefs(html_of(response), r"\?"))


def test_no_hits_at_all_is_still_no_hits(client):
    text = text_of(client.get("/search?q=秒批&agency=花都区&page=3"))
    assert "没有找到匹配的段落" in text and "超出了结果范围" not in text


# 7. Every matching passage of one report, and hit-to-hit links in the report.

def test_more_link_lists_every_matching_passage_of_the_report(client):
    grouped = client.get("/api/search?q=监管&year=2019&group=1").get_json()["groups"]
    group = next(g for g in grouped if g["total"] > len(g["hits"]))
    results = html_of(client.get("/search?q=监管&year=2019"))
    more = next(h for h in hrefs(results, "/search") if "doc=" in h)
    assert dict(params_of(more)) == {"q": "监管", "year": "2019", "doc": group["doc_id"]}
    listing = client.get(more)
    page = html_of(listing)
    assert page.count('class="hit"') == group["total"]
    assert "本报告还有" not in page
    assert f"报告：{group['title']}" in text_of(listing)  # the chip, with a link that drops it
    assert any(dict(params_of(h)) == {"q": "监管", "year": "2019"} for h in hrefs(page, r"\?"))


@pytest.mark.parametrize("value", ["xyz", "86886A773E152663", "86886a773e15266", "../../etc/passwd"])
def test_doc_parameter_must_be_a_report_id(client, value):
    for url in ("/search", "/api/search"):
        response = client.get(url, query_string={"q": "监管", "doc": value})
        assert response.status_code == 400 and "doc" in text_of(response)


def test_report_outline_flags_matching_sections_with_hit_links(client):
    args = {"q": "监管", "year": "2019"}
    matching = [h["id"] for h in client.get("/api/search", query_string={**args, "doc": GZ_2019, "size": 100})
                .get_json()["hits"]]
    page = html_of(client.get(f"/doc/{GZ_2019}", query_string=args))
    flagged = re.findall(r'<li class="level-\d matched"><a href="#([^"]+)"', page)
    in_order = re.findall(r'<section id="([^"]+)"', page)
    assert sorted(flagged) == sorted(matching) and len(matching) > 3
    assert flagged == [s for s in in_order if s in matching]  # document order
    for i, section_id in enumerate(flagged):
        nav = section_html(page, section_id)
        assert (f'href="#{flagged[i - 1]}"' in nav) == (i > 0)
        assert (i + 1 == len(flagged)) or f'href="#{flagged[i + 1]}"' in nav
    assert f'class="first-hit" href="#{flagged[0]}"' in page


# 8. Chinese 404 page; JSON errors under every /api path.

def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "没有这个页面" in text_of(response)
    assert "requested URL" not in text_of(response)


@pytest.mark.parametrize(("url", "status"), [("/api/xyz", 404), ("/api/", 404), ("/api/search/more", 404),
                                             ("/api?format=xml", 400), ("/api?colour=red", 400)])
def test_every_api_error_is_json(client, url, status):
    response = client.get(url)
    assert response.status_code == status and response.is_json
    assert response.get_json()["error"]["message"]


def test_wrong_method_under_api_is_json(client):
    response = client.post("/api/search?q=秒批")
    assert response.status_code == 405 and response.get_json()["error"]["status"] == 405


# 9. A busy port: one line suggesting --port, exit non-zero.

def test_busy_port_prints_one_line_and_exits(index_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "webapp", "--port", str(port), "--index", str(index_dir)],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and str(port) in lines[0] and "--port" in lines[0], lines
    assert "Traceback" not in run.stderr and "已启动" not in run.stdout


# 10. Counts labelled alike; size or limit; unknown parameters are a 400.

@pytest.mark.parametrize("url", ["/", "/search?q=监管", f"/search?q=监管&doc={GZ_2019}", "/search?measure=秒批"])
def test_every_count_says_what_it_counts(client, url):
    counts = [unescape(c).strip() for c in re.findall(r'<span class="count"[^>]*>(.*?)</span>', html_of(client.get(url)))]
    assert counts and all(re.fullmatch(r"\d+ (段|份)( · \d+ 段)?", c) for c in counts), counts


def test_facet_counts_say_reports_or_passages_as_they_count(client):
    data = client.get("/api/search?q=监管").get_json()
    page = html_of(client.get("/search?q=监管"))
    differ = 0
    for facet, values in data["facets"].items():
        block = re.search(rf'<section class="facet" data-facet="{facet}">.*?</section>', page, re.S).group(0)
        by_reports = facet in ("agency", "region", "year", "doc_type")
        for value in values:
            shown = f'{value["reports"]} 份' if by_reports else f'{value["passages"]} 段'
            differ += value["reports"] != value["passages"]
            label = re.escape(str(value["value"])) if facet != "doc_type" else ".*?"
            if facet == "region" and value["level"]:  # shown by its own name under its parent
                label = re.escape(str(value["value"])[len(region_nodes(value["value"])[-2]):])
            assert re.search(rf'<span class="value">{label}</span><span class="count"[^>]*>{shown}<', block), (facet, value)
    assert differ  # on this search reports and passages are not the same numbers: the unit matters


def test_size_and_limit_are_the_same_parameter(client):
    by_size = client.get("/api/search?q=监管&size=3").get_json()
    by_limit = client.get("/api/search?q=监管&limit=3").get_json()
    assert by_size == by_limit and by_size["page_size"] == 3 and len(by_size["hits"]) == 3
    assert client.get("/api/search?q=监管&size=3&limit=3").status_code == 200
    assert client.get("/api/search?q=监管&size=3&limit=4").status_code == 400


@pytest.mark.parametrize("url", ["/search?q=监管&agncy=花都区", "/api/search?q=监管&agncy=花都区",
                                 f"/doc/{HUADU_2022}?agncy=花都区", "/api/docs?agncy=花都区"])
def test_unknown_parameter_is_a_400_naming_it(client, url):
    response = client.get(url)
    message = response.get_json()["error"]["message"] if response.is_json else text_of(response)
    assert response.status_code == 400 and "agncy" in message
    if "search" in url:
        assert all(name in message for name in SEARCH_PARAMS)


# 11. /api documents every route and parameter, with examples that work.

def test_api_page_documents_every_route_and_parameter(app, client):
    response = client.get("/api")
    page, text = html_of(response), text_of(response)
    assert response.status_code == 200 and response.content_type.startswith("text/html") and "接口说明" in text
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint not in ("static", "favicon")}
    documented = {r["path"] for r in client.get("/api?format=json").get_json()["routes"]}
    assert rules == documented
    for rule in rules:
        assert f"GET {rule}" in text
    for name in SEARCH_PARAMS:
        assert f"<td><code>{name}</code></td>" in page


def test_api_examples_answer(client):
    for route in client.get("/api?format=json").get_json()["routes"]:
        response = client.get(route["example"])
        assert response.status_code == 200, route["example"]


def test_footer_links_the_api_page(client):
    assert 'href="/api"' in html_of(client.get("/"))


# 12. Phone width (layout checked in the browser tests): what the markup must offer.

def test_results_link_to_the_filters_from_the_top(client):
    page = html_of(client.get("/search?q=监管"))
    assert page.index('href="#filters"') < page.index('class="report"') < page.index('id="filters"')


def test_report_outline_is_collapsible_and_after_the_title(client):
    page = html_of(client.get(f"/doc/{GZ_2019}"))
    assert page.index("<h1>") < page.index('<details class="outline">') < page.index('<section id=')


# 15. A favicon.

def test_favicon_is_linked_and_served(client):
    page = html_of(client.get("/"))
    icon = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', page).group(1)
    for url in (icon, "/favicon.ico"):
        with client.get(url) as response:
            assert response.status_code == 200 and response.data.startswith(b"<svg")


# 16. The command line: a mistake is one line starting 错误：, never a traceback nor a file written.

@pytest.mark.parametrize(("args", "says"), [
    (["export", "compare", "--measure", "容缺受理", "--sort", "applications"], "agency、region、mentions"),
    (["export", "figures", "--sort", "zzz"], "applications"),
    (["export", "search", "监管", "--sort", "year"], "compare 和 figures"),
    (["search", "监管", "--sort", "xx"], "python -m indexer search --help"),
    (["search", '"监管'], "引号不成对"),
    (["search", "监管", "--doc", "nope"], "python -m indexer docs"),  # was 0 results, as if the report said nothing
    (["search", "监管", "--doc", "ffffffffffffffff"], "没有编号为 ffffffffffffffff 的报告"),
])
def test_cli_mistake_is_one_line(index_dir, tmp_path, monkeypatch, capsys, args, says):
    from indexer.cli import main

    out = tmp_path / "out.csv"
    argv = [*args, "--index", str(index_dir)] + (["-o", str(out)] if args[0] == "export" else [])
    monkeypatch.setattr(sys, "argv", ["python -m indexer", *argv])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code != 0 and not out.exists()
    assert len(err.strip().splitlines()) == 1 and err.startswith("错误：") and says in err, err


@pytest.mark.parametrize(("target", "says"), [("missing/out.csv", "所在文件夹不存在"), (".", "这是一个文件夹")])
def test_cli_export_to_a_place_it_cannot_write(index_dir, tmp_path, monkeypatch, capsys, target, says):
    from indexer.cli import main

    monkeypatch.setattr(sys, "argv", ["python -m indexer", "export", "figures", "--index", str(index_dir),
                                      "-o", str(tmp_path / target)])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and len(err.strip().splitlines()) == 1 and says in err, err


def _cli(*args):
    from click.testing import CliRunner

    from indexer.cli import cli

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_compare_cells_say_what_the_number_counts(index_dir):
    text = _cli("compare", "容缺受理", "--index", str(index_dir))
    matrix = json.loads(_cli("compare", "容缺受理", "--index", str(index_dir), "--json"))
    cells = re.findall(r"(\d{4}|未注明):(\S+)", text)
    assert len(cells) == len(matrix["cells"])
    assert all(re.fullmatch(r"提及\d+段|未提及|无报告", c) for _, c in cells), cells
    mentioned = sorted(f"{c['year']}:提及{c['count']}段" for c in matrix["cells"] if c["status"] == "mentioned")
    assert mentioned and sorted(f"{y}:{c}" for y, c in cells if c.startswith("提及")) == mentioned


def test_cli_docs_name_the_document_type_in_chinese(index_dir):
    from indexer.models import DOC_TYPE_LABELS

    lines = _cli("docs", "--index", str(index_dir)).splitlines()
    reports = json.loads(_cli("docs", "--index", str(index_dir), "--json"))
    assert len(lines) == len(reports)
    for line, report in zip(lines, reports, strict=True):
        assert f"  {DOC_TYPE_LABELS[report['doc_type']]}  " in line and report["doc_type"] not in line


def test_cli_figures_print_numbers_as_the_page_does(client, index_dir):
    text = _cli("figures", "--index", str(index_dir))
    page = html_of(client.get("/figures"))
    big = re.findall(r'data-name="applications" title="[^"]*">([\d,]+)<', page)
    assert big and all(f"申请量：{number}" in text for number in big)
    assert "未载明许可数据" in text and "未载明许可数据" in page


# 17. A download is named after the search that made it: two downloads are told apart.

def _download_name(response) -> str:
    from urllib.parse import unquote

    return unquote(re.search(r"filename\*=UTF-8''([^;]+)", response.headers["Content-Disposition"]).group(1))


@pytest.mark.parametrize(("url", "name"), [
    ("/export/compare?measure=容缺受理&format=csv", "同行对比_容缺受理.csv"),
    ("/export/compare?measure=秒批&format=csv", "同行对比_秒批.csv"),
    ("/export/search?q=监管&year=2022&format=xlsx", "检索结果_监管_2022.xlsx"),
    ('/export/search?q="双随机、一公开" OR 秒批&agency=花都区&format=json', "检索结果_双随机、一公开_OR_秒批_花都区.json"),
    ("/export/figures?sort=applications&order=desc&format=csv", "许可数据.csv"),
])
def test_download_is_named_after_its_search(client, url, name):
    response = client.get(url)
    assert response.status_code == 200 and _download_name(response) == name


# 18. /api: a table of contents, and how to send Chinese from a terminal.

def test_api_page_lists_its_routes_first_and_says_how_to_curl(client):
    page = html_of(client.get("/api"))
    routes = client.get("/api?format=json").get_json()["routes"]
    toc = re.search(r'<nav class="api-toc".*?</nav>', page, re.S).group(0)
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) == len(routes) == len(set(anchors))
    for anchor in anchors:
        assert f'<section class="api-route" id="{anchor}">' in page
    assert page.index("api-toc") < page.index('class="api-route"')
    assert re.search(r"curl -G http://localhost/api/search --data-urlencode \"q=\S+\"", page)


# 19. Started where the reports are not (another folder, an installed copy): say how to point at them.

def test_start_without_the_reports_says_how_to_point_at_them(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free again once closed
    run = subprocess.run([sys.executable, "-m", "webapp", "--source", str(tmp_path / "reports"),
                          "--index", str(tmp_path / "index"), "--port", str(port)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    problem = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(problem) == 1 and str(tmp_path / "reports") in problem[0], problem
    assert "--source" in problem[0] and "ZCJS_SOURCE_DIR" in problem[0]


# 20. A 400 caused by a filter: the error page offers to drop each filter (its form would carry it again).

@pytest.mark.parametrize("path", ["/search", "/compare"])
def test_error_page_offers_to_drop_the_filter_that_failed(client, path):
    args = [("q", "监管"), ("agency", "没有这个机构"), ("year", "2022")]
    response = client.get(path, query_string=args)
    page = html_of(response)
    assert response.status_code == 400 and "没有这个机构" in text_of(response)
    links = {unescape(label).strip(): unescape(href) for href, label in
             re.findall(r'<a class="chip" href="([^"]+)"[^>]*>(.*?) <span', page)}
    assert set(links) == {"机构：没有这个机构", "年份：2022"}
    fixed = client.get(path + links["机构：没有这个机构"])
    assert fixed.status_code == 200 and params_of(links["机构：没有这个机构"]) == [("q", "监管"), ("year", "2022")]


@pytest.mark.parametrize("threads", ["0", "-1", "many"])
def test_zero_threads_is_refused_not_a_server_that_never_answers(tmp_path, threads):
    run = subprocess.run([sys.executable, "-m", "webapp", "--threads", threads, "--index", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "线程数必须是 1 到" in run.stderr and "已启动" not in run.stdout
    assert not any(tmp_path.iterdir())  # nothing built either

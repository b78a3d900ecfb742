"""HTML pages through Flask's test client."""

import re
import time
from html import unescape

import pytest

from webapp import create_app


def text_of(response):
    return unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def test_home_lists_measures_with_counts_and_corpus(client):
    page = client.get("/").get_data(as_text=True)
    assert 'data-measure="容缺受理"' in page and "/search?measure=" in page
    assert "广州市公安局海珠区分局" in page and "法治政府建设报告" in page


def test_search_groups_by_report_with_marked_passages(client):
    response = client.get("/search?q=容缺受理")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    saying, _, near = page.partition('id="related"')
    assert saying.count('class="report"') == 2  # the reports that say it; near ones after the divider
    assert "<mark>容缺受理</mark>" in page
    assert "#86886a773e152663-006" in page  # hit links land on their section
    assert "分词" in text_of(response)


def test_facets_chips_and_clear_all(client):
    page = client.get("/search?q=监管&agency=花都区").get_data(as_text=True)
    assert 'class="chip"' in page and "清除全部" in page
    assert page.count('class="report"') == 1


def test_no_results_offers_to_drop_filters(client):
    text = text_of(client.get("/search?q=秒批&agency=花都区"))
    assert "没有找到匹配的段落" in text and "去掉“机构：花都区”" in text


def test_paging(client):
    first = client.get("/search?q=监管&size=2").get_data(as_text=True)
    assert 'rel="next"' in first
    second = client.get("/search?q=监管&size=2&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second


@pytest.mark.parametrize(
    ("url", "status", "sentence"),
    [
        ("/search?q=%22abc", 400, "引号不成对"),
        ("/search?page=-1", 400, "page"),
        ("/search?year=abc", 400, "年份"),
        ("/search?doc_type=memo", 400, "文件类型"),
        ("/search?measure=不存在", 400, "政策措施"),
        ("/doc/0123456789abcdef", 404, "没有编号"),
        ("/doc/..%2F..%2Fetc%2Fpasswd", 404, ""),
        ("/nope", 404, ""),
    ],
)
def test_errors_are_pages_with_a_sentence(client, url, status, sentence):
    response = client.get(url)
    assert response.status_code == status
    assert sentence in text_of(response)
    assert "Traceback" not in response.get_data(as_text=True)


def test_document_view_has_outline_anchors_metadata_and_marks(client):
    page = client.get("/doc/1ee3e54743e6ca4f?q=全面贯彻").get_data(as_text=True)
    assert 'id="1ee3e54743e6ca4f-008"' in page and 'href="#1ee3e54743e6ca4f-008"' in page
    assert "<mark>全麵貫徹</mark>" in page
    assert "广东省广州市黄埔区" in page and "法治政府建设报告" in page


def test_content_security_policy(client):
    assert "default-src 'none'" in client.get("/").headers["Content-Security-Policy"]


@pytest.fixture
def hostile_client(xss_index_dir):
    return create_app({"TESTING": True, "INDEX_DIR": str(xss_index_dir), "BUILD_IF_MISSING": False}).test_client()


def test_report_markup_is_shown_not_run(hostile_client):
    results = hostile_client.get("/search?q=容缺受理").get_data(as_text=True)
    assert "<script>alert(1)" not in results and "&lt;script&gt;alert(1)&lt;/script&gt;" in results
    assert "<img" not in results
    doc_id = re.search(r'/doc/([0-9a-f]{16})\?q=[^"]*"[^>]*>某某市', results).group(1)
    page = hostile_client.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<strong>" not in page and "<code>" not in page  # Markdown syntax in a report stays text
    assert "**加粗**" in text_of(hostile_client.get(f"/doc/{doc_id}"))


def test_app_builds_a_missing_index_on_first_start(tmp_path):
    from conftest import SEEDS

    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index"), "SOURCE_DIR": str(SEEDS["003"])})
    result = app.test_client().get("/api/search?q=双随机").get_json()
    assert result["total_reports"] == 1 and result["hits"][0]["file"] == SEEDS["003"].name


def test_app_serves_a_rebuilt_index_without_restart(tmp_path):
    from conftest import SEEDS

    from indexer import build_index

    index_dir = tmp_path / "index"
    build_index([SEEDS["003"]], index_dir)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "BUILD_IF_MISSING": False}).test_client()
    assert client.get("/api/search?q=秒批").get_json()["total"] == 0
    build_index([SEEDS["003"], SEEDS["004"]], index_dir)  # a rebuild while the app runs
    deadline = time.monotonic() + 30  # the watcher opens, warms and swaps it in the background
    while client.get("/api/search?q=秒批").get_json()["total"] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get("/api/search?q=秒批").get_json()["total"] > 0


def _chart_labels(page: str) -> list[str]:
    """The visible label of each bar group of the page's charts (without the hover title)."""
    return [unescape(re.sub(r"<title>.*?</title>", "", t))
            for t in re.findall(r'<text class="label"[^>]*>(.*?)</text>', page)]


def test_figures_chart_labels_keep_the_year_of_a_long_agency_name(client):
    page = client.get("/figures").get_data(as_text=True)
    reports = {r["doc_id"]: r for r in client.get("/api/docs").get_json()}
    stated = [f for f in client.get("/api/figures").get_json() if f["figures"]]
    labels = _chart_labels(page)
    assert labels
    for f in stated:
        year = str(reports[f["doc_id"]]["year"])
        shown = [label for label in labels if label.endswith(" " + year) and label[:4] == f["agency"][:4]]
        assert shown, (f["agency"], labels)
    assert any("…" in label for label in labels)  # the 花都区 office's name is too long for the chart


def test_figures_chart_rates_read_as_the_table_does(client):
    page = client.get("/figures").get_data(as_text=True)
    table = set(re.findall(r'<td class="num">(\d+\.\d\d%)</td>', page))
    chart = set(re.findall(r'<text class="value"[^>]*>(\d+\.\d+%)</text>', page))
    assert chart and chart <= table  # 865,310 of 865,359 accepted is 99.99%, never a rounded 100.0%


def test_chart_label_shortened_keeps_its_last_word():
    from indexer.research.export import display_width
    from webapp.charts import shorten

    long_name = "某某市某某区推进政府职能转变协调小组办公室"
    short = shorten(f"{long_name} 2022", 24)
    assert short.startswith("某某市") and short.endswith("… 2022") and display_width(short) <= 24
    assert shorten(long_name, 24).endswith("…") and display_width(shorten(long_name, 24)) <= 24
    assert shorten(f"某某市 {long_name}", 24).endswith("…")  # a long last word is not kept whole
    assert shorten("短名 2022", 24) == "短名 2022"


def test_region_facet_reads_as_a_hierarchy(client):
    page = client.get("/search?q=监管").get_data(as_text=True)
    facet = page[page.index('data-facet="region"'):]
    facet = facet[:facet.index("</section>")]
    assert 'class="level-0"' in facet and 'class="level-2"' in facet
    assert 'title="广东省广州市海珠区"' in facet and ">海珠区</span>" in facet

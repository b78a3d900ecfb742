"""The researcher pages in a real browser: matrix, figures, downloads, copy citation."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", [False], indirect=True)  # works without JavaScript
def test_matrix_cells_sorting_and_passage_link(page, live_url):
    page.goto(live_url + "/compare")
    page.select_option("select[name=measure]", "双随机一公开")
    page.click(".compare-form button")
    page.wait_for_url(re.compile(r"/compare\?"))
    assert "5 家机构中有 4 家的报告提及" in page.locator(".matrix-summary").inner_text()
    huangpu = page.locator("tr", has_text="黄埔区")
    assert huangpu.locator('td[data-year="2019"]').inner_text().startswith("未提及")
    assert huangpu.locator('td[data-year="2022"]').inner_text() == "无报告"
    page.locator("th a", has_text="提及").click()  # ascending by mentions
    page.wait_for_url(re.compile(r"sort=mentions"))
    page.locator("th a", has_text="提及").click()  # again: descending
    page.wait_for_url(re.compile(r"order=desc"))
    agencies = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.agency)")
    assert "黄埔" in agencies[-1]
    cell = page.locator('td[data-status="mentioned"]').first
    assert cell.locator(".passage mark").count() >= 1
    cell.locator("a.section-link").click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}\?.*#[0-9a-f]{16}-\d{3}$"))
    anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"section[id='{anchor}']").locator("mark").count() >= 1


def test_matrix_screenshot_is_readable(page, live_url, screenshot_dir):
    page.goto(live_url + "/compare?measure=容缺受理")
    table = page.locator("table.matrix")
    assert table.is_visible() and page.locator(".status.no_report").first.is_visible()
    page.screenshot(path=str(screenshot_dir / "compare.png"), full_page=True)


@pytest.mark.parametrize("page", [False], indirect=True)
def test_figures_table_sorts_by_a_header_and_charts_show(page, live_url):
    page.goto(live_url + "/figures")
    assert page.locator("svg.chart").count() == 2 and page.locator("svg.chart rect").count() > 6
    page.locator("th a[data-sort=applications]").click()
    page.wait_for_url(re.compile(r"sort=applications&order=asc"))
    page.locator("th a[data-sort=applications]").click()
    page.wait_for_url(re.compile(r"order=desc"))
    first = page.locator("tbody tr").first
    assert first.locator('td[data-name="applications"]').inner_text() == "1,801,779"
    assert "审批同意量为1792547件" in first.locator('td[data-name="approved"]').get_attribute("title")


@pytest.mark.parametrize("where", ["/search?q=容缺受理", "/compare?measure=容缺受理", "/figures"])
def test_export_links_download_files(page, live_url, where):
    page.goto(live_url + where)
    with page.expect_download() as info:
        page.locator(".export-links a[data-format=csv]").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and len(data.decode("utf-8-sig").splitlines()) > 1
    assert info.value.suggested_filename.endswith(".csv")
    with page.expect_download() as info:
        page.locator(".export-links a[data-format=xlsx]").click()
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"  # a zip: the XLSX


def test_copy_citation_with_script(browser, live_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_url + "/search?q=容缺受理")
    button = page.locator(".copy-citation").first
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.querySelector('.copy-citation').dataset.copied === '1'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator(".citation").first.inner_text().strip() and "段落 " in copied
    context.close()


@pytest.mark.parametrize("page", [False], indirect=True)
def test_citation_is_text_without_script(page, live_url):
    page.goto(live_url + "/search?q=容缺受理")
    assert page.locator(".citation").first.is_visible() and not page.locator(".copy-citation").first.is_visible()
    href = page.locator("a.permalink").first.get_attribute("href")
    assert href.startswith("/doc/")  # relative: never from the Host header
    page.goto(live_url + href)
    assert page.locator(f"section[id='{href.rsplit('#', 1)[1]}']").is_visible()

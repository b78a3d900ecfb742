"""Issue 10 in a real Chromium: a new user's paths through results and reports."""

import re

import pytest

pytestmark = pytest.mark.browser


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("page", [False], indirect=True)
def test_measure_browse_to_report_marks_variants_and_goes_back(page, live_url, screenshot_dir):
    page.goto(live_url + "/")
    page.locator('a[data-measure="容缺受理"]').click()
    page.wait_for_url(re.compile(r"/search\?measure="))
    results_url = page.url
    listed = set(page.locator(".passage mark").all_inner_texts())
    assert "容缺后补" in listed  # a variant, marked in the list
    page.locator(".hit .section a", has_text="创新便民利企").first.click()
    page.wait_for_url(re.compile(r"/doc/.*#"))
    target = page.locator(f'section[id="{page.url.split("#")[1]}"]')
    assert in_viewport(page, target)
    assert listed & set(target.locator("mark").all_inner_texts()) == {"容缺后补"}
    page.screenshot(path=str(screenshot_dir / "doc-measure.png"))
    page.locator("a.back").click()
    page.wait_for_url(results_url)
    assert page.locator(".chip", has_text="容缺受理").count() == 1


@pytest.mark.parametrize("page", [False], indirect=True)
def test_bad_query_page_keeps_the_text_to_fix(page, live_url):
    page.goto(live_url + "/search?q=监管&agency=花都区")
    page.fill("input[name=q]", '"监管')
    page.press("input[name=q]", "Enter")
    assert "引号不成对" in page.locator(".error").inner_text()
    assert page.input_value("input[name=q]") == '"监管'
    page.fill("input[name=q]", '"监管"')
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.report")
    assert page.locator(".chip", has_text="花都区").count() == 1  # the filter rode along
    assert page.locator(".report .agency").first.inner_text().endswith("办公室")


def test_every_passage_of_one_report_then_hit_to_hit(page, live_url, screenshot_dir):
    page.goto(live_url + "/search?q=监管&year=2019")
    more = page.locator(".more a").first
    extra = int(re.search(r"还有 (\d+) 个", more.inner_text()).group(1))
    more.click()
    page.wait_for_url(re.compile(r"doc=[0-9a-f]{16}"))
    hits = page.locator(".hit").count()
    assert hits == extra + 3 and page.locator("article.report").count() == 1
    assert page.locator(".chip", has_text="报告：").count() == 1
    page.locator(".report h2 a").click()
    page.wait_for_url(re.compile(r"/doc/"))
    flagged = page.locator(".outline li.matched")
    assert flagged.count() == hits
    page.locator("a.first-hit").click()
    first = page.url.split("#")[1]
    page.locator(f'section[id="{first}"] a.next-hit').click()
    second = page.url.split("#")[1]
    assert second != first and in_viewport(page, page.locator(f'section[id="{second}"]'))
    assert page.locator(f'section[id="{second}"] .hit-nav').inner_text().startswith("第 2 / ")
    page.locator(f'section[id="{second}"] a.prev-hit').click()
    assert page.url.endswith("#" + first)
    page.screenshot(path=str(screenshot_dir / "doc-hits.png"))


def test_phone_reaches_the_filters_from_the_top(phone, live_url, screenshot_dir):
    phone.goto(live_url + "/search?q=监管")
    link = phone.locator(".to-filters a")
    assert link.is_visible() and in_viewport(phone, link)
    assert not in_viewport(phone, phone.locator(".facets"))
    link.click()
    assert in_viewport(phone, phone.locator(".facets h3").first)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshot_dir / "phone-filters.png"))


def test_filters_link_is_only_for_phones(page, live_url):
    page.goto(live_url + "/search?q=监管")
    assert not page.locator(".to-filters a").is_visible()


def test_phone_report_title_first_outline_collapsed(phone, live_url, screenshot_dir):
    phone.goto(live_url + "/search?q=监管&year=2019")
    phone.locator(".report h2 a").first.click()
    phone.wait_for_url(re.compile(r"/doc/"))
    title = phone.locator(".document h1").bounding_box()
    outline = phone.locator("details.outline")
    assert title["y"] < outline.bounding_box()["y"] < phone.viewport_size["height"]
    assert outline.bounding_box()["height"] < 80 and not outline.locator("li a").first.is_visible()
    outline.locator("summary").click()
    assert outline.locator("li a").first.is_visible()
    outline.locator("li.matched a").first.click()
    assert in_viewport(phone, phone.locator(f'section[id="{phone.url.split("#")[1]}"]'))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshot_dir / "phone-doc.png"))


def test_desktop_outline_is_open_beside_the_report(page, live_url):
    page.goto(live_url + "/search?q=监管")
    page.locator(".report h2 a").first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    outline = page.locator("details.outline")
    assert outline.locator("li a").first.is_visible()
    assert outline.bounding_box()["x"] + outline.bounding_box()["width"] <= page.locator(".doc-body").bounding_box()["x"]


@pytest.mark.parametrize("url", ["/compare?measure=容缺受理", "/figures"])
def test_phone_wide_table_scrolls_under_the_agency_column(phone, live_url, screenshot_dir, url):
    phone.goto(live_url + url)
    wrap = phone.locator(".matrix-wrap")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider than a phone
    phone.evaluate("window.scrollTo(0, document.querySelector('.matrix-wrap').offsetTop)")
    wrap.evaluate("e => e.scrollLeft = e.scrollWidth")
    left = wrap.bounding_box()["x"]
    seen = 0
    for th in phone.locator("tbody th").all():
        box = th.bounding_box()
        assert abs(box["x"] - left) <= 1  # still at the left edge, the agency readable
        if 0 <= box["y"] < phone.viewport_size["height"] - 20:
            point = (box["x"] + 10, box["y"] + 10)
            assert th.evaluate("(e, p) => e.contains(document.elementFromPoint(p[0], p[1]))", point)
            seen += 1
    assert seen >= 2
    phone.screenshot(path=str(screenshot_dir / f"phone-scrolled-{url.strip('/').split('?')[0]}.png"))


def test_phone_figures_charts_are_not_shrunk_unreadable(phone, live_url):
    phone.goto(live_url + "/figures")
    charts = phone.locator("svg.chart")
    assert charts.count() == 2
    for chart in charts.all():
        drawn, own = chart.evaluate("e => [e.getBoundingClientRect().width, e.width.baseVal.value]")
        assert drawn == pytest.approx(own, abs=1)  # its 11–13px text stays 11–13px
        assert chart.evaluate("e => e.parentElement.scrollWidth <= e.parentElement.clientWidth")  # and whole
        for label in chart.locator("text.label").all():  # each agency's name is above its bars, in view
            box = label.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_matrix_download_is_named_after_the_measure(page, live_url):
    page.goto(live_url + "/compare?measure=容缺受理")
    with page.expect_download() as info:
        page.locator(".export-links a", has_text="CSV").click()
    assert info.value.suggested_filename == "同行对比_容缺受理.csv"


def test_api_page_curl_advice_holds_on_the_real_server(live_url):
    """waitress refuses a request line with raw UTF-8 (400 Bad URI); percent-encoded it answers."""
    import socket
    from urllib.parse import quote, urlsplit
    from urllib.request import urlopen

    host, port = urlsplit(live_url).hostname, urlsplit(live_url).port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall("GET /api/search?q=容缺受理 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        status_line = conn.recv(200).split(b"\r\n")[0]
    assert b" 400 " in status_line
    with urlopen(f"{live_url}/api/search?q={quote('容缺受理')}") as response:  # what --data-urlencode sends
        assert response.status == 200


def test_phone_search_shows_passages_first_and_charts_on_demand(phone, live_url, screenshot_dir):
    phone.goto(live_url + "/search?q=监管")
    charts = phone.locator("details.charts")
    assert charts.get_attribute("open") is None and not phone.locator("svg.chart").first.is_visible()
    assert in_viewport(phone, phone.locator(".report .passage").first)
    charts.locator("summary").click()
    assert phone.locator("svg.chart").first.is_visible()
    phone.screenshot(path=str(screenshot_dir / "phone-search.png"))


def test_desktop_search_shows_its_charts_open(page, live_url):
    page.goto(live_url + "/search?q=监管")
    assert page.locator("details.charts").get_attribute("open") is not None
    assert page.locator("svg.chart").first.is_visible()


def test_desktop_figures_table_shows_its_checks_without_scrolling(page, live_url):
    page.goto(live_url + "/figures")
    wrap = page.locator(".matrix-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # 核对 was cut off at 1280 px
    right = wrap.bounding_box()["x"] + wrap.bounding_box()["width"]
    for cell in page.locator("td.checks").all():
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= right + 1
    header = page.locator('thead a[data-sort="items"]').bounding_box()
    assert header["height"] < 3 * 30  # a header wraps onto two lines, not one character a line


def test_phone_reads_the_sentence_behind_a_figure_without_hover(phone, live_url):
    """A title attribute needs a mouse: on a phone the sentences open under 原句."""
    figures = {f["doc_id"]: f for f in phone.request.get(live_url + "/api/figures").json()}
    phone.goto(live_url + "/figures")
    row = phone.locator("tbody tr", has=phone.locator("td.checks details")).first
    stated = figures[row.get_attribute("data-doc")]["figures"]
    sentence = row.locator('.sources li[data-name="applications"]')
    assert not sentence.is_visible()
    row.locator(".sources summary").click()
    assert sentence.is_visible() and stated["applications"]["sentence"] in sentence.inner_text()
    assert row.locator(".sources li").count() == len(stated)


def test_phone_home_lists_measures_two_a_row(phone, live_url):
    phone.goto(live_url + "/")
    entries = phone.locator(".measures a").all()
    boxes = [e.bounding_box() for e in entries]
    assert len({round(b["x"]) for b in boxes}) == 2 and len({round(b["height"]) for b in boxes}) == 1
    for entry, box in zip(entries, boxes, strict=True):
        count = entry.locator(".count").bounding_box()
        assert box["x"] <= count["x"] and count["x"] + count["width"] <= box["x"] + box["width"]
        assert re.fullmatch(r"\d+ 份 · \d+ 段", entry.locator(".count").inner_text())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

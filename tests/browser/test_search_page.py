"""What a researcher does in a real browser."""

import re

import pytest

pytestmark = pytest.mark.browser


def search_from_home(page, live_url, text):
    page.goto(live_url + "/")
    page.fill("input[name=q]", text)
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))


def test_search_shows_marked_passages(page, live_url, screenshot_dir):
    search_from_home(page, live_url, "容缺受理")
    marks = page.locator(".passage mark")
    assert marks.count() >= 3
    assert set(marks.all_inner_texts()) >= {"容缺受理"}
    near = page.locator("#related ~ article.report").count()  # listed after the divider, not counted
    assert page.locator("article.report").count() - near == 2
    assert near == 0 or page.locator(".related-link").count() == 1
    page.screenshot(path=str(screenshot_dir / "search.png"), full_page=True)


def test_agency_facet_narrows_and_chip_removes_it(page, live_url):
    search_from_home(page, live_url, "监管")
    before = page.locator("article.report").count()
    page.locator('.facet[data-facet="agency"] a', has_text="广州市公安局海珠区分局").click()
    page.wait_for_url(re.compile(r"agency="))
    assert page.locator("article.report").count() == 1 < before
    chip = page.locator(".chip")
    assert chip.count() == 1 and "广州市公安局海珠区分局" in chip.inner_text()
    assert page.locator(".report .agency").inner_text() == "广州市公安局海珠区分局"
    chip.click()
    page.wait_for_url(lambda url: "agency=" not in url)
    assert page.locator(".chip").count() == 0
    assert page.locator("article.report").count() == before


def test_back_button_restores_the_previous_state(page, live_url):
    search_from_home(page, live_url, "监管")
    page.locator('.facet[data-facet="year"] a', has_text="2024").click()
    page.wait_for_url(re.compile(r"year=2024"))
    page.go_back()
    assert "year=" not in page.url and page.locator(".chip").count() == 0


def test_hit_opens_the_document_at_its_section(page, live_url, screenshot_dir):
    search_from_home(page, live_url, "秒批")
    link = page.locator(".hit .section a").first
    target = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url(re.compile(r"/doc/"))
    assert page.url.endswith("#" + target)
    section = page.locator(f'section[id="{target}"]')
    assert section.is_visible()
    box = section.bounding_box()
    assert 0 <= box["y"] < 300  # scrolled to the section
    assert section.locator("mark").count() >= 1 and "秒批" in section.locator("mark").first.inner_text()
    page.screenshot(path=str(screenshot_dir / "document.png"))


def test_measure_entries_on_home_page(page, live_url):
    page.goto(live_url + "/")
    entry = page.locator('a[data-measure="双随机一公开"]')
    sections = int(re.search(r"(\d+) 段", entry.inner_text()).group(1))
    entry.click()
    page.wait_for_url(re.compile(r"measure="))
    assert f"{sections} 个段落" in page.locator(".totals").inner_text()
    assert "双随机一公开" in page.locator(".chip").inner_text()
    assert page.locator(".passage mark").count() >= 1


@pytest.mark.parametrize("page", [False], indirect=True)
def test_works_with_javascript_off(page, live_url):
    search_from_home(page, live_url, '"双随机、一公开"')
    assert page.locator(".passage mark", has_text="双随机、一公开").count() >= 4


def test_phone_width_layout(browser, live_url, screenshot_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_url + "/search?q=容缺受理")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no horizontal scrolling
    results = page.locator(".results").bounding_box()
    facets = page.locator(".facets").bounding_box()
    assert facets["y"] > results["y"]  # facets stack under the results
    page.screenshot(path=str(screenshot_dir / "phone.png"), full_page=True)
    context.close()

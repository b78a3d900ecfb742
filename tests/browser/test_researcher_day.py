"""A researcher's day in Chromium on reports of one province at every level (issue 19):
charts of the current results, the region tree with a selection, the phone width, the
matrix's first screen and the search page's first screen."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser


def chart_bars(page, title: str) -> dict[str, list[int]]:
    """A search-page chart's groups: label → the numbers printed beside its bars."""
    chart = page.locator(f"svg.chart[aria-label='{title}']")
    return chart.evaluate("""svg => {
        const out = {}; let current = null;
        for (const node of svg.querySelectorAll("text.label, text.value")) {
            if (node.classList.contains("label")) { current = node.firstChild.textContent.trim(); out[current] = []; }
            else if (current !== null) { out[current].push(Number(node.textContent.replace(/,/g, ""))); }
        }
        return out; }""")


def test_charts_show_the_current_results_when_a_region_is_selected(page, researcher_url):
    page.goto(researcher_url + "/search?q=" + quote("容缺受理") + "&region=" + quote("广东省江门市"))
    total = page.locator(".summary .totals").inner_text()
    reports = int(re.search(r"共 (\d+) 份报告", total).group(1))
    passages = int(re.search(r"(\d+) 个段落", total).group(1))
    regions = chart_bars(page, "按地区")
    assert regions["广东省"] == [reports, passages]  # not every 广东省 report that mentions it
    assert set(regions) <= {"广东省", "江门市", "蓬江区"}
    assert sum(v[0] for v in chart_bars(page, "按年份").values()) == reports


def test_the_region_facet_stays_a_tree_with_a_value_selected(page, researcher_url):
    for region in ("广东省江门市", "广东省广州市花都区"):
        page.goto(researcher_url + "/search?q=&region=" + quote(region))
        items = page.locator("section.facet[data-facet=region] li").evaluate_all(
            "lis => lis.map(li => [li.dataset.value, Number(li.className.replace('level-', '')), "
            "li.querySelector('.value').textContent])")
        assert any(value == region for value, _, _ in items)
        if region == "广东省江门市":  # what lies under the selection is shown, not folded under 更多
            shown = page.locator("section.facet[data-facet=region] > ul li").evaluate_all(
                "lis => lis.map(li => li.dataset.value)")
            assert "广东省江门市蓬江区" in shown
        for i, (value, level, label) in enumerate(items):
            assert value.endswith(label)
            if level:  # right under the nearest item one level up, which contains it
                parent = next(v for v, lv, _ in reversed(items[:i]) if lv == level - 1)
                assert value.startswith(parent) and value == parent + label, (value, parent)


def test_the_phone_is_as_wide_as_the_phone(phone, researcher_url):
    for path in ("/search?q=" + quote("容缺受理"), "/search?q=" + quote("容缺受理") + "&region=" + quote("广州")):
        phone.goto(researcher_url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        cite = phone.locator(".cite", has_text="guangzhou_huadu").first
        box = cite.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        count = phone.locator("section.facet .count").first
        count_box = count.bounding_box()
        assert count_box is not None and count_box["x"] + count_box["width"] <= 390


def test_the_matrix_first_screen_shows_the_mentions(page, researcher_url, screenshot_dir):
    page.goto(researcher_url + "/compare?measure=" + quote("容缺受理"))
    years = page.locator("table.matrix thead th").all_inner_texts()[2:]
    assert years[0] == "2015" and len(years) >= 5
    first = page.locator("td[data-status=mentioned]").first
    first.wait_for()
    box = first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + 40 <= 1280  # in the first screen, not off to the right
    page.screenshot(path=str(screenshot_dir / "matrix-1280.png"))
    # the sticky first column hides what scrolls under it
    colour = page.locator("table.matrix tbody th").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("transparent", "rgba(0, 0, 0, 0)") and "0)" not in colour
    # a cell that is 未提及 links the report it read, and says which
    silent = page.locator("td[data-status=not_mentioned] a").first
    assert "《" in (silent.get_attribute("title") or "") and "查看报告" not in silent.inner_text()
    # only the agencies and years that mention it
    page.get_by_role("link", name=re.compile("只看有提及的")).click()
    page.wait_for_url(re.compile(r"only=mentioned"))
    shown = page.locator("table.matrix thead th").all_inner_texts()[2:]
    assert "2015" not in shown and shown
    for row in page.locator("table.matrix tbody tr").all():
        assert row.locator("td[data-status=mentioned]").count() >= 1
    assert page.locator("table.matrix thead th").nth(2).bounding_box()["x"] < 1280


def test_the_unknown_agency_row_is_not_labelled_with_a_region(page, researcher_url):
    page.goto(researcher_url + "/compare?measure=" + quote("容缺受理"))
    row = page.locator("tbody tr[data-agency='未注明'] th")
    assert row.inner_text().startswith("机构未注明")
    assert "广东省" not in row.inner_text()


def test_results_start_in_the_first_screen_at_1280(browser, researcher_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(researcher_url + "/search?q=" + quote("容缺受理"))
    assert page.locator("svg.chart").first.is_visible()  # the charts are there, open
    title = page.locator("article.report h2").first
    box = title.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 720
    context.close()

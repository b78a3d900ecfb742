"""The research tools in a real browser, on the corpus written for them: diffusion, changes, reuse."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tools_url(research_index_dir: Path) -> Iterator[str]:
    """The app on the research corpus (tests/research_reports.py), served by waitress on a free port."""
    from waitress import create_server

    from webapp import create_app

    server = create_server(create_app({"INDEX_DIR": str(research_index_dir), "BUILD_IF_MISSING": False}),
                           host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.mark.parametrize("page", [False], indirect=True)  # works without JavaScript
def test_diffusion_from_the_menu_to_the_first_passage(page, tools_url):
    page.goto(tools_url + "/")
    page.locator("nav.tools a", has_text="扩散").click()
    page.select_option("select[name=measure]", "容缺受理")
    page.click(".diffusion-form button")
    page.wait_for_url(re.compile(r"/diffusion\?"))
    assert "5 家机构中有 4 家" in page.locator(".diffusion-summary").inner_text()
    shunde = page.locator("table.adoptions tr[data-agency='佛山市顺德区行政审批局']")
    assert shunde.locator(".first-year").inner_text() == "2020"
    assert shunde.locator(".earlier").inner_text() == "此前 1 份报告未提及"
    jiangmen = page.locator("table.adoptions tr[data-agency='江门市交通运输局']")
    assert jiangmen.locator(".earlier").inner_text() == "无更早报告"
    assert page.locator("tr[data-agency='肇庆市生态环境局'] .first-year").inner_text() == "未提及"
    assert page.locator("svg.curve polyline").count() == 2 and page.locator("svg.curve circle").count() == 6
    first_region = page.locator("table.region-firsts tbody tr").first
    assert "顺德区" in first_region.inner_text() and "2020" in first_region.inner_text()
    shunde.locator("a.section-link").click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}\?.*#[0-9a-f]{16}-\d{3}$"))
    anchor = page.url.rsplit("#", 1)[1]
    assert "容缺受理" in page.locator(f"section[id='{anchor}'] mark").first.inner_text()


def test_diffusion_downloads_and_screenshot(page, tools_url, screenshot_dir):
    page.goto(tools_url + "/diffusion?measure=容缺受理")
    with page.expect_download() as info:
        page.locator(".export-links a[data-format=csv]").click()
    lines = Path(info.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("机构,地区,首次提及年度") and len(lines) == 6
    with page.expect_download() as info:
        page.locator(".export-links a[data-format=xlsx]").click()
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"
    page.screenshot(path=str(screenshot_dir / "diffusion.png"), full_page=True)


@pytest.mark.parametrize("page", [False], indirect=True)
def test_changes_from_the_matrix_row_and_back_from_the_document(page, tools_url):
    page.goto(tools_url + "/compare?measure=容缺受理")
    page.locator("tr[data-agency='佛山市顺德区行政审批局'] a.changes-link").click()
    page.wait_for_url(re.compile(r"/changes\?agency=.*from=2020&to=2021"))
    assert "新增 3 句" in page.locator(".changes-summary").inner_text()
    basics = page.locator("section.section-changes[data-heading='一、基本情况']")
    assert basics.locator("li.reworded ins").first.inner_text() == "1"  # 2020 → 2021: the year's last digit
    assert "上线电子证照系统" in basics.locator("li.added").inner_text()
    practice = page.locator("section.section-changes[data-heading='二、主要做法和成效']")
    assert "二、主要做法" in practice.locator(".from-heading").inner_text()
    assert practice.locator("li.removed del").inner_text() == "组织窗口人员开展业务培训。"
    assert practice.locator("li.reworded ins").inner_text() == "四"
    folded = page.locator("details.unchanged-sections")
    assert "1 节未变" in folded.locator("summary").inner_text()
    assert not folded.locator("li").first.is_visible()  # folded away until opened
    folded.locator("summary").click()
    assert folded.locator("li").first.is_visible()
    page.locator(".changes-head a").last.click()  # the 2021 report
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}"))
    page.locator("a.previous-year").click()
    assert "新增 3 句" in page.locator(".changes-summary").inner_text()


def test_changes_screenshot(page, tools_url, screenshot_dir):
    page.goto(tools_url + "/changes?agency=佛山市顺德区行政审批局&from=2020&to=2021")
    assert page.locator("section.section-changes").count() == 3
    page.screenshot(path=str(screenshot_dir / "changes.png"), full_page=True)


@pytest.mark.parametrize("page", [False], indirect=True)
def test_reuse_note_copies_and_the_fold_toggle(page, tools_url):
    page.goto(tools_url + "/search?q=监督检查记录")
    notes = page.locator(".hit .reuse-note a")
    assert notes.count() >= 2 and "这段文字还出现在 3 份报告中" in notes.first.inner_text()
    shown = page.locator(".hit").count()
    page.locator("a.fold-copies").click()
    page.wait_for_url(re.compile(r"copies=fold"))
    assert page.locator(".folded-note").count() >= 1
    assert page.locator(".hit").count() + page.locator(".folded-note").count() == shown
    assert "本页折叠了" in page.locator(".fold-toggle").inner_text()
    page.locator(".hit .reuse-note a").first.click()
    page.wait_for_url(re.compile(r"/reuse\?passage=[0-9a-f]{16}-\d{3}$"))
    copies = page.locator("li.copy")
    assert copies.count() == 3
    similarities = copies.locator(".similarity").all_inner_texts()
    assert similarities[0] == "相似度 100%" and int(similarities[-1].split()[1].rstrip("%")) < 100
    assert copies.last.locator("ins").count() >= 1  # the changed sentence is marked
    copies.first.locator(".meta a").click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{16}#[0-9a-f]{16}-\d{3}$"))
    anchor = page.url.rsplit("#", 1)[1]
    assert "还出现在" in page.locator(f"section[id='{anchor}'] .reuse-note").inner_text()


def test_reuse_screenshot(page, tools_url, screenshot_dir):
    page.goto(tools_url + "/search?q=监督检查记录")
    page.locator(".hit .reuse-note a").first.click()
    page.wait_for_url(re.compile(r"/reuse\?"))
    page.screenshot(path=str(screenshot_dir / "reuse.png"), full_page=True)


@pytest.mark.parametrize("path", ["/diffusion?measure=容缺受理", "/changes?agency=佛山市顺德区行政审批局&from=2020&to=2021"])
def test_research_tools_fit_a_phone(phone, tools_url, path):
    """At 390 px the page is no wider than the screen: wide tables scroll inside their own box."""
    phone.goto(tools_url + path)
    assert phone.locator("h1").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

"""The research tools in a real browser, on the corpus written for them: diffusion, changes, reuse."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from research_reports import write_corpus

from indexer import build_index

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tools_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the research corpus, served by waitress on a free port."""
    from waitress import create_server

    from webapp import create_app

    target = tmp_path_factory.mktemp("tools_ix")
    build_index([write_corpus(tmp_path_factory.mktemp("tools_src"))], target)
    server = create_server(create_app({"INDEX_DIR": str(target), "BUILD_IF_MISSING": False}),
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

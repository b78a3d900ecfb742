"""A live server (waitress, as in production) and a real headless Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def _serve(index_dir: Path) -> Iterator[str]:
    """The app over `index_dir` served by waitress on a free port of 127.0.0.1."""
    from waitress import create_server

    from webapp import create_app

    app = create_app({"INDEX_DIR": str(index_dir), "BUILD_IF_MISSING": False})
    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def live_url(index_dir: Path) -> Iterator[str]:
    """The app over the seed reports."""
    yield from _serve(index_dir)


@pytest.fixture(scope="session")
def researcher_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over tests/researcher_corpus.py: agencies at every level of one province, 2015–2024."""
    from researcher_corpus import write_corpus

    from indexer import build_index

    root = tmp_path_factory.mktemp("researcher")
    build_index([write_corpus(root / "reports")], root / "index")
    yield from _serve(root / "index")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (skipped only outside CI if it is missing)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page; pass `javascript=False` via indirect parametrization to turn scripts off."""
    javascript = getattr(request, "param", True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A fresh page at a phone's width (390 px)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $ZCJS_SCREENSHOTS if set (to look at them), else a temp folder."""
    target = Path(os.environ.get("ZCJS_SCREENSHOTS", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    return target

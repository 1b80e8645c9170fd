"""Real-browser fixtures: the dashboard served by Streamlit on this test module's own demo
database, driven by Playwright in Debian's Chromium (no downloaded browser); the helpers the
tests use are in :mod:`tests.fixtures.browser`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from cli.server import start_server, stop_server
from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS
from tests.fixtures.databases import copy_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the dashboard on a demo database of this module's own."""
    with copy_of(_demo_template, tmp_path_factory.mktemp("browser")) as url:
        proc, base = start_server(url)
        try:
            yield base
        finally:
            stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: run `python3 tasks.py test`, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    ctx.close()

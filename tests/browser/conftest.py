"""Real-browser fixtures: the dashboard served by Streamlit on this test module's own demo
database, driven by Playwright in Debian's Chromium (no downloaded browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.server import start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the dashboard on a demo database of this module's own."""
    from tests.conftest import _copy_of

    with _copy_of(_demo_template, tmp_path_factory.mktemp("browser")) as url:
        proc, base = start_server(url)
        try:
            yield base
        finally:
            stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: run `python3 tasks.py test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")  # type: ignore[attr-defined]
    pg = ctx.new_page()
    yield pg
    ctx.close()


def wait_ready(page: object, timeout: float = 60_000) -> None:
    """Wait until a page title is drawn and Streamlit has finished running the script."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)  # type: ignore[attr-defined]
    for _ in range(2):
        page.wait_for_timeout(400)  # type: ignore[attr-defined]
        page.wait_for_function(  # type: ignore[attr-defined]
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
            " && !document.querySelector('[data-testid=\"stSpinner\"]')"
            " && !document.querySelector('[data-stale=\"true\"]')",
            timeout=timeout,
        )


def shot(page: object, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


ENGLISH_ERRORS = re.compile(
    r"Error|Exception|Traceback|None\b|\bnan\b|NaN|undefined|Choose an option|No options|No results|"
    r"Please |Invalid|KeyError|Streamlit|Upload|Drag and drop|Browse files|per file", re.IGNORECASE)
"""English a user of the Chinese interface must never see: error text, Python's missing
values, untranslated widget prompts."""


def main_text(page: object) -> str:
    return str(page.locator("[data-testid='stMain']").inner_text())  # type: ignore[attr-defined]


def title(page: object) -> str:
    return str(page.locator("[data-testid='stMain'] h1").first.inner_text()).strip()  # type: ignore[attr-defined]


def open_drawn(page: object, url: str, height: int = 2600) -> str:
    """Open ``url`` and wait until its tables and charts are drawn (not placeholders); the
    main area's text."""
    page.set_viewport_size({"width": 1440, "height": height})  # type: ignore[attr-defined]
    page.goto(url)  # type: ignore[attr-defined]
    wait_ready(page)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector(\"[data-testid='stSkeleton']\") && [...document.querySelectorAll("
        "\"[data-testid='stDataFrame']\")].every(d => !d.checkVisibility() || d.querySelector('canvas'))", timeout=60_000)
    if page.locator(".js-plotly-plot").count():  # type: ignore[attr-defined]
        page.wait_for_timeout(2000)  # type: ignore[attr-defined]  # let the charts draw
    return main_text(page)


def assert_clean(page: object, text: str | None = None) -> None:
    """No exception block, no error alert, and no English error text in ``text`` (the main
    area by default); lower-case material icon ligatures (download, info …) are not text."""
    assert not page.locator("[data-testid='stException']").count()  # type: ignore[attr-defined]
    assert not page.locator("[data-testid='stAlertContentError']").count()  # type: ignore[attr-defined]
    visible = re.sub(r"[a-z_]+", " ", main_text(page) if text is None else text)
    assert not ENGLISH_ERRORS.search(visible), ENGLISH_ERRORS.search(visible)

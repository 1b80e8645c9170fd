"""Real-browser fixtures: the dashboard served by Streamlit on this test module's own demo
database, driven by Playwright in Debian's Chromium (no downloaded browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, *, demo: bool = True, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``streamlit run dashboard/app.py`` on ``db_url``; return the process and base URL."""
    port = _free_port()
    env = {**os.environ, "MARKET_ACCESS_DB": db_url, **(extra_env or {})}
    if demo:
        env["MARKET_ACCESS_DEMO"] = "1"
    else:
        env.pop("MARKET_ACCESS_DEMO", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "streamlit exited")
    proc.kill()
    raise RuntimeError("streamlit did not come up in 90 s")


@pytest.fixture(scope="module")
def server(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the dashboard on a demo database of this module's own."""
    from tests.conftest import _copy_of

    with _copy_of(_demo_template, tmp_path_factory.mktemp("browser")) as url:
        proc, base = start_server(url)
        try:
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


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

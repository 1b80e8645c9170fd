"""Benchmark: simultaneous browser sessions moving through pages and filters on one server.

Starts the dashboard (demo mode, signed in as a leader) on a database, then drives N
headless Chromium sessions (one browser, N contexts; Playwright async) for a fixed time.
Each session opens deep links — a random page with a random period, department or street —
and waits until the page is drawn and Streamlit is idle.  Prints p50 / p95 / max page time
and the errors seen (error elements, exception blocks, failed loads).

    python -m benchmarks.bench_concurrency --db sqlite:////tmp/big.db --sessions 30 --seconds 180
    python -m benchmarks.bench_concurrency --scale 1          # builds demo data in a temp SQLite

Targets (issue 8): p95 ≤ 3 s, no errors.  Only loopback traffic; bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time

from benchmarks.limits import allow_large_demo_files
from cli.server import start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
PAGES = ["overview", "process", "channels", "routes", "scorecard", "weak-links", "cases", "ledger",
         "negative-list", "credit", "data-quality", "tasks"]
PERIODS = ["2026Q3", "2026Q2", "2026Q1", "2025Q4", "2026H1", "2025H2", "2025", "2026-09", "2026-06"]
DEPTS = ["", "JH009", "JH010", "JH011", "JH012", "JH014", "JH019", "JH002"]
IDLE_JS = ("() => !!document.querySelector(\"[data-testid='stMain'] h1\")"
           " && !document.querySelector(\"[data-testid='stStatusWidget']\")")


async def _session(browser: object, base: str, until: float, seed: int, times: list[float],
                   errors: list[str]) -> None:
    rng = random.Random(seed)
    ctx = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    page = await ctx.new_page()
    try:
        while time.time() < until:
            url = f"{base}/{rng.choice(PAGES)}?period={rng.choice(PERIODS)}"
            dept = rng.choice(DEPTS)
            if dept:
                url += f"&dept={dept}"
            t0 = time.perf_counter()
            try:
                await page.goto(url, wait_until="domcontentloaded", timeout=60_000)
                await page.wait_for_function(IDLE_JS, timeout=60_000, polling=100)
                await page.wait_for_timeout(150)
                await page.wait_for_function(IDLE_JS, timeout=60_000, polling=100)
                times.append(time.perf_counter() - t0)
                bad = await page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count()
                if bad:
                    errors.append(f"{url}: {bad} error element(s)")
            except Exception as err:
                errors.append(f"{url}: {type(err).__name__}: {str(err)[:120]}")
            await page.wait_for_timeout(rng.randint(200, 1200))  # think time
    finally:
        await ctx.close()


async def _run(base: str, sessions: int, seconds: float) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        until = time.time() + seconds
        await asyncio.gather(*[_session(browser, base, until, i, times, errors) for i in range(sessions)])
        await browser.close()
    return times, errors


def _quantile(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[int(q * 100) - 1] if len(xs) > 1 else xs[0]


def main() -> None:
    allow_large_demo_files()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="database URL with data (default: demo data at --scale in a temp SQLite)")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=180.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if url is None:
            from cli.cmd_serve import load_demo_if_empty
            from data.db import Database

            url = f"sqlite:///{tmp}/bench.db"
            load_demo_if_empty(Database(url), scale=args.scale)
        proc, base = start_server(url)
        try:
            # one warm-up load so the engine is built before the clock starts
            asyncio.run(_run(base, 1, 1.0))
            times, errors = asyncio.run(_run(base, args.sessions, args.seconds))
        finally:
            stop_server(proc)
    print(f"sessions: {args.sessions}, duration: {args.seconds:.0f} s, page loads: {len(times)}, errors: {len(errors)}")
    if times:
        print(f"page time p50: {_quantile(times, 0.5):.2f} s  p95: {_quantile(times, 0.95):.2f} s  "
              f"max: {max(times):.2f} s")
    for e in errors[:20]:
        print("  error:", e)


if __name__ == "__main__":
    main()

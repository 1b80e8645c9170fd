"""The protocol-level load generator's arithmetic (hand-worked values); its live run against
a pool of workers is in tests/browser/test_serve_workers.py."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from benchmarks.load_streamlit import percentile, run_load, summarise
from benchmarks.streamlit_client import RunResult, StreamlitSession


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.95) == pytest.approx(3.85)  # pos 2.85 → 3 + 0.85
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == pytest.approx(2.5)
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.95) == 0.0


def test_summary_counts_failures_exceptions_and_error_boxes() -> None:
    results = [
        RunResult(1.0, "overview", "open"),
        RunResult(2.0, "process", "page"),
        RunResult(3.0, "credit", "period", exceptions=("KeyError: 'x'",)),
        RunResult(0.5, "credit", "dept", error_alerts=("数据加载失败",)),
        RunResult(120.0, "routes", "page", failure="timeout after 120 s"),
    ]
    r = summarise(results, sessions=2, seconds=10.0, server_cpu=5.0, client_cpu=1.0, machine=80.0)
    assert r.runs == 4  # timed-out runs have no server time
    assert r.p50 == pytest.approx(1.5)
    assert r.p95 == pytest.approx(2.85)  # sorted 0.5 1 2 3: pos 2.85
    assert r.max == 3.0
    assert r.errors == 3
    assert r.runs_per_s == pytest.approx(0.4)
    assert r.server_cores == pytest.approx(0.5) and r.client_cores == pytest.approx(0.1)
    assert r.by_action == {"open": (1, 1.0), "page": (1, 2.0), "period": (1, 3.0), "dept": (1, 0.5)}
    assert r.error_samples[2] == "page routes: timeout after 120 s"
    assert not math.isnan(r.p95)


def test_only_loopback_and_bounded() -> None:
    with pytest.raises(ValueError, match="loopback"):
        StreamlitSession("http://example.org:8501")
    with pytest.raises(ValueError, match="sessions"):
        _in_own_loop(run_load("http://127.0.0.1:1", 500, 10))
    with pytest.raises(ValueError, match="seconds"):
        _in_own_loop(run_load("http://127.0.0.1:1", 1, 7200))


def _in_own_loop(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coro`` on an event loop of its own thread: the browser tests' Playwright may be
    running a loop in this one (asyncio.run refuses to nest)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()

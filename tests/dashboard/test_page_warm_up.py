"""The pages run once after an import (dashboard.kit.page_warm_up): what they store is what a
user's first run of those pages reads, nothing is computed again, and the database is left
as it was."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import func, inspect, select, table
from streamlit.testing.v1 import AppTest

from dashboard.kit import memo, page_warm_up, results_store, served_data, warm_up
from data.db import Database
from metrics.directory import Directory, Unit
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from tests.fixtures.apptest import APP, open_page


def _counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        with db.session() as session:
            names = inspect(session.connection()).get_table_names()
            return {n: int(session.scalar(select(func.count()).select_from(table(n))) or 0) for n in names}
    finally:
        db.dispose()


def test_the_plan_is_the_district_every_period_then_each_department_the_newest() -> None:
    units = (Unit("JH001", "甲局", "department"), Unit("JH002", "乙局", "department"))
    d = Directory(units=units, first_day=dt.date(2025, 11, 3), last_day=dt.date(2026, 2, 10))
    plan = warm_up.page_plan(d)
    district = ["2026Q1", "2025Q4", "2026-02", "2026-01", "2025-12", "2025-11", "2026H1", "2025H2", "2026", "2025"]
    assert plan[:len(district)] == [(k, None) for k in district]
    newest = ["2026Q1", "2025Q4", "2026-02", "2026-01", "2026H1", "2025H2", "2026", "2025"]
    year = ["2025-12", "2025-11"]  # the other periods ending in the last year
    assert plan[len(district):] == [(k, u) for k in newest + year for u in ("JH001", "JH002")]
    longer = warm_up.page_plan(Directory(units=units[:1], first_day=dt.date(2024, 1, 1), last_day=dt.date(2026, 2, 10)))
    depts = [k for k, u in longer if u is not None]
    # ending 2025-02-28 is 347 days before the last day, 2025-01-31 is 375
    assert "2025-02" in depts and "2025-01" not in depts and "2025Q1" in depts and "2024Q4" not in depts
    assert "2024" not in depts and "2025H1" in depts and "2024H2" not in depts
    assert len(longer) - len(depts) == 9 + 26 + 5 + 3  # the district: every quarter, month, half and year
    assert warm_up.page_plan(Directory(units=units, first_day=None, last_day=None)) == []


def test_the_warm_up_starts_the_pages_before_it_marks_the_folder_warmed(tmp_path: Path) -> None:
    where = results_store.folder(f"sqlite:///{tmp_path / 'x.db'}", "1-a-b", "{}")
    seen: list[bool] = []

    def then() -> None:
        seen.append(results_store.finished(where, warm_up.JOB))
        raise RuntimeError("没有启动")

    assert warm_up.run(where, [(("a",), lambda: 1)], then=then) == 1
    assert seen == [False]  # a benchmark waiting for every claimed job sees the page warm-up claimed first
    assert results_store.finished(where, warm_up.JOB)  # and a failed start does not keep the folder unwarmed


def test_a_user_after_the_page_warm_up_reads_every_result_and_the_database_is_unchanged(
        demo_db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    memo.clear_all()
    st.cache_resource.clear()
    before = _counts(demo_db_url)
    pages = page_warm_up.period_pages()
    assert pages[0] == "overview" and {"process", "screening", "present", "credit", "data_quality"} <= set(pages)
    assert "users" not in pages and "import" not in pages  # pages without a period, or not the leader's
    with caplog.at_level(logging.WARNING, logger=page_warm_up.__name__):
        runs = page_warm_up.warm([("2026Q2", None), ("2026Q2", "JH010")], pages, lambda: True)
    assert runs == 2 * len(pages)
    assert [r.getMessage() for r in caplog.records if r.name == page_warm_up.__name__] == []
    assert _counts(demo_db_url) == before

    memo.clear_all()  # a user's process started afterwards: nothing of the warm-up in memory
    st.cache_resource.clear()
    misses: list[Hashable] = []
    fetch = results_store.fetch

    def counted(where: Path, key: Hashable, compute: Callable[[], Any]) -> Any:
        if not results_store.entry(where, key).exists():
            misses.append(key)
        return fetch(where, key, compute)

    def computed(self: MetricsEngine, request: MetricsRequest) -> None:
        pytest.fail(f"computed {request} again")

    monkeypatch.setattr(results_store, "fetch", counted)
    with monkeypatch.context() as m:
        m.setattr(MetricsEngine, "compute", computed)
        m.setattr(MetricsEngine, "year_ago", computed)
        for dept in (None, "JH010"):
            app = AppTest.from_file(str(APP), default_timeout=120)
            for page in ("process", "screening", "channels"):
                open_page(app, page, period="2026Q2", **({"dept": dept} if dept else {}))
                assert not app.exception, [e.value for e in app.exception]
    assert misses == []
    # a selection the warm-up did not run is computed as before
    other = AppTest.from_file(str(APP), default_timeout=120)
    open_page(other, "process", period="2026Q1")
    assert not other.exception
    assert misses


def test_the_server_starts_the_page_warm_up_once_in_a_child(
        demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    monkeypatch.setenv(page_warm_up.ENV, "1")
    memo.clear_all()
    where = served_data.current_folder()
    plan = [("2026Q2", None), ("2026Q1", None)]
    assert page_warm_up.spawn(demo_db_url, where, plan) is True
    assert page_warm_up.spawn(demo_db_url, where, plan) is False  # claimed: one warm-up per folder
    deadline = time.monotonic() + 240
    while not results_store.finished(where, page_warm_up.JOB):
        assert time.monotonic() < deadline, "the page warm-up did not finish in 240 s"
        time.sleep(0.2)
    shares = min(page_warm_up.CHILDREN, len(plan))
    # each child marked its share; the job is done only once every share is
    assert all(results_store.finished(where, f"{page_warm_up.JOB}-{i}") for i in range(shares))
    assert not results_store.finished(where, f"{page_warm_up.JOB}-{shares}")
    stored = len(list(where.glob("*.pickle")))
    assert stored > 3 * len(page_warm_up.period_pages())  # figures, views and drawings of every page
    monkeypatch.setenv(page_warm_up.ENV, "0")
    other = results_store.folder(demo_db_url, "9-x-y", "{}")
    assert page_warm_up.spawn(demo_db_url, other, [("2026Q2", None)]) is False
    assert not (other / f"{page_warm_up.JOB}.claimed").exists()

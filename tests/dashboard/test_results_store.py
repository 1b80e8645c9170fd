"""The results store shared by the dashboard's processes, and its warm-up after an import:
a result is computed once and read back whole; an unreadable, oversized or other data's
entry is never served; one process warms a folder, with the requests the filter bar makes;
and a second process (fresh Streamlit caches) shows a period without computing it again."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.kit import memo, plots, results_store, tables, warm_up
from metrics.directory import Directory
from metrics.results import MetricsRequest
from tests.fixtures.apptest import APP

URL = "sqlite:///{}"


def _folder(tmp_path: Path, identity: str = "1-a-b", overrides: str = "{}") -> Path:
    return results_store.folder(URL.format(tmp_path / "x.db"), identity, overrides)


def test_a_result_is_computed_once_and_read_back_equal(tmp_path: Path) -> None:
    where = _folder(tmp_path)
    calls: list[int] = []

    def compute() -> dict[str, object]:
        calls.append(1)
        return {"value": 0.875, "day": dt.date(2026, 9, 30)}

    key = ("compute", None, MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 9, 30)))
    assert results_store.fetch(where, key, compute) == {"value": 0.875, "day": dt.date(2026, 9, 30)}
    assert results_store.fetch(where, key, compute) == {"value": 0.875, "day": dt.date(2026, 9, 30)}
    assert len(calls) == 1
    other = ("compute", None, MetricsRequest(dt.date(2026, 4, 1), dt.date(2026, 6, 30)))
    results_store.fetch(where, other, compute)
    assert len(calls) == 2  # another request is another entry
    # other data (a new import) or other settings: another folder, computed again
    assert _folder(tmp_path, identity="2-a-c") != where and _folder(tmp_path, overrides='{"w": 1}') != where
    results_store.fetch(_folder(tmp_path, identity="2-a-c"), key, compute)
    assert len(calls) == 3


def test_changed_code_never_reads_the_old_codes_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an upgrade (a rule's source or an indicator definition changed), the same data
    and settings get another folder; the version is the digest of the product's own files."""
    version = results_store.code_version()
    assert len(version) == 32 and version == results_store.code_version()
    before = _folder(tmp_path)
    results_store.fetch(before, ("compute", None), lambda: "old rule's value")
    monkeypatch.setattr(results_store, "code_version", lambda: "another build")
    after = _folder(tmp_path)
    assert after != before
    assert results_store.fetch(after, ("compute", None), lambda: "new rule's value") == "new rule's value"


def test_the_code_version_covers_rules_and_definitions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed indicator definition (TOML) or rule (Python) changes the version; a file
    that is neither does not."""
    for package in results_store.CODE_PACKAGES:
        (tmp_path / package).mkdir()
    (tmp_path / "metrics" / "rules.py").write_text("LIMIT = 5\n")
    (tmp_path / "metrics" / "indicators.toml").write_text("[on_time_rate]\n")
    monkeypatch.setattr(results_store, "ROOT", tmp_path)

    def version() -> str:
        results_store.code_version.cache_clear()
        return results_store.code_version()

    try:
        first = version()
        (tmp_path / "dashboard" / "notes.txt").write_text("not code")
        assert version() == first
        (tmp_path / "metrics" / "indicators.toml").write_text("[on_time_rate]\nweight = 2\n")
        second = version()
        assert second != first
        (tmp_path / "metrics" / "rules.py").write_text("LIMIT = 6\n")
        assert version() != second
    finally:
        results_store.code_version.cache_clear()


def test_an_unreadable_entry_is_computed_again_and_replaced(tmp_path: Path) -> None:
    where = _folder(tmp_path)
    key = ("view", None, "metrics.views.x:f", (1,))
    results_store.entry(where, key).write_bytes(b"\x80\x05cut off")
    assert results_store.fetch(where, key, lambda: [1, 2, 3]) == [1, 2, 3]
    assert results_store.fetch(where, key, lambda: pytest.fail("read from the store")) == [1, 2, 3]


def test_a_result_larger_than_the_limit_stays_out_of_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_store, "MAX_BYTES", 1000)
    where = _folder(tmp_path)
    assert results_store.fetch(where, ("big",), lambda: "x" * 5000) == "x" * 5000
    assert not results_store.entry(where, ("big",)).exists()
    results_store.fetch(where, ("small",), lambda: "x" * 10)
    assert results_store.entry(where, ("small",)).exists()


def test_a_full_folder_takes_no_more_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_store, "FOLDER_BYTES", 2500)
    where = _folder(tmp_path)
    for i in range(3):
        results_store.fetch(where, ("r", i), lambda: "x" * 1000)
    assert [results_store.entry(where, ("r", i)).exists() for i in range(3)] == [True, True, False]
    assert results_store.fetch(where, ("r", 2), lambda: "y") == "y"  # still answered, computed


def test_a_folder_is_counted_again_only_now_and_then(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store does not stat every entry of the folder each time: the folder is counted once
    per RESCAN_SECONDS, this process adding what it stored, and another process's results are
    counted when the folder is counted again."""
    import os
    import pickle

    monkeypatch.setattr(results_store, "FOLDER_BYTES", 4500)
    where = _folder(tmp_path)
    scans = []
    real_scandir = os.scandir

    def counting(path: object) -> object:
        scans.append(path)
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(results_store.os, "scandir", counting)
    for i in range(3):
        results_store.fetch(where, ("r", i), lambda: "x" * 1000)
    assert len(scans) == 1
    assert [results_store.entry(where, ("r", i)).exists() for i in range(3)] == [True, True, True]
    (where / ("other" + results_store._SUFFIX)).write_bytes(pickle.dumps("y" * 1000))  # another process's
    results_store.fetch(where, ("r", 3), lambda: "x" * 1000)  # not counted yet: 4 results fit
    assert results_store.entry(where, ("r", 3)).exists() and len(scans) == 1
    monkeypatch.setattr(results_store, "RESCAN_SECONDS", 0.0)
    results_store.fetch(where, ("r", 4), lambda: "x" * 1000)  # counted again: five results are there
    assert len(scans) == 2 and not results_store.entry(where, ("r", 4)).exists()


def test_new_folders_drop_all_but_the_newest_few(tmp_path: Path) -> None:
    made = []
    for i in range(results_store.KEEP_FOLDERS + 2):
        made.append(_folder(tmp_path, identity=f"{i}-a-b"))
        time.sleep(0.01)  # distinct modification times (file systems keep them to the ms or better)
    assert [p.exists() for p in made] == [False, False, True, True, True]
    assert made[-1].stat().st_mode & 0o777 == 0o700


def test_one_claim_per_folder_and_job(tmp_path: Path) -> None:
    where = _folder(tmp_path)
    assert results_store.claim(where, "warm-up") is True
    assert results_store.claim(where, "warm-up") is False  # another process (or a second call)
    assert results_store.claim(where, "other") is True
    assert not results_store.finished(where, "warm-up")
    results_store.finish(where, "warm-up")
    assert results_store.finished(where, "warm-up")


def test_the_warm_up_asks_what_the_filter_bar_asks() -> None:
    d = Directory(units=(), first_day=dt.date(2026, 1, 15), last_day=dt.date(2026, 5, 20))
    got = warm_up.period_requests(d)
    q2, q1 = (MetricsRequest(dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 6, 30), score_incomplete=False),
              MetricsRequest(dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 3, 31), score_incomplete=False))
    assert got[:2] == [q2, q1]  # the quarters first, newest first, judged at their last day
    months = [r for r in got if r.date_from.day == 1 and r.date_to.month == r.date_from.month]
    assert [r.date_from.month for r in months] == [5, 4, 3, 2, 1]
    assert len(got) == 2 + 5 + 1 + 1  # quarters, months, the half, the year
    assert all(r.dept is None and r.street is None and r.score_incomplete is False for r in got)
    assert warm_up.period_requests(Directory(units=(), first_day=None, last_day=None)) == []


def test_the_warm_up_computes_what_is_missing_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm_up.ENV, "1")
    where = _folder(tmp_path)
    results_store.fetch(where, ("a",), lambda: 1)
    calls: list[str] = []

    def job(name: str) -> str:
        calls.append(name)
        if name == "c":
            raise ValueError("一个时段算不出")
        return name

    jobs = [(("a",), lambda: job("a")), (("b",), lambda: job("b")), (("c",), lambda: job("c")),
            (("d",), lambda: job("d"))]
    assert warm_up.run(where, jobs) == 2  # "a" was there; "c" failed and the rest went on
    assert calls == ["b", "c", "d"]
    assert results_store.finished(where, warm_up.JOB)
    assert warm_up.start(_folder(tmp_path, identity="9-x-y"), jobs) is True
    assert warm_up.start(_folder(tmp_path, identity="9-x-y"), jobs) is False  # claimed already
    monkeypatch.setenv(warm_up.ENV, "0")
    assert warm_up.start(_folder(tmp_path, identity="8-x-y"), jobs) is False


def _warm_folder(db_path: Path) -> Path:
    root = Path(str(db_path) + ".frames.results")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = [p.parent for p in root.glob(f"*/{warm_up.JOB}.done")]
        if done:
            return done[0]
        time.sleep(0.2)
    pytest.fail("the warm-up did not finish in 120 s")


def test_another_process_shows_a_warmed_period_without_computing_it(
        demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    from metrics.engine import MetricsEngine

    if not demo_db_url.startswith("sqlite"):
        pytest.skip("the results folder of a SQLite database is beside its file")
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    monkeypatch.setenv(warm_up.ENV, "1")
    memo.clear_all()
    st.cache_resource.clear()
    first = AppTest.from_file(str(APP), default_timeout=120)
    first.query_params["period"] = "2026Q2"
    first.run()
    assert not first.exception
    where = _warm_folder(Path(demo_db_url.removeprefix("sqlite:///")))
    assert len(list(where.glob("*.pickle"))) > 2 * 20  # every period's figures and 同比, and the page's own
    shown = [m.value for m in first.metric]
    charts = [c.proto.spec for c in first.get("plotly_chart")]
    drawn_tables = [d.value for d in first.dataframe]
    one_dept = AppTest.from_file(str(APP), default_timeout=120)
    one_dept.query_params["period"] = "2026Q2"
    one_dept.query_params["dept"] = "JH010"
    one_dept.run()
    assert not one_dept.exception
    dept_shown = [m.value for m in one_dept.metric]

    memo.clear_all()  # a second process: nothing of the first in memory
    st.cache_resource.clear()

    def computed(self: MetricsEngine, request: MetricsRequest) -> None:
        pytest.fail(f"computed {request} again")

    def drawn(*args: object) -> None:
        pytest.fail("a chart or a table the first process drew was made again")

    monkeypatch.setattr(MetricsEngine, "compute", computed)
    monkeypatch.setattr(MetricsEngine, "year_ago", computed)
    monkeypatch.setattr(plots, "drawn", drawn)  # the charts and tables the first drew: read, not made
    monkeypatch.setattr(tables, "_display", drawn)
    monkeypatch.setattr(tables, "_to_arrow", drawn)
    second = AppTest.from_file(str(APP), default_timeout=120)
    second.query_params["period"] = "2026Q2"
    second.run()
    assert not second.exception
    assert [m.value for m in second.metric] == shown and shown
    assert [c.proto.spec for c in second.get("plotly_chart")] == charts and charts
    assert [d.value.equals(e) for d, e in zip(second.dataframe, drawn_tables, strict=True)] == [True] * len(drawn_tables)
    assert drawn_tables
    # a department filter of a warmed period: the district's result narrowed, nothing computed
    third = AppTest.from_file(str(APP), default_timeout=120)
    third.query_params["period"] = "2026Q2"
    third.query_params["dept"] = "JH010"
    third.run()
    assert not third.exception
    assert [m.value for m in third.metric] == dept_shown and dept_shown != shown

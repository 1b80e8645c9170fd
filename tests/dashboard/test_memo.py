"""The process's kept results (dashboard.kit.memo): one object for every caller, computed once
even when sessions miss at the same moment, evicted and expired as configured, and a page that
changes a shared result is caught."""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time

import pandas as pd
import pytest

from dashboard.kit import memo as memo_mod
from dashboard.kit.memo import Memo, SharedResultChanged, memoized
from metrics.results import MetricsRequest


def test_equal_arguments_get_the_one_kept_object_and_others_their_own() -> None:
    calls: list[tuple[str, MetricsRequest]] = []

    @memoized(8)
    def values(url: str, request: MetricsRequest) -> pd.DataFrame:
        calls.append((url, request))
        return pd.DataFrame({"v": [len(calls)]})

    q3 = MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 9, 30), dt.date(2026, 9, 30))
    first = values("sqlite:///a", q3)
    again = values("sqlite:///a", MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 9, 30), dt.date(2026, 9, 30)))
    other = values("sqlite:///a", MetricsRequest(dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 6, 30)))
    assert again is first
    assert other is not first and other["v"].tolist() == [2]
    assert len(calls) == 2
    values.clear()  # type: ignore[attr-defined]
    assert values("sqlite:///a", q3)["v"].tolist() == [3]


def test_unhashable_arguments_are_kept_by_their_contents() -> None:
    calls = []

    @memoized(8)
    def total(values: list[int]) -> int:
        calls.append(values)
        return sum(values)

    assert total([1, 2]) == 3 and total([1, 2]) == 3 and total([2, 2]) == 4
    assert calls == [[1, 2], [2, 2]]


def _blocked_in_get(thread: threading.Thread) -> bool:
    frame = sys._current_frames().get(thread.ident or -1)
    names = []
    while frame is not None:
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    return bool(names) and names[0] in ("get", "wait", "slow") and "get" in names


def test_sessions_missing_one_key_at_once_compute_it_once() -> None:
    m = Memo("test", 8)
    started, release = threading.Event(), threading.Event()
    computed = []

    def slow() -> object:
        computed.append(1)
        started.set()
        assert release.wait(10)
        return object()

    got: list[object] = []
    first = threading.Thread(target=lambda: got.append(m.get("k", slow)))
    first.start()
    assert started.wait(10)  # the first session is computing
    others = [threading.Thread(target=lambda: got.append(m.get("k", slow))) for _ in range(5)]
    for t in others:
        t.start()
    deadline = time.monotonic() + 10
    while not all(_blocked_in_get(t) for t in others):  # each waits (or, if broken, computes too)
        assert time.monotonic() < deadline, "the sessions never reached the memo"
        time.sleep(0.001)
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert len(computed) == 1
    assert len(got) == 6 and all(g is got[0] for g in got)


def test_the_oldest_entries_go_and_an_expired_one_is_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    m = Memo("test", 2)
    for k in "abc":
        m.get(k, k.upper)
    assert len(m) == 2
    assert m.get("a", lambda: "again") == "again"  # "a" was the oldest
    now = [100.0]
    monkeypatch.setattr(memo_mod.time, "monotonic", lambda: now[0])
    fresh = Memo("ttl", 8, ttl=5)
    assert fresh.get("k", lambda: 1) == 1
    now[0] += 4
    assert fresh.get("k", lambda: 2) == 1
    now[0] += 2
    assert fresh.get("k", lambda: 3) == 3


def test_a_page_that_changes_a_shared_result_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(memo_mod.CHECK_ENV, "1")
    m = Memo("check", 8)
    frame: pd.DataFrame = m.get("k", lambda: pd.DataFrame({"name": pd.array(["甲", None], dtype="string"),
                                                          "n": [1, 2]}))
    _ = frame.dtypes, frame.empty, frame["name"].tolist()  # reading changes a frame's pickle, not its contents
    assert m.get("k", pd.DataFrame) is frame
    frame.loc[0, "n"] = 5
    with pytest.raises(SharedResultChanged, match="check'k'"):
        m.get("k", lambda: None)
    nested = m.get("d", lambda: {"rows": [1, 2]})
    nested["rows"].append(3)
    with pytest.raises(SharedResultChanged):
        m.get("d", lambda: None)


def test_without_the_check_a_hit_is_not_digested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(memo_mod.CHECK_ENV, raising=False)
    m = Memo("plain", 8)
    kept = m.get("k", lambda: [1])
    monkeypatch.setattr(memo_mod, "_digest", lambda value: pytest.fail("digested"))
    assert m.get("k", lambda: [2]) is kept

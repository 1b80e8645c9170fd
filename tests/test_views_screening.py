"""The 隐性壁垒筛查 page's views: which signals still wait for a case, the open case among a
signal's cases, and the chart data and records of a signal agreeing with the signal's own
figures (the median / mean of the records' values is the group's value)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from data.demo import generate, planted
from data.frames import frames_from
from metrics.engine import MetricsEngine
from metrics.results import Period
from metrics.screening.model import Group, ScreeningRequest, ScreeningResult, Signal
from metrics.views import screening as sv
from tests.fixtures.databases import DEMO_SCALE

YEAR = ScreeningRequest(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@cache
def _engine() -> MetricsEngine:
    return MetricsEngine(frames_from(generate(scale=DEMO_SCALE)))


def _signal(kind: str, item: str) -> Signal:
    return Signal(kind, "D1", item, Group(10, 0.1), Group(10, 0.5), 0.4, 0.001, 0.01, 20)


def test_open_case_is_the_first_not_closed() -> None:
    assert sv.open_case_of([]) is None
    assert sv.open_case_of([("SCR-2026-0001", "已办结"), ("SCR-2026-0002", "不属实")]) is None
    assert sv.open_case_of([("SCR-2026-0001", None), ("SCR-2026-0002", "核查中")]) == ("SCR-2026-0002", "核查中")


def test_open_signals_are_those_without_any_case() -> None:
    a, b, c = _signal("nonlocal_rejection", "I1"), _signal("nonlocal_time", "I1"), _signal("nonlocal_rejection", "I2")
    d = dt.date
    result = ScreeningResult(YEAR, Period(d(2025, 1, 1), d(2025, 12, 31), d(2025, 12, 31)), "4407", {}, (a, b, c))
    assert sv.key_of(result, a) == "nonlocal_rejection|I1|2025-01-01|2025-12-31"
    links = {sv.key_of(result, a): [("SCR-2026-0001", "待转办")], sv.key_of(result, c): [("SCR-2026-0002", "已办结")]}
    assert sv.open_signals(result, links) == (b,)
    assert sv.find(result, "nonlocal_time", "I1") is b and sv.find(result, "nonlocal_time", "I2") is None


def test_chart_data_and_records_agree_with_each_signal() -> None:
    engine = _engine()
    result = sv.screen(engine, YEAR)
    assert sv.screener(engine) is sv.screener(engine)  # one screener per engine
    assert sv.screen(engine, YEAR) is result  # kept: drilling into a signal does not screen again
    for s in result.signals:
        records = sv.records(engine, YEAR, s.kind, s.item_code)
        assert len(records) == s.records
        assert set(records["item_name"]) == {s.item_name}
        dist = sv.distribution(engine, YEAR, s.kind, s.item_code)
        if s.kind == "lifted_still_approved":
            assert dist.empty and set(records["applicant_group"]) <= {"外地", "本地", None}
            continue
        assert s.local is not None and s.nonlocal_ is not None
        assert (records["applicant_group"] == "外地").sum() == s.nonlocal_.n
        assert (records["applicant_group"] == "本地").sum() == s.local.n
        if s.kind in sv.VALUE_COLUMN:
            reduce = np.median if s.kind == "nonlocal_time" else np.mean
            for g, group in (("外地", s.nonlocal_), ("本地", s.local)):
                values = dist.loc[dist["group"] == g, "value"].to_numpy()
                assert len(values) == group.n and float(reduce(values)) == group.value
        else:
            assert dist.set_index("group")["value"].to_dict() == {"外地": s.nonlocal_.value, "本地": s.local.value}


def test_application_record_and_case_request() -> None:
    engine = _engine()
    s = next(x for x in sv.screen(engine, YEAR).signals if x.kind == "nonlocal_rejection")
    first = sv.records(engine, YEAR, s.kind, s.item_code).iloc[0]
    record = sv.application_record(engine, YEAR, str(first["app_id"]))
    assert record is not None
    assert (record["app_id"], record["item_name"], record["dept_name"]) == (first["app_id"], planted.REJECTION_ITEM[1],
                                                                          "区卫生健康局")
    assert record["division_code"] == str(first["entity_id"])[2:8]
    assert sv.application_record(engine, YEAR, "NO-SUCH-APP") is None
    case = sv.case_request(engine, YEAR, s.kind, s.item_code)
    assert case is not None and case.dept_code == "JH008" and planted.REJECTION_ITEM[1] in case.summary
    assert sv.case_request(engine, YEAR, "nonlocal_time", s.item_code) is None  # not flagged there
    assert sv.records(engine, YEAR, "nonlocal_time", s.item_code).empty

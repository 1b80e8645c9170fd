"""metrics.timeline and metrics.views.application: one application's stage timeline on the
working-day clock, worked out by hand across Mid-autumn/National Day 2026 and its 调休.

The official 2026 calendar: 09-25..09-27 Mid-autumn holiday, 09-28..09-30 working days,
10-01..10-07 National Day, 10-08 and 10-09 working days, Saturday 10-10 a make-up working
day (调休), Sunday 10-11 off, 10-12 on.

Item I1 of D1: promised 3, legal 5 working days.
  T1 accepted Tue 09-29, submitted Mon 09-28, reviewed Fri 10-09, decided Sat 10-10,
     completed Tue 10-13, suspended 2 (特别程序):
       提交 wd(09-29, 09-28) = -1 (the clock starts at acceptance)
       受理 0
       审查完成 3 (09-30, 10-08, 10-09)
       作出决定 4 (10-10 is a 调休 working day)
       办结 6 (10-12, 10-13)      → elapsed 6, processing_wd = 6 − 2 = 4 > 3: overdue, ≤ 5: not legal overdue
  T2 accepted Wed 09-30, reviewed Fri 10-09, still 在办; judged at as_of Mon 10-12:
       受理 0, 审查完成 2 (10-08, 10-09), 统计时点 4 (10-10, 10-12) → open_wd 4 − 0 > 3: open overdue
  T3 of D2 (another department), 不予受理: no acceptance, no clock.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.frames import Frames, frames_from
from metrics.access import restrict_frames
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.timeline import AS_OF_STEP, timeline
from metrics.views.application import application_record, application_timeline

D = dt.date
OCTOBER = MetricsRequest(D(2026, 10, 1), D(2026, 10, 31))
AT_12TH = MetricsRequest(D(2026, 10, 1), D(2026, 10, 31), D(2026, 10, 12))


def _frames() -> Frames:
    departments = pd.DataFrame({"dept_code": ["D1", "D2"], "dept_name": ["甲局", "乙局"],
                                "dept_type": ["区直部门", "区直部门"]})
    items = pd.DataFrame({
        "item_code": ["I1", "I2"], "item_name": ["事项一", "事项二"], "dept_code": ["D1", "D2"],
        "item_type": ["行政许可", "行政许可"], "legal_limit_days": [5, 10], "promised_limit_days": [3, 5],
    })
    cols = ["app_id", "item_code", "dept_code", "submitted_at", "accepted_at", "reviewed_at", "decided_at",
            "completed_at", "status", "suspended_days"]
    apps = pd.DataFrame([
        ("T1", "I1", "D1", "2026-09-28 16:00", "2026-09-29 09:00", "2026-10-09 10:00", "2026-10-10 11:00",
         "2026-10-13 15:00", "已办结", 2),
        ("T2", "I1", "D1", "2026-09-30 08:00", "2026-09-30 09:00", "2026-10-09 10:00", None, None, "在办", 0),
        ("T3", "I2", "D2", "2026-10-09 08:00", None, None, None, None, "不予受理", 0),
    ], columns=cols)
    for c in ("submitted_at", "accepted_at", "reviewed_at", "decided_at", "completed_at"):
        apps[c] = pd.to_datetime(apps[c])
    return frames_from({"departments": departments, "service_items": items, "applications": apps})


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(_frames())


def test_completed_timeline_across_national_day_and_a_make_up_day(engine: MetricsEngine) -> None:
    tl = application_timeline(engine, OCTOBER, "T1")
    assert tl is not None
    rows = tl.rows
    assert rows["step"].tolist() == ["提交", "受理", "审查完成", "作出决定", "办结"]
    assert rows["stage"].tolist()[1:] == ["受理", "审查", "决定", "送达"]
    assert rows["day"].tolist() == [D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 9), D(2026, 10, 10), D(2026, 10, 13)]
    assert rows["cum_wd"].tolist() == [-1, 0, 3, 4, 6]
    assert rows["stage_wd"].tolist()[1:] == [1, 3, 1, 2]
    assert pd.isna(rows["stage_wd"].iloc[0])
    assert (tl.elapsed_wd, tl.suspended_days, tl.counted_wd) == (6, 2, 4)
    assert (tl.promised_limit_days, tl.legal_limit_days) == (3, 5)
    assert tl.overdue and not tl.legal_overdue and not tl.open and tl.clocked


def test_open_timeline_runs_to_as_of_and_hides_later_steps(engine: MetricsEngine) -> None:
    tl = application_timeline(engine, AT_12TH, "T2")
    assert tl is not None and tl.open
    assert tl.rows["step"].tolist() == ["提交", "受理", "审查完成", AS_OF_STEP]
    assert tl.rows["cum_wd"].tolist() == [0, 0, 2, 4]
    assert (tl.elapsed_wd, tl.counted_wd, tl.suspended_days) == (4, 4, 0)
    assert tl.overdue and not tl.legal_overdue
    # judged at 10-08 instead: the review of 10-09 has not happened yet, one working day used
    early = application_timeline(engine, MetricsRequest(D(2026, 10, 1), D(2026, 10, 31), D(2026, 10, 8)), "T2")
    assert early is not None
    assert early.rows["step"].tolist() == ["提交", "受理", AS_OF_STEP]
    assert (early.elapsed_wd, early.counted_wd, early.overdue) == (1, 1, False)


def test_a_completed_application_judged_before_its_completion_is_open(engine: MetricsEngine) -> None:
    tl = application_timeline(engine, MetricsRequest(D(2026, 10, 1), D(2026, 10, 31), D(2026, 10, 9)), "T1")
    assert tl is not None and tl.open
    assert tl.rows["step"].tolist() == ["提交", "受理", "审查完成", AS_OF_STEP]
    # wd(09-29, 10-09) = 3, less the 2 suspended days: open_wd 1
    assert (tl.elapsed_wd, tl.counted_wd, tl.overdue) == (3, 1, False)


def test_without_acceptance_there_is_no_clock(engine: MetricsEngine) -> None:
    tl = application_timeline(engine, OCTOBER, "T3")
    assert tl is not None and not tl.clocked
    assert tl.rows["step"].tolist() == ["提交"]
    assert tl.rows["cum_wd"].isna().all()
    assert tl.counted_wd is None and not tl.overdue


def test_the_record_comes_from_the_principals_engine(engine: MetricsEngine) -> None:
    record = application_record(engine, OCTOBER, "T1")
    assert record is not None
    assert (record["dept_name"], record["item_name"], record["processing_wd"]) == ("甲局", "事项一", 4)
    assert application_record(engine, OCTOBER, "NO-SUCH") is None
    own = MetricsEngine(restrict_frames(engine.frames, "D1"))
    assert application_record(own, OCTOBER, "T1") is not None
    assert application_record(own, OCTOBER, "T3") is None  # D2's application: not in D1's engine
    assert application_timeline(own, OCTOBER, "T3") is None


def test_timeline_of_a_plain_record_is_the_records_own_counts() -> None:
    # the counted days and flags are the record's (the engine's rules), never recomputed here
    record = {"accepted_at": pd.Timestamp("2026-09-29 09:00"), "completed_at": pd.Timestamp("2026-10-13 15:00"),
              "processing_wd": 4, "suspended_days": 2, "overdue": False, "legal_overdue": True,
              "promised_limit_days": 3, "legal_limit_days": 5}
    tl = timeline(record, D(2026, 10, 31))
    assert tl.rows["cum_wd"].tolist() == [0, 6]
    assert (tl.counted_wd, tl.overdue, tl.legal_overdue) == (4, False, True)


def test_the_timeline_chart_draws_limits_suspension_and_overdue(engine: MetricsEngine) -> None:
    from charts.application import CLOCK_ROW, stage_timeline
    from charts.style import ACCENT

    tl = application_timeline(engine, OCTOBER, "T1")
    assert tl is not None
    clock = {"elapsed_wd": tl.elapsed_wd, "counted_wd": tl.counted_wd, "suspended_days": tl.suspended_days,
             "promised_limit_days": tl.promised_limit_days, "legal_limit_days": tl.legal_limit_days,
             "overdue": tl.overdue, "legal_overdue": tl.legal_overdue, "open": tl.open}
    fig = stage_timeline(tl.rows, clock, title="环节时间轴")
    lines = {(s.x0, s.line.dash) for s in fig.layout.shapes}
    assert lines == {(3, "dash"), (5, "dot")}  # promised 3, legal 5
    clock_bars = [b for b in fig.data if b.type == "bar" and tuple(b.y) == (CLOCK_ROW,)]
    assert [(b.base[0], b.x[0]) for b in clock_bars] == [(0, 4), (4, 2)]  # counted 4, then suspended 2
    assert clock_bars[0].marker.color == ACCENT  # over the promised limit
    labels = [a.text for a in fig.layout.annotations if a.showarrow]
    assert labels == ["提交 09-28", "受理 09-29", "审查完成 10-09", "作出决定 10-10", "办结 10-13"]
    stages = [(b.base[0], b.x[0]) for b in fig.data if b.type == "bar" and tuple(b.y) != (CLOCK_ROW,)]
    assert stages == [(-1, 1), (0, 3), (3, 1), (4, 2)]

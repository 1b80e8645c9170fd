"""Oracle tests of the early-warning lights on hand-worked dates (see tests/fixtures/alerts.py).

Each expected light was counted by hand from the 2025 National Day arrangement: holidays
10-01..10-08, make-up working days Sunday 09-28 and Saturday 10-11.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.meetings import SOURCE_MEETING
from metrics.alert_settings import AlertSettingsError, LightRules, load_settings
from metrics.lights import (
    DECISION,
    GREEN,
    RED,
    TASK,
    YELLOW,
    application_lights,
    judge,
    key_case_lights,
    task_lights,
    transfer_lights,
)
from metrics.populations import Scope, Window
from metrics.prepared import prepare
from tests.fixtures.alerts import frames

D = dt.date
RULES = LightRules()


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return prepare(frames())


def lights_of(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["item_id"], frame["light"], strict=True))


def test_application_lights_across_national_day(data) -> None:  # type: ignore[no-untyped-def]
    # at Fri 10-10: A1 (acc 09-29) used 09-30, 10-09, 10-10 = 3 of 5, 2 left -> 黄
    # A2 (09-26) 09-28, 29, 30, 10-09, 10 = 5, 0 left -> 黄 (not over)
    # A3 (09-25) 6 > 5 -> 红; A4 the same minus 1 suspended day = 5 -> 黄
    # A5 (09-30) 10-09, 10-10 = 2, 3 left -> 绿; A6 completed; A8 accepted after today
    # A7 dept D02 with D01's item: 09-22..26, 28, 29, 30, 10-09, 10 = 10 -> 红
    got = application_lights(data, D(2025, 10, 10), RULES)
    assert lights_of(got) == {"A1": YELLOW, "A2": YELLOW, "A3": RED, "A4": YELLOW, "A5": GREEN, "A7": RED}
    used = dict(zip(got["item_id"], got["elapsed"], strict=True))
    assert used == {"A1": 3, "A2": 5, "A3": 6, "A4": 5, "A5": 2, "A7": 10}
    assert dict(zip(got["item_id"], got["dept_code"], strict=True))["A7"] == "D02"


def test_application_lights_on_a_make_up_saturday_and_the_sunday_after(data) -> None:  # type: ignore[no-untyped-def]
    # Sat 10-11 is a working day: A5 has used 3 (2 left) -> 黄; A2 has used 6 -> 红
    sat = lights_of(application_lights(data, D(2025, 10, 11), RULES))
    assert sat["A5"] == YELLOW and sat["A2"] == RED and sat["A1"] == YELLOW
    # Sun 10-12 is not: nothing moves
    assert lights_of(application_lights(data, D(2025, 10, 12), RULES)) == sat
    # in the holiday nothing moves either: 10-01 and 10-08 light the same
    assert lights_of(application_lights(data, D(2025, 10, 1), RULES)) == lights_of(
        application_lights(data, D(2025, 10, 8), RULES))


def test_application_warn_days_is_a_setting(data) -> None:  # type: ignore[no-untyped-def]
    # with warn_days 0, A1 (2 left) turns green; A2 (0 left) stays yellow
    got = lights_of(application_lights(data, D(2025, 10, 10), LightRules(app_warn_days=0)))
    assert got["A1"] == GREEN and got["A2"] == YELLOW


def test_transfer_lights(data) -> None:  # type: ignore[no-untyped-def]
    # C1 received Tue 09-30: 10-10 -> 2 (绿); Sun 10-12 -> 3 (10-11 counted) (绿);
    # Mon 10-13 -> 4 (黄, the 4th working day); 10-14 -> 5 (黄); 10-15 -> 6 (红, after the 5th)
    expected = {D(2025, 10, 10): GREEN, D(2025, 10, 12): GREEN, D(2025, 10, 13): YELLOW,
                D(2025, 10, 14): YELLOW, D(2025, 10, 15): RED}
    for day, light in expected.items():
        got = lights_of(transfer_lights(data, day, RULES))
        assert got["C1"] == light, day
        assert "C3" not in got  # transferred
    # C2 received Fri 09-26: at 10-10: 09-28, 29, 30, 10-09, 10 = 5 -> 黄; at 10-11 -> 6 -> 红
    assert lights_of(transfer_lights(data, D(2025, 10, 10), RULES))["C2"] == YELLOW
    assert lights_of(transfer_lights(data, D(2025, 10, 11), RULES))["C2"] == RED


def test_key_case_lights(data) -> None:  # type: ignore[no-untyped-def]
    # K1 deadline 10-09: 红 at 10-10; K4 deadline today: 0 left -> 黄; K2 deadline Fri 10-17:
    # at 10-10 six working days left (10-11, 13..17) -> 绿, at 10-11 five -> 黄.
    # K3 rectified, K5 not a key case: no light.
    at10 = lights_of(key_case_lights(data, D(2025, 10, 10), RULES))
    assert at10 == {"K1": RED, "K2": GREEN, "K4": YELLOW}
    at11 = lights_of(key_case_lights(data, D(2025, 10, 11), RULES))
    assert at11 == {"K1": RED, "K2": YELLOW, "K4": RED}
    # in the holiday: K1 (deadline 10-09) is 0 working days away on 10-01 -> 黄, not red
    assert lights_of(key_case_lights(data, D(2025, 10, 1), RULES))["K1"] == YELLOW


def _tasks() -> pd.DataFrame:
    return pd.DataFrame([
        (1, "任务一", "D01", D(2025, 10, 9), "整改中", "手工"),
        (2, "任务二", "D01", D(2025, 10, 15), "待整改", "短板"),
        (3, "任务三", "D02", D(2025, 10, 8), "已完成", "手工"),
        (4, "议定一", "D02", D(2025, 10, 8), "整改中", SOURCE_MEETING),
    ], columns=["id", "title", "dept_code", "deadline", "status", "source_kind"])


def test_task_and_decision_lights() -> None:
    # at 09-30: task 4 (deadline 10-08, in the holiday) is 0 working days away -> 黄;
    # task 1 (10-09) 1 away -> 黄; task 2 (10-15): 10-09, 10, 11, 13, 14, 15 = 6 -> 绿
    at = task_lights(_tasks(), D(2025, 9, 30), RULES)
    assert lights_of(at) == {"1": YELLOW, "2": GREEN, "4": YELLOW}
    assert dict(zip(at["item_id"], at["kind"], strict=True)) == {"1": TASK, "2": TASK, "4": DECISION}
    # at Fri 10-10: 1 and 4 past the deadline -> 红; 2: 10-11, 13, 14, 15 = 4 -> 绿; at Sat 10-11: 3 -> 黄
    assert lights_of(task_lights(_tasks(), D(2025, 10, 10), RULES)) == {"1": RED, "2": GREEN, "4": RED}
    assert lights_of(task_lights(_tasks(), D(2025, 10, 11), RULES))["2"] == YELLOW


def test_lights_are_judged_at_today_not_at_a_report_period(data) -> None:  # type: ignore[no-untyped-def]
    # the report period Q3 2025 ends 09-30: A3 (accepted 09-25) had used 4 working days then,
    # not over its limit of 5; the light judged today (10-10) is red regardless of the period.
    q3 = Scope(data, Window(D(2025, 7, 1), D(2025, 9, 30), D(2025, 9, 30)))
    a3 = int(data.apps.frame.index[data.apps.frame["app_id"] == "A3"][0])
    assert int(q3.open_wd[a3]) == 4
    board = judge(data, _tasks(), D(2025, 10, 10), RULES, {("application", "A3"): 2})
    row = board[board["item_id"] == "A3"].iloc[0]
    assert row["light"] == RED and row["urgings"] == 2 and row["dept_name"] == "区市场监督管理局"
    # red first, then yellow, then green
    order = board["light"].tolist()
    assert order == sorted(order, key=[RED, YELLOW, GREEN].index)


def test_kept_record_lights_give_the_same_board(data) -> None:  # type: ignore[no-untyped-def]
    """The dashboard keeps the records' lights per day (record_lights) and adds tasks and
    urgings on every run: the board is the one judged in one go, row for row."""
    from metrics.lights import record_lights

    today = D(2025, 10, 10)
    urged = {("application", "A3"): 2, ("task", "1"): 1}
    kept = record_lights(data, today, RULES)
    assert set(kept["kind"]) <= {"application", "key_case", "transfer"}  # no task in the kept part
    whole = judge(data, _tasks(), today, RULES, urged)
    pd.testing.assert_frame_equal(judge(data, _tasks(), today, RULES, urged, records=kept), whole)
    assert len(whole) == len(kept) + int((whole["kind"].isin(["task", "decision"])).sum())
    assert whole.loc[whole["item_id"] == "A3", "urgings"].tolist() == [2]


def test_judging_leaves_the_kept_record_lights_as_they_were(data) -> None:  # type: ignore[no-untyped-def]
    """The kept lights are shared by every session: judging a board on them (with tasks, and
    with nothing else to add, the case of a unit with no live records and no tasks) adds its
    urgings column to a new frame, never to the kept one."""
    from metrics.lights import record_lights

    today = D(2025, 10, 10)
    kept = record_lights(data, today, RULES)
    nothing = kept.iloc[0:0]
    for records, tasks in ((kept, _tasks()), (nothing, _tasks().iloc[0:0])):
        before = records.copy()
        board = judge(data, tasks, today, RULES, {("application", "A3"): 2}, records=records)
        assert "urgings" in board.columns and "urgings" not in records.columns
        pd.testing.assert_frame_equal(records, before)


def test_settings_validation_and_overrides() -> None:
    assert load_settings().lights == LightRules()
    assert load_settings({"lights": {"app_warn_days": 1}}).lights.app_warn_days == 1
    with pytest.raises(AlertSettingsError, match="黄灯起始工作日不应晚于转办时限"):
        load_settings({"lights": {"transfer_yellow_from": 6}})
    with pytest.raises(AlertSettingsError, match="办件黄灯提前工作日数应为 0 到 60 之间的整数"):
        load_settings({"lights": {"app_warn_days": -1}})
    with pytest.raises(AlertSettingsError, match=r"未知设置项 lights\.red_days"):
        load_settings({"lights": {"red_days": 1}})
    with pytest.raises(AlertSettingsError, match="看板地址"):
        load_settings({"notify": {"base_url": "javascript:alert(1)"}})


def test_property_application_lights_agree_with_scalar_wd_and_only_worsen() -> None:
    """Random applications over 2024..2026: the vectorised light equals the rule applied with
    the scalar :func:`metrics.calendar.wd`, and as today advances a light never improves."""
    import numpy as np

    from data.frames import frames_from
    from metrics.calendar import wd
    from tests.fixtures.alerts import tables

    rng = np.random.default_rng(16)
    n = 120
    base = tables()
    accepted = [D(2024, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, 1000, n)]
    apps = pd.DataFrame({
        "app_id": [f"R{i}" for i in range(n)], "item_code": rng.choice(["I1", "I2"], n).tolist(),
        "accepted_at": [f"{a.isoformat()} 10:00" for a in accepted], "status": "在办",
        "suspended_days": rng.integers(0, 3, n).tolist(), "channel": "网上办理", "route": "承诺件",
    })
    apps["submitted_at"] = apps["accepted_at"]
    base["applications"] = apps
    data = prepare(frames_from(base))
    promised = {"I1": 5, "I2": 3}
    rank = {GREEN: 0, YELLOW: 1, RED: 2}
    last: dict[str, int] = {}
    for today in (D(2024, 1, 1) + dt.timedelta(days=int(x)) for x in sorted(rng.integers(0, 1100, 40))):
        got = lights_of(application_lights(data, today, RULES))
        for i, acc in enumerate(accepted):
            key = f"R{i}"
            if acc > today:
                assert key not in got
                continue
            used = max(0, wd(acc, today) - int(apps.loc[i, "suspended_days"]))
            limit = promised[str(apps.loc[i, "item_code"])]
            want = RED if used > limit else YELLOW if limit - used <= RULES.app_warn_days else GREEN
            assert got[key] == want, (key, today)
            assert rank[want] >= last.get(key, 0)
            last[key] = rank[want]

"""Issue 13's unfinished edges below the dashboard: one local clock for every time written,
Excel downloads holding numbers, changes coloured by the indicator's direction, native deck
charts, ``user list`` without "nan", and the lived-in demo (tasks in every state)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from charts.common import department_bars, dimension_bars, dimension_radar, trend_lines
from charts.delta import delta_color, delta_tone
from cli.main import main
from data import accounts, audit, clock, settings
from data import tasks as task_store
from data.accounts import ADMIN, Principal
from data.db import Database
from data.demo.tasks import TASKS, seed_demo_tasks
from data.schema import task_events
from report.native_charts import native_chart
from report.spreadsheet import to_xlsx_bytes

UTC = dt.UTC
ADMIN_P = Principal("admin", "管理员甲", ADMIN)


# ---------------------------------------------------------------- one clock


def test_clock_reads_asia_shanghai_whatever_the_server_zone() -> None:
    with clock.fixed(dt.datetime(2026, 11, 30, 18, 30, 5, 123, tzinfo=UTC)):  # 02:30 the next day in Shanghai
        assert clock.local_now() == dt.datetime(2026, 12, 1, 2, 30, 5)
        assert clock.today_local() == dt.date(2026, 12, 1)
        assert clock.local_moment().microsecond == 123
    with pytest.raises(ValueError), clock.fixed(dt.datetime(2026, 12, 1)):
        pass


def test_audit_settings_and_task_history_are_written_in_local_time(db: Database) -> None:
    """At 18:30 UTC on 30 November it is 02:30 on 1 December in Jianghai: every time written
    says so (the server's own zone, UTC here, never leaks into what is stored)."""
    moment = dt.datetime(2026, 11, 30, 18, 30, tzinfo=UTC)
    local = dt.datetime(2026, 12, 1, 2, 30)
    with db.session() as session, clock.fixed(moment):
        accounts.add_user(session, "lead", "Str0ng-Passw0rd!", "领导", display_name="张三")
        settings.put(session, "screening", {"x": 1}, "admin")
        audit.record(session, "admin", "测试")
    with db.session() as session:
        log = audit.entries(session)
        assert set(log["at"]) == {local} and len(log) == 3  # 新增用户, 修改设置, 测试
        row = session.execute(select(settings.settings.c.updated_at)).one()
        assert row.updated_at == local


@pytest.fixture
def departments_db(db: Database) -> Database:
    from sqlalchemy import insert

    from data.schema import CONTRACT
    with db.session() as session:
        session.execute(insert(CONTRACT["departments"]).values(
            dept_code="JH001", dept_name="区发展改革局", dept_type="区直部门", joint_meeting=True,
            convener=True, row_hash=1))
    return db


def test_task_times_and_live_deadlines_use_the_local_day(departments_db: Database) -> None:
    db = departments_db
    with db.session() as session, clock.fixed(dt.datetime(2026, 11, 30, 17, 0, tzinfo=UTC)):  # 01:00 on 1 Dec
        task_id = task_store.create_task(session, ADMIN_P, title="整改", dept="JH001", responsible="甲",
                                         deadline=dt.date(2026, 11, 30), requirement="要求")
        tasks = task_store.list_tasks(session, ADMIN_P)
        history = session.execute(select(task_events.c.at).where(task_events.c.task_id == task_id)).all()
    assert [h.at for h in history] == [dt.datetime(2026, 12, 1, 1, 0)]
    assert tasks.iloc[0]["days_left"] == -1  # due yesterday in Jianghai (still the 30th in UTC)


# ---------------------------------------------------------------- Excel numbers


def test_xlsx_rates_are_numbers_with_a_percent_format() -> None:
    frame = pd.DataFrame({"按时办结率": ["90.0%", None, "12.5%"], "件数": pd.array([57, None, 3], dtype="Int64"),
                          "占比": [0.5, 0.25, 1.0], "部门": ["甲", "乙", "=1+1"]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"表": frame}, {"表": {"占比": "0.0%"}})))
    ws = book["表"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == [pytest.approx(0.9), None, pytest.approx(0.125)]
    assert ws["A2"].data_type == "n" and ws["A2"].number_format == "0.0%"
    assert ws["B2"].data_type == "n" and ws["B2"].value == 57 and ws["B3"].value is None  # never "57.0" or "<NA>"
    assert ws["C3"].data_type == "n" and ws["C3"].value == 0.25 and ws["C3"].number_format == "0.0%"
    assert ws["D4"].data_type == "s" and ws["D4"].value == "=1+1"  # text stays text


def test_a_text_column_that_is_not_all_percentages_stays_text() -> None:
    frame = pd.DataFrame({"说明": ["90.0%", "约一半"]})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"S": frame}))).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == "90.0%"


# ---------------------------------------------------------------- colours of a change


@pytest.mark.parametrize(("value", "previous", "direction", "tone", "color"), [
    (0.95, 0.90, "up", "good", "normal"),      # 按时办结率 up: a rise is green
    (0.85, 0.90, "up", "bad", "normal"),       # ... a fall red
    (1.45, 1.38, "down", "bad", "inverse"),    # 平均办理用时 +0.07: worse, red
    (7, 21, "down", "good", "inverse"),        # 超期未办结 −14: better, green
    (7, 21, "none", "neutral", "off"),         # not scored: neutral
    (0.9, 0.90001, "up", "neutral", "off"),    # 持平
    (0.9, None, "up", "neutral", "off"),
])
def test_change_colour_follows_the_direction(value: float, previous: float | None, direction: str,
                                             tone: str, color: str) -> None:
    unit = "ratio" if isinstance(value, float) and value < 1 else "value"
    assert delta_tone(value, previous, direction, unit) == tone
    assert delta_color(value, previous, direction, unit) == color
    if tone != "neutral":  # Streamlit paints a rise green with "normal", red with "inverse"
        rose = value > (previous or 0)
        green = (color == "normal") == rose
        assert green == (tone == "good")


# ---------------------------------------------------------------- native deck charts


def test_bars_lines_and_radar_become_native_charts_with_the_figures_values() -> None:
    bars = native_chart(dimension_bars(["办事流程", "服务渠道"], [80.0, None], title="全区维度得分",
                                       compare=[70.0, 60.0]))
    assert bars is not None and bars.kind == "column" and bars.categories == ("办事流程", "服务渠道")
    assert [s.values for s in bars.series] == [(80.0, None), (70.0, 60.0)]
    assert bars.value_range == (0.0, 110.0) and bars.title == "全区维度得分"
    months = pd.DataFrame({"month": ["2026-07", "2026-08"], "value": [0.9, None]})
    line = native_chart(trend_lines({"全区": months}, unit="ratio", title="按时办结率"))
    assert line is not None and line.kind == "line" and line.series[0].values == (90.0, None)
    assert line.number_format == '0.0"%"'
    radar = native_chart(dimension_radar(["甲", "乙", "丙"], {"部门": [10.0, 20.0, 30.0]}, title="雷达"))
    assert radar is not None and radar.kind == "radar" and radar.categories == ("甲", "乙", "丙")
    assert radar.series[0].values == (10.0, 20.0, 30.0)
    depts = pd.DataFrame({"dept_code": ["A", "B"], "dept_name": ["甲局", "乙局"], "v": [0.5, 0.8]})
    h = native_chart(department_bars(depts, "v", unit="ratio", district=0.6, title="各部门", highlight="B"))
    assert h is not None and h.kind == "bar" and h.categories == ("甲局", "乙局")
    assert h.series[0].values == (50.0, 80.0) and h.series[0].colors[0] != h.series[0].colors[1]
    assert "全区 60.0%" in h.title  # the district line, which a native bar chart has no shape for


def test_the_unit_looked_at_is_not_painted_as_bad() -> None:
    """A department user's own bar (or the department drilled to) stands out in a colour of
    its own, not in the red that marks what needs attention, even when it is above 全区."""
    from charts.style import ACCENT, PRIMARY, SELECTED

    depts = pd.DataFrame({"dept_code": ["A", "B"], "dept_name": ["甲局", "乙局"], "v": [0.5, 0.8]})
    fig = department_bars(depts, "v", unit="ratio", district=0.6, title="各部门", highlight="B")
    colours = dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))
    assert colours == {"甲局": PRIMARY, "乙局": SELECTED} and ACCENT not in colours.values()


def test_a_heatmap_stays_a_picture() -> None:
    import plotly.graph_objects as go

    assert native_chart(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))) is None


# ---------------------------------------------------------------- CLI


def test_user_list_shows_a_dash_for_no_department(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(db_url)
    with db.session() as session:
        accounts.add_user(session, "lead", "Str0ng-Passw0rd!", "领导", display_name="李四")
    db.dispose()
    assert main(["--db", db_url, "user", "list"]) == 0
    out = capsys.readouterr().out
    assert "nan" not in out and "None" not in out
    assert out.splitlines()[0] == "用户名\t显示名称\t角色\t部门编码\t状态"
    assert "lead\t李四\t领导\t—\t启用" in out


# ---------------------------------------------------------------- the lived-in demo


def test_demo_tasks_cover_every_state_and_some_are_overdue(demo_db_url: str) -> None:
    db = Database(demo_db_url)
    with db.session() as session, clock.fixed(dt.datetime(2026, 12, 1, 1, 0, tzinfo=UTC)):
        assert seed_demo_tasks(session) == len(TASKS)
        assert seed_demo_tasks(session) == 0  # once only
        tasks = task_store.list_tasks(session, ADMIN_P)
        first = int(tasks["id"].min())
        history = task_store.task_history(session, ADMIN_P, first)
    db.dispose()
    assert set(tasks["status"]) == set(task_store.STATUSES)
    overdue = tasks[tasks["overdue"]]
    assert set(overdue["status"]) == {task_store.TODO, task_store.DOING}  # open and past the deadline today
    assert len(tasks[(tasks["days_left"] >= 0) & (tasks["status"] != task_store.DONE)]) >= 2  # and some not yet
    assert history["at"].max() <= dt.datetime(2026, 12, 1, 9, 0)  # nothing stamped in the future
    # derived from the demo's own end (2026-10-30/31), not from the day it is loaded
    assert sorted(tasks["deadline"].astype(str))[0] >= "2026-11-01"


def test_serve_loads_the_demo_with_its_tasks(tmp_path: Path) -> None:
    from cli.cmd_serve import load_demo_if_empty

    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    db.upgrade()
    with clock.fixed(dt.datetime(2026, 12, 1, 1, 0, tzinfo=UTC)):
        assert load_demo_if_empty(db, scale=0.05)
    with db.session() as session:
        statuses = set(task_store.list_tasks(session, ADMIN_P)["status"])
    db.dispose()
    assert statuses == set(task_store.STATUSES)


def test_dimension_charts_of_unscored_dimensions_say_so() -> None:
    """An unscored dimension arrives as pandas NA (a Float64 column): the bar is left out and
    labelled 数据不足, never "<NA>"; the radar draws it at 0 (issue 13 walk)."""
    bars = dimension_bars(["办事流程", "服务渠道"], list(pd.array([pd.NA, 80.0], dtype="Float64")), title="全区维度得分")
    assert list(bars.data[0].text) == ["数据不足", "80.0"] and list(bars.data[0].y) == [None, 80.0]
    radar = dimension_radar(["甲", "乙"], {"全区": list(pd.array([pd.NA, 50.0], dtype="Float64"))}, title="雷达")
    assert list(radar.data[0].r) == [0.0, 50.0, 0.0]

"""Issue 13's wrong answers, on the real app (AppTest, demo data ending 2026-10-30):
live work judged at today, 数据截至 and unscored incomplete periods, a department's own view
with published district figures, the negative list's channel completeness, and 上期/同比
named as calendar periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from data import clock
from data import tasks as task_store
from data.accounts import LEADER, Principal
from data.db import Database
from tests.fixtures.apptest import as_role, assert_clean, frame, open_page, page_text, pin_today, texts

LEADER_P = Principal("lead", "领导", LEADER)


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


# ---------------------------------------------------------------- 1. live work at today


def test_tasks_are_judged_at_today_not_the_period(app: AppTest, demo_db_url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pin_today(monkeypatch, "2026-12-01")
    db = Database(demo_db_url)
    with db.session() as s:  # due 2026-10-30: 30 days after the 2026Q3 as_of, a month before today
        task_store.create_task(s, LEADER_P, title="压缩审查时限", dept="JH009", responsible="张三",
                               deadline=date(2026, 10, 30), requirement="审查环节压缩至3个工作日")
    db.dispose()
    open_page(app, "tasks", period="2026Q3")
    assert_clean(app)
    row = frame(app, "剩余天数").iloc[0]
    assert int(row["剩余天数"]) == -32 and row["是否逾期"] == "是"
    assert _metrics(app)["逾期未完成"] == "1"
    assert "状态按今天 2026-12-01 判定" in page_text(app)


def test_key_case_deadlines_are_judged_at_today(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_today(monkeypatch, "2026-11-15")
    open_page(app, "ledger", period="2026Q3")
    assert_clean(app)
    first = frame(app, "提示").iloc[0]
    # 区应急管理局's key case, due 2026-08-31 and never rectified: 76 days late on 2026-11-15
    assert first["部门名称"] == "区应急管理局" and first["逾期天数"] == 76 and first["提示"] == "逾期 76 天"
    assert "状态按今天 2026-11-15 判定" in page_text(app) and "评估基准日 2026-09-30" in page_text(app)
    assert _metrics(app)["重点督办逾期未整改数"] == "1"  # the indicator stays at as_of
    open_page(app, "ledger", period="2026Q3", case="XS202600009")  # the case's detail agrees with its row
    assert any("已超过整改时限 76 天" in w for w in texts(app, "warning"))


# ---------------------------------------------------------------- 2. 数据截至 and 数据不完整


def test_every_data_page_says_how_far_the_data_reaches(app: AppTest) -> None:
    for page in ("overview", "cases", "credit", "negative_list"):
        open_page(app, page, period="2026Q3")
        assert_clean(app)
        text = page_text(app)
        assert "数据截至 2026-10-30" in text and "案例线索 2026-10-28" in text and "信用分类 2026-09-30" in text, page
        assert "数据不完整" not in text


def test_a_period_beyond_the_data_is_not_scored(app: AppTest) -> None:
    open_page(app, "overview", period="2026-10")  # ends 2026-10-31, the data on 2026-10-30
    assert_clean(app)
    assert any("数据不完整" in w and "2026-10-30" in w for w in texts(app, "warning"))
    assert not [d for d in app.dataframe if "原因" in d.value.columns]  # no weak links
    scores = frame(app, "综合得分")
    assert scores["综合得分"].isna().all()
    app.toggle(key="f_score_incomplete").set_value(True).run()
    assert_clean(app)
    assert frame(app, "原因").shape[0] > 0  # asked for: scored on the incomplete data
    assert any("仅供参考" in w for w in texts(app, "warning"))


def test_changes_of_a_period_beyond_the_data_are_not_coloured(app: AppTest) -> None:
    """2026Q4 holds one month of data: its changes against a whole 2026Q3 are shown, but
    neither green nor red (a fall of 超期办结件数 from 137 to 33 is not an improvement)."""
    open_page(app, "overview", period="2026Q4")
    assert_clean(app)
    changed = [m for m in app.metric if m.delta and m.delta != "持平"]
    assert changed and all(m.proto.color == MetricProto.MetricColor.GRAY for m in changed)
    assert all("数据不完整" in m.help for m in changed)


def test_changes_of_a_whole_period_are_coloured(app: AppTest) -> None:
    open_page(app, "overview", period="2026Q3")
    assert_clean(app)
    coloured = [m for m in app.metric if m.proto.color != MetricProto.MetricColor.GRAY]
    assert coloured and not any("数据不完整" in m.help for m in app.metric)


def test_the_period_picker_defaults_to_the_latest_complete_period(app: AppTest) -> None:
    app.run()
    app.sidebar.segmented_control(key="f_kind").set_value("month").run()
    assert_clean(app)
    picker = app.sidebar.selectbox(key="f_period")
    assert picker.value == "2026-09"
    assert picker.options[0] == "2026年10月（数据不完整）" and picker.options[1] == "2026年9月"
    assert "数据不完整" not in page_text(app)


def test_weak_links_of_an_incomplete_period_are_not_made(app: AppTest) -> None:
    open_page(app, "weak_links", period="2026Q4")
    assert_clean(app)
    assert "所选时段数据不完整：不评分、不生成短板。" in texts(app, "info")
    assert not app.metric and not app.success


# ---------------------------------------------------------------- 3. a department's own view


def _district_grades(app: AppTest) -> list:
    """The 全区 grade table of 信用分类 (grade, entities, share)."""
    return [d.value for d in app.dataframe if list(d.value.columns) == ["信用风险类别", "主体数", "占比"]]


def test_a_department_user_sees_its_own_view_and_published_district_figures(app: AppTest) -> None:
    open_page(app, "credit", period="2026Q3")
    published = _district_grades(app)
    leader_trend = frame(app, "高风险主体数")
    published_trend = leader_trend[leader_trend["部门名称"] == "全区"]["主体数"].tolist()
    as_role(app, "部门用户", "JH009")
    open_page(app, "credit", period="2026Q3")
    assert_clean(app)
    assert texts(app, "title") == ["信用分类 · 区住房城乡建设局"]
    assert app.sidebar.selectbox(key="f_dept").options == ["区住房城乡建设局"]  # no 全区 choice over own data
    shown = _district_grades(app)
    assert len(published) == len(shown) == 1
    assert shown[0].equals(published[0])  # 全区 is the published district, not the department's own
    own = frame(app, "A类主体数")  # the department's own row of the grade table
    assert own["主体数"].sum() < published[0]["主体数"].sum()
    assert "本部门的数据" in page_text(app)
    trend = frame(app, "高风险主体数")
    assert set(trend["部门名称"]) == {"全区", "区住房城乡建设局"}
    assert trend[trend["部门名称"] == "全区"]["主体数"].tolist() == published_trend  # the district's, not its own


def test_a_department_users_case_figures_are_its_own(app: AppTest) -> None:
    as_role(app, "部门用户", "JH010")
    open_page(app, "cases", period="custom", **{"from": "2025-01-01", "to": "2026-09-30"})
    assert_clean(app)
    assert texts(app, "title") == ["案例线索 · 区文化广电旅游体育局"]
    count = int(_metrics(app)["线索数"])
    assert count > 0 and int(frame(app, "接收件数")["接收件数"].sum()) == count  # the card is the chart's total


# ---------------------------------------------------------------- 4. the negative list's channels


def test_departments_on_all_three_channels_agree_with_the_gaps_table(app: AppTest) -> None:
    open_page(app, "negative_list", period="2026Q3")
    assert_clean(app)
    gaps = frame(app, "未公开渠道")
    full, total = _metrics(app)["全区在全部三个渠道公开的部门数"].split(" / ")
    assert int(total) == 19 and int(full) == int(total) - len(gaps) and len(gaps) >= 3
    assert any("合并计算" in c for c in texts(app, "caption"))


# ---------------------------------------------------------------- 6. 上期 and 同比


def test_overview_names_the_calendar_previous_period_and_the_year_before(app: AppTest) -> None:
    open_page(app, "overview", period="2026Q3")
    assert_clean(app)
    captions = texts(app, "caption")
    assert any("较上期（2026年第二季度）" in c and "同比（2025年第三季度）" in c for c in captions)
    assert sum(c.startswith("同比 ") for c in captions) == 6  # under each headline card


def test_today_is_shanghai_today() -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    before = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert clock.today_local() in (before, before + timedelta(days=1))

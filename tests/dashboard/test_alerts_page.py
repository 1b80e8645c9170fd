"""预警中心, 联席会议 and the early-warning settings (AppTest on the demo data, judged at
today in Asia/Shanghai): the counts are the facade's, a digest's deep link opens the item,
a leader's 催办 reaches the department at once (预警中心, 部门自查) and is counted in the
ledger, a department user sees its own items and cannot urge, only leaders and the
administrator open 联席会议, and thresholds and contacts are validated."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES, allowed, available
from data.accounts import LEADER, Principal
from data.db import Database
from data.frames import load_frames
from data.urgings import list_urgings
from followup.digest import ALERTS_PATH
from metrics.alerts import AlertBoard, AlertRequest, alert_board
from metrics.engine import MetricsEngine
from metrics.lights import APPLICATION, RED, today_local
from tests.fixtures.apptest import APP, as_role, assert_clean, frame, open_page, page_text, texts

READER = Principal("t", "测试", LEADER)


def _board(url: str) -> AlertBoard:
    db = Database(url)
    try:
        with db.session() as s:
            return alert_board(s, MetricsEngine(load_frames(s, None)).data, READER, AlertRequest())
    finally:
        db.dispose()


def _text(app: AppTest, label: str) -> Any:
    return next(w for w in app.text_input if w.label == label)


def _button(app: AppTest, label: str) -> Any:
    found = [b for b in app.button if b.label == label]
    assert found, f"no button {label}"
    return found[0]


def test_the_page_path_is_the_digests() -> None:
    assert [s.url_path for s in PAGES if s.page == "alerts"] == [ALERTS_PATH]


def test_counts_are_todays_lights_per_department_and_kind(app: AppTest, demo_db_url: str) -> None:
    board = _board(demo_db_url)
    open_page(app, "alerts")
    assert_clean(app)
    assert app.title[0].value == "预警中心 · 全区"
    assert f"按今日 {today_local().isoformat()}（北京时间）判定" in page_text(app)
    totals = board.totals()
    assert totals[RED] > 0  # the demo data have applications past their promised limit today
    for light, n in totals.items():
        assert f"### :{ {'red': 'red', 'yellow': 'orange', 'green': 'green'}[light] }[{n}]" in texts(app, "markdown")
    counts = frame(app, "绿灯")
    expected = {(c.dept_name, c.red, c.yellow, c.green) for c in board.counts()}
    assert set(zip(counts["部门名称"], counts["红灯"], counts["黄灯"], counts["绿灯"], strict=True)) == expected
    items = frame(app, "催办次数")
    assert len(items) == len(board.select()) and items["灯色"].iloc[0] == "红灯"


def test_deep_link_urge_seen_by_the_department_and_counted(app: AppTest, demo_db_url: str) -> None:
    red = next(i for i in _board(demo_db_url).select(kind=APPLICATION, light=RED))
    open_page(app, "alerts", dept=red.dept_code, kind=APPLICATION, id=red.item_id)
    assert_clean(app)
    assert app.title[0].value == f"预警中心 · {red.dept_name}"
    assert f"办件 **{red.item_id}**" in page_text(app)
    fields = frame(app, "内容").set_index("字段")["内容"]  # the application's record, whole
    assert fields["办件编号"] == red.item_id
    timeline = [el for el in app.get("plotly_chart") if el.key == "al_app_timeline"]  # type: ignore[attr-defined]
    assert len(timeline) == 1  # its stage timeline, judged at today
    assert any("已超过承诺时限" in w for w in texts(app, "warning"))  # a red application is over its limit
    _button(app, "催办").click().run()
    assert "请填写催办意见。" in [e.value for e in app.error]
    app.text_area(key="al_urge_note").input("请于本周内办结并说明超时原因")
    _button(app, "催办").click().run()
    assert not app.error, app.error[0].value
    assert any("已催办（第 1 次）" in s.value for s in app.success)
    db = Database(demo_db_url)
    with db.session() as s:
        [urging] = list_urgings(s, READER)
    db.dispose()
    assert (urging.kind, urging.item_id, urging.dept_code, urging.note) == (
        APPLICATION, red.item_id, red.dept_code, "请于本周内办结并说明超时原因")

    dept = as_role(AppTest.from_file(str(APP), default_timeout=120), "部门用户", red.dept_code)
    open_page(dept, "alerts", kind=APPLICATION, id=red.item_id)
    assert_clean(dept)
    received = frame(dept, "催办意见")
    assert received["催办意见"].tolist() == ["请于本周内办结并说明超时原因"] and received["催办人"].tolist() == ["demo-领导"]
    assert "本部门共收到催办 1 次" in page_text(dept)
    assert set(frame(dept, "绿灯")["部门名称"]) == {red.dept_name}  # its own rows only
    assert "催办由领导或管理员发起" in page_text(dept) and not [b for b in dept.button if b.label == "催办"]
    listed = frame(dept, "催办次数")
    assert listed.loc[listed["事项编号"] == red.item_id, "催办次数"].tolist() == [1]
    open_page(dept, "self_check")
    assert_clean(dept)
    assert frame(dept, "催办意见")["事项编号"].tolist() == [red.item_id]


def test_a_department_link_to_another_department_shows_nothing_of_it(app: AppTest, demo_db_url: str) -> None:
    board = _board(demo_db_url)
    red = next(i for i in board.select(light=RED))
    other = next(c.dept_code for c in board.counts() if c.dept_code != red.dept_code)
    as_role(app, "部门用户", other)
    open_page(app, "alerts", dept=red.dept_code, kind=red.kind, id=red.item_id)
    assert_clean(app)
    assert f"事项 {red.item_id} 已办结、不在预警范围内或无权查看。" in texts(app, "info")
    assert red.dept_name not in set(frame(app, "绿灯")["部门名称"])


def test_ledger_counts_urgings_and_overview_shows_todays_lights(app: AppTest, demo_db_url: str) -> None:
    board = _board(demo_db_url)
    open_page(app, "overview")
    assert_clean(app)
    t = board.totals()
    line = next(m for m in texts(app, "markdown") if m.startswith("**今日预警"))
    assert f":red[**红灯 {t['red']}**]" in line and f":orange[**黄灯 {t['yellow']}**]" in line
    open_page(app, "ledger", period="2026Q3")
    assert_clean(app)
    assert "催办次数" in frame(app, "提示").columns


@pytest.mark.parametrize("role", ["部门用户", "展示"])
def test_meetings_page_is_for_leaders_and_administrators(app: AppTest, role: str) -> None:
    as_role(app, role, "JH009" if role == "部门用户" else None)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in the role's navigation
        open_page(app, "meetings")
    assert "alerts" in {s.page for s in available(role=role)}  # every role that sees data has 预警中心
    assert not allowed("meetings", Principal("u", "u", role, "JH009" if role == "部门用户" else None))


def test_record_a_meeting_with_two_decisions(app: AppTest) -> None:
    as_role(app, "管理员")
    open_page(app, "meetings")
    assert_clean(app)
    assert "尚未登记联席会议。" in texts(app, "info")
    app.text_input(key="mt_convener").input("区发展改革局")
    app.multiselect(key="mt_units").select("JH001").select("JH009")
    app.text_input(key="mt_d1_content").input("压缩施工许可审查环节用时")
    app.selectbox(key="mt_d1_dept").select("JH009")
    app.text_input(key="mt_d1_resp").input("张三")
    _button(app, "登记会议并保存汇报材料").click().run()
    assert "第 2 项议定事项未填写：事项内容、责任单位、责任人。" in app.error[0].value  # nothing stored
    assert "尚未登记联席会议。" in texts(app, "info")
    app.text_input(key="mt_d2_content").input("清理市场准入隐性门槛")
    app.selectbox(key="mt_d2_dept").select("JH001")
    app.text_input(key="mt_d2_resp").input("李四")
    _button(app, "登记会议并保存汇报材料").click().run()
    assert_clean(app)
    assert any("议定事项 2 项已转为整改任务" in s.value for s in app.success)
    decisions = frame(app, "议定事项")
    assert decisions["议定事项"].tolist() == ["压缩施工许可审查环节用时", "清理市场准入隐性门槛"]
    assert decisions["落实情况"].tolist() == ["待整改（绿灯）", "待整改（绿灯）"]  # 30 days ahead
    assert "议定事项 2 项，已完成 0 项。" in page_text(app)
    assert any("下次会议的汇报材料以上次联席会议" in c for c in texts(app, "caption"))


def test_thresholds_and_contacts_are_validated(app: AppTest, demo_db_url: str) -> None:
    as_role(app, "管理员")
    open_page(app, "settings")
    assert_clean(app)
    app.number_input(key="al_set_transfer_yellow_from").set_value(7)
    _button(app, "保存阈值").click().run()
    assert "待转办线索黄灯起始工作日不应晚于转办时限" in app.error[0].value
    app.number_input(key="al_set_transfer_yellow_from").set_value(3)
    _button(app, "保存阈值").click().run()
    assert not app.error and "预警灯阈值已保存。" in [s.value for s in app.success]
    db = Database(demo_db_url)
    with db.session() as s:
        from metrics.alert_settings import current_settings

        assert current_settings(s).lights.transfer_yellow_from == 3
    db.dispose()
    form = _text(app, "联系人姓名")
    form.input("王五")
    _text(app, "电子邮箱").input("wangwu-at-example")
    _button(app, "保存联系人").click().run()
    assert "电子邮箱 wangwu-at-example 格式不正确" in app.error[0].value
    _text(app, "电子邮箱").input("wangwu@example.cn")
    _text(app, "钉钉群机器人地址").input("https://oapi.dingtalk.com/robot/send?access_token=abc")
    _text(app, "钉钉加签密钥").input("SECtopsecret123")
    _button(app, "保存联系人").click().run()
    assert_clean(app)
    contacts = frame(app, "提醒渠道")
    assert contacts["联系人"].tolist() == ["王五"] and contacts["提醒渠道"].tolist() == ["电子邮件、钉钉"]
    assert "SECtopsecret123" not in str(contacts.to_dict()) + page_text(app)

"""The 督办 loop on the data layer: the alert board and its scoping, 催办 (who may, which
items), contacts kept by the administrator, alert settings, and the joint meeting with its
decisions tracked as tasks.  Data: tests/fixtures/alerts.py judged at 2025-10-10."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from data import audit, tasks
from data.accounts import ADMIN, DEPT_USER, DISPLAY, LEADER, Principal
from data.contacts import Contact, ContactError, add_contact, delete_contact, list_contacts, update_contact
from data.db import Database
from data.meetings import (
    DecisionInput,
    MeetingError,
    MeetingInput,
    decisions_of,
    list_meetings,
    meeting_deck,
    record_meeting,
)
from data.schema import meetings, rectification_tasks
from data.urgings import UrgingError, list_urgings
from data.urgings import counts as urging_counts
from followup.meeting_deck import capture_deck, record_with_deck
from metrics.alert_settings import AlertSettingsError, current_settings, save_overrides
from metrics.alerts import AlertRequest, alert_board, alert_totals, decision_review, urge
from metrics.engine import MetricsEngine
from metrics.lights import APPLICATION, DECISION, GREEN, KEY_CASE, RED, TASK, YELLOW
from tests.fixtures.alerts import frames, seed_departments

TODAY = dt.date(2025, 10, 10)
ADMIN_P = Principal("admin", "管理员", ADMIN)
LEADER_P = Principal("leader", "领导", LEADER)
D01 = Principal("d01", "市监用户", DEPT_USER, "D01")
D02 = Principal("d02", "住建用户", DEPT_USER, "D02")


@pytest.fixture
def seeded(db: Database) -> Database:
    with db.session() as s:
        seed_departments(s)
    return db


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(frames())


def test_board_counts_lists_and_department_scope(seeded: Database, engine: MetricsEngine) -> None:
    with seeded.session() as s:
        board = alert_board(s, engine.data, LEADER_P, AlertRequest(TODAY))
        mine = alert_board(s, engine.data, D02, AlertRequest(TODAY, dept="D01"))  # a department sees its own
    counts = {(c.dept_code, c.kind): (c.red, c.yellow, c.green) for c in board.counts()}
    assert counts[("D01", APPLICATION)] == (1, 3, 1)  # A3 red; A1, A2, A4 yellow; A5 green
    assert counts[("D02", APPLICATION)] == (1, 0, 0)  # A7
    assert counts[("D01", KEY_CASE)] == (1, 1, 0)  # K1 red, K4 yellow
    assert board.totals() == {RED: 3, YELLOW: 5, GREEN: 3}
    for dept in ("D01", "D02"):  # the overview's line of one department: the items it lists, counted
        listed = board.select(dept=dept)
        assert board.totals(dept=dept) == {x: sum(i.light == x for i in listed) for x in (RED, YELLOW, GREEN)}
    assert board.totals(dept="D02")[RED] == 1
    assert board.totals(APPLICATION, dept="D01") == {RED: 1, YELLOW: 3, GREEN: 1}
    assert [i.item_id for i in board.select(dept="D01", kind=APPLICATION, light=YELLOW)] == ["A2", "A4", "A1"]
    assert {i.dept_code for i in mine.select()} == {"D02"} and mine.totals()[RED] == 1


def test_overview_totals_are_the_boards_counts(seeded: Database, engine: MetricsEngine) -> None:
    """总览 counts today's lights without ordering the board (alert_totals): for every reader,
    department asked for and kept-or-not record lights, the board's own totals, tasks included."""
    from metrics.alert_settings import LightRules
    from metrics.lights import record_lights

    with seeded.session() as s:
        tasks.create_task(s, ADMIN_P, title="按时办结率整改", dept="D01", responsible="张三",
                          deadline=TODAY + dt.timedelta(days=1), requirement="压减办理时限")
        tasks.create_task(s, ADMIN_P, title="逾期整改", dept="D02", responsible="李四",
                          deadline=TODAY - dt.timedelta(days=3), requirement="补齐材料")
        rules = LightRules()
        kept = record_lights(engine.data, TODAY, rules)
        for actor in (LEADER_P, ADMIN_P, D01, D02):
            for asked in (None, "D01", "D02"):
                request = AlertRequest(TODAY, dept=asked)
                board = alert_board(s, engine.data, actor, request, rules)
                for dept in (None, "D01", "D02"):
                    want = board.totals(dept=dept)
                    assert alert_totals(s, engine.data, actor, request, rules, kept, dept=dept) == want
                    assert alert_totals(s, engine.data, actor, request, rules, None, dept=dept) == want
        whole = alert_board(s, engine.data, LEADER_P, AlertRequest(TODAY), rules)
    assert whole.totals(kind=TASK) == {RED: 1, YELLOW: 1, GREEN: 0}  # the two tasks are counted
    assert sum(whole.totals().values()) == len(whole.items)


def test_only_leaders_and_admins_urge_and_only_red_items(seeded: Database, engine: MetricsEngine) -> None:
    with seeded.session() as s:
        board = alert_board(s, engine.data, LEADER_P, AlertRequest(TODAY))
        urge(s, LEADER_P, board, APPLICATION, "A3", "请于本周内办结")
        urge(s, ADMIN_P, board, APPLICATION, "A3", "再次催办")
        urge(s, LEADER_P, board, APPLICATION, "A7", "请说明超时原因")
        with pytest.raises(UrgingError, match="只有红灯事项可以催办"):
            urge(s, LEADER_P, board, APPLICATION, "A1", "黄灯")
        with pytest.raises(UrgingError, match="只有领导或管理员可以催办"):
            urge(s, D01, board, APPLICATION, "A3", "自己催自己")
        with pytest.raises(UrgingError, match="只有领导或管理员可以催办"):
            urge(s, Principal("screen", "大屏", DISPLAY), board, APPLICATION, "A3", "x")
        with pytest.raises(UrgingError, match="请填写催办意见"):
            urge(s, LEADER_P, board, APPLICATION, "A3", "  ")
        with pytest.raises(UrgingError, match="不存在或无权查看"):
            urge(s, LEADER_P, board, APPLICATION, "A404", "x")
    with seeded.session() as s:
        assert urging_counts(s) == {(APPLICATION, "A3"): 2, (APPLICATION, "A7"): 1}
        seen = list_urgings(s, D01)
        after = alert_board(s, engine.data, D01, AlertRequest(TODAY))
        log = audit.entries(s)
    assert [u.note for u in seen] == ["再次催办", "请于本周内办结"] and {u.dept_code for u in seen} == {"D01"}
    [a3] = [i for i in after.select() if i.item_id == "A3"]
    assert a3.urgings == 2
    assert (log["action"] == "催办").sum() == 3


def test_contacts_are_validated_and_audited_without_secrets(seeded: Database) -> None:
    with seeded.session() as s:
        with pytest.raises(ContactError, match="只有管理员"):
            add_contact(s, LEADER_P, Contact("张三", "D01", email="zs@d01.gov.cn"))
        with pytest.raises(ContactError) as err:
            add_contact(s, ADMIN_P, Contact(" ", "D09", email="not-an-email", dingtalk_url="ftp://x"))
        message = str(err.value)
        for part in ("联系人姓名不能为空", "部门编码 D09 不存在", "电子邮箱 not-an-email 格式不正确",
                     "钉钉群机器人地址", "钉钉群机器人须填写加签密钥"):
            assert part in message
        with pytest.raises(ContactError, match="至少填写电子邮箱或一个群机器人地址"):
            add_contact(s, ADMIN_P, Contact("张三", "D01"))
        cid = add_contact(s, ADMIN_P, Contact("张三", "D01", dingtalk_url="https://oapi.dingtalk.com/robot/send?"
                                              "access_token=tok123", dingtalk_secret="SECsecret456"))
        update_contact(s, ADMIN_P, cid, Contact("张三", "D01", email="zs@d01.gov.cn", active=False))
        [stored] = list_contacts(s)
        assert stored.email == "zs@d01.gov.cn" and stored.dingtalk_url is None and not stored.active
        assert list_contacts(s, active_only=True) == []
        delete_contact(s, ADMIN_P, cid)
        with pytest.raises(ContactError, match="不存在"):
            delete_contact(s, ADMIN_P, cid)
        log = audit.entries(s)
    text = " ".join(str(d) for d in log["detail"])
    assert "SECsecret456" not in text and "tok123" not in text and "dingtalk" in text
    assert set(log["action"]) >= {"新增提醒联系人", "修改提醒联系人", "删除提醒联系人"}


def test_alert_settings_are_saved_by_the_administrator_only(seeded: Database) -> None:
    with seeded.session() as s:
        with pytest.raises(AlertSettingsError, match="只有管理员"):
            save_overrides(s, LEADER_P, {"lights": {"app_warn_days": 1}})
        with pytest.raises(AlertSettingsError, match="黄灯起始工作日不应晚于转办时限"):
            save_overrides(s, ADMIN_P, {"lights": {"transfer_limit": 3}})
        assert current_settings(s).lights.transfer_limit == 5  # nothing stored
        save_overrides(s, ADMIN_P, {"lights": {"app_warn_days": 0}, "notify": {"base_url": "https://k.gov.cn/"}})
    with seeded.session() as s:
        settings = current_settings(s)
        log = audit.entries(s)
    assert settings.lights.app_warn_days == 0 and settings.notify.base_url == "https://k.gov.cn"
    assert log.iloc[0]["action"] == "修改设置" and log.iloc[0]["target"] == "alert_overrides"


def _meeting() -> MeetingInput:
    return MeetingInput(held_on=dt.date(2025, 10, 9), convener="区市场监督管理局", units=("D01", "D02"),
                        period_from=dt.date(2025, 7, 1), period_to=dt.date(2025, 9, 30), as_of=dt.date(2025, 9, 30))


def test_meeting_keeps_its_deck_and_its_decisions_become_tracked_tasks(seeded: Database,
                                                                      engine: MetricsEngine) -> None:
    deck = capture_deck(seeded, engine, _meeting(), "pptx")
    assert deck.data[:2] == b"PK" and deck.figures["period"]["from"] == "2025-07-01"
    decisions = [DecisionInput("压减食品经营许可承诺时限", "D01", dt.date(2025, 10, 31), "张三"),
                 DecisionInput("清理超时办件", "D02", dt.date(2025, 10, 9), "李四")]
    mid = record_with_deck(seeded, LEADER_P, _meeting(), deck, decisions)
    with seeded.session() as s:
        [d1, d2] = decisions_of(s, mid)
        # the D01 unit completes its decision; D02's is past its deadline (10-09) at 10-10
        tasks.update_task(s, D01, d1.task_id, expected_version=1, status=tasks.DONE, note="已压减至 3 个工作日")
        board = alert_board(s, engine.data, LEADER_P, AlertRequest(TODAY))
        review = decision_review(s, before=dt.date(2026, 1, 15), today=TODAY)
        stored, fmt, figures = meeting_deck(s, mid)
        [m] = list_meetings(s)
    assert stored == deck.data and fmt == "pptx" and figures == json.loads(json.dumps(deck.figures))
    assert m.units == ("D01", "D02") and m.convener == "区市场监督管理局"
    assert [i.item_id for i in board.select(kind=DECISION)] == [str(d2.task_id)]
    assert board.select(kind=DECISION)[0].light == RED
    assert review.meeting is not None and review.meeting.id == mid
    assert [(d.content, d.status) for d in review.decisions] == [("压减食品经营许可承诺时限", tasks.DONE),
                                                                 ("清理超时办件", tasks.TODO)]
    assert review.lights == (None, RED) and review.done_count == 1
    with seeded.session() as s:
        assert decision_review(s, before=dt.date(2025, 10, 9), today=TODAY).meeting is None  # none held before


def test_a_refused_meeting_stores_nothing(seeded: Database) -> None:
    with seeded.session() as s, pytest.raises(MeetingError) as err:
        record_meeting(s, LEADER_P, _meeting(), deck=b"PK..", deck_format="pptx", figures={},
                       decisions_in=[DecisionInput("事项", "D09", dt.date(2025, 10, 1), "")])
    assert "责任单位编码 D09 不存在" in str(err.value) and "早于会议日期" in str(err.value)
    with pytest.raises(MeetingError, match="只有管理员或领导"), seeded.session() as s:
        record_meeting(s, D01, _meeting(), deck=b"PK", deck_format="pptx", figures={}, decisions_in=[])
    with seeded.session() as s:
        assert s.execute(select(func.count()).select_from(meetings)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(rectification_tasks)).scalar_one() == 0

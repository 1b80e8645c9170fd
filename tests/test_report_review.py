"""The next meeting's deck opens with the previous meeting's decisions and their status
(report.review), and the tasks slide counts each task's 催办.  Data: tests/fixtures/alerts.py
(National Day 2025), judged at 2025-10-10 — a Friday after the holiday, whose previous
working day is 10-09."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pptx import Presentation

from data import tasks
from data.accounts import ADMIN, DEPT_USER, LEADER, Principal
from data.db import Database
from data.meetings import DecisionInput, MeetingInput, record_meeting
from metrics.alerts import AlertRequest, alert_board, decision_review, urge
from metrics.engine import MetricsEngine
from metrics.lights import DECISION
from metrics.results import MetricsRequest
from report.deck import build_deck
from report.pptx_writer import pptx_bytes
from report.review import REVIEW_TITLE, review_slides, with_review
from report.slides import TableSlide
from report.table_sections import TASKS_TITLE, task_slides
from report.tasks import database_tasks
from tests.fixtures.alerts import frames, seed_departments

TODAY = dt.date(2025, 10, 10)
LEADER_P = Principal("leader", "领导", LEADER)
ADMIN_P = Principal("admin", "管理员", ADMIN)
D01 = Principal("d01", "市监用户", DEPT_USER, "D01")
NAMES = {"D01": "区市场监督管理局", "D02": "区住房和城乡建设局"}


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(frames())


def _meeting(db: Database, held_on: dt.date, decisions: list[DecisionInput]) -> int:
    meeting = MeetingInput(held_on, "区发展改革局", ("D01", "D02"), dt.date(2025, 7, 1), dt.date(2025, 9, 30),
                           dt.date(2025, 9, 30))
    with db.session() as s:
        return record_meeting(s, LEADER_P, meeting, deck=b"PK-kept", deck_format="pptx", figures={"x": 1},
                              decisions_in=decisions)


@pytest.fixture
def met(db: Database) -> tuple[Database, int]:
    """A meeting of 2025-09-29 with two decisions: the first (D01) is completed on 10-09, the
    second (D02, deadline 10-09) is still open at 10-10: red."""
    with db.session() as s:
        seed_departments(s)
    meeting_id = _meeting(db, dt.date(2025, 9, 29), [
        DecisionInput("压减食品经营许可承诺时限", "D01", dt.date(2025, 10, 31), "张三"),
        DecisionInput("清理施工许可隐性门槛", "D02", dt.date(2025, 10, 9), "李四"),
    ])
    with db.session() as s:
        first = decision_review(s, dt.date(2025, 10, 11), TODAY).decisions[0]
        tasks.update_task(s, D01, first.task_id, expected_version=1, status=tasks.DONE, note="已压减至 3 个工作日")
    return db, meeting_id


def test_review_slide_shows_every_decision_with_its_status(met: tuple[Database, int]) -> None:
    db, _ = met
    with db.session() as s:
        review = decision_review(s, dt.date(2025, 10, 11), TODAY)
    [slide] = review_slides(review, NAMES)
    assert isinstance(slide, TableSlide)
    assert slide.title == f"{REVIEW_TITLE}（2025-09-29）"
    assert slide.table.rows == (
        ("1", "压减食品经营许可承诺时限", "区市场监督管理局", "2025-10-31", "已完成"),
        ("2", "清理施工许可隐性门槛", "区住房和城乡建设局", "2025-10-09", "待整改（红灯）"),
    )
    assert [r[-1] for r in slide.table.tones] == ["good", "bad"]
    assert slide.summary == ("2025-09-29 联席会议（召集人：区发展改革局）议定事项 2 项，已完成 1 项，未完成 1 项，"
                             "其中逾期（红灯）1 项。",)


def test_no_previous_meeting_no_slide(db: Database) -> None:
    with db.session() as s:
        seed_departments(s)
        review = decision_review(s, dt.date(2025, 10, 11), TODAY)
    assert review.meeting is None and review_slides(review, NAMES) == []
    assert review_slides(None, NAMES) == []


def test_the_next_deck_opens_with_the_review_and_the_pptx_says_it(met: tuple[Database, int],
                                                                   engine: MetricsEngine) -> None:
    db, _ = met
    request = MetricsRequest(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    with db.session() as s:
        review = decision_review(s, dt.date(2025, 10, 11), TODAY)
    plain = build_deck(engine, request)
    deck = build_deck(engine, request, review=lambda _r: review)
    assert len(deck) == len(plain) + 1
    assert deck.slides[1].title.startswith(REVIEW_TITLE) and deck.slides[0] == plain.slides[0]
    assert with_review(plain, review).slides == deck.slides  # the dashboard's way gives the same deck
    assert with_review(deck, review).slides == deck.slides  # and never twice
    assert with_review(deck, None).slides == plain.slides
    assert build_deck(engine, request, "D01", review=lambda _r: review).slides[1].title == "核心指标"
    prs = Presentation(BytesIO(pptx_bytes(deck, {})))
    text = " ".join(sh.text_frame.text if sh.has_text_frame else
                    " ".join(c.text for row in sh.table.rows for c in row.cells) if sh.has_table else ""
                    for sh in prs.slides[1].shapes)
    for expected in ("上次联席会议议定事项落实情况", "压减食品经营许可承诺时限", "已完成", "清理施工许可隐性门槛",
                     "待整改（红灯）", "已完成 1 项"):
        assert expected in text


def test_the_tasks_slide_counts_each_tasks_urgings(met: tuple[Database, int], engine: MetricsEngine) -> None:
    db, _ = met
    with db.session() as s:
        board = alert_board(s, engine.data, LEADER_P, AlertRequest(TODAY))
        red = [i for i in board.select(kind=DECISION)]
        assert [(i.title, i.light) for i in red] == [("联席会议议定事项：清理施工许可隐性门槛", "red")]
        urge(s, LEADER_P, board, DECISION, red[0].item_id, "请本周内完成")
        urge(s, ADMIN_P, board, DECISION, red[0].item_id, "再次催办")
        open_tasks = database_tasks(s, TODAY)
    assert open_tasks["urgings"].tolist() == [2]
    [slide] = task_slides(open_tasks, None, NAMES)
    assert isinstance(slide, TableSlide) and slide.title == TASKS_TITLE
    assert slide.table.headers[-1] == "催办次数" and slide.table.rows[0][-1] == "2"
    assert slide.summary == ("未完成整改任务 1 项，其中逾期 1 项，被催办 1 项（共 2 次）。",)


def test_the_next_meetings_kept_deck_opens_with_the_last_meetings_decisions(met: tuple[Database, int],
                                                                            engine: MetricsEngine) -> None:
    from followup.meeting_deck import capture_deck, record_with_deck

    db, first_id = met
    nxt = MeetingInput(dt.date(2025, 10, 20), "区发展改革局", ("D01",), dt.date(2025, 9, 1), dt.date(2025, 9, 30),
                       dt.date(2025, 9, 30))
    deck = capture_deck(db, engine, nxt)
    second_id = record_with_deck(db, LEADER_P, nxt, deck, [])
    assert second_id != first_id
    prs = Presentation(BytesIO(deck.data))
    words = " ".join(sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame)
    cells = [c.text for sh in prs.slides[1].shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    assert f"{REVIEW_TITLE}（2025-09-29）" in words
    assert cells[5:] == ["1", "压减食品经营许可承诺时限", "区市场监督管理局", "2025-10-31", "已完成",
                         "2", "清理施工许可隐性门槛", "区住房和城乡建设局", "2025-10-09", "待整改（红灯）"]
    # the light is today's: any real today is past 2025-10-09
    with db.session() as s:  # a meeting reviews the one before it, not itself
        assert decision_review(s, nxt.held_on).meeting.id == first_id  # type: ignore[union-attr]


def test_the_ledger_slide_counts_each_key_cases_urgings(db: Database, engine: MetricsEngine) -> None:
    from data.urgings import counts
    from metrics.lights import KEY_CASE

    with db.session() as s:
        seed_departments(s)
        board = alert_board(s, engine.data, LEADER_P, AlertRequest(TODAY))
        urge(s, LEADER_P, board, KEY_CASE, "K1", "请立即整改")  # K1: deadline 10-09, not rectified: red
        urge(s, ADMIN_P, board, KEY_CASE, "K1", "再次催办")
        urged = counts(s)
    deck = build_deck(engine, MetricsRequest(dt.date(2025, 9, 1), dt.date(2025, 9, 30)), urgings=urged)
    [slide] = [x for x in deck.slides if x.title == "督查督办台账"]
    assert isinstance(slide, TableSlide) and slide.table.headers[-1] == "催办次数"
    by_summary = {r[1]: r[-1] for r in slide.table.rows}
    assert by_summary == {"线索K1": "2", "线索K2": "0", "线索K3": "0", "线索K4": "0"}
    plain = build_deck(engine, MetricsRequest(dt.date(2025, 9, 1), dt.date(2025, 9, 30)))  # no urgings given
    unurged = next(x for x in plain.slides if x.title == "督查督办台账")
    assert isinstance(unurged, TableSlide) and {r[-1] for r in unurged.table.rows} == {"0"}


def test_live_parts_are_judged_today_not_at_the_periods_as_of(met: tuple[Database, int],
                                                             engine: MetricsEngine) -> None:
    """The next meeting's deck (联席会议) and 汇报模式 add their live parts through one function:
    on 10-10 the second decision (deadline 10-09) is overdue, though the deck's period ended
    on 09-30, when it was not."""
    from report.live import with_live_parts

    db, _ = met
    deck = build_deck(engine, MetricsRequest(dt.date(2025, 7, 1), dt.date(2025, 9, 30)))
    with db.session() as s:
        today = with_live_parts(deck, s, TODAY, None)
        at_period_end = with_live_parts(deck, s, dt.date(2025, 9, 30), None)

    def rows(d, prefix):  # type: ignore[no-untyped-def]
        return [r for sl in d.slides if sl.title.startswith(prefix) for r in sl.table.rows]

    assert ("2", "清理施工许可隐性门槛", "区住房和城乡建设局", "2025-10-09", "待整改（红灯）") in rows(today, REVIEW_TITLE)
    assert ("2", "清理施工许可隐性门槛", "区住房和城乡建设局", "2025-10-09", "待整改（红灯）") \
        not in rows(at_period_end, REVIEW_TITLE)
    task = ("联席会议议定事项：清理施工许可隐性门槛", "区住房和城乡建设局", "李四", "2025-10-09", "待整改")
    assert rows(today, TASKS_TITLE) == [(*task, "逾期", "0")]
    assert rows(at_period_end, TASKS_TITLE) == [(*task, "否", "0")]

"""Case handling in the product (data.case_handling): each step, who may take it, the
contract's rules, history and audit, the transfer-timeliness figure it moves, and imports
meeting cases handled in the product (data.product_steps)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cli.main import main as cli_main
from data import case_handling as ch
from data import clock, feedback_store
from data.accounts import Principal
from data.case_queue import handling_queue, to_do
from data.case_rows import read_case, today_local
from data.db import Database
from data.feedback_form import Submission
from data.frames import load_frames
from data.schema import audit_log, case_steps, rectification_tasks
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from tests.fixtures.feedback import import_csv, load_departments

ADMIN = Principal("admin", "管理员", "管理员")
LEADER = Principal("lingdao", "领导", "领导")
UNIT = Principal("zhujian", "住建用户", "部门用户", "JH009")
OTHER = Principal("shijian", "市监用户", "部门用户", "JH010")
TODAY = today_local()
LONG_AGO = TODAY - dt.timedelta(days=60)
CASE_HEADER = ["线索编号", "接收日期", "线索来源", "问题类别", "责任单位编码", "办理状态", "转办日期", "重点督办"]


@pytest.fixture(autouse=True)
def _today_is_today() -> Iterator[None]:
    """Every step of a test is taken on the module's TODAY: a run that crosses midnight in
    Asia/Shanghai would otherwise date a step a day after the TODAY its expectations (and
    the parametrised requests) were written from."""
    with clock.fixed(dt.datetime.combine(TODAY, dt.time(12), tzinfo=clock.LOCAL_TZ)):
        yield


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> Iterator[Database]:
    database = Database(db_url)
    load_departments(database, tmp_path / "seed")
    yield database
    database.dispose()


def feedback_case(db: Database, tmp_path: Path, dept: str | None = "JH009") -> str:
    s = Submission("某建材公司", None, "13800138000", "违规设置隐性壁垒", "另设条件", dept, None, "被要求提供额外的证明材料")
    with db.session() as session:
        return feedback_store.submit(session, s, [], tmp_path / "att").case_id


def transfer_rate(db: Database, dept: str = "JH009") -> float | None:
    with db.session() as session:
        frames = load_frames(session)
    result = MetricsEngine(frames).compute(MetricsRequest(TODAY - dt.timedelta(days=90), TODAY, dept=dept))
    value = result.departments[dept]["transfer_on_time_rate"]
    return None if value is None else float(value)  # type: ignore[arg-type]


def test_transfer_timeliness_moves_as_indicators_md_says(db: Database, tmp_path: Path) -> None:
    # K1 received 60 days ago, transferred the next day (≤ 5 wd: on time); K2 received then, never transferred
    report = import_csv(db, tmp_path / "old", "cases", CASE_HEADER, [
        ("K1", LONG_AGO, "互联网+督查", "其他", "JH009", "已转办", LONG_AGO + dt.timedelta(days=1), "否"),
        ("K2", LONG_AGO, "互联网+督查", "其他", "JH009", "待转办", "", "否"),
    ])
    assert report.ok, report.problems
    assert transfer_rate(db) == pytest.approx(1 / 2)  # due: K1 (on time), K2 (waited > 5 wd)
    fk = feedback_case(db, tmp_path)
    assert transfer_rate(db) == pytest.approx(1 / 2)  # received today: 0 wd waited, not yet due
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer(fk, "JH009", TODAY + dt.timedelta(days=15)))
    assert transfer_rate(db) == pytest.approx(2 / 3)  # transferred the day it came in: on time
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer("K2", "JH009", TODAY + dt.timedelta(days=15)))
    assert transfer_rate(db) == pytest.approx(2 / 3)  # K2 was already due; transferred 60 days late: not on time
    assert read_case_in(db, "K2")["transferred_date"] == TODAY


def read_case_in(db: Database, case_id: str) -> dict[str, object]:
    with db.session() as s:
        row = read_case(s, case_id)
    assert row is not None
    return row


def test_whole_path_with_history_audit_and_task(db: Database, tmp_path: Path) -> None:
    fk = feedback_case(db, tmp_path, dept=None)
    assert read_case_in(db, fk)["dept_code"] == "JH001"
    deadline = TODAY + dt.timedelta(days=20)
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer(fk, "JH009", deadline, note="请核查"))
        ch.apply(s, UNIT, ch.StartVerification(fk))
        ch.apply(s, UNIT, ch.Verify(fk, "属实", "确有要求额外材料", rectify_deadline=deadline, responsible_person="张三"))
        ch.apply(s, ADMIN, ch.SpawnTask(fk, "取消额外材料要求", "张三", deadline, "一周内取消并公开"))
        ch.apply(s, UNIT, ch.Rectify(fk, "已取消额外材料要求并公开办事指南"))
        ch.apply(s, UNIT, ch.ReportBack(fk, "已整改完毕"))
        ch.apply(s, ADMIN, ch.Close(fk))
        result = ch.apply(s, ADMIN, ch.PublishReply(fk, "您反映的问题属实，已整改。"))
    assert (result.step, result.to_status) == ("发布答复", "已办结")
    row = read_case_in(db, fk)
    assert (row["status"], row["dept_code"], row["verified"]) == ("已办结", "JH009", "属实")
    for col in ("transferred_date", "verified_date", "rectified_date", "closed_date"):
        assert row[col] == TODAY, col
    assert row["rectify_deadline"] == deadline and row["responsible_person"] == "张三"
    with db.session() as s:
        file = ch.case_file(s, ADMIN, fk)
        task = s.execute(select(rectification_tasks)).one()
        audit_actions = list(s.execute(select(audit_log.c.action).where(audit_log.c.target == fk)).scalars())
    assert [st.step for st in file.steps] == ["受理", "转办", "开始核查", "核查", "下达整改任务", "整改", "反馈", "办结", "发布答复"]
    assert [st.to_status for st in file.steps] == ["待转办", "已转办", "核查中", "整改中", "整改中", "已整改", "已整改",
                                                   "已办结", "已办结"]
    assert file.handling_deadline == deadline and file.facts == "确有要求额外材料" and file.task_id == task.id
    assert file.reply_published and file.reply == "您反映的问题属实，已整改。"
    assert task.source_ref == f"案例:{fk}" and task.dept_code == "JH009"
    assert f"任务{task.id}" in str(row["rectify_tasks"])
    assert audit_actions.count("线索转办") == 1 and "线索办结" in audit_actions
    with db.session() as s:
        status = feedback_store.lookup(s, fk, "wrong-code")
    assert status is None


def test_unfounded_case_closes_with_the_contract_dates(db: Database, tmp_path: Path) -> None:
    fk = feedback_case(db, tmp_path)
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer(fk, "JH009", TODAY))
        ch.apply(s, UNIT, ch.Verify(fk, "不属实", "未发现所反映情况"))
    row = read_case_in(db, fk)
    assert (row["status"], row["verified"], row["closed_date"]) == ("不属实", "不属实", TODAY)
    with db.session() as s:
        with pytest.raises(ch.CaseStepError, match="尚未反馈"):
            ch.apply(s, ADMIN, ch.Close(fk))
        ch.apply(s, UNIT, ch.ReportBack(fk, "不属实"))
        ch.apply(s, ADMIN, ch.Close(fk))
    assert read_case_in(db, fk)["status"] == "已办结"


@pytest.mark.parametrize(("actor", "request_", "message"), [
    (UNIT, ch.Transfer("FK", "JH009", TODAY), "只有管理员（区发展改革局）可以转办线索"),
    (LEADER, ch.Transfer("FK", "JH009", TODAY), "只有管理员（区发展改革局）可以转办线索"),
    (ADMIN, ch.Verify("FK", "属实", "事实"), "只有责任单位（JH009）的部门用户可以记录核查结论"),
    (UNIT, ch.Verify("FK", "属实", "事实"), "当前状态为“待转办”，不能记录核查结论"),
    (UNIT, ch.Rectify("FK", "措施"), "当前状态为“待转办”，不能记录整改完成"),
    (ADMIN, ch.Close("FK"), "当前状态为“待转办”，不能办结"),
    (ADMIN, ch.PublishReply("FK", "答复"), "当前状态为“待转办”，不能发布答复"),
    (ADMIN, ch.Transfer("FK", "JH999", TODAY), "责任单位编码 JH999 不存在"),
    (ADMIN, ch.Transfer("FK", "JH009", TODAY - dt.timedelta(days=1)), "办理时限不能早于转办日期"),
    (ADMIN, ch.Transfer("FK", "JH009", TODAY + dt.timedelta(days=9), on=TODAY + dt.timedelta(days=1)),
     "办理步骤不能记在未来"),
])
def test_refused_steps_change_nothing(db: Database, tmp_path: Path, actor: Principal, request_: ch.Request,
                                      message: str) -> None:
    fk = feedback_case(db, tmp_path)
    request_ = type(request_)(**{**request_.__dict__, "case_id": fk})
    before = read_case_in(db, fk)
    with db.session() as s, pytest.raises(ch.CaseStepError, match=message):
        ch.apply(s, actor, request_)
    assert read_case_in(db, fk) == before


def test_a_department_handles_only_its_own_cases(db: Database, tmp_path: Path) -> None:
    fk = feedback_case(db, tmp_path)
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer(fk, "JH009", TODAY))
    with db.session() as s, pytest.raises(ch.CaseStepError, match="不存在或无权查看"):
        ch.apply(s, OTHER, ch.Verify(fk, "属实", "事实"))
    with db.session() as s, pytest.raises(ch.CaseStepError, match="不存在或无权查看"):
        ch.case_file(s, OTHER, fk)
    assert read_case_in(db, fk)["status"] == "已转办"


def test_contract_rules_hold_key_case_needs_responsible_person(db: Database, tmp_path: Path) -> None:
    report = import_csv(db, tmp_path / "key", "cases", CASE_HEADER,
                        [("K9", LONG_AGO, "互联网+督查", "其他", "JH009", "已转办", LONG_AGO, "是")])
    assert report.ok, report.problems
    with db.session() as s, pytest.raises(ch.CaseStepError, match="责任人"):
        ch.apply(s, UNIT, ch.Verify("K9", "属实", "属实情况"))
    assert read_case_in(db, "K9")["status"] == "已转办"
    with db.session() as s:
        ch.apply(s, UNIT, ch.Verify("K9", "属实", "属实情况", rectify_deadline=TODAY, responsible_person="李四"))
    with db.session() as s:
        ch.apply(s, UNIT, ch.Rectify("K9", "已整改"))
        ch.apply(s, UNIT, ch.ReportBack("K9", "已整改"))
        ch.apply(s, ADMIN, ch.Close("K9"))
    with db.session() as s, pytest.raises(ch.CaseStepError, match="不是经营主体通过反馈渠道提交的"):
        ch.apply(s, ADMIN, ch.PublishReply("K9", "答复"))
    assert read_case_in(db, "K9")["status"] == "已办结"


def test_contact_details_only_for_admin_and_the_responsible_unit(db: Database, tmp_path: Path) -> None:
    fk = feedback_case(db, tmp_path)
    with db.session() as s:
        assert feedback_store.contact(s, ADMIN, fk).phone == "13800138000"
        assert feedback_store.contact(s, UNIT, fk).reporter == "某建材公司"
        for who in (OTHER, LEADER, Principal("screen", "大屏", "展示")):
            with pytest.raises(feedback_store.FeedbackError, match="仅管理员和责任单位可见"):
                feedback_store.contact(s, who, fk)


def test_import_never_silently_overwrites_a_product_step(db: Database, tmp_path: Path) -> None:
    report = import_csv(db, tmp_path / "a", "cases", CASE_HEADER,
                        [("K3", LONG_AGO, "互联网+督查", "其他", "JH009", "待转办", "", "否")])
    assert report.ok
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer("K3", "JH009", TODAY))
    stale = [("K3", LONG_AGO, "互联网+督查", "其他", "JH009", "待转办", "", "否")]
    refused = import_csv(db, tmp_path / "b", "cases", CASE_HEADER, stale)
    assert not refused.ok and len(refused.problems) == 1
    p = refused.problems[0]
    assert (p.row, p.value) == (2, "K3")
    assert "已在系统中办理" in p.reason and "办理状态、转办日期" in p.reason and "--overwrite-product-steps" in p.reason
    assert read_case_in(db, "K3")["status"] == "已转办"
    same = import_csv(db, tmp_path / "c", "cases", CASE_HEADER,
                      [("K3", LONG_AGO, "互联网+督查", "其他", "JH009", "已转办", TODAY, "否")])
    assert same.ok and same.count("cases").unchanged == 1
    forced = import_csv(db, tmp_path / "d", "cases", CASE_HEADER, stale, overwrite_product_steps=True)
    assert forced.ok and forced.count("cases").replaced == 1
    assert any("覆盖了：办理状态、转办日期" in w.reason for w in forced.warnings)
    assert read_case_in(db, "K3")["status"] == "待转办"


def test_import_command_refuses_then_overwrites_with_the_flag(db: Database, db_url: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    fk = feedback_case(db, tmp_path)
    row = read_case_in(db, fk)
    path = tmp_path / "cases.csv"
    path.write_text("线索编号,接收日期,线索来源,问题类别,责任单位编码,办理状态\n"
                    f"{fk},{row['received_date']},经营主体反映,其他,JH009,待转办\n", encoding="utf-8")
    assert cli_main(["--db", db_url, "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行" in err and "该线索已在系统中办理" in err and "问题类别" in err
    assert cli_main(["--db", db_url, "import", "--overwrite-product-steps", str(path)]) == 0
    assert "覆盖了" in capsys.readouterr().err
    with db.session() as s:
        steps = list(s.execute(select(case_steps.c.step).where(case_steps.c.case_id == fk)).scalars())
    assert steps == ["受理"]
    assert read_case_in(db, fk)["category"] == "其他"


def test_allowed_steps_and_queue_follow_the_same_rules(db: Database, tmp_path: Path) -> None:
    fk = feedback_case(db, tmp_path)
    report = import_csv(db, tmp_path / "q", "cases", CASE_HEADER,
                        [("K5", LONG_AGO, "互联网+督查", "其他", "JH010", "已转办", LONG_AGO, "否")])
    assert report.ok
    with db.session() as s:
        assert ch.allowed_steps(ADMIN, ch.case_file(s, ADMIN, fk)) == ("转办",)
        assert ch.allowed_steps(UNIT, ch.case_file(s, UNIT, fk)) == ()
        ch.apply(s, ADMIN, ch.Transfer(fk, "JH009", TODAY))
        assert ch.allowed_steps(UNIT, ch.case_file(s, UNIT, fk)) == ("开始核查", "核查")
        ch.apply(s, UNIT, ch.Verify(fk, "不属实", "未发现"))
        assert ch.allowed_steps(UNIT, ch.case_file(s, UNIT, fk)) == ("反馈",)
        assert ch.allowed_steps(ADMIN, ch.case_file(s, ADMIN, fk)) == ()  # not reported back yet
        ch.apply(s, UNIT, ch.ReportBack(fk, "已核查"))
        assert ch.allowed_steps(ADMIN, ch.case_file(s, ADMIN, fk)) == ("办结",)
        assert [e.case_id for e in handling_queue(s, UNIT)] == [fk]
        assert {e.case_id for e in handling_queue(s, ADMIN)} == {fk, "K5"}
        ch.apply(s, ADMIN, ch.Close(fk))
        assert ch.allowed_steps(ADMIN, ch.case_file(s, ADMIN, fk)) == ("发布答复",)
        assert handling_queue(s, UNIT) == []
        later = handling_queue(s, UNIT, include_closed=True, today=TODAY + dt.timedelta(days=1))
    assert [(e.case_id, e.status, e.is_feedback, e.reported, e.overdue) for e in later] == [(fk, "已办结", True, True, False)]


def test_queue_marks_a_passed_handling_deadline(db: Database, tmp_path: Path) -> None:
    fk = feedback_case(db, tmp_path)
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer(fk, "JH009", TODAY + dt.timedelta(days=3)))
        assert not handling_queue(s, ADMIN, today=TODAY + dt.timedelta(days=3))[0].overdue
        assert handling_queue(s, ADMIN, today=TODAY + dt.timedelta(days=4))[0].overdue


def _todo(s: object, actor: Principal) -> list[tuple[str, tuple[str, ...]]]:
    return [(i.entry.case_id, i.steps) for i in to_do(s, actor)]  # type: ignore[arg-type]


def test_to_do_is_what_the_actor_must_act_on(db: Database, tmp_path: Path) -> None:
    fk = feedback_case(db, tmp_path)
    report = import_csv(db, tmp_path / "t", "cases", CASE_HEADER, [
        ("K7", LONG_AGO, "互联网+督查", "其他", "JH010", "已转办", LONG_AGO, "否"),
    ])
    assert report.ok, report.problems
    with db.session() as s:
        assert _todo(s, ADMIN) == [(fk, ("转办",))]  # K7 waits for its unit, not for the administrator
        assert _todo(s, UNIT) == []
        assert _todo(s, OTHER) == [("K7", ("开始核查", "核查"))]
        assert _todo(s, LEADER) == []
        ch.apply(s, ADMIN, ch.Transfer(fk, "JH009", TODAY + dt.timedelta(days=5)))
        assert _todo(s, ADMIN) == []
        assert _todo(s, UNIT) == [(fk, ("开始核查", "核查"))]
        ch.apply(s, UNIT, ch.Verify(fk, "属实", "确有其事", rectify_deadline=TODAY + dt.timedelta(days=20)))
        assert _todo(s, ADMIN) == []  # 下达整改任务 is offered on the case but nobody waits for it
        assert _todo(s, UNIT) == [(fk, ("整改",))]
        ch.apply(s, UNIT, ch.Rectify(fk, "已整改"))
        assert _todo(s, UNIT) == [(fk, ("反馈",))]
        ch.apply(s, UNIT, ch.ReportBack(fk, "已整改并反馈"))
        assert _todo(s, UNIT) == []
        assert _todo(s, ADMIN) == [(fk, ("办结",))]
        ch.apply(s, ADMIN, ch.Close(fk))
        assert _todo(s, ADMIN) == [(fk, ("发布答复",))]  # closed, the reporter still waits for the reply
        ch.apply(s, ADMIN, ch.PublishReply(fk, "已整改。"))
        assert _todo(s, ADMIN) == []
        assert [(e.case_id, e.reply_published) for e in handling_queue(s, ADMIN, include_closed=True)
                if e.case_id == fk] == [(fk, True)]
